import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import readline from 'node:readline';
import { messages, type Lang, type Messages } from '../i18n/index.js';
import type { Direction, NoteKind, NoteLevel, SessionMeta, TranscriptEvent } from '../transcript/events.js';
import {
  MASK,
  SessionFramer,
  type BodyLine,
  type ClientLine,
  type FramedItem,
} from '../transcript/framer.js';
import { fromJsonl, readJsonlEvents } from '../transcript/jsonl.js';
import { translateServerNote } from '../server/notes.js';
import { renderNumbered, shownText, visible } from '../transcript/render.js';

/**
 * The one module that turns a session's transcript into what the browser view draws: rows of a
 * sequence diagram, in order, each with its exact bytes (secrets masked), its flags and the
 * transcript line it is printed on (so that check evidence can point at it). The session comes
 * from its JSON-lines file on disk, framed with the transcript's own SessionFramer; a live session
 * is re-read from the same file when the server says it changed. Nothing else in src/web reads
 * transcripts, so a change in how the server stores them is adapted here.
 */

export type RowKind =
  | 'command'
  | 'auth'
  | 'data'
  | 'data-more'
  | 'data-end'
  | 'reply'
  | 'garbage'
  | 'tls'
  | 'fault'
  | 'note'
  | 'error';

export type FlagKind =
  'bare-lf' | 'bare-cr' | 'no-ending' | 'early' | 'plaintext-after-starttls' | 'fragmented' | 'secret';

export interface RowPiece {
  /** Milliseconds since connect when this piece arrived. */
  t: number;
  /** Its bytes, base64. */
  b64: string;
}

export interface DiagramRow {
  /** Position in the diagram (0-based). */
  n: number;
  /** 1-based line of the session's text rendering (the line numbers check evidence uses). */
  line: number;
  kind: RowKind;
  /** c2s: client to server; s2c: server to client; info: something the recorder noted. */
  dir: Direction | 'info';
  t: number;
  tEnd?: number;
  tls: boolean;
  /** What to print: secrets masked, control characters escaped. Plain text, never markup. */
  text: string;
  code?: number;
  flags: Array<{ kind: FlagKind; text: string }>;
  /** The exact bytes (secrets replaced by the mask), base64; for a summary row, the first 4 KiB. */
  b64: string;
  /** Total byte count this row stands for. */
  bytes: number;
  /** For a reply that arrived in several writes: each write's part of it. */
  pieces?: RowPiece[];
  /**
   * For a client line sent while a fragmented reply was still arriving: that reply's row and how
   * many of its pieces had arrived (the line is drawn between piece `after` and the next, of `of`).
   */
  overtook?: { n: number; after: number; of: number };
}

/**
 * Rows are in time order (each at the time its first byte was seen, so a reply that arrived in
 * pieces sits where its first piece arrived); the diagram then places each piece at its own time.
 */
export interface SessionView {
  id: string;
  startedAt: string;
  peer?: string;
  implicitTls?: boolean;
  /** False once the transcript says the connection closed (or the server no longer runs it). */
  live: boolean;
  /** Milliseconds from connect to the last event. */
  duration: number;
  rows: DiagramRow[];
  /** When the transcript file was larger than the view reads: how many bytes were left out. */
  truncatedBytes?: number;
}

/** Body lines of one DATA shown as rows before the rest becomes one summary row. */
export const DATA_ROWS = 12;
/** Transcript files larger than this are read only up to it (a flood must not bloat the view). */
export const MAX_SESSION_FILE = 16 * 1024 * 1024;
const SUMMARY_BYTES = 4096;

/**
 * The diagram of a session's JSON-lines file, read as a stream (the transcript's own reader) and
 * framed as it is read: memory stays bounded (see SessionViewBuilder) whatever the file's size.
 * The last line of a file the server is still writing may be incomplete: the view is what came
 * before it.
 */
export async function readSessionView(
  file: string,
  options: { live?: boolean; lang?: Lang } = {},
): Promise<SessionView> {
  let builder: SessionViewBuilder | undefined;
  try {
    for await (const event of readJsonlEvents(file, (meta) => (builder ??= new SessionViewBuilder(meta)))) {
      if (!builder) throw new Error(`${file}: an event before the session line`);
      builder.push(event);
    }
  } catch (err) {
    if (!builder) throw err;
  }
  if (!builder) throw new Error(`${file}: no session line`);
  return builder.finish(options);
}

