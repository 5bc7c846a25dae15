import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import {
  addressListTokens,
  domainOf,
  normaliseAddress,
  normaliseMailbox,
  type Mailbox,
  type MailboxInput,
} from './address.js';
import {
  CRLF,
  SOFT_LINE,
  chooseTextEncoding,
  encodeBase64Lines,
  encodeBase64Stream,
  encodeParameter,
  encodeQuotedPrintable,
  encodeWords,
  foldHeader,
  formatDate,
  headerWithParameters,
  isPrintableAscii,
  toCrlf,
  unstructuredTokens,
  type TransferEncoding,
} from './encode.js';
import { problem } from '../problem.js';
import { MimeError, refuseLineBreak } from './errors.js';
import { SNIFF_BYTES, sniffContentType } from './sniff.js';

/** A file to attach: its path, and optionally the name and type to give it (else sniffed). */
export interface FileInput {
  path: string;
  /** Name shown to the recipient; defaults to the path's last segment. */
  filename?: string;
  /** e.g. "image/png"; defaults to what the file's first octets (then its extension) say. */
  contentType?: string;
}

/** An image shown inside the HTML via `<img src="cid:...">`. */
export interface InlineImageInput extends FileInput {
  /** The Content-ID without angle brackets, as the HTML refers to it; defaults to the file name. */
  cid?: string;
}

/**
 * Boundaries: a seed string gives `=_<seed>_<n>` (n = 0 for the outermost multipart), a function
 * gives whatever it returns for n. Default: random, `=_smtp-lab_<24 hex>_<n>`.
 */
export type BoundaryOption = string | ((index: number) => string);

export interface MessageOptions {
  from: MailboxInput;
  to: MailboxInput[];
  cc?: MailboxInput[];
  /** Envelope recipients only: never written into the message. */
  bcc?: MailboxInput[];
  subject: string;
  text: string;
  html?: string;
  /** Images for the HTML (multipart/related). Without `html`, a simple HTML part shows them. */
  inlineImages?: (string | InlineImageInput)[];
  /** Files attached to the message (multipart/mixed). */
  attachments?: (string | FileInput)[];
  /** Further headers (e.g. Reply-To, X-Mailer). The ones the builder writes itself are refused. */
  headers?: Record<string, string> | [string, string][];
  /** Defaults to now. Written in UTC. */
  date?: Date;
  /** With or without angle brackets. Defaults to `<random@domain-of-from>`. */
  messageId?: string;
  boundary?: BoundaryOption;
}

/** A file as it will be written. */
export interface ResolvedFile {
  path: string;
  filename: string;
  contentType: string;
  size: number;
  /** Inline images only: the Content-ID without angle brackets. */
  cid?: string;
}

export interface MimeMessage {
  /** Without angle brackets. */
  readonly messageId: string;
  readonly date: Date;
  /** For MAIL FROM and RCPT TO: the sender, and To, Cc and Bcc without duplicates. */
  readonly envelope: { from: string; to: string[] };
  readonly inlineImages: readonly ResolvedFile[];
  readonly attachments: readonly ResolvedFile[];
  /**
   * A new stream of the message's bytes each call (files are read again, in chunks): CRLF line
   * endings, ends with CRLF. Not dot-stuffed: pipe it through `createDotStuffer()` for DATA.
   */
  stream(): Readable;
  /** The whole message in memory: for small messages and tests. */
  toBuffer(): Promise<Buffer>;
}

interface MultipartPart {
  kind: 'multipart';
  headers: string[];
  boundary: string;
  children: Part[];
}
type Part =
  | { kind: 'text'; headers: string[]; body: string }
  | { kind: 'file'; headers: string[]; path: string }
  | MultipartPart;

