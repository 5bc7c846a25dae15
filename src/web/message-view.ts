import libmime from 'libmime';
import { simpleParser, type AddressObject } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { messages, type Lang, type Messages } from '../i18n/index.js';

/**
 * A stored message as the browser view shows it: what a mail client shows (mailparser does the
 * parsing: decoded headers, text, HTML with `cid:` images inlined as data: URLs, attachments), and
 * what a mail client hides: the MIME tree read from the raw bytes, each part with its type,
 * encoding, size and the problems a student's hand-built message tends to have.
 */

export type ProblemKind =
  | 'unclosed-boundary'
  | 'missing-boundary'
  | 'base64-line-76'
  | 'line-998'
  | 'undecodable'
  | 'header-not-encoded'
  | 'bare-lf'
  | 'no-blank-line';

export interface PartProblem {
  kind: ProblemKind;
  /** Error: a receiver may mangle or refuse it; warning: accepted, but not what the RFCs ask. */
  level: 'error' | 'warning';
  text: string;
}

export interface MimePart {
  /** Dotted position in the tree ("1", "1.2"); the root is "". */
  path: string;
  contentType: string;
  charset?: string;
  encoding: string;
  disposition?: string;
  filename?: string;
  contentId?: string;
  /** Bytes of the part's body as sent (still encoded). */
  size: number;
  /** For leaves that decoded: bytes after the transfer encoding is undone. */
  decodedSize?: number;
  problems: PartProblem[];
  children: MimePart[];
}

export interface MessageAttachment {
  /** Index in mailparser's attachment list (the download URL uses it). */
  index: number;
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
}

export interface ParsedView {
  subject: string | null;
  from: string | null;
  to: string | null;
  cc: string | null;
  date: string | null;
  messageId: string | null;
  /** Every header line, unfolded and RFC 2047-decoded, in order. */
  headers: Array<{ name: string; value: string }>;
  text: string | null;
  hasHtml: boolean;
  attachments: MessageAttachment[];
  tree: MimePart;
}

const MAX_PARTS = 200;
const MAX_DEPTH = 16;

