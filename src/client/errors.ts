import { SmtpLabError, SmtpReplyError } from '../protocol/errors.js';
import { problemText, type Problem } from './problem.js';
import { PHASES, type Phase } from '../protocol/phases.js';
import type { Reply } from '../protocol/reply.js';

export { PHASES, type Phase };

/**
 * Exit codes of `smtp-lab send`, one per failing phase, numbered after swaks (21 banner, 22 HELO,
 * 23 MAIL, 24 RCPT, 25 DATA, 26 message, 27 QUIT, 28 AUTH, 29 TLS). swaks uses 2 for a failed
 * connection, but 2 is already the CLI's usage error, so a connection failure is 20.
 */
export const EXIT_CODES = [
  {
    code: 0,
    phase: undefined,
    meaning: 'message accepted (some recipients may have been refused: see the result)',
  },
  {
    code: 2,
    phase: undefined,
    meaning: 'usage: a bad or missing option, CR or LF in an argument, no password',
  },
  { code: 20, phase: 'connect', meaning: 'connection failed (refused, unreachable, DNS, connect timeout)' },
  { code: 21, phase: 'greeting', meaning: 'no or bad greeting (not 220), or the server closed/timed out' },
  { code: 22, phase: 'ehlo', meaning: 'EHLO and HELO refused' },
  { code: 29, phase: 'tls', meaning: 'TLS failed: STARTTLS not offered or refused, certificate not trusted' },
  {
    code: 28,
    phase: 'auth',
    meaning: 'AUTH failed (wrong password, mechanism missing, plaintext AUTH refused)',
  },
  { code: 23, phase: 'mail', meaning: 'MAIL FROM refused' },
  { code: 24, phase: 'rcpt', meaning: 'every RCPT TO refused' },
  { code: 25, phase: 'data', meaning: 'DATA refused (no 354)' },
  { code: 26, phase: 'message', meaning: 'message refused after the final "."' },
  { code: 27, phase: 'quit', meaning: 'QUIT not answered with 221 (the message was already accepted)' },
  { code: 70, phase: undefined, meaning: 'internal error (a bug: please report it)' },
] as const satisfies ReadonlyArray<{ code: number; phase: Phase | undefined; meaning: string }>;

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** The exit code for a failure in `phase`. */
export function exitCodeForPhase(phase: Phase): number {
  return EXIT_CODES.find((entry) => entry.phase === phase)?.code ?? EXIT_INTERNAL;
}

/** The exit code for any error `sendMail` or the CLI may raise. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof SmtpArgumentError) return EXIT_USAGE;
  const phase = phaseOf(error);
  return phase ? exitCodeForPhase(phase) : EXIT_INTERNAL;
}

/** The phase an error happened in, when it came from the client session. */
export function phaseOf(error: unknown): Phase | undefined {
  if (error instanceof SmtpClientError || error instanceof SmtpClientReplyError) return error.phase;
  return undefined;
}

/**
 * A session failure that is not a server reply: the connection failed or closed, a read timed
 * out, the server sent bytes that are not SMTP, TLS failed, or the client refused to go on
 * (STARTTLS missing while TLS is required, AUTH in the clear).
 *
 * Codes: ERR_CONNECT, ERR_TIMEOUT, ERR_CONNECTION_CLOSED, ERR_CONNECTION, ERR_SMTP_PROTOCOL,
 * ERR_TLS, ERR_TLS_CERT, ERR_TLS_REQUIRED, ERR_AUTH_UNAVAILABLE, ERR_PLAINTEXT_AUTH.
 */
export class SmtpClientError extends SmtpLabError {
  readonly phase: Phase;

  constructor(
    code: string,
    phase: Phase,
    message: string,
    options?: { cause?: unknown; shortMessage?: string },
  ) {
    super(code, message, options);
    this.phase = phase;
  }
}

/** A server reply the step did not expect, with the phase it answered. */
export class SmtpClientReplyError extends SmtpReplyError {
  readonly phase: Phase;

  constructor(reply: Reply, command: string, phase: Phase, code = 'ERR_SMTP_REPLY') {
    super(reply, command, { code, phase });
    this.phase = phase;
  }
}

/** Every RCPT TO was refused: nothing to send. Carries each recipient's reply (the last as `reply`). */
export class RecipientsRefusedError extends SmtpClientReplyError {
  readonly refused: ReadonlyArray<{ address: string; reply: Reply }>;

  constructor(refused: ReadonlyArray<{ address: string; reply: Reply }>) {
    const last = refused[refused.length - 1]!;
    super(last.reply, `RCPT TO:<${last.address}>`, 'rcpt', 'ERR_RECIPIENTS_REFUSED');
    this.refused = refused;
    const first = refused[0]!;
    const summary = `${first.reply.code} ${first.reply.lines[0] ?? ''}`.trim();
    // The base class words it after the last reply; a person wants the list's gist.
    (this as { shortMessage: string }).shortMessage =
      refused.length === 1
        ? `recipient <${first.address}> refused: ${summary}`
        : `all ${refused.length} recipients refused (first: <${first.address}> ${summary})`;
  }
}

/** A caller's argument is unusable (CR or LF in an address or header value, nothing to send). */
export class SmtpArgumentError extends SmtpLabError {
  /** Which argument, e.g. "from", "to[1]", "subject". */
  readonly argument: string;

  /** What is wrong, typed: `problemText(problem, m)` says it in a language (the message is English). */
  readonly problem: Problem;

  constructor(argument: string, problem: Problem) {
    super('ERR_INVALID_ARGUMENT', problemText(problem));
    this.argument = argument;
    this.problem = problem;
  }
}
