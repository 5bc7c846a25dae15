import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Argv } from 'yargs';
import { readPassword } from '../client/credentials.js';
import {
  EXIT_CODES,
  EXIT_INTERNAL,
  EXIT_USAGE,
  exitCodeFor,
  phaseOf,
  SmtpArgumentError,
  SmtpClientReplyError,
  RecipientsRefusedError,
} from '../client/errors.js';
import { LiveTranscript } from '../client/live.js';
import { buildMessage, MimeError, type MimeMessage } from '../client/mime/index.js';
import { problemText } from '../client/problem.js';
import { hintsFor, PROVIDER_IDS, PROVIDERS, type ProviderId } from '../client/providers.js';
import { sendMail, DEFAULT_TIMEOUT_MS, type SendMailResult } from '../client/send.js';
import { CLIENT_AUTH_MECHANISMS, type AuthMechanism, type TlsMode } from '../client/session.js';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import type { Reply } from '../protocol/reply.js';
import { TLS_MODES } from '../protocol/tls.js';
import { SmtpLabError, UsageError } from '../protocol/errors.js';
import { Transcript, type TranscriptEvent } from '../transcript/events.js';
import { eventToJson } from '../transcript/jsonl.js';
import { maskSecrets, redactTranscript, secretForms } from '../transcript/redact.js';
import { visible, wantsColor } from '../transcript/render.js';
import { translateClientEvent, translateFailure } from './notes.js';

/** Message body lines shown live before the rest is summarised. */
const SHOWN_BODY_LINES = 40;

export function sendOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.send.usage'))
    .option('server', { alias: 's', type: 'string', describe: m.t('cli.send.opt.server') })
    .option('provider', {
      alias: 'p',
      type: 'string',
      choices: PROVIDER_IDS,
      describe: m.t('cli.send.opt.provider'),
    })
    .option('tls', {
      type: 'string',
      choices: TLS_MODES,
      describe: m.t('cli.send.opt.tls'),
    })
    .option('user', { alias: 'u', type: 'string', describe: m.t('cli.send.opt.user') })
    .option('auth', {
      alias: 'a',
      type: 'string',
      choices: CLIENT_AUTH_MECHANISMS.map((name) => name.toLowerCase() as Lowercase<AuthMechanism>),
      describe: m.t('cli.send.opt.auth'),
    })
    .option('from', { alias: 'f', type: 'string', describe: m.t('cli.send.opt.from') })
    .option('to', { alias: 't', type: 'string', array: true, describe: m.t('cli.send.opt.to') })
    .option('cc', { type: 'string', array: true, describe: m.t('cli.send.opt.cc') })
    .option('bcc', { type: 'string', array: true, describe: m.t('cli.send.opt.bcc') })
    .option('subject', { type: 'string', describe: m.t('cli.send.opt.subject') })
    .option('text', { type: 'string', describe: m.t('cli.send.opt.text') })
    .option('text-file', { type: 'string', describe: m.t('cli.send.opt.textFile') })
    .option('html-file', { type: 'string', describe: m.t('cli.send.opt.htmlFile') })
    .option('attach', { type: 'string', array: true, describe: m.t('cli.send.opt.attach') })
    .option('inline', { type: 'string', array: true, describe: m.t('cli.send.opt.inline') })
    .option('ca', { type: 'string', describe: m.t('cli.send.opt.ca') })
    .option('insecure', { type: 'boolean', default: false, describe: m.t('cli.send.opt.insecure') })
    .option('allow-plain-auth', {
      type: 'boolean',
      default: false,
      describe: m.t('cli.send.opt.allowPlainAuth'),
    })
    .option('helo', { type: 'string', describe: m.t('cli.send.opt.helo') })
    .option('timeout', {
      type: 'number',
      default: DEFAULT_TIMEOUT_MS / 1000,
      describe: m.t('cli.send.opt.timeout'),
    })
    .option('json', { type: 'boolean', default: false, describe: m.t('cli.send.opt.json') })
    .conflicts('text', 'text-file')
    .example(
      'SMTP_PASS=lab-password $0 send -s localhost:2525 --ca .smtp-lab/mailbox/ca.pem -u student@smtp-lab.test -f student@smtp-lab.test -t friend@example.com --subject Hi --text Hello --inline cat.png',
      m.t('cli.send.example.lab'),
    )
    .example(
      '$0 send -p qq -u 12345@qq.com -f 12345@qq.com -t you@example.com --subject Hi --text Hello',
      m.t('cli.send.example.qq'),
    )
    .epilog(exitCodeTable(m));
}

