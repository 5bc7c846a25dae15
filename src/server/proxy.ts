import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { Direction, NoteKind, SessionMeta, TranscriptEvent } from '../transcript/events.js';
import { SessionFramer, type Framed, type FramedItem } from '../transcript/framer.js';
import { eventLine, sessionLine } from '../transcript/jsonl.js';
import type { StoredMessage } from './mailbox.js';
import { ProxiedConnection } from './connection.js';
import type { FaultPlan } from './faults.js';
import type { BackendPool } from './pool.js';
import type { Persona } from '../scenarios/types.js';

/**
 * The wire proxy: the only port a client sees. It records every chunk in both directions (in
 * plaintext: TLS ends here), frames the session as it goes, answers STARTTLS by upgrading both
 * legs in the same tick, and forwards everything else to an unmodified smtp-server.
 */

export type TlsMode = 'none' | 'starttls' | 'implicit';

/** Transcript lines are written to the file in batches: at most this late (ms) or this big. */
const TRANSCRIPT_FLUSH_MS = 20;
const TRANSCRIPT_FLUSH_BYTES = 64 * 1024;
/** How long a refused connection (past a cap) may linger before it is destroyed. */
const REFUSE_GRACE_MS = 1000;

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

  note(level: 'info' | 'error', text: string, kind: NoteKind): void {
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

export interface ProxyOptions {
  secureContext: tls.SecureContext;
  /** The CA of the backends' certificate, to verify the proxy-to-backend TLS leg. */
  backendCa: string;
  plainPool: BackendPool;
  securePool: BackendPool | undefined;
  /** Close a client that sends nothing for this long (ms), with a 421. */
  idleTimeout: number;
  /** The message size limit (bytes), as the backend enforces it. */
  maxSize: number;
  /** Deadline of a client's TLS handshake (ms; the idle timeout when that is shorter). */
  tlsHandshakeTimeout: number;
  /** Deadline of a whole session (ms): a 421 then, however busy the client. */
  sessionTimeout: number;
  /** Connections open at once, in all and from one client address; past them a 421 at once. */
  maxConnections: number;
  maxConnectionsPerClient: number;
  sessionsDir: string | undefined;
  onSession: (session: LabSession) => void;
  /** Wire faults of the run (a scenario's); an empty plan changes nothing. */
  faults: FaultPlan;
  /** Whose words the replies use, and which EHLO keywords are left out. */
  persona: Persona;
  hideExtensions: readonly string[];
  /** EHLO keywords left out before TLS: AUTH when the server requires TLS first, as Gmail does. */
  hideBeforeTls: readonly string[];
  /** False: STARTTLS is answered 502 here and never reaches smtp-server. */
  starttls: boolean;
  /** Add the angle brackets a MAIL FROM / RCPT TO address lacks before smtp-server reads it. */
  bareAddresses: boolean;
}

/** Sessions by the local port of their backend connection: how smtp-server's hooks find theirs. */
export type SessionRegistry = Map<number, LabSession>;

export class WireProxy {
  readonly sessions = new Set<LabSession>();
  readonly byBackendPort: SessionRegistry = new Map();
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private closing = false;
  /** Sessions open per client address. */
  private readonly perClient = new Map<string, number>();
  /** Connections refused with a 421 for the caps, since the start. */
  refused = 0;

  constructor(private readonly options: ProxyOptions) {}

  /** Listens on host:port; `implicit` for the implicit-TLS port. Resolves with the bound port. */
  async listen(host: string, port: number, implicit: boolean): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket, implicit));
    server.on('error', () => undefined);
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** Stops listening, drops connected clients (no 421 is sent), and waits for their sessions to end. */
  async close(): Promise<void> {
    this.closing = true;
    // server.close() calls back only once every connection has ended: end them before waiting.
    const closed = this.servers.map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(closed);
    await Promise.all([...this.sessions].map((session) => session.ended));
  }

  private accept(raw: net.Socket, implicit: boolean): void {
    if (this.closing) {
      raw.destroy();
      return;
    }
    const address = raw.remoteAddress ?? '';
    const fromClient = this.perClient.get(address) ?? 0;
    if (
      this.sessions.size >= this.options.maxConnections ||
      fromClient >= this.options.maxConnectionsPerClient
    ) {
      this.refuse(raw, implicit, this.sessions.size >= this.options.maxConnections);
      return;
    }
    this.perClient.set(address, fromClient + 1);
    const id = randomBytes(6).toString('hex');
    const session = new LabSession(
      id,
      { address: raw.remoteAddress, port: raw.remotePort },
      implicit,
      raw.localPort ?? 0,
      this.options.sessionsDir,
    );
    this.sessions.add(session);
    this.options.onSession(session);
    new ProxiedConnection(
      session,
      raw,
      implicit,
      this.options,
      this,
      this.options.faults.connection(),
    ).start();
  }

  /** Bookkeeping shared with connections (sockets to destroy on close, the backend-port registry). */
  track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  release(session: LabSession, backendPort: number | undefined): void {
    if (backendPort !== undefined) this.byBackendPort.delete(backendPort);
    if (!this.sessions.delete(session)) return;
    const address = session.peer.address ?? '';
    const count = (this.perClient.get(address) ?? 1) - 1;
    if (count > 0) this.perClient.set(address, count);
    else this.perClient.delete(address);
  }

  /**
   * Past a connection cap: a 421 at once (as Postfix does), no session, no backend, no file; the
   * socket is destroyed soon whatever the peer does. On the implicit-TLS port a plaintext reply
   * means nothing to the client: the connection is just closed.
   */
  private refuse(raw: net.Socket, implicit: boolean, total: boolean): void {
    this.refused++;
    raw.on('error', () => undefined);
    const timer = setTimeout(() => raw.destroy(), REFUSE_GRACE_MS);
    raw.once('close', () => clearTimeout(timer));
    this.track(raw);
    if (implicit) {
      raw.destroy();
      return;
    }
    raw.end(
      total
        ? '421 4.3.2 smtp-lab: too many connections, try again later\r\n'
        : '421 4.7.0 smtp-lab: too many connections from your address, try again later\r\n',
    );
    raw.resume();
  }
}