/**
 * Reads a session's JSON-lines file (up to MAX_SESSION_FILE bytes) into its meta and events, all
 * in memory: for the route that returns every event. The diagram reads with readSessionView.
 */
export async function readSessionFile(
  file: string,
  limit = MAX_SESSION_FILE,
): Promise<{ meta: SessionMeta; events: TranscriptEvent[]; truncatedBytes: number }> {
  const size = (await stat(file)).size;
  const lines: string[] = [];
  let read = 0;
  const input = createReadStream(file, { encoding: 'utf8' });
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) {
    read += Buffer.byteLength(line) + 1;
    if (read > limit) break;
    lines.push(line);
  }
  reader.close();
  input.destroy();
  // The last line of a file being written may be incomplete: leave it for the next read.
  let transcript;
  try {
    transcript = fromJsonl(lines.join('\n'), file);
  } catch (err) {
    if (lines.length < 2) throw err;
    transcript = fromJsonl(lines.slice(0, -1).join('\n'), file);
  }
  return {
    meta: transcript.meta,
    events: transcript.events,
    truncatedBytes: Math.max(0, size - Math.min(read, size)),
  };
}

/** Whether a note records the end of the connection (by kind; by text in older transcripts). */
function closesSession(note: Extract<TranscriptEvent, { type: 'note' }>): boolean {
  return (
    note.kind === 'client-closed' ||
    note.kind === 'server-reset' ||
    (note.kind === undefined && /connection closed|connection reset/.test(note.text))
  );
}

/**
 * How a note is drawn: a fault the scenario applied, the TLS upgrade, an error, or other. Read
 * from the note's typed kind; transcripts written before kinds existed are read by their text.
 */
export function noteKind(note: { level: NoteLevel; text: string; noteKind?: NoteKind }): RowKind {
  const kind = note.noteKind;
  if (kind === 'fault' || (kind === undefined && /^fault: /.test(note.text))) return 'fault';
  if (kind === 'tls-started' || (kind === undefined && /^TLS started/.test(note.text))) return 'tls';
  return note.level === 'error' ? 'error' : 'note';
}

/** Builds the diagram rows of one session from its wire events (all in memory: reports, tests). */
export function buildSessionView(
  meta: SessionMeta,
  events: Iterable<TranscriptEvent>,
  options: { live?: boolean; truncatedBytes?: number; lang?: Lang } = {},
): SessionView {
  const builder = new SessionViewBuilder(meta);
  for (const event of events) builder.push(event);
  return builder.finish(options);
}

/** Most server bytes kept to show replies' pieces; past it, replies are drawn without them. */
const MAX_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * The diagram of one session built as its events arrive, one at a time, in bounded memory: the
 * transcript's SessionFramer keeps at most MAX_ITEMS items (a message body is one), and of the
 * server's bytes only those of the replies it keeps (for their pieces), at most MAX_PIECE_BYTES.
 */
export class SessionViewBuilder {
  private readonly framer = new SessionFramer();
  private readonly chunks: Array<{ offset: number; t: number; data: Buffer }> = [];
  private s2cBytes = 0;
  private keptBytes = 0;
  private keepingPieces = true;
  private closed = false;
  private lastT = 0;

  constructor(readonly meta: SessionMeta) {}

  push(event: TranscriptEvent): void {
    this.lastT = event.t;
    if (event.type === 'note' && closesSession(event)) this.closed = true;
    if (event.type === 'wire' && event.dir === 's2c') {
      // Once the framer keeps no more items, no later reply is drawn: its bytes are not needed.
      // The kept writes are a prefix of the stream: once one does not fit, none later is kept.
      if (
        this.keepingPieces &&
        !this.framer.dropped &&
        this.keptBytes + event.data.length <= MAX_PIECE_BYTES
      ) {
        this.chunks.push({ offset: this.s2cBytes, t: event.t, data: event.data });
        this.keptBytes += event.data.length;
      } else this.keepingPieces = false;
      this.s2cBytes += event.data.length;
    }
    this.framer.push(event);
  }

