import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { formatReply } from '../protocol/reply.js';
import { Transcript, type Direction, type TranscriptEvent } from '../transcript/events.js';
import { SessionFramer, type FramedItem } from '../transcript/framer.js';
import { eventLine, sessionLine } from '../transcript/jsonl.js';
import type { StoredMessage } from './mailbox.js';
import type { BackendPool } from './pool.js';

/**
 * The wire proxy: the only port a client sees. It records every chunk in both directions (in
 * plaintext: TLS ends here), frames the session as it goes, answers STARTTLS by upgrading both
 * legs in the same tick, and forwards everything else to an unmodified smtp-server.
 */

export type TlsMode = 'none' | 'starttls' | 'implicit';

export interface LabSessionEvents {
  /** A framed line, reply or note, as soon as it is complete. */
  item: [FramedItem];
  /** A message of this session was stored (before its 250 went out). */
  message: [StoredMessage];
  /** Both sides have closed; the transcript file is complete. */
  end: [];
}

export class LabSession extends EventEmitter<LabSessionEvents> {
  readonly transcript: Transcript;
  readonly framer = new SessionFramer();
  tlsMode: TlsMode = 'none';
  tlsInfo: { protocol: string; cipher: string } | undefined;
  /** Where the session's JSON-lines transcript is written, when the server keeps a folder. */
  transcriptPath: string | undefined;
  readonly messages: StoredMessage[] = [];
  /** Resolves when the session has ended and its transcript file is flushed. */
  readonly ended: Promise<void>;
  private markEnded!: () => void;
  private file: WriteStream | undefined;

  constructor(
    readonly id: string,
    readonly peer: { address: string | undefined; port: number | undefined },
    readonly implicitTls: boolean,
    localPort: number,
    sessionsDir: string | undefined,
  ) {
    super();
    this.transcript = new Transcript({
      id,
      startedAt: new Date().toISOString(),
      peer: `${peer.address}:${peer.port}`,
      localPort,
      implicitTls,
    });
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    if (sessionsDir) {
      this.transcriptPath = path.join(sessionsDir, `${id}.jsonl`);
      this.file = createWriteStream(this.transcriptPath);
      this.file.on('error', () => (this.file = undefined));
      this.file.write(sessionLine(this.transcript.meta) + '\n');
    }
  }

  /** The framed items so far. */
  get items(): readonly FramedItem[] {
    return this.framer.items;
  }

  record(dir: Direction, tls: boolean, data: Buffer): FramedItem[] {
    return this.accept(this.transcript.wire(dir, tls, data));
  }

  note(level: 'info' | 'error', text: string): void {
    this.accept(this.transcript.note(level, text));
  }

  private accept(event: TranscriptEvent): FramedItem[] {
    this.file?.write(eventLine(event) + '\n');
    const items = this.framer.push(event);
    for (const item of items) this.emit('item', item);
    return items;
  }

  /** Flushes the framer and the transcript file; called once, when both legs are closed. */
  finish(): void {
    for (const item of this.framer.finish(this.transcript.now())) this.emit('item', item);
    const done = () => {
      this.emit('end');
      this.markEnded();
    };
    if (this.file) this.file.end(done);
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
  sessionsDir: string | undefined;
  onSession: (session: LabSession) => void;
}

/** Sessions by the local port of their backend connection: how smtp-server's hooks find theirs. */
export type SessionRegistry = Map<number, LabSession>;

export class WireProxy {
  readonly sessions = new Set<LabSession>();
  readonly byBackendPort: SessionRegistry = new Map();
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private closing = false;

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

  /** Stops listening, tells connected clients the service is going away, and waits for the sessions. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.sessions].map((session) => session.ended));
  }

  private accept(raw: net.Socket, implicit: boolean): void {
    if (this.closing) {
      raw.destroy();
      return;
    }
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
    new ProxiedConnection(session, raw, implicit, this.options, this).start();
  }

  /** Bookkeeping shared with connections (sockets to destroy on close, the backend-port registry). */
  track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  release(session: LabSession, backendPort: number | undefined): void {
    if (backendPort !== undefined) this.byBackendPort.delete(backendPort);
    this.sessions.delete(session);
  }
}

/** One client connection and its backend connection. */
class ProxiedConnection {
  private client: net.Socket;
  private backend: net.Socket | undefined;
  private backendPort: number | undefined;
  private clientTls: boolean;
  private readonly toBackendQueue: Buffer[] = [];
  /** Plaintext the client sent after STARTTLS: held back, forwarded only if STARTTLS is refused. */
  private withheld: Buffer[] = [];
  private clientClosed = false;
  private backendClosed = false;
  private finished = false;

