import net from 'node:net';
import tls from 'node:tls';

/**
 * A raw client socket that keeps what a fault test needs to see: every chunk as it arrived (its
 * boundaries and time since connect), and how the connection ended (FIN, RST, or not at all).
 */
export class WireProbe {
  readonly chunks: Array<{ t: number; data: Buffer }> = [];
  /** The server half-closed (FIN). */
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  readonly connectedAt = performance.now();
  private readonly waiters = new Set<() => void>();

  private constructor(public socket: net.Socket) {
    this.watch(socket);
  }

  static connect(port: number, options: { tls?: tls.ConnectionOptions } = {}): Promise<WireProbe> {
    return new Promise((resolve, reject) => {
      const socket = options.tls
        ? tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options.tls })
        : net.connect({ host: '127.0.0.1', port });
      const probe = new WireProbe(socket);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve(probe));
      socket.once('error', reject);
    });
  }

  private watch(socket: net.Socket): void {
    socket.on('data', (data: Buffer) => {
      this.chunks.push({ t: performance.now() - this.connectedAt, data });
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Everything received so far, as text. */
  get text(): string {
    return Buffer.concat(this.chunks.map((c) => c.data)).toString('latin1');
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /**
   * Resolves once `ready()` holds (checked at every event); rejects after `timeoutMs` saying what
   * was seen. For "nothing happens" use `quiet`.
   */
  until(ready: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; received ${JSON.stringify(this.text)}, ended ${this.ended}, closed ${this.closed}, error ${this.error?.code}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Resolves when the received text matches `pattern` (from `from` on). */
  untilText(pattern: RegExp, from = 0, timeoutMs?: number): Promise<void> {
    return this.until(() => pattern.test(this.text.slice(from)), String(pattern), timeoutMs);
  }

  /** Waits until the text from `from` on holds one complete reply (its last line "NNN text\r\n"). */
  async reply(from = this.text.length): Promise<string> {
    await this.untilText(/(^|\r\n)\d{3}( [^\r\n]*)?\r\n$/, from);
    return this.text.slice(from);
  }

  /** Sends a command line and returns its complete reply. */
  async command(line: string): Promise<string> {
    const from = this.text.length;
    this.write(`${line}\r\n`);
    return this.reply(from);
  }

  /** Resolves true if nothing arrives (and the connection stays open) for `ms`. */
  async quiet(ms: number): Promise<boolean> {
    const before = this.chunks.length;
    const changed = await this.until(() => this.chunks.length !== before || this.closed, 'silence', ms).then(
      () => true,
      () => false,
    );
    return !changed;
  }

  /** Upgrades to TLS after a 220 to STARTTLS; resolves with the TLS socket or rejects with its error. */
  startTls(options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket: plain, servername: 'localhost', ...options });
      this.socket = secure;
      this.watch(secure);
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
