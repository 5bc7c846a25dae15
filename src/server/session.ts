import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { TlsMode } from '../protocol/tls.js';
import type { Direction, NoteKind, NoteLevel, SessionMeta, TranscriptEvent } from '../transcript/events.js';
import { SessionFramer, type Framed, type FramedItem } from '../transcript/framer.js';
import { eventLine, sessionLine } from '../transcript/jsonl.js';
import type { StoredMessage } from './mailbox.js';

/**
 * One client's session at the lab server: its transcript (framed as it happens, written to its
 * JSON-lines file when the server keeps a folder), TLS state and stored messages. Its own module
 * so the proxy (which makes sessions) and the connection (which feeds one) do not import each other.
 */

/** Transcript lines are written to the file in batches: at most this late (ms) or this big. */
const TRANSCRIPT_FLUSH_MS = 20;
const TRANSCRIPT_FLUSH_BYTES = 64 * 1024;
/** Transcript bytes waiting for the disk above which the client is not read until they are written. */
const TRANSCRIPT_BACKLOG = 1024 * 1024;

export interface LabSessionEvents {
  /** A framed line, reply, note or message body summary, as soon as it is complete. */
  item: [FramedItem];
  /** The transcript file caught up after `backlogged` (the client may be read again). */
  drain: [];
  /** A message of this session was stored (before its 250 went out). */
  message: [StoredMessage];
  /** Both sides have closed; the transcript file is complete. */
  end: [];
}

export class LabSession extends EventEmitter<LabSessionEvents> {
  /** The session line of the transcript (id, start, peer, port). */
  readonly meta: SessionMeta;
  /**
   * Frames the session as it happens. Its `items` are what a live view and the checks read:
   * bounded (a message body is one summary item; at most MAX_ITEMS items are kept).
   */
  readonly framer = new SessionFramer();
  tlsMode: TlsMode = 'none';
  tlsInfo: { protocol: string; cipher: string } | undefined;
  /**
   * Where the session's JSON-lines transcript is written as it happens, when the server keeps a
   * folder: the only complete record of its bytes (nothing else keeps them).
   */
  transcriptPath: string | undefined;
  readonly messages: StoredMessage[] = [];
  /** Wire bytes so far, per direction. */
  readonly wireBytes = { c2s: 0, s2c: 0 };
  /** Resolves when the session has ended and its transcript file is flushed and closed. */
  readonly ended: Promise<void>;
  private markEnded!: () => void;
  private readonly origin = performance.now();
  private file: WriteStream | undefined;
  /** Lines not yet handed to the file (one write per batch instead of one per event). */
  private unwritten = '';
  private flushTimer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    readonly id: string,
    readonly peer: { address: string | undefined; port: number | undefined },
    readonly implicitTls: boolean,
    localPort: number,
    sessionsDir: string | undefined,
  ) {
    super();
    this.meta = {
      id,
      startedAt: new Date().toISOString(),
      peer: `${peer.address}:${peer.port}`,
      localPort,
      implicitTls,
    };
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    if (sessionsDir) {
      this.transcriptPath = path.join(sessionsDir, `${id}.jsonl`);
      this.file = createWriteStream(this.transcriptPath);
      this.file.on('error', () => {
        this.file = undefined;
        this.emit('drain');
      });
      this.file.on('drain', () => this.emit('drain'));
      this.file.write(sessionLine(this.meta) + '\n');
    }
  }

  /** The framed items so far (bounded; see `framer`). */
  get items(): readonly FramedItem[] {
    return this.framer.items;
  }

  /** Milliseconds since the connection was accepted. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  /** True while more transcript is waiting for the disk than a session may hold: stop reading. */
  get backlogged(): boolean {
    return this.file !== undefined && this.file.writableLength + this.unwritten.length > TRANSCRIPT_BACKLOG;
  }

  /** Records bytes that crossed the wire; returns what the framer completed (and body bytes). */
  record(dir: Direction, tls: boolean, data: Buffer): Framed[] {
    this.wireBytes[dir] += data.length;
    return this.accept({ type: 'wire', t: this.now(), dir, tls, data });
  }

  note(level: NoteLevel, text: string, kind: NoteKind): void {
    this.accept({ type: 'note', t: this.now(), level, text, kind });
  }

  private accept(event: TranscriptEvent): Framed[] {
    if (this.done) return [];
    if (this.file) {
      this.unwritten += eventLine(event) + '\n';
      if (this.unwritten.length >= TRANSCRIPT_FLUSH_BYTES) this.flushFile();
      else this.flushTimer ??= setTimeout(() => this.flushFile(), TRANSCRIPT_FLUSH_MS);
    }
    const framed = this.framer.push(event);
    for (const item of framed) if (item.kind !== 'body-bytes') this.emit('item', item);
    return framed;
  }

  private flushFile(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.unwritten) this.file?.write(this.unwritten);
    this.unwritten = '';
  }

  /** Flushes the framer and the transcript file; called once, when both legs are closed. */
  finish(): void {
    if (this.done) return;
    for (const item of this.framer.finish(this.now()))
      if (item.kind !== 'body-bytes') this.emit('item', item);
    this.done = true;
    this.flushFile();
    const file = this.file;
    this.file = undefined;
    const done = () => {
      this.emit('end');
      this.markEnded();
    };
    if (file) file.end(done);
    else done();
  }
}

/** Sessions by the local port of their backend connection: how smtp-server's hooks find theirs. */
export type SessionRegistry = Map<number, LabSession>;