  constructor(
    private readonly session: LabSession,
    raw: net.Socket,
    implicit: boolean,
    private readonly options: ProxyOptions,
    private readonly proxy: WireProxy,
  ) {
    this.client = raw;
    this.clientTls = implicit;
    raw.setNoDelay(true);
    proxy.track(raw);
    session.note(
      'info',
      `connection from ${raw.remoteAddress}:${raw.remotePort} to port ${raw.localPort}${implicit ? ' (implicit TLS)' : ''}`,
    );
  }

  start(): void {
    if (this.clientTls) {
      this.session.tlsMode = 'implicit';
      const secure = new tls.TLSSocket(this.client, {
        isServer: true,
        secureContext: this.options.secureContext,
      });
      this.watchClient(secure, true);
      secure.once('secure', () => {
        this.tlsStarted(secure);
        void this.attachBackend(this.options.securePool!);
      });
      return;
    }
    this.watchClient(this.client, false);
    void this.attachBackend(this.options.plainPool);
  }

  // ----- client leg -----

  private watchClient(socket: net.Socket, secure: boolean): void {
    this.client = socket;
    socket.on('data', this.onClientData);
    socket.on('end', () => {
      this.session.note('info', 'client closed its sending side');
      this.backend?.end();
    });
    socket.on('error', (err: Error) => {
      const during =
        secure && !this.session.tlsInfo ? 'TLS handshake with the client failed' : 'client error';
      this.session.note('error', `${during}: ${err.message}`);
      this.shutdown();
    });
    socket.once('close', () => {
      if (this.client !== socket) return; // a plaintext socket that TLS took over
      this.clientClosed = true;
      this.session.note('info', 'client connection closed');
      this.backend?.end();
      this.maybeFinish();
    });
    socket.setTimeout(this.options.idleTimeout, () => this.idle());
  }

  private readonly onClientData = (chunk: Buffer): void => {
    const wasWithholding = this.session.framer.awaitingTls;
    const items = this.session.record('c2s', this.clientTls, chunk);
    let forward = chunk;
    if (wasWithholding && !this.clientTls) {
      forward = Buffer.alloc(0);
      this.withheld.push(chunk);
    } else if (this.session.framer.awaitingTls && !this.clientTls) {
      // Forward up to the end of the STARTTLS line; what follows it in plaintext must not reach the server.
      const event = this.session.transcript.events.length - 1;
      const starttls = items.findLast((item) => item.kind === 'line' && item.command?.verb === 'STARTTLS');
      const span = starttls?.kind === 'line' ? starttls.spans?.findLast((s) => s.event === event) : undefined;
      const end = span?.end ?? 0;
      forward = chunk.subarray(0, end);
      if (end < chunk.length) this.withheld.push(chunk.subarray(end));
    }
    if (forward.length) this.toBackend(forward);
  };

  private idle(): void {
    const seconds = Math.round(this.options.idleTimeout / 1000);
    this.writeClient(
      formatReply(421, `4.4.2 smtp-lab: nothing received for ${seconds} s, closing connection`),
    );
    this.session.note('error', `idle timeout after ${seconds} s`);
    this.client.end();
    this.backend?.destroy();
  }

  private writeClient(data: Buffer, then?: () => void): void {
    this.session.record('s2c', this.clientTls, data);
    if (this.client.destroyed || this.client.writableEnded) return;
    if (!this.client.write(data, then ? () => then() : undefined) && this.backend) {
      const backend = this.backend;
      backend.pause();
      this.client.once('drain', () => backend.resume());
    }
  }

