import { MAX_REPLY_LINE } from './defaults.js';
import { SmtpProtocolError } from './errors.js';
import type { Reply } from './reply-type.js';

/** The reply type lives in reply-type.ts (errors.ts names it too); re-exported here. */
export type { Reply };

export interface ReplyParserLimits {
  /** Longest reply line accepted, in octets without the line ending. RFC 5321 asks for 512. */
  maxLineLength?: number;
  /** Most lines in one multi-line reply. */
  maxLines?: number;
}

const DEFAULT_MAX_LINES = 200;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/;

/**
 * The one reply reader: accumulates bytes, splits on line endings and returns each reply once its
 * final line (`ddd<SP>text` or a bare `ddd`) has arrived. Every line of a reply must carry the
 * same code; anything that is not a reply line is a protocol error, never skipped.
 *
 * A bare LF is accepted as a line ending (lenient like every mainstream client); the raw bytes keep
 * what was actually sent so a grader can still see it.
 */
export class ReplyParser {
  private buffered: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private code = 0;
  private rawParts: Buffer[] = [];
  private readonly maxLineLength: number;
  private readonly maxLines: number;

  constructor(limits: ReplyParserLimits = {}) {
    this.maxLineLength = limits.maxLineLength ?? MAX_REPLY_LINE;
    this.maxLines = limits.maxLines ?? DEFAULT_MAX_LINES;
  }

  /** Feeds a chunk; returns the replies it completed, in order. Throws SmtpProtocolError. */
  push(chunk: Buffer): Reply[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const replies: Reply[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffered.indexOf(0x0a, start);
      if (lf === -1) break;
      const rawLine = this.buffered.subarray(start, lf + 1);
      const end = lf > start && this.buffered[lf - 1] === 0x0d ? lf - 1 : lf;
      if (end - start > this.maxLineLength) {
        throw new SmtpProtocolError(
          `reply line longer than ${this.maxLineLength} octets`,
          this.buffered.toString('utf8', start, Math.min(end, start + 80)),
        );
      }
      const reply = this.acceptLine(this.buffered.toString('utf8', start, end), rawLine);
      if (reply) replies.push(reply);
      start = lf + 1;
    }
    this.buffered = this.buffered.subarray(start);
    if (this.buffered.length > this.maxLineLength + 2) {
      throw new SmtpProtocolError(
        `reply line longer than ${this.maxLineLength} octets`,
        this.buffered.toString('latin1', 0, 80),
      );
    }
    return replies;
  }

  /** True when part of a reply has been read but not its final line. */
  get pending(): boolean {
    return this.buffered.length > 0 || this.lines.length > 0;
  }

  /** Bytes of an unfinished reply, for a caller that must report what it had when the peer left. */
  pendingBytes(): Buffer {
    return Buffer.concat([...this.rawParts, this.buffered]);
  }

  private acceptLine(line: string, rawLine: Buffer): Reply | undefined {
    const match = /^([2-5]\d\d)([ -]|$)/.exec(line);
    if (!match) throw new SmtpProtocolError('malformed reply line', line);
    const code = Number(match[1]);
    if (this.lines.length && code !== this.code) {
      throw new SmtpProtocolError(`reply code changed from ${this.code} to ${code} within one reply`, line);
    }
    this.code = code;
    this.lines.push(line.slice(4));
    this.rawParts.push(Buffer.from(rawLine));
    if (this.lines.length > this.maxLines) {
      throw new SmtpProtocolError(`reply has more than ${this.maxLines} lines`, line);
    }
    if (match[2] === '-') return undefined;
    const lines = this.lines;
    const raw = Buffer.concat(this.rawParts);
    this.lines = [];
    this.rawParts = [];
    return { code, enhanced: enhancedCode(code, lines[0] ?? ''), lines, raw };
  }
}

/** The enhanced status code at the start of a reply text, if its class matches the reply code. */
export function enhancedCode(code: number, text: string): string | undefined {
  const match = ENHANCED.exec(text);
  if (!match || Number(match[1]) !== Math.floor(code / 100)) return undefined;
  return `${match[1]}.${match[2]}.${match[3]}`;
}

/**
 * Formats a reply back into wire form (CRLF line endings); used by servers and fault actions. A
 * line break inside a text (from a scenario file, say) starts a new reply line, so the bytes are
 * always well-formed replies: a bare CR or LF inside a line would end it early on the wire.
 */
export function formatReply(code: number, lines: string | string[]): Buffer {
  const given = typeof lines === 'string' ? [lines] : lines;
  const split = given.flatMap((text) => text.split(/\r\n|\r|\n/));
  const list = split.length ? split : [''];
  return Buffer.from(
    list.map((text, i) => `${code}${i === list.length - 1 ? ' ' : '-'}${text}\r\n`).join(''),
    'utf8',
  );
}

/** The reply class a step may expect: exact code (250), or a leading digit or two (2, 25). */
export function replyMatches(code: number, expected: number | readonly number[]): boolean {
  const list = typeof expected === 'number' ? [expected] : expected;
  return list.some((want) => {
    const digits = String(want).length;
    return Math.floor(code / 10 ** (3 - digits)) === want;
  });
}
