import { Transcript, type TranscriptEvent } from './events.js';
import { MASK, SessionFramer, type Framed, type FramedItem } from './framer.js';

interface Cut {
  start: number;
  end: number;
  replacement: Buffer;
}

/**
 * A copy of the transcript in which every secret a client sent (AUTH passwords, PLAIN credentials,
 * tokens) is replaced by a mask in the wire events themselves. Reports and printed JSON use this;
 * the raw events stay only in the run folder.
 */
export function redactTranscript(transcript: Transcript, secrets: readonly string[] = []): Transcript {
  const redactor = new Redactor(Infinity, secrets);
  for (const event of transcript.events) redactor.push(event);
  const copy = new Transcript(transcript.meta);
  copy.events.push(...redactor.finish().events);
  return copy;
}

/**
 * Redacts a session's events as they stream past (a transcript file read line by line), keeping
 * only the first `maxBytes` of wire bytes: memory stays bounded whatever the session's size.
 */
export class Redactor {
  private readonly framer = new SessionFramer();
  private readonly kept: TranscriptEvent[] = [];
  private readonly cuts = new Map<number, Cut[]>();
  private bytes = 0;
  private last = 0;
  /** Events and wire bytes left out after the limit. */
  readonly left = { events: 0, bytes: 0 };

  /** `secrets`: known passwords in their encodings (secretForms), masked wherever a line is one. */
  constructor(
    private readonly maxBytes: number,
    private readonly secrets: readonly string[] = [],
  ) {}

  push(event: TranscriptEvent): void {
    const size = event.type === 'wire' ? event.data.length : 0;
    if (this.bytes <= this.maxBytes && this.left.events === 0) {
      this.kept.push(event);
      this.bytes += size;
    } else {
      this.left.events++;
      this.left.bytes += size;
    }
    this.last = event.t;
    this.cut(this.framer.push(event));
  }

  /** The kept events, secrets masked, and what was left out. */
  finish(): { events: TranscriptEvent[]; left: { events: number; bytes: number } } {
    this.cut(this.framer.finish(this.last));
    const events = this.kept.map((event, index) => applyCuts(event, this.cuts.get(index)));
    return { events, left: this.left };
  }

  private cut(items: readonly Framed[]): void {
    markKnownSecrets(
      items.filter((i): i is FramedItem => i.kind !== 'body-bytes'),
      this.secrets,
    );
    for (const item of items) {
      if (item.kind !== 'line' || !item.secret || !item.spans) continue;
      const endingLength = item.ending === 'crlf' ? 2 : item.ending === 'none' ? 0 : 1;
      const from = Buffer.byteLength(item.text.slice(0, item.secret.from));
      const to = (item.clipped ?? item.raw.length) - endingLength;
      let offset = 0;
      let masked = false;
      for (const span of item.spans) {
        const length = span.end - span.start;
        const start = Math.max(from, offset) - offset;
        const end = Math.min(to, offset + length) - offset;
        if (start < end && span.event < this.kept.length) {
          const list = this.cuts.get(span.event) ?? [];
          list.push({
            start: span.start + start,
            end: span.start + end,
            replacement: masked ? Buffer.alloc(0) : Buffer.from(MASK),
          });
          masked = true;
          this.cuts.set(span.event, list);
        }
        offset += length;
      }
    }
  }
}

function applyCuts(event: TranscriptEvent, cuts: Cut[] | undefined): TranscriptEvent {
  if (!cuts || event.type !== 'wire') return event;
  const parts: Buffer[] = [];
  let at = 0;
  for (const cut of cuts.sort((a, b) => a.start - b.start)) {
    parts.push(event.data.subarray(at, cut.start), cut.replacement);
    at = cut.end;
  }
  parts.push(event.data.subarray(at));
  return { ...event, data: Buffer.concat(parts) };
}

/**
 * Marks as secret every client line that is, as a whole, one of `secrets` (a known password in
 * one of its encodings, secretForms): wherever a client sends it, whatever the framer made of the
 * line, it is masked like an AUTH credential.
 */
export function markKnownSecrets(items: readonly FramedItem[], secrets: readonly string[]): void {
  if (!secrets.length) return;
  const known = new Set(secrets);
  for (const item of items) {
    if (item.kind !== 'line' || item.secret || item.mode === 'data') continue;
    if (known.has(item.text.trim())) {
      item.secret = { kind: 'password', from: 0 };
      item.annotation = 'a known password, hidden';
    }
  }
}

/**
 * Every form in which a password can leak into printed text: as typed, JSON-escaped, and the
 * base64 that AUTH LOGIN and AUTH PLAIN (with or without an authorization id) put on the wire.
 * Longest first, so a longer form is masked whole before a shorter one inside it. Forms shorter
 * than three characters are left alone: masking them would garble everything else.
 */
export function secretForms(user: string, password: string): string[] {
  return [
    password,
    JSON.stringify(password).slice(1, -1),
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${user}\0${password}`).toString('base64'),
    Buffer.from(`${user}\0${user}\0${password}`).toString('base64'),
  ]
    .filter((form, i, all) => form.length >= 3 && all.indexOf(form) === i)
    .sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret form in text with the mask. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(MASK), text);
}