  private tlsStarted(socket: tls.TLSSocket): void {
    const cipher = socket.getCipher();
    this.session.tlsInfo = { protocol: socket.getProtocol() ?? 'TLS', cipher: cipher.name };
    this.session.note('info', `TLS started: ${this.session.tlsInfo.protocol} ${cipher.name}`);
  }

  // ----- backend leg -----

  private async attachBackend(pool: BackendPool): Promise<void> {
    let conn;
    try {
      conn = await pool.acquire();
    } catch (err) {
      this.session.note('error', `lab server backend unavailable: ${(err as Error).message}`);
      this.writeClient(formatReply(421, '4.3.0 smtp-lab: backend unavailable, try again'));
      this.client.end();
      this.backendClosed = true;
      this.maybeFinish();
      return;
    }
    if (this.clientClosed) {
      conn.socket.destroy();
      this.backendClosed = true;
      this.maybeFinish();
      return;
    }
    this.backendPort = conn.socket.localPort;
    if (this.backendPort !== undefined) this.proxy.byBackendPort.set(this.backendPort, this.session);
    this.watchBackend(conn.socket);
    this.writeClient(conn.greeting);
    conn.socket.resume();
    for (const chunk of this.toBackendQueue.splice(0)) this.toBackend(chunk);
  }

  private watchBackend(socket: net.Socket): void {
    this.backend = socket;
    this.proxy.track(socket);
    socket.on('data', this.onBackendData);
    socket.on('error', (err: Error) => {
      this.session.note('error', `backend error: ${err.message}`);
      this.shutdown();
    });
    socket.once('close', () => {
      if (this.backend !== socket) return;
      this.backendClosed = true;
      this.client.end();
      this.maybeFinish();
    });
  }

  private toBackend(data: Buffer): void {
    const backend = this.backend;
    if (!backend) {
      this.toBackendQueue.push(data);
      return;
    }
    if (backend.destroyed || backend.writableEnded) return;
    if (!backend.write(data)) {
      const client = this.client;
      client.pause();
      backend.once('drain', () => client.resume());
    }
  }

  private readonly onBackendData = (chunk: Buffer): void => {
    const framer = this.session.framer;
    this.session.record('s2c', this.clientTls, chunk);
    if (!this.client.destroyed && !this.client.writableEnded) {
      if (framer.startTlsAccepted && !this.clientTls) {
        this.upgrade(chunk);
        return;
      }
      this.client.write(chunk);
    }
    if (this.withheld.length && !framer.awaitingTls) {
      // STARTTLS was refused: what the client sent behind it was meant for the server after all.
      const held = this.withheld;
      this.withheld = [];
      for (const part of held) this.toBackend(part);
    }
  };

  /**
   * The backend accepted STARTTLS with `reply`. Stop reading both plaintext sockets now, send the
   * 220, and only when it has left, hand the client socket to TLS; the backend leg upgrades at
   * once. Nothing the client sent in plaintext after STARTTLS is forwarded (RFC 3207 section 4.2).
   */
  private upgrade(reply: Buffer): void {
    this.withheld = [];
    const plainClient = this.client;
    const plainBackend = this.backend!;
    plainClient.removeListener('data', this.onClientData);
    plainClient.pause();
    plainBackend.removeListener('data', this.onBackendData);
    this.session.tlsMode = 'starttls';

    this.watchBackend(
      tls.connect({ socket: plainBackend, ca: this.options.backendCa, servername: 'localhost' }),
    );

    plainClient.write(reply, () => {
      if (plainClient.destroyed) return;
      const secure = new tls.TLSSocket(plainClient, {
        isServer: true,
        secureContext: this.options.secureContext,
      });
      this.clientTls = true;
      this.watchClient(secure, true);
      secure.once('secure', () => this.tlsStarted(secure));
    });
  }

  private shutdown(): void {
    this.client.destroy();
    this.backend?.destroy();
    this.clientClosed = true;
    if (!this.backend) this.backendClosed = true;
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.finished || !this.clientClosed || !(this.backendClosed || !this.backend)) return;
    this.finished = true;
    this.proxy.release(this.session, this.backendPort);
    this.session.finish();
  }
}
