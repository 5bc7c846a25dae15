/**
 * The small encoders a MIME message needs, written out so the bytes are ours to explain:
 * quoted-printable (RFC 2045 6.7), base64 wrapped at 76 columns (RFC 2045 6.8), RFC 2047 encoded
 * words, RFC 2231 parameters, header folding (RFC 5322 2.2.3) and the RFC 5322 date.
 */
import { problem } from '../problem.js';
import { MimeError } from './errors.js';

export const CRLF = '\r\n';
/** Header lines are folded to this length where possible (RFC 5322 2.1.1 "SHOULD"). */
export const SOFT_LINE = 78;
/** No line of a message may be longer than this many octets, CRLF excluded (RFC 5322 2.1.1 "MUST"). */
export const HARD_LINE = 998;
/** Encoded lines of base64 and quoted-printable bodies (RFC 2045). */
export const BODY_LINE = 76;
/** An RFC 2047 encoded word is at most this long. */
export const ENCODED_WORD_MAX = 75;

export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

/** Every line break (CRLF, bare LF, bare CR) becomes CRLF. */
export function toCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, CRLF);
}

export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/**
 * Picks the transfer encoding of a CRLF text body: 7bit when it is plain ASCII in short lines,
 * quoted-printable when few octets need escaping, base64 when many do (Chinese, emoji): whichever
 * is smaller, since quoted-printable spends 3 octets per escaped octet and base64 4 per 3.
 */
export function chooseTextEncoding(crlfText: string): TransferEncoding {
  const bytes = Buffer.from(crlfText, 'utf8');
  let escaped = 0;
  let lineLength = 0;
  let longLine = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d && bytes[i + 1] === 0x0a) {
      lineLength = 0;
      i++;
      continue;
    }
    if (++lineLength > BODY_LINE) longLine = true;
    if (b >= 0x80 || (b < 0x20 && b !== 0x09) || b === 0x7f || b === 0x3d) escaped++;
  }
  const nonAscii = bytes.some((b) => b >= 0x80 || (b < 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a));
  if (!nonAscii && !longLine) return '7bit';
  return bytes.length + 2 * escaped <= Math.ceil(bytes.length / 3) * 4 ? 'quoted-printable' : 'base64';
}

const HEX = '0123456789ABCDEF';
function hexEscape(b: number): string {
  return `=${HEX[b >> 4]}${HEX[b & 15]}`;
}

/**
 * Quoted-printable of a CRLF text body: line breaks stay CRLF (hard breaks), lines longer than 76
 * get "=" soft breaks, whitespace at the end of a line is escaped. The result has no final CRLF
 * beyond the text's own.
 */
export function encodeQuotedPrintable(crlfText: string): string {
  return crlfText
    .split(CRLF)
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const out: string[] = [];
      let current = '';
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        const last = i === bytes.length - 1;
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const token = literal ? String.fromCharCode(b) : hexEscape(b);
        // A line that goes on needs room for its "=" soft break; the line's last token does not.
        if (current.length + token.length > (last ? BODY_LINE : BODY_LINE - 1)) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

/** Base64 in lines of 76 characters joined by CRLF, without a final CRLF. */
export function encodeBase64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += BODY_LINE) lines.push(b64.slice(i, i + BODY_LINE));
  return lines.join(CRLF);
}

/** Octets per base64 line: 57 octets are exactly 76 characters. */
const BASE64_LINE_OCTETS = (BODY_LINE / 4) * 3;

/**
 * Base64-encodes a byte stream as it arrives, in 76-column lines joined by CRLF (no final CRLF).
 * Holds at most one input chunk and 56 carried octets at a time.
 */
export async function* encodeBase64Stream(
  source: AsyncIterable<Buffer | Uint8Array>,
): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const chunk of source) {
    // A Buffer chunk is used as it is (the file stream hands each one over once); copying it
    // would only make garbage.
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
    const whole = data.length - (data.length % BASE64_LINE_OCTETS);
    carry = Buffer.from(data.subarray(whole));
    if (whole === 0) continue;
    yield base64LinesBuffer(data.subarray(0, whole), !first);
    first = false;
  }
  if (carry.length > 0) yield base64LinesBuffer(carry, !first);
}

/**
 * The bytes of encodeBase64Lines(data), optionally after a CRLF, built in one buffer: base64 once,
 * then 76-octet copies with CRLF between (no per-line strings for a 25 MB attachment to collect).
 */