/** Headers the builder writes itself; `headers` may not set them. */
const RESERVED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-id',
  'content-disposition',
]);
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const CID = /^[A-Za-z0-9!#$&'*+\-/=?^_`{|}~.@]+$/;
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/;
/** Read files in whole base64 lines: 57 octets make one 76-character line. */
const READ_CHUNK = 57 * 1024;

/**
 * Checks every option, looks at every file's first octets, and returns the message ready to
 * stream. Everything that can be refused is refused here, before a byte is produced:
 * a CR or LF anywhere in a header value, address, name or filename (MimeLineBreakError), a bad
 * address, header, boundary, Content-ID or date, an unreadable file (MimeError, with `code`).
 */
export async function buildMessage(options: MessageOptions): Promise<MimeMessage> {
  const from = normaliseMailbox(options.from, 'from');
  const to = options.to.map((m, i) => normaliseMailbox(m, `to[${i}]`));
  const cc = (options.cc ?? []).map((m, i) => normaliseMailbox(m, `cc[${i}]`));
  const bcc = (options.bcc ?? []).map((m, i) => normaliseMailbox(m, `bcc[${i}]`));
  refuseLineBreak('subject', options.subject);

  const date = options.date ?? new Date();
  if (Number.isNaN(date.getTime()))
    throw new MimeError('ERR_MIME_DATE', 'date', problem('cli.send.problem.badDate', { field: 'date' }));
  const messageId = checkMessageId(options.messageId, from.address);
  const extra = checkExtraHeaders(options.headers);
  const nextBoundary = boundaryGenerator(options.boundary);

  const images = await Promise.all(
    (options.inlineImages ?? []).map((input, i) => resolveFile(input, `inlineImages[${i}]`)),
  );
  assignContentIds(images, options.inlineImages ?? []);
  const attachments = await Promise.all(
    (options.attachments ?? []).map((input, i) => resolveFile(input, `attachments[${i}]`)),
  );

  const html = options.html ?? (images.length > 0 ? generatedHtml(options.text, images) : undefined);

  // multipart/mixed { multipart/related { multipart/alternative { text, html }, images }, files },
  // each layer only when it is needed.
  const boundaries: string[] = [];
  const multipart = (subtype: string, params: string[] = []): MultipartPart => {
    const boundary = nextBoundary(boundaries.length);
    boundaries.push(boundary);
    const all = [...params, `boundary="${boundary}"`];
    const header = headerWithParameters('Content-Type', `multipart/${subtype}`, all);
    return { kind: 'multipart', headers: [header], boundary, children: [] };
  };
  // Boundaries are numbered outermost first, so the outer layers are made first.
  const mixed = attachments.length > 0 ? multipart('mixed') : undefined;
  const related = images.length > 0 ? multipart('related', ['type="multipart/alternative"']) : undefined;
  const alternative = html !== undefined ? multipart('alternative') : undefined;

  const textPart = textLeaf('text/plain', options.text);
  let body: Part = textPart;
  if (alternative !== undefined) {
    alternative.children.push(textPart, textLeaf('text/html', html ?? ''));
    body = alternative;
  }
  if (related !== undefined) {
    related.children.push(body, ...images.map((image) => fileLeaf(image, 'inline')));
    body = related;
  }
  if (mixed !== undefined) {
    mixed.children.push(body, ...attachments.map((file) => fileLeaf(file, 'attachment')));
    body = mixed;
  }
  checkBoundaries(body, boundaries);

  const headers: string[] = [foldHeader('From', addressListTokens([from]), 'from')];
  if (to.length > 0) headers.push(foldHeader('To', addressListTokens(to), 'to'));
  if (cc.length > 0) headers.push(foldHeader('Cc', addressListTokens(cc), 'cc'));
  headers.push(foldHeader('Subject', unstructuredTokens(options.subject), 'subject'));
  headers.push(`Date: ${formatDate(date)}`);
  headers.push(`Message-ID: <${messageId}>`);
  for (const [name, value] of extra)
    headers.push(foldHeader(name, unstructuredTokens(value), `headers.${name}`));
  headers.push('MIME-Version: 1.0');
  const message: Part = { ...body, headers: [...headers, ...body.headers] };

  const envelopeTo: string[] = [];
  for (const mailbox of [...to, ...cc, ...bcc]) {
    if (!envelopeTo.includes(mailbox.address)) envelopeTo.push(mailbox.address);
  }

  const stream = (): Readable =>
    Readable.from(emitMessage(message), { objectMode: false, highWaterMark: 64 * 1024 });
  return {
    messageId,
    date,
    envelope: { from: from.address, to: envelopeTo },
    inlineImages: images,
    attachments,
    stream,
    toBuffer: () => streamToBuffer(stream()),
  };
}

/** Collects a byte stream into one Buffer; refuses to go past `maxBytes` when given. */
export async function streamToBuffer(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    length += buffer.length;
    if (length > maxBytes) throw new RangeError(`stream is longer than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, length);
}

// ---------------------------------------------------------------------------------------------

async function* emitMessage(message: Part): AsyncGenerator<Buffer> {
  let last = 0x0a;
  for await (const chunk of emitPart(message)) {
    if (chunk.length === 0) continue;
    last = chunk[chunk.length - 1]!;
    yield chunk;
  }
  // A message ends with a line break (a single-part text may already carry one).
  if (last !== 0x0a) yield Buffer.from(CRLF);
}

/** The part's headers, blank line and body; the body ends without a line break of its own. */
async function* emitPart(part: Part): AsyncGenerator<Buffer> {
  yield Buffer.from(part.headers.join(CRLF) + CRLF + CRLF, 'utf8');
  if (part.kind === 'text') {
    yield Buffer.from(part.body, 'latin1');
  } else if (part.kind === 'file') {
    try {
      yield* encodeBase64Stream(createReadStream(part.path, { highWaterMark: READ_CHUNK }));
    } catch (cause) {
      // The file was readable when the message was built; it went away or broke since.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new MimeError(
        'ERR_MIME_FILE',
        part.path,
        problem('cli.send.problem.streamFailed', { field: part.path, reason }),
        { cause },
      );
    }
  } else {
    for (const child of part.children) {
      yield Buffer.from(`--${part.boundary}${CRLF}`);
      yield* emitPart(child);
      // The CRLF before a delimiter belongs to the delimiter, not to the part (RFC 2046 5.1.1).
      yield Buffer.from(CRLF);
    }
    yield Buffer.from(`--${part.boundary}--`);
  }
}

function textLeaf(type: 'text/plain' | 'text/html', text: string): Part {
  const crlf = toCrlf(text);
  const encoding: TransferEncoding = chooseTextEncoding(crlf);
  const body =
    encoding === 'base64'
      ? encodeBase64Lines(Buffer.from(crlf, 'utf8'))
      : encoding === 'quoted-printable'
        ? encodeQuotedPrintable(crlf)
        : crlf;
  return {
    kind: 'text',
    headers: [`Content-Type: ${type}; charset=utf-8`, `Content-Transfer-Encoding: ${encoding}`],
    body,
  };
}

function fileLeaf(file: ResolvedFile, disposition: 'inline' | 'attachment'): Part {
  const headers = [
    headerWithParameters('Content-Type', file.contentType, [nameParameter(file.filename)]),
    'Content-Transfer-Encoding: base64',
  ];
  if (file.cid !== undefined) headers.push(`Content-ID: <${file.cid}>`);
  headers.push(
    headerWithParameters('Content-Disposition', disposition, encodeParameter('filename', file.filename)),
  );
  return { kind: 'file', headers, path: file.path };
}

/**
 * Content-Type's `name`: RFC 2047 encoded words inside the quotes for a non-ASCII name (what
 * mail clients that predate RFC 2231 read), folded between words. The RFC 2231 form goes in
 * Content-Disposition's `filename`.
 */
function nameParameter(filename: string): string {
  if (isPrintableAscii(filename)) {
    const pieces = encodeParameter('name', filename);
    if (pieces.length === 1) return pieces[0]!;
  }
  // ' name="' before the first word and '";' after the last keep each line within 78.
  return `name="${encodeWords(filename, SOFT_LINE - 10).join(`${CRLF} `)}"`;
}

async function resolveFile(input: string | FileInput, field: string): Promise<ResolvedFile> {
  const file = typeof input === 'string' ? { path: input } : input;
  const filename = file.filename ?? basename(file.path);
  refuseLineBreak(`${field}.filename`, filename);
  if (filename === '')
    throw new MimeError('ERR_MIME_FILE', field, problem('cli.send.problem.noFileName', { field }));
  if (file.contentType !== undefined && !CONTENT_TYPE.test(file.contentType)) {
    refuseLineBreak(`${field}.contentType`, file.contentType);
    throw new MimeError(
      'ERR_MIME_HEADER',
      `${field}.contentType`,
      problem('cli.send.problem.notContentType', {
        field: `${field}.contentType`,
        value: JSON.stringify(file.contentType),
      }),
    );
  }
  let head: Buffer;
  let size: number;
  try {
    const handle = await open(file.path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a regular file');
      size = stat.size;
      const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MimeError(
      'ERR_MIME_FILE',
      field,
      problem('cli.send.problem.unreadableFile', { field, path: file.path, reason }),
      { cause },
    );
  }
  const contentType = file.contentType?.toLowerCase() ?? sniffContentType(head, filename);
  return { path: file.path, filename, contentType, size };
}

function assignContentIds(images: ResolvedFile[], inputs: (string | InlineImageInput)[]): void {
  const used = new Set<string>();
  images.forEach((image, i) => {
    const input = inputs[i];
    const given = typeof input === 'object' ? input.cid : undefined;
    const field = `inlineImages[${i}].cid`;
    if (given !== undefined) {
      refuseLineBreak(field, given);
      if (!CID.test(given))
        throw new MimeError(
          'ERR_MIME_CONTENT_ID',
          field,
          problem('cli.send.problem.notContentId', { field, value: JSON.stringify(given) }),
        );
      if (used.has(given)) {
        throw new MimeError(
          'ERR_MIME_CONTENT_ID',
          field,
          problem('cli.send.problem.contentIdTwice', { field, value: given }),
        );
      }
      image.cid = given;
    } else {
      const base = image.filename.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._]+/, '') || `image${i + 1}`;
      let cid = base;
      for (let n = 2; used.has(cid); n++) cid = `${base}-${n}`;
      image.cid = cid;
    }
    used.add(image.cid);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** HTML for a message that has inline images but no HTML of its own: the text, then the images. */
function generatedHtml(text: string, images: ResolvedFile[]): string {
  const paragraphs = toCrlf(text)
    .split(/(?:\r\n){2,}/)
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).split(CRLF).join('<br>\n')}</p>`);
  const pictures = images.map(
    (image) => `<p><img src="cid:${image.cid}" alt="${escapeHtml(image.filename)}"></p>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"></head><body>',
    ...paragraphs,
    ...pictures,
    '</body></html>',
    '',
  ].join('\n');
}

function checkMessageId(given: string | undefined, from: string): string {
  if (given === undefined) {
    return `${Date.now().toString(36)}.${randomBytes(9).toString('hex')}@${domainOf(from)}`;
  }
  refuseLineBreak('messageId', given);
  const bare = given.startsWith('<') && given.endsWith('>') ? given.slice(1, -1) : given;
  if (!/^[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/.test(bare)) {
    throw new MimeError(
      'ERR_MIME_HEADER',
      'messageId',
      problem('cli.send.problem.notMessageId', { field: 'messageId', value: JSON.stringify(given) }),
    );
  }
  return bare;
}

function checkExtraHeaders(headers: MessageOptions['headers']): [string, string][] {
  if (headers === undefined) return [];
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.map(([name, value]) => {
    refuseLineBreak('headers', name);
    refuseLineBreak(`headers.${name}`, value);
    if (!HEADER_NAME.test(name))
      throw new MimeError(
        'ERR_MIME_HEADER',
        'headers',
        problem('cli.send.problem.notHeaderName', { field: 'headers', value: JSON.stringify(name) }),
      );
    if (RESERVED.has(name.toLowerCase())) {
      throw new MimeError(
        'ERR_MIME_HEADER',
        `headers.${name}`,
        problem('cli.send.problem.reservedHeader', { field: `headers.${name}` }),
      );
    }
    return [name, value];
  });
}

function boundaryGenerator(option: BoundaryOption | undefined): (index: number) => string {
  const make: (index: number) => string =
    typeof option === 'function'
      ? option
      : typeof option === 'string'
        ? (index) => `=_${option}_${index}`
        : (
            (random) => (index: number) =>
              `=_smtp-lab_${random}_${index}`
          )(randomBytes(12).toString('hex'));
  return (index) => {
    const boundary = make(index);
    refuseLineBreak('boundary', boundary);
    if (!BOUNDARY.test(boundary)) {
      throw new MimeError(
        'ERR_MIME_BOUNDARY',
        'boundary',
        problem('cli.send.problem.notBoundary', { field: 'boundary', value: JSON.stringify(boundary) }),
      );
    }
    return boundary;
  };
}

/** Boundaries must differ from each other and appear in no text part (files are base64: safe). */
function checkBoundaries(root: Part, boundaries: string[]): void {
  if (new Set(boundaries).size !== boundaries.length) {
    throw new MimeError(
      'ERR_MIME_BOUNDARY',
      'boundary',
      problem('cli.send.problem.boundaryTwice', { field: 'boundary' }),
    );
  }
  const visit = (part: Part): void => {
    if (part.kind === 'multipart') part.children.forEach(visit);
    else if (part.kind === 'text') {
      for (const boundary of boundaries) {
        if (part.body.includes(`--${boundary}`)) {
          throw new MimeError(
            'ERR_MIME_BOUNDARY',
            'boundary',
            problem('cli.send.problem.boundaryInText', {
              field: 'boundary',
              value: JSON.stringify(boundary),
            }),
          );
        }
      }
    }
  };
  visit(root);
}

export type { Mailbox, MailboxInput };
export { normaliseAddress };
