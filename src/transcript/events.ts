/**
 * The one Transcript type shared by the lab server, the reference client and the grader: what
 * crossed one connection, tapped at the socket (never rebuilt from logs).
 */

export type Direction = 'c2s' | 's2c';

/** How a note is shown: information (`===`) or an error (`***`). */
export type NoteLevel = 'info' | 'error';

/** Bytes seen on the wire, as one chunk arrived or was written. */
export interface WireEvent {
  type: 'wire';
  /** Milliseconds since the connection was accepted (or opened, on the client side). */
  t: number;
  dir: Direction;
  /** True when the bytes travelled inside TLS (they are recorded in plaintext). */
  tls: boolean;
  data: Buffer;
}

/**
 * What a note records, for code to read (its text is for people and may be reworded):
 * - `connected`: a connection was accepted (`implicit-tls` in its text when on that port)
 * - `tls-started`: a TLS handshake completed; `tls-failed`: one did not
 * - `client-half-closed`, `client-closed`: the client ended its side, or the whole connection
 * - `client-error`: the client's socket failed; `server-reset`: the server reset the connection
 * - `idle-timeout`, `backend-error`: the lab server gave up
 * - `fault`: a scenario fault fired; `info`: anything else
 */
export type NoteKind =
  | 'connected'
  | 'tls-started'
  | 'tls-failed'
  | 'client-half-closed'
  | 'client-closed'
  | 'client-error'
  | 'server-reset'
  | 'idle-timeout'
  | 'session-timeout'
  | 'size-limit'
  | 'backend-error'
  | 'fault'
  | 'info';

export const NOTE_KINDS: readonly NoteKind[] = [
  'connected',
  'tls-started',
  'tls-failed',
  'client-half-closed',
  'client-closed',
  'client-error',
  'server-reset',
  'idle-timeout',
  'session-timeout',
  'size-limit',
  'backend-error',
  'fault',
  'info',
];

/** Something the recorder observed that is not bytes: a TLS handshake, a close, an error. */
export interface NoteEvent {
  type: 'note';
  t: number;
  level: NoteLevel;
  text: string;
  /** What the note records, for code to read; absent in transcripts written before kinds existed. */
  kind?: NoteKind;
}

export type TranscriptEvent = WireEvent | NoteEvent;

export interface SessionMeta {
  /** Session id, shared by the proxy transcript and the stored messages of the session. */
  id: string;
  /** Wall clock time of t = 0, ISO 8601. */
  startedAt: string;
  /** "address:port" of the peer that is not us. */
  peer?: string;
  /** The port the connection came in on, and whether it was the implicit-TLS port. */
  localPort?: number;
  implicitTls?: boolean;
}

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  private readonly origin: number;

  constructor(
    readonly meta: SessionMeta,
    /** performance.now() at t = 0. */
    origin = performance.now(),
  ) {
    this.origin = origin;
  }

  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  wire(dir: Direction, tls: boolean, data: Buffer): WireEvent {
    const event: WireEvent = { type: 'wire', t: this.now(), dir, tls, data: Buffer.from(data) };
    this.events.push(event);
    return event;
  }

  note(level: NoteLevel, text: string, kind?: NoteKind): NoteEvent {
    const event: NoteEvent = { type: 'note', t: this.now(), level, text, ...(kind ? { kind } : {}) };
    this.events.push(event);
    return event;
  }

  /** All bytes one side sent, in order (TLS and plaintext alike). */
  bytes(dir: Direction): Buffer {
    return Buffer.concat(this.events.flatMap((e) => (e.type === 'wire' && e.dir === dir ? [e.data] : [])));
  }
}
