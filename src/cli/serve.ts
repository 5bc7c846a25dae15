import path from 'node:path';
import type { Argv } from 'yargs';
import { messages, type Messages } from '../i18n/messages.js';
import { startLabServer, type LabSession } from '../server/index.js';
import { AUTH_MODES, type AuthMode } from '../server/vocabulary.js';
import { TranscriptRenderer, wantsColor } from '../transcript/render.js';
import { stopOnSignals } from './signals.js';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
} from '../protocol/defaults.js';
import { parseSize } from '../text.js';
import { portValue, secondsValue, UsageError } from './usage.js';
import { startWebFor, webOptions } from './web.js';

export function serveOptions(y: Argv, m: Messages = messages()) {
  return webOptions(y, m)
    .usage(m.t('cli.serve.usage'))
    .option('host', {
      type: 'string',
      default: '127.0.0.1',
      describe: m.t('cli.serve.opt.host'),
    })
    .option('port', {
      alias: 'p',
      type: 'number',
      default: 2525,
      coerce: portValue('port'),
      describe: m.t('cli.serve.opt.port'),
    })
    .option('tls-port', {
      type: 'number',
      default: 2465,
      coerce: portValue('tls-port'),
      describe: m.t('cli.serve.opt.tlsPort'),
    })
    .option('implicit-tls', {
      type: 'boolean',
      default: true,
      describe: m.t('cli.serve.opt.implicitTls'),
    })
    .option('mailbox', {
      alias: 'm',
      type: 'string',
      default: '.smtp-lab/mailbox',
      describe: m.t('cli.serve.opt.mailbox'),
    })
    .option('user', {
      alias: 'u',
      type: 'string',
      default: DEFAULT_ACCOUNT.user,
      describe: m.t('cli.serve.opt.user'),
    })
    .option('pass', {
      type: 'string',
      default: DEFAULT_ACCOUNT.pass,
      describe: m.t('cli.serve.opt.pass'),
    })
    .option('auth', {
      type: 'string',
      choices: AUTH_MODES,
      default: 'optional',
      describe: m.t('cli.serve.opt.auth'),
    })
    .option('require-tls', {
      type: 'boolean',
      default: false,
      describe: m.t('cli.serve.opt.requireTls'),
    })
    .option('max-size', {
      type: 'string',
      default: '50M',
      coerce: maxSizeValue,
      describe: m.t('cli.serve.opt.maxSize'),
    })
    .option('trace-headers', {
      type: 'boolean',
      default: true,
      describe: m.t('cli.serve.opt.traceHeaders'),
    })
    .option('idle-timeout', {
      type: 'number',
      default: DEFAULT_IDLE_TIMEOUT_MS / 1000,
      coerce: secondsValue('idle-timeout'),
      describe: m.t('cli.serve.opt.idleTimeout'),
    })
    .option('session-timeout', {
      type: 'number',
      default: DEFAULT_SESSION_TIMEOUT_MS / 1000,
      describe: m.t('cli.serve.opt.sessionTimeout'),
    })
    .option('max-connections', {
      type: 'number',
      describe: m.t('cli.serve.opt.maxConnections'),
    })
    .option('max-per-client', {
      type: 'number',
      default: 50,
      describe: m.t('cli.serve.opt.maxPerClient'),
    })
    .example('$0 serve', m.t('cli.serve.example.1'))
    .example('$0 serve -p 0 --auth required --require-tls', m.t('cli.serve.example.2'));
}

type ServeArgs = Awaited<ReturnType<typeof serveOptions>['argv']>;

/** A yargs `coerce` for --max-size: the one size parser of scenario files too (src/text.ts). */
function maxSizeValue(value: unknown): number {
  const parsed = parseSize(String(value));
  if ('problem' in parsed) throw new UsageError(`--max-size: ${parsed.problem}`);
  return parsed.bytes;
}

export async function serve(args: ServeArgs): Promise<void> {
  const out = process.stdout;
  const color = wantsColor(out);
  if (!['127.0.0.1', 'localhost', '::1'].includes(args.host)) {
    process.stderr.write(
      `smtp-lab: warning: listening on ${args.host} exposes the lab server (and its test account) to the network` +
        (args.web ? ', and the browser view of its mailbox' : '') +
        '\n',
    );
  }
  const server = await startLabServer({
    host: args.host,
    port: args.port,
    tlsPort: args['implicit-tls'] ? args['tls-port'] : false,
    mailbox: path.resolve(args.mailbox),
    accounts: [{ user: args.user, pass: args.pass }],
    auth: args.auth as AuthMode,
    requireTls: args['require-tls'],
    maxSize: args['max-size'],
    traceHeaders: args['trace-headers'],
    idleTimeout: args['idle-timeout'] * 1000,
    sessionTimeout: args['session-timeout'] * 1000,
    maxConnectionsPerClient: args['max-per-client'],
    ...(args['max-connections'] !== undefined ? { maxConnections: args['max-connections'] } : {}),
  });
  const web = await startWebFor(server, args, args.host);
  const { removed, quarantined } = server.recovered;
  if (removed.length || quarantined.length) {
    out.write(
      `=== mailbox: ${removed.length} unfinished temp file(s) removed, ${quarantined.length} half-written message file(s) moved to ${path.join(server.mailbox, 'quarantine')}\n`,
    );
  }
  const tlsPart = server.tlsPort ? `, implicit TLS on ${server.host}:${server.tlsPort}` : '';
  out.write(
    `smtp-lab ready: SMTP+STARTTLS on ${server.host}:${server.port}${tlsPart}; CA ${server.caFile}; ` +
      `account ${args.user} / ${args.pass}; auth ${args.auth}; mailbox ${server.mailbox}` +
      (web ? `; web ${web.url}` : '') +
      '\n',
  );
  server.on('session', (session: LabSession) => showLive(session, color));
  server.on('message', (message) => {
    out.write(`=== [${message.sessionId.slice(0, 6)}] stored ${message.emlPath} (${message.size} bytes)\n`);
  });
  stopOnSignals(
    async () => {
      await web?.close();
      await server.stop();
    },
    (text) => out.write(text),
  );
}

/** Streams one session's framed items to stdout, each line tagged with the session. */
function showLive(session: LabSession, color: boolean): void {
  const renderer = new TranscriptRenderer({ color, maxDataLines: 40 });
  const tag = `[${session.id.slice(0, 6)}] `;
  session.on('item', (item) => {
    const lines = renderer.render(item);
    if (lines.length) process.stdout.write(lines.map((line) => tag + line).join('\n') + '\n');
  });
}
