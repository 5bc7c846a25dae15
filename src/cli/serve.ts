import path from 'node:path';
import type { Argv } from 'yargs';
import type { Lang } from '../i18n/lang.js';
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
import { translateNote } from './notes.js';

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
      coerce: portValue('port', m),
      describe: m.t('cli.serve.opt.port'),
    })
    .option('tls-port', {
      type: 'number',
      default: 2465,
      coerce: portValue('tls-port', m),
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
      coerce: maxSizeValue(m),
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
      coerce: secondsValue('idle-timeout', m),
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

type ServeArgs = Awaited<ReturnType<typeof serveOptions>['argv']> & { lang?: Lang };

/** A yargs `coerce` for --max-size: the one size parser of scenario files too (src/text.ts). */
function maxSizeValue(m: Messages): (value: unknown) => number {
  return (value) => {
    const parsed = parseSize(String(value), m);
    if ('problem' in parsed)
      throw new UsageError(m.t('cli.serve.error.maxSize', { problem: parsed.problem }));
    return parsed.bytes;
  };
}

export async function serve(args: ServeArgs): Promise<void> {
  const out = process.stdout;
  const color = wantsColor(out);
  const m = messages(args.lang);
  if (!['127.0.0.1', 'localhost', '::1'].includes(args.host)) {
    const key = args.web ? 'cli.serve.exposedWeb' : 'cli.serve.exposed';
    process.stderr.write(`${m.t(key, { host: args.host })}\n`);
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
  const web = await startWebFor(server, args, args.host, m);
  const { removed, quarantined } = server.recovered;
  if (removed.length || quarantined.length) {
    const recovered = { removed: removed.length, quarantined: quarantined.length };
    out.write(
      `=== ${m.t('cli.serve.recovered', { ...recovered, dir: path.join(server.mailbox, 'quarantine') })}\n`,
    );
  }
  const ready = {
    smtp: `${server.host}:${server.port}`,
    tls: `${server.host}:${server.tlsPort}`,
    ca: server.caFile,
    user: args.user,
    pass: args.pass,
    auth: args.auth,
    mailbox: server.mailbox,
    web: web?.url ?? '',
  };
  const readyKey = server.tlsPort
    ? web
      ? 'cli.serve.ready.tlsWeb'
      : 'cli.serve.ready.tls'
    : web
      ? 'cli.serve.ready.web'
      : 'cli.serve.ready.plain';
  out.write(`${m.t(readyKey, ready)}\n`);
  server.on('session', (session: LabSession) => showLive(session, color, m));
  server.on('message', (message) => {
    const stored = { file: message.emlPath, size: message.size };
    out.write(`=== [${message.sessionId.slice(0, 6)}] ${m.t('cli.serve.stored', stored)}\n`);
  });
  stopOnSignals(
    async () => {
      await web?.close();
      await server.stop();
    },
    (text) => out.write(text),
    m,
  );
}

/** Streams one session's framed items to stdout, each line tagged with the session. */
function showLive(session: LabSession, color: boolean, m: Messages): void {
  const renderer = new TranscriptRenderer({ color, maxDataLines: 40, messages: m });
  const tag = `[${session.id.slice(0, 6)}] `;
  session.on('item', (item) => {
    const lines = renderer.render(item.kind === 'note' ? translateNote(item, m) : item);
    if (lines.length) process.stdout.write(lines.map((line) => tag + line).join('\n') + '\n');
  });
}