  /** The rows; their flags and summaries are written in `options.lang` (default English). */
  finish(options: { live?: boolean; truncatedBytes?: number; lang?: Lang } = {}): SessionView {
    this.framer.finish(this.lastT);
    return rowsOf(this.meta, this.framer.items, serverPieces(this.chunks), messages(options.lang), {
      live: options.live ?? !this.closed,
      duration: this.lastT,
      truncatedBytes: options.truncatedBytes,
    });
  }
}

function rowsOf(
  meta: SessionMeta,
  items: readonly FramedItem[],
  pieces: ReturnType<typeof serverPieces>,
  m: Messages,
  options: { live: boolean; duration: number; truncatedBytes?: number },
): SessionView {
  const { lineOf } = renderNumbered(items, { maxDataLines: 40 });
  const rows: DiagramRow[] = [];
  let s2cCursor = 0;
  let dataRows = 0;
  let more: DiagramRow | undefined;
  const push = (row: Omit<DiagramRow, 'n'>) => rows.push({ n: rows.length, ...row });

  items.forEach((item, index) => {
    const line = lineOf[index] ?? 1;
    switch (item.kind) {
      case 'note':
        push({
          line,
          kind: noteKind(item),
          dir: 'info',
          t: item.t,
          tls: false,
          text: visible(translateServerNote(item.text, m)),
          flags: [],
          b64: '',
          bytes: 0,
        });
        return;
      case 'garbage': {
        const start = s2cCursor;
        s2cCursor += item.raw.length;
        const row: Omit<DiagramRow, 'n'> = {
          line,
          kind: 'garbage',
          dir: 's2c',
          t: item.t,
          tls: item.tls,
          text: `${item.error}: ${visible(JSON.stringify(item.raw.toString('utf8').slice(0, 200)))}`,
          flags: [],
          b64: item.raw.toString('base64'),
          bytes: item.raw.length,
        };
        const parts = pieces.slice(start, start + item.raw.length);
        if (parts.length > 1) {
          row.pieces = parts;
          row.flags.push({ kind: 'fragmented', text: m.t('cli.transcript.pieces', { count: parts.length }) });
        }
        push(row);
        return;
      }
      case 'reply': {
        const raw = item.reply.raw;
        const start = s2cCursor;
        s2cCursor += raw.length;
        const row: Omit<DiagramRow, 'n'> = {
          line,
          kind: 'reply',
          dir: 's2c',
          t: item.t,
          tEnd: item.tEnd,
          tls: item.tls,
          code: item.reply.code,
          text: visible(raw.toString('utf8').replace(/\r?\n$/, '')).replace(/\\r(?=\n)/g, ''),
          flags: [],
          b64: raw.toString('base64'),
          bytes: raw.length,
        };
        if (item.chunks > 1) {
          const parts = pieces.slice(start, start + raw.length);
          if (parts.length) row.pieces = parts;
          row.flags.push({ kind: 'fragmented', text: m.t('cli.transcript.pieces', { count: item.chunks }) });
        }
        push(row);
        return;
      }
      case 'body': {
        // A message body is one summary item (the framer keeps no line per body line): its
        // first lines as rows, the rest counted in one row with every kind of flag it carries.
        const shown = item.head.slice(0, DATA_ROWS);
        for (const l of shown) {
          push({
            line,
            kind: 'data',
            dir: 'c2s',
            t: l.t,
            tls: item.tls,
            text: visible(l.text),
            flags: bodyLineFlags(l, m),
            b64: bodyLineBytes(l).toString('base64'),
            bytes: l.length,
          });
        }
        const rest = item.lines - shown.length;
        if (rest > 0) {
          const restBytes = item.bytes - shown.reduce((n, l) => n + l.length, 0);
          const flags: DiagramRow['flags'] = [];
          const add = (kind: DiagramRow['flags'][number]['kind'], flag: string, count: number) => {
            if (count > 0)
              flags.push({
                kind,
                text:
                  count === 1 ? m.t('web.flag.oneLine', { flag }) : m.t('web.flag.lines', { flag, count }),
              });
          };
          add(
            'bare-lf',
            m.t('web.flag.bareLf'),
            item.bareLf.samples.filter((l) => l.n > shown.length).length && item.bareLf.count,
          );
          add(
            'bare-cr',
            m.t('cli.transcript.flag.bareCr'),
            item.bareCr.samples.filter((l) => l.n > shown.length).length && item.bareCr.count,
          );
          if (item.unfinished && item.unfinished.n > shown.length) {
            flags.push({
              kind: 'no-ending',
              text: m.t(
                item.unfinished.ending === 'cr'
                  ? 'cli.transcript.flag.endsCr'
                  : 'cli.transcript.flag.noEnding',
              ),
            });
          }
          const sample = Buffer.concat(item.head.slice(DATA_ROWS).map(bodyLineBytes)).subarray(
            0,
            SUMMARY_BYTES,
          );
          push({
            line,
            kind: 'data-more',
            dir: 'c2s',
            t: item.head[DATA_ROWS]?.t ?? item.tEnd,
            tEnd: item.tEnd,
            tls: item.tls,
            text: moreLines(m, rest, restBytes),
            flags,
            b64: sample.toString('base64'),
            bytes: restBytes,
          });
        }
        return;
      }
      case 'line': {
        if (item.mode === 'data' && !item.dataEnd) {
          dataRows++;
          if (dataRows > DATA_ROWS) {
            if (!more) {
              more = {
                n: rows.length,
                line,
                kind: 'data-more',
                dir: 'c2s',
                t: item.t,
                tls: item.tls,
                text: '',
                flags: [],
                b64: '',
                bytes: 0,
              };
              rows.push(more);
            }
            more.tEnd = item.t;
            if (more.bytes < SUMMARY_BYTES) {
              more.b64 = Buffer.concat([Buffer.from(more.b64, 'base64'), item.raw])
                .subarray(0, SUMMARY_BYTES)
                .toString('base64');
            }
            more.bytes += item.raw.length;
            more.text = moreLines(m, dataRows - DATA_ROWS, more.bytes);
            for (const flag of lineFlags(item, m)) {
              if (!more.flags.some((f) => f.kind === flag.kind)) more.flags.push(flag);
            }
            return;
          }
        }
        if (item.dataEnd) {
          dataRows = 0;
          more = undefined;
        }
        push({
          line,
          kind: item.dataEnd
            ? 'data-end'
            : item.mode === 'data'
              ? 'data'
              : item.mode === 'auth'
                ? 'auth'
                : 'command',
          dir: 'c2s',
          t: item.t,
          tls: item.tls,
          text: visible(shownText(item)) + (item.annotation ? `   [${item.annotation}]` : ''),
          flags: lineFlags(item, m),
          b64: maskedBytes(item).toString('base64'),
          bytes: item.raw.length,
        });
      }
    }
  });
  // The framer completes a reply only when its last piece arrives, so its order is completion
  // order; a diagram reads top to bottom in time. Stable: rows at the same instant keep their order.
  rows.sort((a, b) => a.t - b.t);
  rows.forEach((row, n) => (row.n = n));
  markOvertaken(rows, m);
  return {
    id: meta.id,
    startedAt: meta.startedAt,
    ...(meta.peer !== undefined ? { peer: meta.peer } : {}),
    ...(meta.implicitTls !== undefined ? { implicitTls: meta.implicitTls } : {}),
    live: options.live,
    duration: options.duration,
    rows,
    ...(options.truncatedBytes ? { truncatedBytes: options.truncatedBytes } : {}),
  };
}

