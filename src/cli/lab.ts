import path from 'node:path';
import pc from 'picocolors';
import type { Argv } from 'yargs';
import { messages, type Messages } from '../i18n/messages.js';
import { evaluateChecks, type CheckResult } from '../grader/checks.js';
import { tlsOnPlaintextPort } from '../grader/diagnosis.js';
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
import type { Lang } from '../i18n/lang.js';
import { scenarioLesson, scenarioTitle } from '../scenarios/localized.js';
import { translateNote } from './notes.js';
import { loadScenario, portValue } from './usage.js';
import { startWebFor, webOptions } from './web.js';
import type { WebServer } from '../web/index.js';

export function labOptions(y: Argv, m: Messages = messages()) {
  return webOptions(y, m)
    .usage(m.t('cli.lab.usage'))
    .positional('scenario', { type: 'string', demandOption: true, describe: m.t('cli.lab.opt.scenario') })
    .option('port', {
      alias: 'p',
      type: 'number',
      default: 2525,
      coerce: portValue('port', m),
      describe: m.t('cli.lab.opt.port'),
    })
    .option('tls-port', {
      type: 'number',
      default: 2465,
      coerce: portValue('tls-port', m),
      describe: m.t('cli.lab.opt.tlsPort'),
    })
    .option('mailbox', {
      alias: 'm',
      type: 'string',
      default: '.smtp-lab/lab',
      describe: m.t('cli.lab.opt.mailbox'),
    })
    .option('strict', { type: 'boolean', default: false, describe: m.t('cli.lab.opt.strict') })
    .option('explain', {
      type: 'boolean',
      default: true,
      describe: m.t('cli.lab.opt.explain'),
    })
    .example('$0 lab basic', m.t('cli.lab.example.1'))
    .example('$0 lab fragmented-replies', m.t('cli.lab.example.2'));
}

type Args = Awaited<ReturnType<typeof labOptions>['argv']> & { lang?: Lang };

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
  const lang = args.lang ?? 'en';
  const m = messages(lang);
  const scenario = await loadScenario(args.scenario, m);
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
  const web = await startWebFor(server, args, '127.0.0.1', m);
  out.write(header(scenario, server, c, web, m));

  // Only what a judgement needs is kept: the latest session, or for a scenario whose lesson
  // spans connections (greylisting) a bounded window of the latest attempt's sessions. Each
  // session end costs the same, the 1st or the 10,000th.
  const spans = spansSessions(scenario);
  let window: Array<{ session: LabSession; endedAt: number }> = [];
  // Judgements are printed in the order sessions ended, one at a time.
  let printing = Promise.resolve();
  server.on('session', (session: LabSession) => {
    const renderer = new TranscriptRenderer({ color, maxDataLines: 30, messages: m });
    const tag = c.dim(`[${session.id.slice(0, 6)}] `);
    const startedAt = performance.now();
    session.on('item', (item) => {
      const lines = renderer.render(item.kind === 'note' ? translateNote(item, m) : item);
      if (item.kind === 'reply' && args.explain) {
        const e = explainReply(item.reply.code, item.reply.enhanced, {
          context: replyContext(session.items, item),
          lang,
        });
        lines.push(c.dim(`       ${m.t('cli.lab.explained', { title: e.title, next: e.nextText })}`));
      }
      if (lines.length) out.write(lines.map((l) => tag + l).join('\n') + '\n');
    });
    session.on('message', (message: StoredMessage) => {
      out.write(`${tag}${c.dim(`=== ${m.t('cli.lab.stored', { file: shownPath(message.emlPath) })}`)}\n`);
    });
    session.on('end', () => {
      const last = window.at(-1);
      const sameAttempt = spans && last !== undefined && startedAt - last.endedAt < ATTEMPT_GAP_MS;
      window = [...(sameAttempt ? window : []), { session, endedAt: performance.now() }];
      if (window.length > MAX_WINDOW) window = window.slice(-MAX_WINDOW);
      const judged = window.map((w) => w.session);
      printing = printing.then(async () => {
        const { text, results } = await judge(judged, args.strict);
        web?.publishChecks(
          results,
          judged.map((s) => s.id),
        );
        const title =
          judged.length > 1
            ? m.t('cli.lab.checksFor.sessions', { count: judged.length })
            : m.t('cli.lab.checksFor.session');
        out.write(`\n${c.bold(title)}\n${text}\n`);
      });
    });
  });

  stopOnSignals(
    async () => {
      await web?.close();
      await server.stop();
    },
    (text) => out.write(text),
    m,
  );

  async function judge(
    sessions: readonly LabSession[],
    strict: boolean,
  ): Promise<{ text: string; results: CheckResult[] }> {
    const evidence = await collectEvidence(
      scenario,
      sessions,
      sessions.flatMap((s) => s.messages),
      { strict },
    );
    const tls = tlsOnPlaintextPort(scenario, evidence.sessions, 'localhost', clientPort(scenario, server));
    if (tls) return { text: `${c.red(m.t('cli.lab.cause', { cause: tls.text }))}\n`, results: [] };
    const results = evaluateChecks(evidence, { lang });
    return { text: formatChecks(results, { color, lang }), results };
  }
}

