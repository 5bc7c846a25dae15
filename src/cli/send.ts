import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { readPassword } from '../client/credentials.js';
import {
  EXIT_CODES,
  EXIT_INTERNAL,
  EXIT_USAGE,
  exitCodeFor,
  phaseOf,
  SmtpClientReplyError,
  RecipientsRefusedError,
  type Phase,
} from '../client/errors.js';
import { buildMessage, MimeError, type MimeMessage } from '../client/mime/index.js';
import { hintsFor, PROVIDER_IDS, PROVIDERS, type ProviderId } from '../client/providers.js';
import { sendMail, DEFAULT_TIMEOUT_MS, type SendMailResult } from '../client/send.js';
import type { AuthMechanism, TlsMode } from '../client/session.js';
import type { Reply } from '../protocol/reply.js';
import { SmtpLabError } from '../protocol/errors.js';
import { Transcript, type TranscriptEvent } from '../transcript/events.js';
import { eventToJson } from '../transcript/jsonl.js';
import { maskSecrets, redactTranscript, secretForms } from '../transcript/redact.js';
import { visible, wantsColor } from '../transcript/render.js';
import { LiveTranscript } from '../client/live.js';
import { randomUUID } from 'node:crypto';

/** Message body lines shown live before the rest is summarised. */
const SHOWN_BODY_LINES = 40;

export function sendOptions(y: Argv) {
  return y
    .usage(
      '$0 send [options]\n\nSend a mail with the reference client: it speaks SMTP itself over a socket and shows every byte (swaks notation: <- server, -> client, <~ ~> inside TLS, === info, *** error).\nThe password comes from SMTP_PASS or a hidden prompt, never from the command line.',
    )
    .option('server', {
      alias: 's',
      type: 'string',
      describe: 'HOST[:PORT] of the SMTP server ([v6]:PORT for IPv6)',
    })
    .option('provider', {
      alias: 'p',
      type: 'string',
      choices: PROVIDER_IDS,
      describe: 'preset host, port and TLS for a provider (--server overrides the host)',
    })
    .option('tls', {
      type: 'string',
      choices: ['none', 'starttls', 'implicit'] as const,
      describe:
        'none, starttls (required: refuse if not offered) or implicit (465); default: implicit on 465, else starttls',
    })
    .option('user', {
      alias: 'u',
      type: 'string',
      describe: 'AUTH user name (password: SMTP_PASS or a prompt)',
    })
    .option('auth', {
      alias: 'a',
      type: 'string',
      choices: ['plain', 'login'] as const,
      describe: 'AUTH mechanism; default: PLAIN if offered, else LOGIN',
    })
    .option('from', { alias: 'f', type: 'string', describe: 'sender address (MAIL FROM and From:)' })
    .option('to', { alias: 't', type: 'string', array: true, describe: 'recipient (repeat for more)' })
    .option('cc', { type: 'string', array: true, describe: 'copy recipient (repeatable)' })
    .option('bcc', {
      type: 'string',
      array: true,
      describe: 'blind copy: envelope only, never in the headers',
    })
    .option('subject', { type: 'string', describe: 'subject (any Unicode; encoded as RFC 2047 when needed)' })
    .option('text', { type: 'string', describe: 'plain-text body (line breaks allowed; or --text-file)' })
    .option('text-file', { type: 'string', describe: 'plain-text body from a UTF-8 file' })
    .option('html-file', { type: 'string', describe: 'HTML alternative from a file' })
    .option('attach', { type: 'string', array: true, describe: 'attach a file (repeatable)' })
    .option('inline', {
      type: 'string',
      array: true,
      describe: 'inline image (repeatable), shown in the HTML as <img src="cid:FILENAME">',
    })
    .option('ca', {
      type: 'string',
      describe: 'trust this CA file (PEM) instead of the system store, e.g. the lab CA',
    })
    .option('insecure', {
      type: 'boolean',
      default: false,
      describe: 'do not verify the certificate (a warning is shown; never with real credentials)',
    })
    .option('allow-plain-auth', {
      type: 'boolean',
      default: false,
      describe: 'allow AUTH without TLS to a host that is not loopback',
    })
    .option('helo', { type: 'string', describe: 'name to give in EHLO/HELO (default: this host name)' })
    .option('timeout', {
      type: 'number',
      default: DEFAULT_TIMEOUT_MS / 1000,
      describe:
        'seconds for the connection and for each reply as a whole (a server trickling bytes cannot stretch it)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the transcript (passwords masked) and the result as JSON instead',
    })
    .conflicts('text', 'text-file')
    .example(
      'SMTP_PASS=lab-password $0 send -s localhost:2525 --ca .smtp-lab/mailbox/ca.pem -u student@smtp-lab.test -f student@smtp-lab.test -t friend@example.com --subject Hi --text Hello --inline cat.png',
      'text and an image through STARTTLS and AUTH to the lab server',
    )
    .example(
      '$0 send -p qq -u 12345@qq.com -f 12345@qq.com -t you@example.com --subject Hi --text Hello',
      'through smtp.qq.com:465 (asks for the authorization code)',
    )
    .epilog(exitCodeTable());
}