function base64LinesBuffer(data: Buffer, leadingCrlf: boolean): Buffer {
  const lead = leadingCrlf ? 2 : 0;
  const encodedLength = Math.ceil(data.length / 3) * 4;
  const lines = Math.ceil(encodedLength / BODY_LINE);
  const out = Buffer.allocUnsafe(lead + encodedLength + 2 * Math.max(0, lines - 1));
  // Encode at the very end of the buffer, then move each 76-octet line down to its place with its
  // CRLF, first line first: a line never moves onto bytes not yet moved (each moves left by the
  // CRLFs and the lead before it). One buffer per chunk, no intermediate copy.
  let from = out.length - encodedLength;
  out.write(data.toString('base64'), from, 'latin1');
  let at = 0;
  if (leadingCrlf) at = out.write(CRLF, at, 'latin1');
  for (let line = 0; line < lines; line++) {
    if (line > 0) at += out.write(CRLF, at, 'latin1');
    const end = Math.min(from + BODY_LINE, out.length);
    out.copyWithin(at, from, end);
    at += end - from;
    from = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** A piece of a header value between folding points: written as is, or as RFC 2047 encoded words. */
export type HeaderToken =
  { kind: 'plain'; text: string; sep: string } | { kind: 'encode'; text: string; sep: string };

/** Characters a Q-encoded word may carry unescaped anywhere, phrases included (RFC 2047 5.(3)). */
const Q_SAFE = /^[A-Za-z0-9!*+\-/]$/;
const WORD_OVERHEAD = '=?UTF-8?B??='.length;

function qToken(b: number): string {
  if (b === 0x20) return '_';
  const c = String.fromCharCode(b);
  return b < 0x80 && Q_SAFE.test(c) ? c : hexEscape(b);
}

/** B when base64 is shorter than Q for this text, else Q. */
function chooseWordEncoding(text: string): 'B' | 'Q' {
  const bytes = Buffer.from(text, 'utf8');
  let q = 0;
  for (const b of bytes) q += qToken(b).length;
  return q <= Math.ceil(bytes.length / 3) * 4 ? 'Q' : 'B';
}

/**
 * Takes whole code points from `chars[start..]` into one encoded word of at most `budget`
 * characters. Never splits a UTF-8 sequence, as RFC 2047 section 5 requires.
 */
function takeEncodedWord(
  chars: string[],
  start: number,
  budget: number,
  mode: 'B' | 'Q',
): { word: string; next: number } {
  const room = Math.min(budget, ENCODED_WORD_MAX) - WORD_OVERHEAD;
  let end = start;
  const octets: Buffer[] = [];
  let length = 0;
  let qText = '';
  while (end < chars.length) {
    const bytes = Buffer.from(chars[end]!, 'utf8');
    if (mode === 'B') {
      const nextLength = Math.ceil((length + bytes.length) / 3) * 4;
      if (nextLength > room && end > start) break;
      length += bytes.length;
      octets.push(bytes);
    } else {
      let piece = '';
      for (const b of bytes) piece += qToken(b);
      if (qText.length + piece.length > room && end > start) break;
      qText += piece;
    }
    end++;
  }
  const payload = mode === 'B' ? Buffer.concat(octets).toString('base64') : qText;
  return { word: `=?UTF-8?${mode}?${payload}?=`, next: end };
}

/** The smallest room an encoded word needs to carry any one code point (4 octets in Q: 12 chars). */
const MIN_WORD_ROOM = WORD_OVERHEAD + 12;

/**
 * Writes `Name: value` from tokens, folding at the whitespace before a token so lines stay within
 * 78 characters where possible; encoded runs are cut into encoded words that fit the line.
 * Throws when a line would still exceed 998 octets.
 */
export function foldHeader(name: string, tokens: HeaderToken[], field: string): string {
  const lines: string[] = [];
  let current = `${name}:`;
  const place = (sep: string, piece: string): void => {
    const canFold = sep.length > 0 && current.length > name.length + 1;
    if (canFold && current.length + sep.length + piece.length > SOFT_LINE) {
      lines.push(current);
      current = sep + piece;
    } else {
      current += sep + piece;
    }
  };
  for (const token of tokens) {
    if (token.kind === 'plain') {
      place(token.sep, token.text);
      continue;
    }
    const chars = Array.from(token.text);
    const mode = chooseWordEncoding(token.text);
    let at = 0;
    let sep = token.sep;
    while (at < chars.length) {
      let room = SOFT_LINE - current.length - sep.length;
      if (room < MIN_WORD_ROOM && current.length > name.length + 1) {
        lines.push(current);
        current = '';
        room = SOFT_LINE - sep.length;
      }
      const { word, next } = takeEncodedWord(chars, at, Math.max(room, MIN_WORD_ROOM), mode);
      current += sep + word;
      at = next;
      // Whitespace between adjacent encoded words is dropped by decoders (RFC 2047 6.2).
      sep = ' ';
    }
  }
  lines.push(current);
  for (const line of lines) {
    if (Buffer.byteLength(line, 'utf8') > HARD_LINE) {
      throw new MimeError(
        'ERR_MIME_LINE_TOO_LONG',
        field,
        problem('cli.send.problem.lineTooLong', { field, limit: HARD_LINE }),
      );
    }
  }
  return lines.join(CRLF);
}

/** Does this word have to be written as an encoded word in unstructured text? */
function needsEncoding(word: string): boolean {
  return !isPrintableAscii(word) || word.includes('=?') || word.length > SOFT_LINE - 2;
}

/**
 * Tokens of unstructured text (Subject, extra headers): plain ASCII words stay readable, runs of
 * words that need encoding become encoded words (the spaces inside a run are encoded with it, so
 * they survive decoding).
 */
export function unstructuredTokens(value: string): HeaderToken[] {
  const parts = value.split(/([ \t]+)/);
  const tokens: HeaderToken[] = [];
  let sep = ' ';
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i] ?? '';
    const after = parts[i + 1] ?? '';
    if (word === '') {
      sep += after;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (!needsEncoding(word)) tokens.push({ kind: 'plain', text: word, sep });
    else if (previous?.kind === 'encode') previous.text += sep + word;
    else if (previous === undefined) tokens.push({ kind: 'encode', text: sep.slice(1) + word, sep: ' ' });
    else tokens.push({ kind: 'encode', text: word, sep });
    sep = after;
  }
  // Whitespace at the very end survives only inside an encoded run; parsers trim it otherwise.
  const last = tokens[tokens.length - 1];
  if (sep.length > 0 && last?.kind === 'encode') last.text += sep;
  return tokens;
}

/** atext of RFC 5322 3.2.3: a phrase made only of these (and single spaces) needs no quoting. */
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+( [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/** Tokens of a display name: atoms as they are, specials in a quoted string, non-ASCII encoded. */
export function phraseTokens(name: string): HeaderToken[] {
  if (!isPrintableAscii(name) || name.includes('=?')) {
    return [{ kind: 'encode', text: name, sep: ' ' }];
  }
  if (ATOM_PHRASE.test(name)) {
    return name.split(' ').map((text) => ({ kind: 'plain', text, sep: ' ' }) as HeaderToken);
  }
  return [{ kind: 'plain', text: `"${name.replace(/[\\"]/g, '\\$&')}"`, sep: ' ' }];
}

/** A whole value as encoded words of at most `maxLength` characters (for name="..."): no folding. */
export function encodeWords(text: string, maxLength = ENCODED_WORD_MAX): string[] {
  const chars = Array.from(text);
  const mode = chooseWordEncoding(text);
  const words: string[] = [];
  for (let at = 0; at < chars.length;) {
    const { word, next } = takeEncodedWord(chars, at, maxLength, mode);
    words.push(word);
    at = next;
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** attribute-char of RFC 2231 section 7 (token characters but "*", "'", "%"). */
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

/**
 * A parameter for Content-Type or Content-Disposition, as one or more `attr=value` pieces (each
 * folded onto its own line by the caller): a quoted string when the value is short printable
 * ASCII, otherwise RFC 2231 extended (`attr*=UTF-8''%E6...`) with continuations
 * (`attr*0*=`, `attr*1*=`) so no piece passes the 78-column line.
 */
export function encodeParameter(attribute: string, value: string): string[] {
  const quoted = `${attribute}="${value.replace(/[\\"]/g, '\\$&')}"`;
  if (isPrintableAscii(value) && quoted.length <= SOFT_LINE - 2) return [quoted];
  const escaped: string[] = [];
  for (const b of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(b);
    escaped.push(b < 0x80 && ATTRIBUTE_CHAR.test(c) ? c : `%${HEX[b >> 4]}${HEX[b & 15]}`);
  }
  const single = `${attribute}*=UTF-8''${escaped.join('')}`;
  if (single.length <= SOFT_LINE - 2) return [single];
  const pieces: string[] = [];
  let current = '';
  const prefix = (n: number): string => `${attribute}*${n}*=${n === 0 ? "UTF-8''" : ''}`;
  for (const e of escaped) {
    if (prefix(pieces.length).length + current.length + e.length > SOFT_LINE - 2) {
      pieces.push(prefix(pieces.length) + current);
      current = '';
    }
    current += e;
  }
  if (current.length > 0) pieces.push(prefix(pieces.length) + current);
  return pieces;
}

/** `Name: value;` then each parameter piece on its own folded line. */
export function headerWithParameters(name: string, value: string, parameters: string[]): string {
  if (parameters.length === 0) return `${name}: ${value}`;
  const oneLine = `${name}: ${value}; ${parameters.join('; ')}`;
  if (oneLine.length <= SOFT_LINE) return oneLine;
  return `${name}: ${value};${CRLF} ${parameters.join(`;${CRLF} `)}`;
}

// ---------------------------------------------------------------------------------------------
// Date

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 3.3 date-time, in UTC so the same instant always gives the same bytes. */
export function formatDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} +0000`
  );
}