type SendArgs = Awaited<ReturnType<typeof sendOptions>['argv']> & { lang?: Lang };

/** The exit codes, as shown at the end of --help. */
export function exitCodeTable(m: Messages = messages()): string {
  const rows = EXIT_CODES.map(
    (entry) => `  ${String(entry.code).padStart(3)}  ${m.t(`cli.send.exit.${entry.code}`)}`,
  );
  return [m.t('cli.send.exitCodes'), ...rows].join('\n');
}

interface Target {
  host: string;
  port: number;
  tls: TlsMode;
  provider?: ProviderId;
}

/** Everything a send needs, checked before the first byte goes out. */
interface Prepared {
  target: Target;
  message: MimeMessage;
  password: string | undefined;
  ca: Buffer | undefined;
}

/** What the client's session came to: a result, or the error it stopped with. */
interface Outcome {
  result: SendMailResult | undefined;
  failure: unknown;
}

/** Where a run prints: stdout and stderr, every secret masked. */
interface Output {
  json: boolean;
  m: Messages;
  out(text: string): void;
  err(text: string): void;
}

/**
 * `smtp-lab send`: four steps, each its own function: prepare (check the options, build the
 * message, ask for the password), deliver (the session, shown live), then report the outcome as
 * text or JSON. A usage error stops after the first step with exit 2.
 */
export async function send(rawArgs: unknown): Promise<void> {
  const args = rawArgs as SendArgs;
  let secrets: string[] = [];
  const io: Output = {
    json: Boolean(args.json),
    m: messages(args.lang),
    out: (text) => process.stdout.write(maskSecrets(text, secrets)),
    err: (text) => process.stderr.write(maskSecrets(text, secrets)),
  };

  let prepared: Prepared;
  try {
    prepared = await prepare(args, io.m);
    if (args.user && prepared.password !== undefined) secrets = secretForms(args.user, prepared.password);
  } catch (error) {
    if (reportUsageError(error, io)) return;
    throw error;
  }
  if (args.insecure) io.err(io.m.t('cli.send.insecure') + '\n');

  const transcript = new Transcript({
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    peer: `${prepared.target.host}:${prepared.target.port}`,
  });
  const outcome = await deliver(args, prepared, transcript, io);
  process.exitCode = report(outcome, prepared.target, transcript, io);
}

/** Step 1: the target, the message, the CA and the password; a UsageError for what is missing or wrong. */
async function prepare(args: SendArgs, m: Messages): Promise<Prepared> {
  const target = resolveTarget(args, m);
  if (!args.from) throw new UsageError(m.t('cli.send.error.from'));
  if (!args.to?.length) throw new UsageError(m.t('cli.send.error.to'));
  if (args.subject === undefined) throw new UsageError(m.t('cli.send.error.subject'));
  if (args.text === undefined && args['text-file'] === undefined)
    throw new UsageError(m.t('cli.send.error.text'));
  if (args.auth && !args.user) throw new UsageError(m.t('cli.send.error.authUser'));
  if (!Number.isFinite(args.timeout) || args.timeout <= 0)
    throw new UsageError(m.t('cli.send.error.timeout'));
  const text = args.text ?? (await readOption(args['text-file']!, '--text-file', m)).toString('utf8');
  const html =
    args['html-file'] === undefined
      ? undefined
      : (await readOption(args['html-file'], '--html-file', m)).toString('utf8');
  const ca = args.ca === undefined ? undefined : await readOption(args.ca, '--ca', m);
  const message = await buildMessage({
    from: args.from,
    to: args.to,
    ...(args.cc ? { cc: args.cc } : {}),
    ...(args.bcc ? { bcc: args.bcc } : {}),
    subject: args.subject,
    text,
    ...(html !== undefined ? { html } : {}),
    ...(args.inline ? { inlineImages: args.inline } : {}),
    ...(args.attach ? { attachments: args.attach } : {}),
    headers: { 'X-Mailer': 'smtp-lab reference client' },
  });
  const password = args.user
    ? await readPassword({ prompt: m.t('cli.send.prompt', { user: args.user, host: target.host }) })
    : undefined;
  return { target, message, password, ca };
}

