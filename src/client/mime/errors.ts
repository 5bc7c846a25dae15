import { hasLineBreak } from '../../protocol/command.js';
import { SmtpLabError } from '../../protocol/errors.js';
import { problem, problemText, type Problem } from '../problem.js';

/** Stable codes of the message builder's errors (for programs and tests; never match message text). */
export type MimeErrorCode =
  | 'ERR_MIME_LINE_BREAK'
  | 'ERR_MIME_ADDRESS'
  | 'ERR_MIME_HEADER'
  | 'ERR_MIME_BOUNDARY'
  | 'ERR_MIME_CONTENT_ID'
  | 'ERR_MIME_DATE'
  | 'ERR_MIME_FILE'
  | 'ERR_MIME_LINE_TOO_LONG';

/** The message could not be built from the options given. Raised before any byte is produced. */
export class MimeError extends SmtpLabError {
  declare readonly code: MimeErrorCode;
  /** The option the problem is in, e.g. "to[1].name" or "attachments[0]". */
  readonly field: string;

  /** What is wrong, typed: `problemText(problem, m)` says it in a language (the message is English). */
  readonly problem: Problem;

  constructor(code: MimeErrorCode, field: string, problem: Problem, options?: { cause?: unknown }) {
    const message = problemText(problem);
    super(code, message, { ...options, shortMessage: message });
    this.field = field;
    this.problem = problem;
  }
}

/**
 * A CR or LF in a header value, address, display name or filename: written out it would start a
 * new header (or end the headers), so it is refused, as Go's net/smtp refuses it in commands.
 */
export class MimeLineBreakError extends MimeError {
  constructor(field: string) {
    super('ERR_MIME_LINE_BREAK', field, problem('cli.send.problem.headerInjection', { field }));
  }
}

/** Throws MimeLineBreakError when text holds a CR or LF (field first, as the client's refuseBreaks). */
export function refuseLineBreak(field: string, text: string): void {
  if (hasLineBreak(text)) throw new MimeLineBreakError(field);
}