/** Parses a stored message (the bytes of the `.eml`); the tree's problems are said in `lang`. */
export async function parseMessage(eml: Buffer, lang?: Lang): Promise<ParsedView> {
  const parsed = await simpleParser(eml, { skipTextToHtml: true });
  const address = (a: AddressObject | AddressObject[] | undefined) =>
    a === undefined ? null : (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text) || null;
  return {
    subject: parsed.subject ?? null,
    from: address(parsed.from),
    to: address(parsed.to),
    cc: address(parsed.cc),
    // mailparser replaces an invalid Date with now: show the header as written instead.
    date: headerText(eml, 'date'),
    messageId: parsed.messageId ?? null,
    headers: parsed.headerLines.map(({ key, line }) => ({
      name: line.slice(0, line.indexOf(':')) || key,
      value: decodeWords(
        line
          .slice(line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      ),
    })),
    text: typeof parsed.text === 'string' ? parsed.text : null,
    hasHtml: typeof parsed.html === 'string',
    attachments: parsed.attachments.map((a, index) => ({
      index,
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      contentId: a.contentId ?? null,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
    })),
    tree: mimeTree(eml, lang),
  };
}

/**
 * What of a student's HTML is kept: text, layout and style, links, and images only as data: URLs
 * (mailparser turns `cid:` references into those). Frames, objects, scripts, forms, <link>,
 * <meta> and <base> go: the CSP would block them too, but Chromium still opens a connection
 * ahead for a frame's remote address, and a mail must not reach anywhere when it is opened.
 */
const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img',
    'style',
    'font',
    'center',
    'u',
    's',
    'small',
    'big',
  ],
  allowedAttributes: {
    '*': [
      'style',
      'class',
      'id',
      'align',
      'valign',
      'width',
      'height',
      'bgcolor',
      'color',
      'dir',
      'lang',
      'title',
      'border',
    ],
    a: ['href', 'name'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    table: ['cellpadding', 'cellspacing'],
    font: ['face', 'size', 'color'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  // <style> is kept for the mail's own look; the CSP stops any url() in it from loading.
  allowVulnerableTags: true,
};

/** The HTML part, `cid:` images inlined (mailparser's data: URLs), cleaned of remote loads; or null. */
export async function messageHtml(eml: Buffer): Promise<string | null> {
  const parsed = await simpleParser(eml, { skipTextToHtml: true });
  return typeof parsed.html === 'string' ? sanitizeHtml(parsed.html, HTML_POLICY) : null;
}

/** One attachment's decoded bytes and declared type. */
export async function messageAttachment(
  eml: Buffer,
  index: number,
): Promise<{ filename: string | null; contentType: string; content: Buffer } | undefined> {
  const parsed = await simpleParser(eml, { skipTextToHtml: true, skipImageLinks: true });
  const a = parsed.attachments[index];
  return a && { filename: a.filename ?? null, contentType: a.contentType, content: a.content };
}

/** The first header's raw value (unfolded), or null. */
function headerText(eml: Buffer, name: string): string | null {
  const { head } = splitHead(eml, 0, eml.length);
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head.toString('latin1'));
  return match ? match[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Subject (decoded) and From read from the first bytes of a message, for the list view. */
export function summaryHeaders(head: Buffer): { subject: string | null; from: string | null } {
  const text = splitHead(head, 0, head.length).head.toString('utf8');
  const get = (name: string) => {
    const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(text);
    return m ? decodeWords(m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim()) : null;
  };
  return { subject: get('subject'), from: get('from') };
}

/** Splits a part at its blank line: the header bytes, and where the body starts. */
function splitHead(
  buf: Buffer,
  start: number,
  end: number,
): { head: Buffer; bodyStart: number; blank: boolean } {
  const slice = buf.subarray(start, end);
  const crlf = slice.indexOf('\r\n\r\n');
  const lf = slice.indexOf('\n\n');
  // At the very start (no headers at all) the blank line is the first line.
  if (slice[0] === 0x0a) return { head: Buffer.alloc(0), bodyStart: start + 1, blank: true };
  if (slice[0] === 0x0d && slice[1] === 0x0a)
    return { head: Buffer.alloc(0), bodyStart: start + 2, blank: true };
  const candidates = [
    ...(crlf !== -1 ? [{ at: crlf, length: 4 }] : []),
    ...(lf !== -1 ? [{ at: lf, length: 2 }] : []),
  ].sort((a, b) => a.at - b.at);
  const first = candidates[0];
  if (!first) return { head: slice, bodyStart: end, blank: false };
  return { head: slice.subarray(0, first.at), bodyStart: start + first.at + first.length, blank: true };
}

/** The MIME tree of the raw message, with each part's problems (said in `lang`, default English). */
export function mimeTree(eml: Buffer, lang?: Lang): MimePart {
  const m = messages(lang);
  let count = 0;
  const walk = (start: number, end: number, path: string, depth: number): MimePart => {
    count++;
    const problems: PartProblem[] = [];
    const { head, bodyStart, blank } = splitHead(eml, start, end);
    if (!blank && end > start)
      problems.push({
        kind: 'no-blank-line',
        level: 'error',
        text: m.t('web.problem.noBlankLine'),
      });
    const headers = parseHeaders(head);
    const type = libmime.parseHeaderValue(headers.get('content-type') ?? 'text/plain');
    const contentType = (type.value || 'text/plain').toLowerCase();
    const encoding = (headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    const disposition = headers.has('content-disposition')
      ? libmime.parseHeaderValue(headers.get('content-disposition')!)
      : undefined;
    const filename = disposition?.params.filename ?? type.params.name;
    const contentId = headers.get('content-id')?.trim();
    const part: MimePart = {
      path,
      contentType,
      ...(type.params.charset ? { charset: type.params.charset } : {}),
      encoding,
      ...(disposition?.value ? { disposition: disposition.value.toLowerCase() } : {}),
      ...(filename ? { filename: decodeWords(filename) } : {}),
      ...(contentId ? { contentId } : {}),
      size: Math.max(0, end - bodyStart),
      problems,
      children: [],
    };
    // Header lines: raw 8-bit bytes where RFC 2047 encoded words belong.
    for (const line of head.toString('latin1').split(/\r?\n/)) {
      if (/[\u0080-\u00ff]/.test(line)) {
        const name = line.slice(0, line.indexOf(':'));
        problems.push({
          kind: 'header-not-encoded',
          level: 'warning',
          text: name
            ? m.t('web.problem.headerNotEncoded', { name })
            : m.t('web.problem.headerNotEncodedNoName'),
        });
        break;
      }
    }
    if (hasBareLf(eml, start, contentType.startsWith('multipart/') ? bodyStart : end)) {
      problems.push({ kind: 'bare-lf', level: 'error', text: m.t('web.problem.bareLf') });
    }
    if (contentType.startsWith('multipart/') && depth < MAX_DEPTH) {
      const boundary = type.params.boundary;
      if (!boundary) {
        problems.push({
          kind: 'missing-boundary',
          level: 'error',
          text: m.t('web.problem.missingBoundary'),
        });
        return part;
      }
      const { parts, closed } = splitMultipart(eml, bodyStart, end, boundary);
      if (!closed)
        problems.push({
          kind: 'unclosed-boundary',
          level: 'error',
          text: m.t('web.problem.unclosedBoundary', { boundary }),
        });
      parts.forEach(([s, e], i) => {
        if (count < MAX_PARTS)
          part.children.push(walk(s, e, path ? `${path}.${i + 1}` : String(i + 1), depth + 1));
      });
      return part;
    }
    // A leaf: line lengths, and whether its transfer encoding undoes.
    const body = eml.subarray(bodyStart, end);
    let longest = 0;
    for (let at = 0; at < body.length;) {
      const lf = body.indexOf(0x0a, at);
      const stop = lf === -1 ? body.length : lf;
      const length = stop - at - (stop > at && body[stop - 1] === 0x0d ? 1 : 0);
      if (length > longest) longest = length;
      at = stop + 1;
    }
    if (longest > 998)
      problems.push({
        kind: 'line-998',
        level: 'error',
        text: m.t('web.problem.line998', { longest }),
      });
    else if (encoding === 'base64' && longest > 76)
      problems.push({
        kind: 'base64-line-76',
        level: 'warning',
        text: m.t('web.problem.base64Line76', { longest }),
      });
    const decoded = decodeBody(body, encoding, m);
    if (decoded.error) problems.push({ kind: 'undecodable', level: 'error', text: decoded.error });
    else part.decodedSize = decoded.size;
    return part;
  };
  return walk(0, eml.length, '', 0);
}

function parseHeaders(head: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  const unfolded = head.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}

function hasBareLf(buf: Buffer, start: number, end: number): boolean {
  for (let at = buf.indexOf(0x0a, start); at !== -1 && at < end; at = buf.indexOf(0x0a, at + 1)) {
    if (at === 0 || buf[at - 1] !== 0x0d) return true;
  }
  return false;
}

/** The body ranges between `--boundary` delimiter lines, and whether `--boundary--` closed them. */
function splitMultipart(
  buf: Buffer,
  start: number,
  end: number,
  boundary: string,
): { parts: Array<[number, number]>; closed: boolean } {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<[number, number]> = [];
  let partStart = -1;
  let at = start;
  while (at < end) {
    const lf = buf.indexOf(0x0a, at);
    const lineEnd = lf === -1 || lf >= end ? end : lf + 1;
    const line = buf.subarray(at, lineEnd);
    if (line.subarray(0, delimiter.length).equals(delimiter)) {
      const rest = line.subarray(delimiter.length).toString('latin1').trim();
      if (rest === '' || rest === '--') {
        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
        let stop = at;
        if (stop > start && buf[stop - 1] === 0x0a) stop--;
        if (stop > start && buf[stop - 1] === 0x0d) stop--;
        if (partStart !== -1) parts.push([partStart, Math.max(partStart, stop)]);
        if (rest === '--') return { parts, closed: true };
        partStart = lineEnd;
      }
    }
    at = lineEnd;
  }
  if (partStart !== -1) parts.push([partStart, end]);
  return { parts, closed: false };
}

/** Undoes a transfer encoding strictly enough to say when it does not decode. */
function decodeBody(body: Buffer, encoding: string, m: Messages): { size: number; error?: string } {
  if (encoding === 'base64') {
    const text = body.toString('latin1').replace(/[\r\n \t]/g, '');
    const bad = /[^A-Za-z0-9+/=]/.exec(text);
    if (bad)
      return {
        size: 0,
        error: m.t('web.problem.notBase64', { char: JSON.stringify(bad[0]), at: bad.index }),
      };
    if (text.length % 4 !== 0 || /=[^=]/.test(text))
      return {
        size: 0,
        error: m.t('web.problem.base64Length'),
      };
    return { size: Buffer.from(text, 'base64').length };
  }
  if (encoding === 'quoted-printable') {
    const bad = /=(?![0-9A-Fa-f]{2}|\r?\n)/.exec(body.toString('latin1'));
    if (bad) return { size: 0, error: m.t('web.problem.strayEquals', { at: bad.index }) };
    return { size: body.length };
  }
  if (!['7bit', '8bit', 'binary'].includes(encoding))
    return { size: 0, error: m.t('web.problem.unknownEncoding', { encoding: JSON.stringify(encoding) }) };
  return { size: body.length };
}
