import { randomUUID } from 'node:crypto';
import type { Reply, ReplyParserLimits } from '../protocol/reply.js';
import { Transcript, type NoteLevel, type TranscriptEvent } from '../transcript/events.js';
import type { TlsInfo, TlsSettings } from './connection.js';
import {
  RecipientsRefusedError,
  SmtpArgumentError,
  SmtpClientReplyError,
  SmtpClientError,
} from './errors.js';
import { problem } from './problem.js';
import {
  SmtpSession,
  refuseBreaks,
  type AuthMechanism,
  type MessageSource,
  type TlsMode,
} from './session.js';

/**
 * The whole exchange of the reference client: connect, greeting, EHLO (HELO), STARTTLS and EHLO
 * again, AUTH, MAIL FROM, RCPT TO for every recipient, DATA, the message, QUIT. After a failure
 * QUIT is still sent while the connection is usable, and the error (typed, with its phase) is
 * thrown; the transcript the caller passed in holds everything up to that point.
 */

export interface SendMailOptions {
  host: string;
  port: number;
  /** none: plaintext; starttls: STARTTLS required; implicit: TLS from the first byte (465). */
  tls: TlsMode;
  /** CA to trust instead of the system store, `insecure`, SNI name. */
  tlsSettings?: TlsSettings;
  /** EHLO/HELO name; defaults to this machine's host name. */
  helo?: string;
  auth?: {
    user: string;
    password: string;
    mechanism?: AuthMechanism;
    /** Allow AUTH without TLS to a host that is not loopback. */
    allowPlaintext?: boolean;
  };
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO): To, Cc and Bcc together. */
  recipients: string[];
  /** The message (not dot-stuffed), or a function that opens it once DATA is accepted. */
  message: MessageSource | (() => MessageSource);
  /** Milliseconds for each reply as a whole (and each stalled write). Default 30 s. */
  timeout?: number;
  /** Milliseconds to open the connection. Defaults to `timeout`. */
  connectTimeout?: number;
  /** Caps on one reply: longest line and most lines. */
  limits?: ReplyParserLimits;
  /** Where to record the session; pass one in to keep it when sendMail throws. */
  transcript?: Transcript;
  /** Every event as it is recorded (live output). */
  onEvent?: (event: TranscriptEvent) => void;
  /** Message-body bytes kept in the transcript (the rest is only passed to onEvent). Default all. */
  transcriptBodyLimit?: number;
}

export interface SendMailResult {
  /** Recipients the server accepted, and those it refused with its reply. */
  accepted: string[];
  rejected: Array<{ address: string; reply: Reply }>;
  /** The server's reply to the final "." (250), often with a queue id. */
  reply: Reply;
  greeting: Reply;
  /** EHLO keywords of the last EHLO (empty after HELO). */
  extensions: string[];
  usedHelo: boolean;
  tls: TlsInfo | undefined;
  auth: { mechanism: AuthMechanism; user: string } | undefined;
  /** QUIT's reply, or the error when QUIT did not get a 221 (the message was accepted anyway). */
  quit: { reply?: Reply; error?: SmtpClientError | SmtpClientReplyError };
  transcript: Transcript;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function sendMail(options: SendMailOptions): Promise<SendMailResult> {
  const transcript =
    options.transcript ??
    new Transcript({
      id: randomUUID(),
      startedAt: new Date().toISOString(),
      peer: `${options.host}:${options.port}`,
    });
  const note = (level: NoteLevel, text: string) => {
    const event = transcript.note(level, text);
    options.onEvent?.(event);
  };

  refuseBreaks('from', options.from);
  options.recipients.forEach((to, i) => refuseBreaks(`recipients[${i}]`, to));
  if (options.recipients.length === 0)
    throw new SmtpArgumentError(
      'recipients',
      problem('cli.send.problem.noRecipient', { field: 'recipients' }),
    );
  if (options.helo !== undefined) refuseBreaks('helo', options.helo);
  if (options.auth) refuseBreaks('user', options.auth.user);

  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  let session: SmtpSession | undefined;
  try {
    const sessionOptions = {
      host: options.host,
      port: options.port,
      tlsMode: options.tls,
      connectTimeout: options.connectTimeout ?? timeout,
      readTimeout: timeout,
      transcript,
      ...(options.tlsSettings ? { tls: options.tlsSettings } : {}),
      ...(options.helo !== undefined ? { helo: options.helo } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.transcriptBodyLimit !== undefined
        ? { transcriptBodyLimit: options.transcriptBodyLimit }
        : {}),
    };
    session = await SmtpSession.connect(sessionOptions);
    await session.hello();
    if (options.tls === 'starttls') {
      await session.startTls();
    } else if (options.tls === 'none' && session.supports('STARTTLS')) {
      note(
        'info',
        'The server offers STARTTLS; not used (--tls none): everything below travels in plaintext.',
      );
    }
    if (options.auth) {
      const authOptions: { mechanism?: AuthMechanism; allowPlaintext?: boolean } = {};
      if (options.auth.mechanism) authOptions.mechanism = options.auth.mechanism;
      if (options.auth.allowPlaintext) authOptions.allowPlaintext = true;
      await session.auth({ user: options.auth.user, password: options.auth.password }, authOptions);
    }
    await session.mail(options.from);
    const accepted: string[] = [];
    const rejected: Array<{ address: string; reply: Reply }> = [];
    for (const address of options.recipients) {
      try {
        await session.rcpt(address);
        accepted.push(address);
      } catch (error) {
        // A refused recipient is not the end (others may be accepted); 421 means the server is leaving.
        if (!(error instanceof SmtpClientReplyError) || error.replyCode === 421) throw error;
        rejected.push({ address, reply: error.reply });
        note('error', `Recipient <${address}> refused: ${error.replyCode} ${error.reply.lines.join(' ')}`);
      }
    }
    if (accepted.length === 0) throw new RecipientsRefusedError(rejected);
    const message = typeof options.message === 'function' ? options.message() : options.message;
    const reply = await session.data(message);
    const quit: SendMailResult['quit'] = {};
    try {
      quit.reply = await session.quit();
    } catch (error) {
      if (!(error instanceof SmtpClientError || error instanceof SmtpClientReplyError)) throw error;
      quit.error = error;
      note('error', error.message);
    }
    note('info', 'Connection closed with remote host.');
    return {
      accepted,
      rejected,
      reply,
      greeting: session.greeting!,
      extensions: [...session.extensions.keys()],
      usedHelo: session.usedHelo,
      tls: session.tlsInfo,
      auth: session.authenticated,
      quit,
      transcript,
    };
  } catch (error) {
    note('error', error instanceof Error ? error.message : String(error));
    if (session) {
      await session.quitAfterFailure(error);
      note('info', 'Connection closed with remote host.');
    }
    throw error;
  }
}
