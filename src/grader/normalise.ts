import { messages, type Messages } from '../i18n/messages.js';
import type { ClientLine, FramedItem, LineEnding, MessageBody, ServerReply } from '../transcript/framer.js';

/**
 * Normalised transcripts: what is left of a session once everything that legitimately differs
 * between two runs of the same good client is masked, so a run can be compared line by line with
 * a reference recorded earlier (`smtp-lab record`, the `matches-reference` check).
 *
 * - server replies: the code only, not the wording; an EHLO reply as its set of keywords
 * - client commands: verbs upper-cased; the EHLO/HELO host name, AUTH credentials and SIZE=
 *   values masked
 * - the message: Date, Message-ID (and Content-ID, References, In-Reply-To) values, MIME
 *   boundaries and long hexadecimal ids masked
 * - a line that does not end in CRLF says so; TLS starting or failing is a line of its own
 *
 * Lines use the swaks arrows of the rendered transcripts: `->` client, `<-` server, `~>` and `<~`
 * inside TLS, `===` and `***` for what happened on the connection.
 */

export interface NormalisedLine {
  text: string;
  /** Index of the framed item the line comes from. */
  item: number;
}

/** A reference transcript file, as `smtp-lab record` writes it. */
export interface ReferenceTranscript {
  format: typeof REFERENCE_FORMAT;
  version: 1;
  scenario: string;
  /** The command it was recorded with, for people (not compared). */
  command?: string;
  sessions: Array<{ lines: string[] }>;
}

export const REFERENCE_FORMAT = 'smtp-lab expected transcript';

export const MASKS = {
  host: '<host>',
  credentials: '<credentials>',
  date: '<date>',
  messageId: '<message-id>',
  id: '<id>',
  number: '<n>',
} as const;

const ID_HEADERS = /^(message-id|content-id|references|in-reply-to|resent-message-id)(\s*:\s*)(.*)$/i;
const LONG_HEX = /\b[0-9a-f]{16,}\b/gi;

