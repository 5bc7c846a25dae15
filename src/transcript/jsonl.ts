import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  NOTE_KINDS,
  Transcript,
  type Direction,
  type NoteKind,
  type NoteLevel,
  type SessionMeta,
  type TranscriptEvent,
} from './events.js';

/**
 * JSON lines form of a transcript: a `session` line, then one line per event. Wire bytes are
 * stored as `text` when they are printable UTF-8 (CR, LF and TAB allowed) and as `b64` otherwise,
 * so the file is readable and still byte-exact.
 */

type JsonLine =
  | ({ type: 'session' } & SessionMeta)
  | { type: 'wire'; t: number; dir: Direction; tls: boolean; text?: string; b64?: string }
  | { type: 'note'; t: number; level: NoteLevel; text: string; kind?: NoteKind };

// Padded standard base64, as Buffer#toString('base64') writes it (Buffer.from skips anything else).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Control characters other than TAB, LF and CR, and DEL.
const NON_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

export function eventToJson(event: TranscriptEvent): JsonLine {
  if (event.type === 'note') {
    const { t, level, text, kind } = event;
    return { type: 'note', t, level, text, ...(kind ? { kind } : {}) };
  }
  const text = event.data.toString('utf8');
  const exact = !NON_TEXT.test(text) && Buffer.byteLength(text) === event.data.length;
  return exact
    ? { type: 'wire', t: event.t, dir: event.dir, tls: event.tls, text }
    : { type: 'wire', t: event.t, dir: event.dir, tls: event.tls, b64: event.data.toString('base64') };
}

export function sessionLine(meta: SessionMeta): string {
  return JSON.stringify({ type: 'session', ...meta });
}

export function eventLine(event: TranscriptEvent): string {
  return JSON.stringify(eventToJson(event));
}

export function toJsonl(transcript: Transcript): string {
  return [sessionLine(transcript.meta), ...transcript.events.map(eventLine)].join('\n') + '\n';
}

/** One parsed line of a JSON-lines transcript: the session line or an event. */
export type ParsedLine = { meta: SessionMeta } | { event: TranscriptEvent };

/** Parses one line of a JSON-lines transcript; errors name `where`. */
export function parseJsonLine(line: string, where: string): ParsedLine {
  let value: JsonLine;
  try {
    value = JSON.parse(line) as JsonLine;
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a JSON object`);
  }
  if (value.type !== 'session' && typeof value.t !== 'number') {
    throw new Error(`${where}: t must be a number`);
  }
  if (value.type === 'session') {
    const { type: _type, ...rest } = value;
    if (typeof rest.id !== 'string' || typeof rest.startedAt !== 'string') {
      throw new Error(`${where}: a session line needs id and startedAt`);
    }
    return { meta: rest };
  }
  if (value.type === 'note') {
    if (value.level !== 'info' && value.level !== 'error')
      throw new Error(`${where}: level must be info or error`);
    if (typeof value.text !== 'string') throw new Error(`${where}: a note needs text`);
    if (value.kind !== undefined && !NOTE_KINDS.includes(value.kind)) {
      throw new Error(`${where}: kind must be one of ${NOTE_KINDS.join(', ')}`);
    }
    const { t, level, text, kind } = value;
    return { event: { type: 'note', t, level, text, ...(kind ? { kind } : {}) } };
  }
  if (value.type === 'wire') {
    if (value.dir !== 'c2s' && value.dir !== 's2c') throw new Error(`${where}: dir must be c2s or s2c`);
    if (value.b64 !== undefined && (typeof value.b64 !== 'string' || !BASE64.test(value.b64))) {
      throw new Error(`${where}: b64 is not base64`);
    }
    if (value.text !== undefined && typeof value.text !== 'string') {
      throw new Error(`${where}: text must be a string`);
    }
    const data =
      value.b64 !== undefined
        ? Buffer.from(value.b64, 'base64')
        : value.text !== undefined
          ? Buffer.from(value.text, 'utf8')
          : undefined;
    if (!data) throw new Error(`${where}: a wire event needs text or b64`);
    return { event: { type: 'wire', t: value.t, dir: value.dir, tls: Boolean(value.tls), data } };
  }
  throw new Error(`${where}: unknown type ${JSON.stringify((value as { type?: unknown }).type)}`);
}

/** Parses JSON lines back into a Transcript; errors name the line that is wrong. */
export function fromJsonl(text: string, source = 'transcript'): Transcript {
  let meta: SessionMeta | undefined;
  const events: TranscriptEvent[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseJsonLine(line, `${source}:${index + 1}`);
    if ('meta' in parsed) meta = parsed.meta;
    else events.push(parsed.event);
  });
  if (!meta) throw new Error(`${source}: no session line`);
  const transcript = new Transcript(meta);
  transcript.events.push(...events);
  return transcript;
}

/**
 * Reads a JSON-lines transcript file as a stream of events, one line at a time: memory stays
 * that of one line whatever the size of the file. The session line goes to `onMeta` (see `fromJsonl`).
 */
export async function* readJsonlEvents(
  file: string,
  onMeta?: (meta: SessionMeta) => void,
): AsyncGenerator<TranscriptEvent> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    const parsed = parseJsonLine(line, `${file}:${n}`);
    if ('event' in parsed) yield parsed.event;
    else onMeta?.(parsed.meta);
  }
}