/** A usage error (ours, the MIME builder's, the client's argument checks) printed as one: exit 2. */
function reportUsageError(error: unknown, io: Output): boolean {
  const usage =
    error instanceof UsageError ||
    error instanceof MimeError ||
    (error instanceof SmtpLabError && exitCodeFor(error) === EXIT_USAGE);
  if (!usage) return false;
  const text = error instanceof SmtpLabError ? error.shortMessage : (error as Error).message;
  if (io.json)
    io.out(
      JSON.stringify({ ok: false, exitCode: EXIT_USAGE, error: { code: 'ERR_USAGE', message: text } }) + '\n',
    );
  else io.err(io.m.t('cli.send.usageError', { message: failureText(error as Error, io.m) }) + '\n');
  process.exitCode = EXIT_USAGE;
  return true;
}

/**
 * Why a send failed, in `m`'s language: an argument's problem (the client's or the MIME
 * builder's) from its typed problem, a session failure by its short message's pattern.
 */
function failureText(error: Error, m: Messages): string {
  if (error instanceof SmtpArgumentError || error instanceof MimeError) return problemText(error.problem, m);
  return translateFailure(error instanceof SmtpLabError ? error.shortMessage : error.message, m);
}

/** Step 2: the SMTP session itself, shown live line by line (or only recorded, for --json). */
async function deliver(
  args: SendArgs,
  { target, message, password, ca }: Prepared,
  transcript: Transcript,
  io: Output,
): Promise<Outcome> {
  const live = new LiveTranscript((line) => io.out(line + '\n'), {
    color: wantsColor(process.stdout),
    bodyLines: SHOWN_BODY_LINES,
    messages: io.m,
  });
  let result: SendMailResult | undefined;
  let failure: unknown;
  try {
    result = await sendMail({
      host: target.host,
      port: target.port,
      tls: target.tls,
      tlsSettings: { ...(ca ? { ca } : {}), insecure: Boolean(args.insecure) },
      ...(args.helo !== undefined ? { helo: args.helo } : {}),
      ...(args.user && password !== undefined
        ? {
            auth: {
              user: args.user,
              password,
              ...(args.auth ? { mechanism: args.auth.toUpperCase() as AuthMechanism } : {}),
              allowPlaintext: Boolean(args['allow-plain-auth']),
            },
          }
        : {}),
      from: message.envelope.from,
      recipients: message.envelope.to,
      message: () => message.stream(),
      timeout: Math.max(1, Math.round(args.timeout * 1000)),
      transcript,
      // The live view summarises a long body anyway; only --json prints the transcript whole.
      ...(io.json
        ? {}
        : {
            onEvent: (event: TranscriptEvent) => live.push(translateClientEvent(event, io.m)),
            transcriptBodyLimit: 64 * 1024,
          }),
    });
  } catch (error) {
    failure = error;
  }
  if (!io.json) live.finish();
  return { result, failure };
}

/** Steps 3 and 4: the outcome as JSON or as the closing lines and hints; returns the exit code. */
function report({ result, failure }: Outcome, target: Target, transcript: Transcript, io: Output): number {
  const { m } = io;
  const phase = phaseOf(failure);
  const exitCode =
    failure !== undefined ? exitCodeFor(failure) : result?.quit.error ? exitCodeFor(result.quit.error) : 0;
  const hints = hintsFor(
    failure !== undefined ? phase : undefined,
    { ...(target.provider ? { provider: target.provider } : {}), port: target.port },
    m,
  );
  if (failure !== undefined && !(failure instanceof SmtpLabError)) {
    // Not a session failure: a bug. Show it whole.
    io.err(
      m.t('cli.send.internal', {
        error: failure instanceof Error ? String(failure.stack) : String(failure),
      }) + '\n',
    );
    if (!io.json) return EXIT_INTERNAL;
  }

  if (io.json) {
    const redacted = redactTranscript(transcript);
    const json = {
      ok: failure === undefined,
      exitCode,
      server: `${target.host}:${target.port}`,
      tls: target.tls,
      ...(result ? { result: resultJson(result) } : {}),
      ...(failure !== undefined ? { error: errorJson(failure) } : {}),
      hints,
      session: redacted.meta,
      transcript: redacted.events.map(eventToJson),
    };
    io.out(JSON.stringify(json, null, 2) + '\n');
  } else if (result) {
    const many = result.accepted.length !== 1;
    const refused = result.rejected.map((r) => `<${r.address}> ${r.reply.code}`).join(', ');
    const params = {
      count: result.accepted.length,
      server: `${target.host}:${target.port}`,
      refused,
      reply: visible(replyLine(result.reply)),
    };
    const key = refused
      ? many
        ? 'cli.send.ok.manyRefused'
        : 'cli.send.ok.oneRefused'
      : many
        ? 'cli.send.ok.many'
        : 'cli.send.ok.one';
    io.out(m.t(key, params) + '\n');
    if (result.quit.error)
      io.err(
        m.t('cli.send.quitFailed', {
          exit: exitCode,
          message: visible(failureText(result.quit.error, m)),
        }) + '\n',
      );
  } else if (failure instanceof SmtpLabError) {
    // The message quotes the server's reply: shown escaped, like the transcript above it.
    io.err(
      m.t('cli.send.failed', {
        phase: m.t(`cli.send.phase.${phase ?? 'setup'}`),
        exit: exitCode,
        message: visible(failureText(failure, m)),
      }) + '\n',
    );
    for (const hint of hints) io.err(m.t('cli.send.hint', { hint }) + '\n');
  }
  return exitCode;
}

