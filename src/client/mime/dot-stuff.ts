import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const DOT_BUF = Buffer.from('.');

/**
 * Prepares message bytes for the SMTP DATA phase (RFC 5321 4.5.2): every line break becomes
 * CRLF (bare LF and bare CR too), a "." at the start of a line gets a second ".", and the output
 * ends with CRLF so the caller can write ".\r\n" next. Works across chunk boundaries: a CR that
 * ends one chunk and an LF that starts the next are one CRLF; a "." that starts a chunk after a
 * line break is stuffed. Empty input gives empty output.
 */
export class DotStuffer extends Transform {
  /** The next octet starts a line (true at the very start: the message's first line counts). */
  #atLineStart = true;
  /** The previous chunk ended with a CR whose LF, if any, is still to come. */
  #pendingCr = false;
  #sawBytes = false;

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    if (data.length > 0) this.#sawBytes = true;
    if (this.#isClean(data)) {
      // Already CRLF-only with no line starting with ".": pass it on untouched (the common case:
      // the MIME builder's output), found with native scans instead of a loop over every octet.
      this.#atLineStart = data[data.length - 1] === LF;
      callback(null, data);
      return;
    }
    const out: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (b === LF) {
          out.push(CRLF);
          from = i + 1;
          this.#atLineStart = true;
          continue;
        }
        out.push(CRLF); // a bare CR ended the line
        this.#atLineStart = true;
        from = i;
      }
      if (b === CR || b === LF) {
        if (i > from) out.push(data.subarray(from, i));
        if (b === CR) this.#pendingCr = true;
        else {
          out.push(CRLF);
          this.#atLineStart = true;
        }
        from = i + 1;
        continue;
      }
      if (this.#atLineStart && b === DOT) {
        if (i > from) out.push(data.subarray(from, i));
        out.push(DOT_BUF);
        from = i; // the "." itself goes out with the rest of the line
      }
      this.#atLineStart = false;
    }
    if (data.length > from) out.push(data.subarray(from));
    if (out.length === 0) callback();
    else callback(null, out.length === 1 ? out[0] : Buffer.concat(out));
  }

  /** True when every LF has its CR, every CR its LF, and no line in the chunk starts with ".". */
  #isClean(data: Buffer): boolean {
    if (data.length === 0 || this.#pendingCr) return false;
    if (this.#atLineStart && data[0] === DOT) return false;
    let lfs = 0;
    for (let lf = data.indexOf(LF); lf !== -1; lf = data.indexOf(LF, lf + 1)) {
      if (lf === 0 || data[lf - 1] !== CR || data[lf + 1] === DOT) return false;
      lfs++;
    }
    let crs = 0;
    for (let cr = data.indexOf(CR); cr !== -1; cr = data.indexOf(CR, cr + 1)) crs++;
    return crs === lfs;
  }

  override _flush(callback: TransformCallback): void {
    if (this.#pendingCr || (this.#sawBytes && !this.#atLineStart)) this.push(CRLF);
    callback();
  }
}

/** A new DotStuffer: `message.pipe(createDotStuffer())`, then write ".\r\n". */
export function createDotStuffer(): DotStuffer {
  return new DotStuffer();
}