/** A pause longer than this between sessions starts a new attempt (a new run of the client). */
const ATTEMPT_GAP_MS = 60_000;
/** At most this many sessions are judged together, however many a client opens. */
const MAX_WINDOW = 10;

/**
 * Scenarios whose lesson spans connections: the client is to come back (greylisting, a
 * temporary failure to retry), or a fault picks connections by number.
 */
export function spansSessions(scenario: Scenario): boolean {
  return (
    scenario.server.greylistMs !== undefined ||
    scenario.checks.some((check) => check.id === 'handles-temporary-failure') ||
    scenario.faults.some((fault) => (fault.connections?.length ?? 0) > 0)
  );
}

/** A path as short as it can be shown: relative to the current folder when inside it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function header(
  scenario: Scenario,
  server: Awaited<ReturnType<typeof startLabServer>>,
  c: ReturnType<typeof pc.createColors>,
  web: WebServer | undefined,
  m: Messages,
): string {
  const env = clientEnvironment(scenario, server);
  const brief = scenario.client;
  const lang = m.lang;
  const lines = [
    c.bold(m.t('cli.lab.title', { id: scenario.id, title: scenarioTitle(scenario, lang) })),
    wrap(scenarioLesson(scenario, lang), 96, '  ', '  ').join('\n'),
    '',
    c.bold(m.t('cli.lab.pointAt')),
    `  ${m.t('cli.lab.where', { port: clientPort(scenario, server), tls: brief.tls })}`,
    `  ${m.t('cli.lab.caFile', { file: server.caFile })}`,
    ...(brief.auth ? [`  ${m.t('cli.lab.account', { user: env.SMTP_USER!, pass: env.SMTP_PASS! })}`] : []),
    `  MAIL FROM:<${brief.from}>  RCPT TO:${brief.to.map((t) => `<${t}>`).join(', ')}`,
    ...(brief.subject !== undefined
      ? [`  ${m.t('cli.lab.subject', { subject: JSON.stringify(brief.subject) })}`]
      : []),
    ...(brief.image !== undefined ? [`  ${m.t('cli.lab.image', { file: brief.image })}`] : []),
    '',
    c.bold(m.t('cli.lab.environment')),
    ...Object.entries(env)
      .filter(([k]) => !TRUST_STORE_VARIABLES.includes(k) && (brief.tls !== 'none' || !TLS_ONLY.includes(k)))
      .map(([k, v]) => `  export ${k}=${shellQuote(v)}`),
    ...(brief.tls === 'none' ? [] : trustStoreBlock(env, c, m)),
    '',
    c.bold(m.t('cli.lab.checks')),
    ...scenario.checks.map(
      (k) =>
        `  ${m.t(k.points === 1 ? 'cli.lab.check.one' : 'cli.lab.check.many', { id: k.id, points: k.points, tier: m.t(`checks.tier.${k.tier}`) })}`,
    ),
    '',
    ...(web ? [c.bold(m.t('cli.lab.browser')) + web.url, ''] : []),
    c.dim(m.t('cli.lab.waiting')),
    '',
  ];
  return lines.join('\n') + '\n';
}

/**
 * Variables that replace the system's trusted CAs with the lab CA (Python's ssl and requests,
 * curl): exported, they break the same client against smtp.qq.com or Gmail in that shell.
 */
const TRUST_STORE_VARIABLES = ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'];
/** Only a TLS client needs these (NODE_EXTRA_CA_CERTS adds the lab CA, replaces nothing). */
const TLS_ONLY = ['SMTP_CA_FILE', 'NODE_EXTRA_CA_CERTS'];

function trustStoreBlock(
  env: Record<string, string>,
  c: ReturnType<typeof pc.createColors>,
  m: Messages,
): string[] {
  const prefix = TRUST_STORE_VARIABLES.filter((k) => env[k] !== undefined)
    .map((k) => `${k}=${shellQuote(env[k]!)}`)
    .join(' ');
  return [
    '',
    c.bold(m.t('cli.lab.trustStore')),
    `  ${prefix} python3 your_client.py`,
    c.yellow(m.t('cli.lab.trustStoreWarning')),
  ];
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
