import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { TlsMode } from '../protocol/tls.js';
import { ProxiedConnection, type ConnectionOptions } from './connection.js';
import type { FaultPlan } from './faults.js';
import { LabSession, type SessionRegistry } from './session.js';

/**
 * The wire proxy: the only port a client sees. It records every chunk in both directions (in
 * plaintext: TLS ends here), frames the session as it goes, answers STARTTLS by upgrading both
 * legs in the same tick, and forwards everything else to an unmodified smtp-server.
 */

export type { TlsMode };
export { LabSession, type LabSessionEvents, type SessionRegistry } from './session.js';

/** How long a refused connection (past a cap) may linger before it is destroyed. */
const REFUSE_GRACE_MS = 1000;

export interface ProxyOptions extends ConnectionOptions {
  /** Connections open at once, in all and from one client address; past them a 421 at once. */
  maxConnections: number;
  maxConnectionsPerClient: number;
  sessionsDir: string | undefined;
  onSession: (session: LabSession) => void;
  /** Wire faults of the run (a scenario's); an empty plan changes nothing. */
  faults: FaultPlan;
}

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
