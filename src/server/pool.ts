import net from 'node:net';
import tls from 'node:tls';
import { ReplyParser } from '../protocol/reply.js';

/** A backend connection whose greeting has arrived and is held for the next client. */
export interface WarmConnection {
  socket: net.Socket;
  /** The greeting's bytes, exactly as the backend sent them. */
  greeting: Buffer;
}

export interface BackendTarget {
  host: string;
  port: number;
  /** Connect with TLS (the implicit-TLS backend); the CA that signed its certificate. */
  tls?: { ca: string };
}

interface Idle {
  conn: WarmConnection;
  /** Stops the pool's own listeners on the socket: the new owner attaches its own. */
  detach: () => void;
}

/** The pool grows to at most this many times its configured size under a burst of clients. */
const MAX_GROWTH = 16;

/**
 * Keeps a few backend connections open and greeted, so a client gets its 220 at once instead of
 * after smtp-server's fixed 100 ms early-talker wait. A connection that dies while idle is
 * dropped and replaced. Each greeting takes 100 ms, so `size` connections serve at most `size`
 * clients per 100 ms: when a client finds the pool empty, the pool quadruples its target (up to
 * MAX_GROWTH times `size`). It shrinks back as idle connections reach the backend's idle timeout
 * (each one that dies lowers the target by one), so a burst costs idle sockets for a while only.
 */
export class BackendPool {
  private readonly ready: Idle[] = [];
  /** Connections opened but not greeted yet: close() must end them too. */
  private readonly pending = new Set<net.Socket>();
  /** TLS connections whose handshake has completed. */
  private readonly secured = new WeakSet<net.Socket>();
  private readonly waiting: Array<{ resolve: (conn: WarmConnection) => void; reject: (err: Error) => void }> =
    [];
  private opening = 0;
  private closed = false;
  private failures = 0;
  /** How many greeted connections to keep: `size`, or more after a burst of clients. */
  private want: number;
  private markReady!: () => void;
  /** Resolves once the first connection is greeted (or the backend has failed): clients get a 220 at once. */
  readonly warmed: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  constructor(
    private readonly target: BackendTarget,
    private readonly size: number,
  ) {
    this.want = size;
    if (size === 0) this.markReady();
    this.fill();
  }

  /** A greeted backend connection; the caller owns it (and must listen for its errors) from now on. */
  acquire(): Promise<WarmConnection> {
    if (this.closed) return Promise.reject(new Error('the lab server is shutting down'));
    const idle = this.ready.shift();
    if (!idle) this.want = Math.min(Math.max(this.want * 4, 1), this.size * MAX_GROWTH);
    const promise = idle
      ? Promise.resolve(idle.conn)
      : new Promise<WarmConnection>((resolve, reject) => this.waiting.push({ resolve, reject }));
    idle?.detach();
    this.fill();
    return promise;
  }

  /**
   * Stops the pool and ends every connection not handed to a client; resolves once they have
   * closed, so the backend can be closed after them. A TLS handshake still in progress is let
   * finish first: smtp-server, when its side of a handshake is cut (by the client or by its own
   * close()), asks the dead TLS socket for its protocol, which crashes Node 20 with a SIGSEGV in
   * SSL_get_version.
   */
  close(): Promise<void> {
    this.closed = true;
    // Nobody is to wait for a warm connection any more (one greeted after this is dropped).
    this.markReady();
    const sockets = [...this.ready.splice(0).map((idle) => idle.conn.socket), ...this.pending];
    this.pending.clear();
    const error = new Error('the lab server is shutting down');
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    return Promise.all(
      sockets.map((socket) =>
        closeSocket(socket, socket instanceof tls.TLSSocket && !this.secured.has(socket)),
      ),
    ).then(() => undefined);
  }

  private fill(): void {
    while (!this.closed && this.ready.length + this.opening < this.want + this.waiting.length) {
      this.open();
    }
  }

  /** Opens one backend connection and waits for its greeting; a greeted one is handed out or kept. */
  private open(): void {
    this.opening++;
    const socket = this.connect();
    const parser = new ReplyParser();
    const received: Buffer[] = [];
    let greeted = false;
    const detach = () => {
      // The new owner resumes the socket once its own listeners are on.
      socket.pause();
      socket.removeListener('data', onData);
      socket.removeListener('error', onFail);
      socket.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      // An idle backend says nothing until it is asked; what it says now is its idle timeout's
      // 421 before it hangs up: drop the connection instead of handing a client a dead one.
      if (greeted) return onFail(new Error('the backend spoke while idle'));
      if (this.closed) {
        // Greeted after close() (its TLS handshake was let finish): nobody will take it.
        detach();
        socket.destroy();
        return;
      }
      received.push(chunk);
      try {
        if (parser.push(chunk).length === 0) return;
      } catch (err) {
        return onFail(err as Error);
      }
      greeted = true;
      this.greeted({ socket, greeting: Buffer.concat(received) }, detach);
    };
    const onClose = () => onFail(new Error('the backend closed the connection'));
    const onFail = (err: Error) => {
      detach();
      socket.destroy();
      this.pending.delete(socket);
      if (greeted) this.lostIdle(socket);
      else this.failedToGreet(err);
    };
    socket.on('data', onData);
    socket.on('error', onFail);
    socket.on('close', onClose);
  }

  /** A new connection to the backend, counted as pending until it is greeted. */
  private connect(): net.Socket {
    const { host, port } = this.target;
    const socket: net.Socket = this.target.tls
      ? tls.connect({ host, port, ca: this.target.tls.ca, servername: 'localhost' })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.once('secureConnect', () => this.secured.add(socket));
    this.pending.add(socket);
    return socket;
  }

  /** A connection's greeting has arrived: the longest-waiting client gets it, or it waits idle. */
  private greeted(conn: WarmConnection, detach: () => void): void {
    this.markReady();
    this.opening--;
    this.pending.delete(conn.socket);
    this.failures = 0;
    const waiter = this.waiting.shift();
    if (waiter) {
      detach();
      waiter.resolve(conn);
    } else {
      this.ready.push({ conn, detach });
    }
  }

  /** A greeted connection died while idle in the pool: forget it and open a replacement. */
  private lostIdle(socket: net.Socket): void {
    const at = this.ready.findIndex((idle) => idle.conn.socket === socket);
    if (at !== -1) this.ready.splice(at, 1);
    // Idle long enough for the backend to time it out: the burst is over.
    if (this.want > this.size) this.want--;
    this.fill();
  }

  /** A connection failed before its greeting: retried, or reported once the backend keeps failing. */
  private failedToGreet(err: Error): void {
    this.opening--;
    // A backend that keeps failing is reported to whoever waits instead of retried forever.
    if (++this.failures >= 3) {
      this.markReady();
      for (const waiter of this.waiting.splice(0)) waiter.reject(err);
      return;
    }
    this.fill();
  }
}

/** How long a pooled TLS connection may take to finish its handshake once the pool is closing. */
const HANDSHAKE_GRACE_MS = 2000;

function closeSocket(socket: net.Socket, handshaking: boolean): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), HANDSHAKE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (handshaking) socket.once('secureConnect', () => socket.end());
    else socket.destroy();
  });
}