/** The row that stands for the body lines after the first few: how many, how many bytes. */
function moreLines(m: Messages, count: number, bytes: number): string {
  return count === 1 ? m.t('web.row.oneMoreLine', { bytes }) : m.t('web.row.moreLines', { count, bytes });
}

/** The flags of a line's ending, the same for a client line and a body line a summary kept. */
function endingFlags(line: Pick<BodyLine, 'ending' | 'bareCr'>, m: Messages): DiagramRow['flags'] {
  const flags: DiagramRow['flags'] = [];
  if (line.ending === 'lf') flags.push({ kind: 'bare-lf', text: m.t('web.flag.bareLf') });
  if (line.bareCr) flags.push({ kind: 'bare-cr', text: m.t('cli.transcript.flag.bareCr') });
  if (line.ending === 'cr' || line.ending === 'none')
    flags.push({
      kind: 'no-ending',
      text: m.t(line.ending === 'cr' ? 'cli.transcript.flag.endsCr' : 'cli.transcript.flag.noEnding'),
    });
  return flags;
}

/** The flags of a body line a body summary kept. */
function bodyLineFlags(line: BodyLine, m: Messages): DiagramRow['flags'] {
  return endingFlags(line, m);
}

/** A kept body line's bytes as far as the summary has them (its text, cut at 1 KiB, and ending). */
function bodyLineBytes(line: BodyLine): Buffer {
  const ending =
    line.ending === 'crlf' ? '\r\n' : line.ending === 'lf' ? '\n' : line.ending === 'cr' ? '\r' : '';
  return Buffer.from(line.text + ending, 'utf8');
}

