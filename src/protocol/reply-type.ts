/**
 * One complete SMTP reply: a code and one or more text lines (RFC 5321 section 4.2). Its own module so the error family (errors.ts) and the
 * reply reader (reply.ts) can both name it without importing each other.
 */
export interface Reply {
  code: number;
  /** RFC 3463 enhanced status code taken from the first line ("2.1.0"), if present. */
  enhanced: string | undefined;
  /** The text of each line, without code, separator and line ending. */
  lines: string[];
  /** The exact bytes of the reply as they arrived, line endings included. */
  raw: Buffer;
}
