import { seededRandom } from '../../src/server/faults.js';
import {
  Transcript,
  type NoteKind,
  type TranscriptEvent,
  type WireEvent,
} from '../../src/transcript/events.js';
import { frameEvents, type Framed, type FramedItem } from '../../src/transcript/framer.js';

/** One step of a hand-written session: client bytes, server bytes, or a note. */
export type Step =
  | { dir: 'c2s' | 's2c'; data: string | Buffer; tls?: boolean }
  | { note: string; level?: 'info' | 'error'; kind?: NoteKind };

export const c = (data: string | Buffer, tls = false): Step => ({ dir: 'c2s', data, tls });
export const s = (data: string | Buffer, tls = false): Step => ({ dir: 's2c', data, tls });
export const note = (text: string, level: 'info' | 'error' = 'info', kind?: NoteKind): Step => ({
  note: text,
  level,
  ...(kind ? { kind } : {}),
});

/** A transcript whose events have t = 10, 20, 30, ... so times in framed items are predictable. */
export function transcriptOf(steps: Step[]): Transcript {
  const transcript = new Transcript({ id: 'test', startedAt: '2026-01-01T00:00:00.000Z' }, 0);
  steps.forEach((step, i) => {
    const t = (i + 1) * 10;
    if ('note' in step) {
      const kind = step.kind ? { kind: step.kind } : {};
      transcript.events.push({ type: 'note', t, level: step.level ?? 'info', text: step.note, ...kind });
    } else {
      const data = typeof step.data === 'string' ? Buffer.from(step.data, 'utf8') : step.data;
      transcript.events.push({ type: 'wire', t, dir: step.dir, tls: step.tls ?? false, data });
    }
  });
  return transcript;
}

/** Deterministic PRNG (mulberry32) so "random" chunkings replay identically. */
/** The fault engine's seeded PRNG (mulberry32): deterministic chunkings for the tests. */
export const seeded = seededRandom;

/** Splits every wire event into pieces at the offsets `cuts` chooses; each piece keeps t, dir, tls. */
export function rechunk(
  events: readonly TranscriptEvent[],
  cuts: (event: WireEvent) => number[],
): TranscriptEvent[] {
  return events.flatMap((event): TranscriptEvent[] => {
    if (event.type !== 'wire') return [event];
    const points = [...new Set(cuts(event).filter((p) => p > 0 && p < event.data.length))].sort(
      (x, y) => x - y,
    );
    const bounds = [0, ...points, event.data.length];
    return bounds
      .slice(1)
      .map((end, i) => ({ ...event, data: Buffer.from(event.data.subarray(bounds[i], end)) }));
  });
}

export const everyByte = (event: WireEvent) => Array.from({ length: event.data.length }, (_, i) => i);

export function randomCuts(seed: number) {
  const next = seeded(seed);
  return (event: WireEvent) => {
    const count = Math.floor(next() * 4);
    return Array.from({ length: count }, () => 1 + Math.floor(next() * Math.max(1, event.data.length - 1)));
  };
}

/** Also merges consecutive wire events of the same direction and TLS state into one chunk. */
export function merge(events: readonly TranscriptEvent[]): TranscriptEvent[] {
  const out: TranscriptEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.type === 'wire' && last?.type === 'wire' && last.dir === event.dir && last.tls === event.tls) {
      out[out.length - 1] = { ...last, data: Buffer.concat([last.data, event.data]) };
    } else {
      out.push(event);
    }
  }
  return out;
}

/**
 * One framed item as a short string that names everything chunking must not change (so not spans
 * or fragment counts). Examples:
 *   `-> "EHLO x" crlf command early`
 *   `<- 250 ["a","b"] answers=1`
 *   `!! "xyz\r\n" malformed reply line`
 */
export function describeItem(item: FramedItem): string {
  switch (item.kind) {
    case 'line': {
      const parts = [
        `${item.tls ? '~>' : '->'} ${JSON.stringify(item.text)} ${item.ending} ${item.mode}`,
        item.bareCr ? 'bareCr' : '',
        item.early ? 'early' : '',
        item.dataEnd ? 'dataEnd' : '',
        item.injected ? 'injected' : '',
        item.secret ? `secret=${item.secret.kind}@${item.secret.from}` : '',
        item.annotation ? `(${item.annotation})` : '',
      ];
      return parts.filter(Boolean).join(' ');
    }
    case 'reply':
      return `${item.tls ? '<~' : '<-'} ${item.reply.code} ${JSON.stringify(item.reply.lines)} answers=${String(item.answers)}`;
    case 'garbage':
      return `!! ${JSON.stringify(item.raw.toString('latin1'))} ${item.error}`;
    case 'note':
      return `== ${item.level} ${item.text}`;
    case 'body':
      return describeItems([item]).join('\n');
  }
}

/**
 * Framed items as describeItem strings, a message body summary as one string per line it kept
 * (the way a body used to be framed, a line per item), body bytes for forwarding left out. A
 * reply's `answers=` names the position of the answered line in this list, so the strings read
 * the same as when every body line was an item. `first` is the item number of items[0].
 */
export function describeItems(items: readonly Framed[], first = 0): string[] {
  const position = new Map<number, number>();
  let at = 0;
  let n = first;
  for (const item of items) {
    if (item.kind === 'body-bytes') continue;
    position.set(n++, at);
    at += item.kind === 'body' ? body(item).length : 1;
  }
  return items.flatMap((item) => {
    if (item.kind === 'body-bytes') return [];
    if (item.kind === 'reply' && typeof item.answers === 'number' && position.has(item.answers)) {
      return [describeItem({ ...item, answers: position.get(item.answers) })];
    }
    if (item.kind !== 'body') return [describeItem(item)];
    const lines = body(item);
    return lines.map((line) =>
      [
        `${item.tls ? '~>' : '->'} ${JSON.stringify(line.text)} ${line.ending} data`,
        line.bareCr ? 'bareCr' : '',
        line.early ? 'early' : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  });
}

/** The lines a body summary kept: its head, and the unfinished last line when not in the head. */
function body(item: Extract<FramedItem, { kind: 'body' }>) {
  const lines = [...item.head];
  if (item.unfinished && !lines.includes(item.unfinished)) lines.push(item.unfinished);
  return lines;
}

export function frame(steps: Step[] | readonly TranscriptEvent[]): FramedItem[] {
  const events = isSteps(steps) ? transcriptOf(steps).events : steps;
  return frameEvents(events);
}

export function described(steps: Step[] | readonly TranscriptEvent[]): string[] {
  return describeItems(frame(steps));
}

function isSteps(value: Step[] | readonly TranscriptEvent[]): value is Step[] {
  return value.length === 0 || !('type' in value[0]!);
}

/**
 * Every class of terminal escape a client could smuggle through the AUTH annotation (the
 * mechanism name, the decoded user name): none reaches the output raw.
 */
export const HOSTILE_PAYLOADS: Array<{ name: string; text: string }> = [
  { name: 'clear screen (ESC [2J)', text: '\x1b[2J\x1b[H' },
  { name: 'window title (OSC ... BEL)', text: '\x1b]0;owned\x07' },
  { name: 'C1 CSI (U+009B)', text: '\u009b31m' },
  { name: 'DEL', text: 'x\x7f\x7f' },
  { name: 'backspace and CR (overwrite the line)', text: 'ok\x08\x08\rFAKE' },
  { name: 'bidi override', text: '\u202eevil' },
];

/** Raw control characters a terminal would act on (TAB and LF are layout, not escapes). */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
