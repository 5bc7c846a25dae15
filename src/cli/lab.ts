import path from 'node:path';
import pc from 'picocolors';
import type { Argv } from 'yargs';
import { evaluateChecks } from '../grader/checks.js';
import { collectEvidence } from '../grader/evidence.js';
import { formatChecks } from '../grader/report.js';
import { explainReply, type ReplyContext } from '../protocol/codes.js';
import { clientEnvironment, clientPort, serverOptionsFor } from '../scenarios/server.js';
import type { Scenario } from '../scenarios/types.js';
import { startLabServer, type LabSession, type StoredMessage } from '../server/index.js';
import type { FramedItem, ServerReply } from '../transcript/framer.js';
import { TranscriptRenderer, wantsColor } from '../transcript/render.js';
import { stopOnSignals } from './signals.js';
import { wrap } from '../text.js';
import { loadScenario, portValue } from './usage.js';

export function labOptions(y: Argv) {
  return y
    .usage(
      '$0 lab <scenario> [options]\n\nStart the lab server under a scenario, point your own client at it, and see every\nreply explained and the checks judged when each session ends. <scenario> is a built-in id\n(see `smtp-lab scenarios`) or a path to a scenario file.',
    )
    .positional('scenario', { type: 'string', demandOption: true, describe: 'built-in id or .yaml file' })
    .option('port', {
      alias: 'p',
      type: 'number',
      default: 2525,
      coerce: portValue('port'),
      describe: 'plaintext port (0 = a free port)',
    })
    .option('tls-port', {
      type: 'number',
      default: 2465,
      coerce: portValue('tls-port'),
      describe: 'implicit-TLS port, for implicit-TLS scenarios',
    })
    .option('mailbox', {
      alias: 'm',
      type: 'string',
      default: '.smtp-lab/lab',
      describe: 'folder for messages and transcripts',
    })
    .option('strict', { type: 'boolean', default: false, describe: 'judge by the RFC 5321 grammar exactly' })
    .option('explain', {
      type: 'boolean',
      default: true,
      describe: 'explain every reply (--no-explain: do not)',
    })
    .example('$0 lab basic', 'the assignment itself: plaintext, no TLS')
    .example('$0 lab fragmented-replies', 'replies arrive in small pieces');
}

type Args = Awaited<ReturnType<typeof labOptions>['argv']>;

const CONTEXTS: Record<string, ReplyContext> = {
  EHLO: 'EHLO',
  HELO: 'HELO',
  STARTTLS: 'STARTTLS',
  AUTH: 'AUTH',
  MAIL: 'MAIL',
  RCPT: 'RCPT',
  DATA: 'DATA',
  RSET: 'RSET',
  VRFY: 'VRFY',
  EXPN: 'EXPN',
  HELP: 'HELP',
  NOOP: 'NOOP',
  QUIT: 'QUIT',
};

/** What a reply answered, in the words of the code catalogue. */
export function replyContext(items: readonly FramedItem[], reply: ServerReply): ReplyContext {
  if (reply.answers === 'greeting') return 'greeting';
  if (reply.answers === undefined) return 'any';
  const line = items[reply.answers];
  if (line?.kind !== 'line') return 'any';
  if (line.dataEnd) return 'end-of-data';
  if (line.mode === 'auth') return 'AUTH';
  return CONTEXTS[line.command?.verb ?? ''] ?? 'any';
}

export async function lab(args: Args): Promise<void> {
  const scenario = await loadScenario(args.scenario);
  const out = process.stdout;
  const color = wantsColor(out);
  const c = pc.createColors(color);
  const options = serverOptionsFor(scenario);
  const server = await startLabServer({
    ...options,
    port: args.port,
    ...(options.tlsPort === false ? {} : { tlsPort: args['tls-port'] }),
    mailbox: path.resolve(args.mailbox, scenario.id),
  });
  out.write(header(scenario, server, c));

  const sessions: LabSession[] = [];
  const messages: StoredMessage[] = [];
  server.on('message', (message) => messages.push(message));
  server.on('session', (session: LabSession) => {
    const renderer = new TranscriptRenderer({ color, maxDataLines: 30 });
    const tag = c.dim(`[${session.id.slice(0, 6)}] `);
    session.on('item', (item) => {
      const lines = renderer.render(item);
      if (item.kind === 'reply' && args.explain) {
        const e = explainReply(item.reply.code, item.reply.enhanced, {
          context: replyContext(session.items, item),
        });
        lines.push(c.dim(`       ${e.title}: ${e.nextText}`));
      }
      if (lines.length) out.write(lines.map((l) => tag + l).join('\n') + '\n');
    });
    session.on('end', () => {
      sessions.push(session);
      void judge(scenario, sessions, messages, args.strict).then((text) => {
        out.write(
          `\n${c.bold(`Checks after ${sessions.length} session${sessions.length > 1 ? 's' : ''}:`)}\n${text}\n`,
        );
      });
    });
  });

  stopOnSignals(
    () => server.stop(),
    (text) => out.write(text),
  );

  async function judge(s: Scenario, runSessions: LabSession[], stored: StoredMessage[], strict: boolean) {
    const results = evaluateChecks(await collectEvidence(s, runSessions, stored, { strict }));
    return formatChecks(results, { color });
  }
}

function header(
  scenario: Scenario,
  server: Awaited<ReturnType<typeof startLabServer>>,
  c: ReturnType<typeof pc.createColors>,
): string {
  const env = clientEnvironment(scenario, server);
  const brief = scenario.client;
  const lines = [
    c.bold(`smtp-lab lab: ${scenario.id} - ${scenario.title}`),
    wrap(scenario.lesson, 96, '  ', '  ').join('\n'),
    '',
    c.bold('Point your client at:'),
    `  host localhost (or 127.0.0.1), port ${clientPort(scenario, server)}, TLS ${brief.tls}`,
    `  CA file ${server.caFile}`,
    ...(brief.auth ? [`  account ${env.SMTP_USER} / ${env.SMTP_PASS}`] : []),
    `  MAIL FROM:<${brief.from}>  RCPT TO:${brief.to.map((t) => `<${t}>`).join(', ')}`,
    ...(brief.subject !== undefined ? [`  subject ${JSON.stringify(brief.subject)}`] : []),
    ...(brief.image !== undefined ? [`  image ${brief.image}`] : []),
    '',
    c.bold('Environment, ready to paste (bash):'),
    ...Object.entries(env).map(([k, v]) => `  export ${k}=${shellQuote(v)}`),
    '',
    c.bold('Checks:'),
    ...scenario.checks.map((k) => `  ${k.id} (${k.points} points, ${k.tier})`),
    '',
    c.dim('Waiting for your client; every session is shown live and judged when it ends. Ctrl-C stops.'),
    '',
  ];
  return lines.join('\n') + '\n';
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