/** Normalises one session's framed items (in order); items that say nothing stable are left out. */
export function normaliseSession(items: readonly FramedItem[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  const message = new MessageMasker();
  items.forEach((item, index) => {
    if (item.kind === 'body') {
      for (const text of normaliseBody(item, message)) out.push({ text, item: index });
      return;
    }
    const text = normaliseItem(item, items, message);
    if (text !== undefined) out.push({ text, item: index });
  });
  return out;
}

/** A message body: the lines its summary kept, each as a line was; a count for the rest. */
function normaliseBody(body: MessageBody, message: MessageMasker): string[] {
  const arrow = body.tls ? '~>' : '->';
  const out = body.head.map((line) => `${arrow} ${message.mask(line.text)}${endingNote(line.ending)}`);
  if (body.notKept) out.push(`${arrow} (${body.notKept} more body lines, not compared)`);
  const last = body.unfinished;
  if (last && !body.head.includes(last))
    out.push(`${arrow} ${message.mask(last.text)}${endingNote(last.ending)}`);
  return out;
}

function endingNote(ending: LineEnding): string {
  return ending === 'crlf'
    ? ''
    : ending === 'lf'
      ? '  [bare LF]'
      : ending === 'cr'
        ? '  [bare CR]'
        : '  [no line ending]';
}

function normaliseItem(
  item: FramedItem,
  items: readonly FramedItem[],
  message: MessageMasker,
): string | undefined {
  switch (item.kind) {
    case 'note':
      if (item.noteKind === 'tls-started') return '=== TLS started';
      if (item.noteKind === 'tls-failed') return '*** TLS handshake failed';
      return undefined;
    case 'garbage':
      return `${item.tls ? '<~' : '<-'} (not a reply)`;
    case 'reply':
      return normaliseReply(item, items);
    case 'line':
      return normaliseLine(item, message);
    case 'body':
      return undefined;
  }
}

function normaliseReply(reply: ServerReply, items: readonly FramedItem[]): string {
  const arrow = reply.tls ? '<~' : '<-';
  const asked = typeof reply.answers === 'number' ? items[reply.answers] : undefined;
  const ehlo = asked?.kind === 'line' && asked.command?.verb === 'EHLO';
  if (ehlo && reply.reply.code === 250) {
    const keywords = [
      ...new Set(reply.reply.lines.slice(1).map((l) => l.trim().split(/[\s=]/)[0]!.toUpperCase())),
    ]
      .filter(Boolean)
      .sort();
    return `${arrow} ${reply.reply.code} EHLO ${keywords.length ? keywords.join(' ') : '(no keywords)'}`;
  }
  return `${arrow} ${reply.reply.code}`;
}

function normaliseLine(line: ClientLine, message: MessageMasker): string {
  const arrow = line.tls ? '~>' : '->';
  const ending = endingNote(line.ending);
  const ignored = line.injected ? '(ignored) ' : '';
  let text: string;
  if (line.mode === 'data') {
    text = line.dataEnd ? '.' : message.mask(line.text);
    if (line.dataEnd) message.reset();
  } else if (line.mode === 'auth' || line.secret) {
    text = line.text === '*' ? '*' : MASKS.credentials;
    if (line.mode !== 'auth' && line.command) text = authCommand(line.command.verb, line.command.args);
  } else if (line.command) {
    text = command(line.command.verb, line.command.args);
  } else {
    text = line.text;
  }
  return `${arrow} ${ignored}${text}${ending}`;
}

function authCommand(verb: string, args: string): string {
  const [mechanism, initial] = args.trim().split(/\s+/);
  return `${verb} ${(mechanism ?? '').toUpperCase()}${initial ? ` ${MASKS.credentials}` : ''}`.trim();
}

function command(verb: string, rawArgs: string): string {
  const args = rawArgs.trim();
  switch (verb) {
    case 'EHLO':
    case 'HELO':
      return args ? `${verb} ${MASKS.host}` : verb;
    case 'AUTH':
      return authCommand(verb, args);
    case 'MAIL':
    case 'RCPT':
      return `${verb} ${args.replace(/\b(SIZE=)\d+/gi, `$1${MASKS.number}`)}`;
    default:
      return args ? `${verb} ${args}` : verb;
  }
}

/** Masks the parts of a message that change from run to run, line by line, across one DATA. */
class MessageMasker {
  private boundaries: string[] = [];

  reset(): void {
    this.boundaries = [];
  }

  mask(text: string): string {
    // A boundary is declared (perhaps on a folded line) before it is used.
    for (const m of text.matchAll(/boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/gi)) {
      const b = m[1] ?? m[2]!;
      if (!this.boundaries.includes(b)) this.boundaries.push(b);
    }
    let out = text;
    // Longest first, so a boundary that contains another is replaced whole.
    const ordered = this.boundaries
      .map((b, i) => ({ b, name: i === 0 ? '<boundary>' : `<boundary-${i + 1}>` }))
      .sort((x, y) => y.b.length - x.b.length);
    for (const { b, name } of ordered) out = out.split(b).join(name);
    if (/^date\s*:/i.test(out)) return out.replace(/^(date\s*:).*$/i, `$1 ${MASKS.date}`);
    const id = ID_HEADERS.exec(out);
    if (id) return `${id[1]}${id[2]}${id[3]!.replace(/<[^>]*>/g, MASKS.messageId)}`;
    return out.replace(LONG_HEX, MASKS.id);
  }
}

/** All sessions as one list, each session under a `=== session N` line. */
export function flatten(sessions: ReadonlyArray<{ lines: readonly string[] }>): string[] {
  return sessions.flatMap((s, i) => [`=== session ${i + 1}`, ...s.lines]);
}

/** A reference transcript of a run's sessions. */
export function makeReference(
  scenario: string,
  sessions: ReadonlyArray<{ items: readonly FramedItem[] }>,
  command?: string,
): ReferenceTranscript {
  return {
    format: REFERENCE_FORMAT,
    version: 1,
    scenario,
    ...(command !== undefined ? { command } : {}),
    sessions: sessions.map((s) => ({ lines: normaliseSession(s.items).map((l) => l.text) })),
  };
}

/** What is wrong with an expected-transcript file, each a `grader.reference.` message. */
export type ReferenceProblem =
  | { kind: 'notJson'; reason: string }
  | { kind: 'notReference' }
  | { kind: 'version'; version: string }
  | { kind: 'scenario' }
  | { kind: 'sessions' };

/** `problem` of `file` said in `m`'s language (the file name, JSON keys and values as written). */
export function referenceProblemText(file: string, problem: ReferenceProblem, m: Messages): string {
  switch (problem.kind) {
    case 'notJson':
      return m.t('grader.reference.notJson', { file, reason: problem.reason });
    case 'notReference':
      return m.t('grader.reference.notReference', { file, format: JSON.stringify(REFERENCE_FORMAT) });
    case 'version':
      return m.t('grader.reference.version', { file, version: problem.version });
    case 'scenario':
      return m.t('grader.reference.scenario', { file });
    case 'sessions':
      return m.t('grader.reference.sessions', { file, shape: '{"lines": [strings]}' });
  }
}

/** A reference file that cannot be used: its message is English, `problem` is what to render. */
export class ReferenceFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: ReferenceProblem,
  ) {
    super(referenceProblemText(file, problem, messages()));
    this.name = 'ReferenceFileError';
  }
}