type SendArgs = Awaited<ReturnType<typeof sendOptions>['argv']>;

/** The exit codes, as shown at the end of --help. */
export function exitCodeTable(): string {
  const rows = EXIT_CODES.map((entry) => `  ${String(entry.code).padStart(3)}  ${entry.meaning}`);
  return ['Exit codes (one per failing phase, after swaks):', ...rows].join('\n');
}

interface Target {
  host: string;
  port: number;
  tls: TlsMode;
  provider?: ProviderId;
}

class UsageError extends Error {}

export async function send(rawArgs: unknown): Promise<void> {
  const args = rawArgs as SendArgs;
  const json = Boolean(args.json);
  let secrets: string[] = [];
  const scrub = (text: string) => maskSecrets(text, secrets);
  const out = (text: string) => process.stdout.write(scrub(text));
  const err = (text: string) => process.stderr.write(scrub(text));

  let target: Target;
  let message: MimeMessage;
  let password: string | undefined;
  let ca: Buffer | undefined;
  try {
    target = resolveTarget(args);
    if (!args.from) throw new UsageError('--from is required');
    if (!args.to?.length) throw new UsageError('give at least one --to');
    if (args.subject === undefined) throw new UsageError('--subject is required');
    if (args.text === undefined && args['text-file'] === undefined)
      throw new UsageError('give --text or --text-file');
    if (args.auth && !args.user) throw new UsageError('--auth needs --user');
    if (!Number.isFinite(args.timeout) || args.timeout <= 0)
      throw new UsageError('--timeout must be a number of seconds above 0');
    const text = args.text ?? (await readText(args['text-file']!, '--text-file'));
    const html =
      args['html-file'] === undefined ? undefined : await readText(args['html-file'], '--html-file');
    if (args.ca !== undefined)
      ca = await readFile(args.ca).catch((e: Error) => Promise.reject(new UsageError(`--ca: ${e.message}`)));
    message = await buildMessage({
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
    if (args.user) {
      password = await readPassword({ prompt: `Password for ${args.user} at ${target.host}: ` });
      secrets = secretForms(args.user, password);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof MimeError ||
      (error instanceof SmtpLabError && exitCodeFor(error) === EXIT_USAGE)
    ) {
      const text = error instanceof SmtpLabError ? error.shortMessage : error.message;
      if (json)
        out(
          JSON.stringify({ ok: false, exitCode: EXIT_USAGE, error: { code: 'ERR_USAGE', message: text } }) +
            '\n',
        );
      else err(`smtp-lab send: ${text}\nRun 'smtp-lab send --help' for usage.\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  }

  if (args.insecure) {
    err(
      'smtp-lab send: WARNING: --insecure: the server certificate is not verified; anyone on the path can read the password.\n',
    );
  }

  const transcript = new Transcript({
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    peer: `${target.host}:${target.port}`,
  });
  const live = new LiveTranscript((line) => out(line + '\n'), {
    color: wantsColor(process.stdout),
    bodyLines: SHOWN_BODY_LINES,
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
      ...(json
        ? {}
        : { onEvent: (event: TranscriptEvent) => live.push(event), transcriptBodyLimit: 64 * 1024 }),
    });
  } catch (error) {
    failure = error;
  }
  if (!json) live.finish();

  const phase = phaseOf(failure);
  const exitCode =
    failure !== undefined ? exitCodeFor(failure) : result?.quit.error ? exitCodeFor(result.quit.error) : 0;
  const hints = hintsFor(failure !== undefined ? phase : undefined, {
    ...(target.provider ? { provider: target.provider } : {}),
    port: target.port,
  });
  if (failure !== undefined && !(failure instanceof SmtpLabError)) {
    // Not a session failure: a bug. Show it whole.
    err(`smtp-lab send: internal error: ${failure instanceof Error ? failure.stack : String(failure)}\n`);
    process.exitCode = EXIT_INTERNAL;
    if (!json) return;
  }

  if (json) {
    const redacted = redactTranscript(transcript);
    const report = {
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
    out(JSON.stringify(report, null, 2) + '\n');
  } else if (result) {
    const refused = result.rejected.length
      ? `; refused: ${result.rejected.map((r) => `<${r.address}> ${r.reply.code}`).join(', ')}`
      : '';
    out(
      `smtp-lab send: OK: message accepted for ${result.accepted.length} recipient${result.accepted.length === 1 ? '' : 's'} by ${target.host}:${target.port}${refused}: ${visible(replyLine(result.reply))}\n`,
    );
    if (result.quit.error)
      err(`smtp-lab send: but QUIT failed (exit ${exitCode}): ${visible(result.quit.error.shortMessage)}\n`);
  } else if (failure instanceof SmtpLabError) {
    // The message quotes the server's reply: shown escaped, like the transcript above it.
    err(
      `smtp-lab send: FAILED at ${phaseName(phase)} (exit ${exitCode}): ${visible(failure.shortMessage)}\n`,
    );
    for (const hint of hints) err(`smtp-lab send: hint: ${hint}\n`);
  }
  process.exitCode = exitCode;
}

function resolveTarget(args: SendArgs): Target {
  const provider = args.provider ? PROVIDERS[args.provider as ProviderId] : undefined;
  let host = provider?.host;
  let port: number | undefined;
  if (args.server !== undefined) {
    const parsed = parseServer(args.server);
    host = parsed.host;
    port = parsed.port;
  }
  if (!host) throw new UsageError('give --server HOST[:PORT] or --provider');
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
export function parseServer(text: string): { host: string; port: number | undefined } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]\s]+)(?::(\d+))?$/.exec(text);
  const match = v6 ?? plain;
  if (!match) throw new UsageError(`--server: ${JSON.stringify(text)} is not HOST[:PORT]`);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535))
    throw new UsageError(`--server: port ${port} out of range`);
  return { host: match[1]!, port };
}

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
}

/** The password and the encodings it travels in, for a last scrub of everything printed. */

function replyLine(reply: Reply): string {
  return `${reply.code} ${reply.lines.join(' / ')}`.trim();
}

const PHASE_NAMES: Record<Phase, string> = {
  connect: 'connection',
  greeting: 'greeting',
  ehlo: 'EHLO/HELO',
  tls: 'TLS',
  auth: 'AUTH',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'DATA',
  message: 'message (end of data)',
  quit: 'QUIT',
};

function phaseName(phase: Phase | undefined): string {
  return phase ? PHASE_NAMES[phase] : 'setup';
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