/**
 * For each client line sent while a fragmented reply was arriving (after its first piece, before
 * its last): which reply, and after which piece, so the overtaking shows against that piece.
 */
function markOvertaken(rows: DiagramRow[], m: Messages): void {
  const fragmented = rows.filter((r) => r.dir === 's2c' && r.pieces && r.pieces.length > 1);
  if (!fragmented.length) return;
  for (const row of rows) {
    if (row.dir !== 'c2s') continue;
    const reply = fragmented.find((r) => r.pieces![0]!.t <= row.t && row.t < r.pieces!.at(-1)!.t);
    if (!reply) continue;
    const after = reply.pieces!.filter((p) => p.t <= row.t).length;
    row.overtook = { n: reply.n, after, of: reply.pieces!.length };
    const early = row.flags.find((f) => f.kind === 'early');
    const of = reply.pieces!.length;
    if (early)
      early.text = reply.code
        ? m.t('web.flag.earlyReply', { code: reply.code, after, of })
        : m.t('web.flag.earlyBytes', { after, of });
  }
}

/** The flags the transcript knows about a client line, for people. */
function lineFlags(line: ClientLine, m: Messages): DiagramRow['flags'] {
  const flags = endingFlags(line, m);
  if (line.injected)
    flags.push({ kind: 'plaintext-after-starttls', text: m.t('web.flag.plaintextAfterStarttls') });
  else if (line.early && line.mode !== 'data')
    flags.push({ kind: 'early', text: m.t('cli.transcript.flag.early') });
  if (line.secret) flags.push({ kind: 'secret', text: m.t(`web.flag.masked.${line.secret.kind}`) });
  return flags;
}

/** A client line's bytes with its secret replaced by the mask (the ending kept). */
function maskedBytes(line: ClientLine): Buffer {
  if (!line.secret) return line.raw;
  const ending = line.ending === 'crlf' ? 2 : line.ending === 'none' ? 0 : 1;
  const from = Buffer.byteLength(line.text.slice(0, line.secret.from));
  return Buffer.concat([
    line.raw.subarray(0, from),
    Buffer.from(MASK),
    line.raw.subarray(line.raw.length - ending),
  ]);
}

/**
 * Where each server byte arrived: the writes kept (offsets in the server's byte stream), sliced
 * per reply into pieces. A reply whose bytes were not kept gets no pieces.
 */
function serverPieces(chunks: ReadonlyArray<{ offset: number; t: number; data: Buffer }>): {
  slice(start: number, end: number): RowPiece[];
} {
  // Replies are sliced in stream order: start where the previous one was found.
  let first = 0;
  return {
    slice(start, end) {
      const out: RowPiece[] = [];
      while (first < chunks.length && chunks[first]!.offset + chunks[first]!.data.length <= start) first++;
      for (let i = first; i < chunks.length; i++) {
        const chunk = chunks[i]!;
        if (chunk.offset >= end) break;
        const from = Math.max(start, chunk.offset);
        const to = Math.min(end, chunk.offset + chunk.data.length);
        if (from < to)
          out.push({
            t: chunk.t,
            b64: chunk.data.subarray(from - chunk.offset, to - chunk.offset).toString('base64'),
          });
      }
      const covered = out.reduce((n, p) => n + Buffer.from(p.b64, 'base64').length, 0);
      return covered === end - start ? out : [];
    },
  };
}