/** Reads a reference file's text; throws a ReferenceFileError saying what is wrong with it. */
export function parseReference(text: string, file: string): ReferenceTranscript {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReferenceFileError(file, { kind: 'notJson', reason: (e as Error).message });
  }
  const r = data as Partial<ReferenceTranscript> | null;
  if (!r || typeof r !== 'object' || r.format !== REFERENCE_FORMAT) {
    throw new ReferenceFileError(file, { kind: 'notReference' });
  }
  if (r.version !== 1) throw new ReferenceFileError(file, { kind: 'version', version: String(r.version) });
  if (typeof r.scenario !== 'string') throw new ReferenceFileError(file, { kind: 'scenario' });
  if (
    !Array.isArray(r.sessions) ||
    !r.sessions.every(
      (s) => s && Array.isArray(s.lines) && s.lines.every((l: unknown) => typeof l === 'string'),
    )
  ) {
    throw new ReferenceFileError(file, { kind: 'sessions' });
  }
  return r as ReferenceTranscript;
}

/**
 * A unified-style diff of two lists of lines (`-` only in `expected`, `+` only in `actual`, two
 * lines of context), or [] when they are equal.
 */
export function diffLines(
  expected: readonly string[],
  actual: readonly string[],
  options: { context?: number; labels?: [string, string] } = {},
): string[] {
  const context = options.context ?? 2;
  const ops = editScript(expected, actual);
  if (ops.every((op) => op.kind === ' ')) return [];
  const [from, to] = options.labels ?? ['expected', 'actual'];
  const out = [`--- ${from}`, `+++ ${to}`];
  // Hunks: runs of changes with up to `context` equal lines around them (merged when close).
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const a = hunk.filter((op) => op.kind !== '+');
    const b = hunk.filter((op) => op.kind !== '-');
    const aStart = a.length ? a[0]!.a + 1 : (ops[start]?.a ?? 0);
    const bStart = b.length ? b[0]!.b + 1 : (ops[start]?.b ?? 0);
    out.push(`@@ -${aStart},${a.length} +${bStart},${b.length} @@`);
    for (const op of hunk) out.push(`${op.kind} ${op.text}`);
    i = stop;
    start = stop;
  }
  return out;
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** Index in `expected` (for ' ' and '-') or where it would be. */
  a: number;
  b: number;
}

/** The shortest edit script by LCS; long inputs fall back to common prefix and suffix only. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const ops: Op[] = [];
  for (let k = 0; k < pre; k++) ops.push({ kind: ' ', text: a[k]!, a: k, b: k });
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  if (am.length * bm.length > 4_000_000) {
    am.forEach((text, k) => ops.push({ kind: '-', text, a: pre + k, b: pre }));
    bm.forEach((text, k) => ops.push({ kind: '+', text, a: pre + am.length, b: pre + k }));
  } else {
    // lcs[i][j]: the LCS length of am[i..] and bm[j..].
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] =
          am[i] === bm[j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        ops.push({ kind: ' ', text: am[i]!, a: pre + i, b: pre + j });
        i++;
        j++;
      } else if (i < am.length && (j >= bm.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // What the reference had goes first, then what this run has instead.
        ops.push({ kind: '-', text: am[i]!, a: pre + i, b: pre + j });
        i++;
      } else {
        ops.push({ kind: '+', text: bm[j]!, a: pre + i, b: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) {
    ops.push({ kind: ' ', text: a[a.length - suf + k]!, a: a.length - suf + k, b: b.length - suf + k });
  }
  return ops;
}
