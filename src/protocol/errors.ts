import type { Reply } from './reply-type.js';

/**
 * Every error smtp-lab raises about the protocol is one of these, with a stable string `code`
 * (for programs), a `shortMessage` (for a terminal) and, where a server answered, the reply.
 */
export class SmtpLabError extends Error {
  readonly code: string;
  readonly shortMessage: string;

  constructor(code: string, message: string, options?: { cause?: unknown; shortMessage?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.shortMessage = options?.shortMessage ?? message;
  }
}

/** The peer sent bytes that are not SMTP: a malformed reply line, a line too long, too many lines. */
export class SmtpProtocolError extends SmtpLabError {
  /** The offending line (truncated), as far as it was read. */
  readonly line: string;

  constructor(message: string, line: string) {
    const shown = line.length > 80 ? `${line.slice(0, 80)}...` : line;
    super('ERR_SMTP_PROTOCOL', `${message}: ${JSON.stringify(shown)}`, { shortMessage: message });
    this.line = shown;
  }
}

/** A server answered with a reply the step did not expect. Carries the reply and what was asked. */
export class SmtpReplyError extends SmtpLabError {
  readonly reply: Reply;
  /** The reply code, e.g. 535. */
  readonly replyCode: number;
  /** The RFC 3463 enhanced status code, e.g. "5.7.8", when the server gave one. */
  readonly enhanced: string | undefined;
  /** The command that was answered (masked when it carried a secret), or "greeting". */
  readonly command: string;
  /** True for 4xx replies: trying again later may succeed. */
  readonly temporary: boolean;

  constructor(reply: Reply, command: string, options?: { code?: string; phase?: string }) {
    const text = reply.lines.join(' / ');
    super(options?.code ?? 'ERR_SMTP_REPLY', `${command}: server replied ${reply.code} ${text}`, {
      shortMessage: `${command} refused: ${reply.code} ${reply.lines[0] ?? ''}`.trim(),
    });
    this.reply = reply;
    this.replyCode = reply.code;
    this.enhanced = reply.enhanced;
    this.command = command;
    this.temporary = reply.code >= 400 && reply.code < 500;
  }
}

/**
 * What the person at the terminal got wrong (an unknown scenario, a missing file, a port in use,
 * a value out of range): one line for the terminal and exit status 2, never a stack trace. The one
 * usage error of every command, the CLI's and the grader's (batch, merge) alike.
 */
export class UsageError extends SmtpLabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_USAGE', message, options);
  }
}
