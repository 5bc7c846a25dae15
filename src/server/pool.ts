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

/**
 * Keeps a few backend connections open and greeted, so a client gets its 220 at once instead of
 * after smtp-server's fixed 100 ms early-talker wait. A connection that dies while idle is
 * dropped and replaced.
 */
export class BackendPool {
  private readonly ready: Idle[] = [];
  /** Connections opened but not greeted yet: close() must end them too. */
  private readonly pending = new Set<net.Socket>();
  private readonly waiting: Array<{ resolve: (conn: WarmConnection) => void; reject: (err: Error) => void }> =
    [];
  private opening = 0;
  private closed = false;
  private failures = 0;

  constructor(
    private readonly target: BackendTarget,
    private readonly size: number,
  ) {
    this.fill();
  }

  /** A greeted backend connection; the caller owns it (and must listen for its errors) from now on. */
  acquire(): Promise<WarmConnection> {
    if (this.closed) return Promise.reject(new Error('the lab server is shutting down'));
    const idle = this.ready.shift();
    const promise = idle
      ? Promise.resolve(idle.conn)
      : new Promise<WarmConnection>((resolve, reject) => this.waiting.push({ resolve, reject }));
    idle?.detach();
    this.fill();
    return promise;
  }

  close(): void {
    this.closed = true;
    for (const idle of this.ready.splice(0)) idle.conn.socket.destroy();
    for (const socket of this.pending) socket.destroy();
    this.pending.clear();
    const error = new Error('the lab server is shutting down');
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  private fill(): void {
    while (!this.closed && this.ready.length + this.opening < this.size + this.waiting.length) {
      this.open();
    }
  }

  private open(): void {
    this.opening++;
    const { host, port } = this.target;
    const socket: net.Socket = this.target.tls
      ? tls.connect({ host, port, ca: this.target.tls.ca, servername: 'localhost' })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    this.pending.add(socket);
    const parser = new ReplyParser();
    const received: Buffer[] = [];
    let greeted = false;
    const detach = () => {
      socket.removeListener('data', onData);
      socket.removeListener('error', onFail);
      socket.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      received.push(chunk);
      try {
        if (parser.push(chunk).length === 0) return;
      } catch (err) {
        return onFail(err as Error);
      }
      greeted = true;
      this.opening--;
      this.pending.delete(socket);
      this.failures = 0;
      socket.pause();
      const conn: WarmConnection = { socket, greeting: Buffer.concat(received) };
      const waiter = this.waiting.shift();
      if (waiter) {
        detach();
        waiter.resolve(conn);
      } else {
        this.ready.push({ conn, detach });
      }
    };
    const onClose = () => onFail(new Error('the backend closed the connection'));
    const onFail = (err: Error) => {
      detach();
      socket.destroy();
      this.pending.delete(socket);
      if (greeted) {
        // Died while idle in the pool: forget it and open a replacement.
        const at = this.ready.findIndex((idle) => idle.conn.socket === socket);
        if (at !== -1) this.ready.splice(at, 1);
        this.fill();
        return;
      }
      this.opening--;
      // A backend that keeps failing is reported to whoever waits instead of retried forever.
      if (++this.failures >= 3) {
        for (const waiter of this.waiting.splice(0)) waiter.reject(err);
        return;
      }
      this.fill();
    };
    socket.on('data', onData);
    socket.on('error', onFail);
    socket.on('close', onClose);
  }
}