function resolveTarget(args: SendArgs, m: Messages): Target {
  const provider = args.provider ? PROVIDERS[args.provider as ProviderId] : undefined;
  let host = provider?.host;
  let port: number | undefined;
  if (args.server !== undefined) {
    const parsed = parseServer(args.server, m);
    host = parsed.host;
    port = parsed.port;
  }
  if (!host) throw new UsageError(m.t('cli.send.error.target'));
  const tls: TlsMode =
    (args.tls as TlsMode | undefined) ??
    (port === 465 ? 'implicit' : port === undefined && provider ? provider.tls : 'starttls');
  if (port === undefined) {
    if (provider && tls === provider.tls) port = provider.port;
    else port = tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25;
  }
  return { host, port, tls, ...(provider ? { provider: provider.id } : {}) };
}

/** "host", "host:port", "[v6]:port", "1.2.3.4:25". */
export function parseServer(
  text: string,
  m: Messages = messages(),
): { host: string; port: number | undefined } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]\s]+)(?::(\d+))?$/.exec(text);
  const match = v6 ?? plain;
  if (!match) throw new UsageError(m.t('cli.send.error.serverSyntax', { value: JSON.stringify(text) }));
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535))
    throw new UsageError(m.t('cli.send.error.serverPort', { port }));
  return { host: match[1]!, port };
}

/** A file an option names; one it cannot read is a UsageError naming the option. */
async function readOption(file: string, option: string, m: Messages): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(m.t('cli.send.error.file', { option, reason: (error as Error).message }));
  }
}

function replyLine(reply: Reply): string {
  return `${reply.code} ${reply.lines.join(' / ')}`.trim();
}

function replyJson(reply: Reply) {
  return { code: reply.code, enhanced: reply.enhanced ?? null, lines: reply.lines };
}

function resultJson(result: SendMailResult) {
  return {
    accepted: result.accepted,
    rejected: result.rejected.map((r) => ({ address: r.address, reply: replyJson(r.reply) })),
    reply: replyJson(result.reply),
    greeting: replyJson(result.greeting),
    extensions: result.extensions,
    usedHelo: result.usedHelo,
    tls: result.tls ?? null,
    auth: result.auth ?? null,
    quit: result.quit.reply ? replyJson(result.quit.reply) : null,
    ...(result.quit.error ? { quitError: errorJson(result.quit.error) } : {}),
  };
}

function errorJson(error: unknown) {
  if (!(error instanceof SmtpLabError)) return { code: 'ERR_INTERNAL', message: String(error) };
  const base = {
    code: error.code,
    phase: phaseOf(error) ?? null,
    message: error.message,
    shortMessage: error.shortMessage,
  };
  if (error instanceof SmtpClientReplyError) {
    return {
      ...base,
      command: error.command,
      temporary: error.temporary,
      reply: replyJson(error.reply),
      ...(error instanceof RecipientsRefusedError
        ? { refused: error.refused.map((r) => ({ address: r.address, reply: replyJson(r.reply) })) }
        : {}),
    };
  }
  return base;
}
