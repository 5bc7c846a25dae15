import net from 'node:net';
import tls from 'node:tls';
import { formatReply, ReplyParser, type Reply } from '../protocol/reply.js';
import type { Fault } from './vocabulary.js';
import type { Framed } from '../transcript/framer.js';
import {
  applyFaults,
  describeFault,
  type ConnectionFaults,
  type OutgoingReply,
  type Step,
} from './faults.js';
import { personaReply } from './personas.js';
import type { BackendPool } from './pool.js';
import type { LabSession, SessionRegistry } from './session.js';
import type { Persona } from './vocabulary.js';

const NO_STARTTLS = formatReply(502, '5.5.1 STARTTLS not available: this server offers no TLS');

/**
 * `MAIL FROM: a@b` as smtp-server can read it (`MAIL FROM:<a@b>`), as Postfix accepts it; any
 * other line unchanged. Only the copy for the backend changes: the transcript keeps the client's.
 */
export function bracketed(raw: Buffer): Buffer {
  const m =
    /^([A-Za-z]{4} +(?:FROM|TO) *:) *([^\s<>]+@[^\s<>]+)((?: [A-Za-z0-9][A-Za-z0-9-]*(?:=\S*)?)*)(\r?\n)$/i.exec(
      raw.toString('latin1'),
    );
  if (!m) return raw;
  return Buffer.from(`${m[1]}<${m[2]}>${m[3] ?? ''}${m[4]}`, 'latin1');
}

/** After the server closes its side, how long the client has to close its own before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

/**
 * Body bytes of one message after which the server stops reading it: 552 and close. Far enough
 * past the size limit that a message slightly too big still gets its 552 after the final dot.
 */
export function dataCutAt(maxSize: number): number {
  return Math.max(2 * maxSize, maxSize + 16 * 1024 * 1024);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A client chunk this big makes the client wait for the next turn of the event loop (fairness). */
const FAIR_CHUNK = 16 * 1024;

/** Client bytes held for a pending reply (after DATA, AUTH, STARTTLS) before reading pauses. */
const HOLD_LIMIT = 1024 * 1024;

/**
 * A reply the client is owed, in command order: filled by the backend's reply or made here by a
 * fault that answers in the server's place. Replies go out strictly in this order.
 */
interface Slot {
  verb: string;
  n: number;
  reply?: Reply;
  steps?: Step[];
}

/** What a connection needs to be told: TLS, backends, limits and the persona's words. */
export interface ConnectionOptions {
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

/** What a connection asks of the proxy that accepted it (the WireProxy is one). */
export interface ConnectionHost {
  /** Sessions by the local port of their backend connection: how smtp-server's hooks find theirs. */
  readonly byBackendPort: SessionRegistry;
  /** Keep this socket, to be destroyed when the proxy closes. */
  track(socket: net.Socket): void;
  /** The connection is over: forget its session and backend port. */
  release(session: LabSession, backendPort: number | undefined): void;
}

/**
 * One client connection and its backend connection. Client bytes are framed into lines and
 * forwarded line by line (so a fault can answer a command instead of the server, and plaintext
 * behind STARTTLS never reaches it); backend replies are parsed, dressed in the persona's words,
 * shaped by the faults and written out in order by one serial output.
 */
export class ProxiedConnection {
  private client: net.Socket;
  private backend: net.Socket | undefined;
  private backendPort: number | undefined;
  private clientTls: boolean;
  private readonly toBackendQueue: Buffer[] = [];
  private readonly backendReplies = new ReplyParser();
  private readonly slots: Slot[] = [];
  private commands = 0;
  private dataBytes = 0;
  /** The message being sent passed the size limit (noted once). */
  private overLimit = false;
  private readonly output: Step[] = [];
  private outputRunning = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly noted = new Set<Fault>();
  /** Set once a fault or an error ended the exchange: nothing more is forwarded. */
  private stopped = false;
  private clientClosed = false;
  private backendClosed = false;
  private finished = false;
  private clientCloseNoted = false;
  /** The transcript already says why the client's TLS handshake did not complete. */
  private tlsFailureNoted = false;
  /** Waiting for a socket's 'drain' (one listener per wait). */
  private backendDraining = false;
  private clientDraining = false;
  /** A TLS handshake with the client is under way (its own deadline runs). */
  private handshaking = false;

  constructor(
    private readonly session: LabSession,
    raw: net.Socket,
    implicit: boolean,
    private readonly options: ConnectionOptions,
    private readonly proxy: ConnectionHost,
    private readonly faults: ConnectionFaults,
  ) {
    this.client = raw;
    this.clientTls = implicit;
    raw.setNoDelay(true);
    proxy.track(raw);
    session.note(
      'info',
      `connection from ${raw.remoteAddress}:${raw.remotePort} to port ${raw.localPort}${implicit ? ' (implicit TLS)' : ''}`,
      'connected',
    );
  }

  start(): void {
    this.later(this.options.sessionTimeout, () => this.sessionDeadline());
    for (const { ms, fault } of this.faults.timed()) {
      this.later(ms, () => {
        if (this.finished || !this.faults.fire(fault)) return;
        this.faultNote(fault);
        this.stopped = true;
        this.enqueue(applyFaults(Buffer.alloc(0), [fault]));
      });
    }
    if (this.clientTls) {
      this.session.tlsMode = 'implicit';
      const abort = this.faults.greetingTlsAbort();
      if (abort) {
        this.faultNote(abort);
        this.abortTlsOnHello(this.client);
        return;
      }
      const secure = new tls.TLSSocket(this.client, {
        isServer: true,
        secureContext: this.options.secureContext,
      });
      this.watchClient(secure, true);
      this.handshakeDeadline(secure, this.client);
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
      if (secure) this.noteUnfinishedHandshake();
      this.session.note('info', 'client closed its sending side', 'client-half-closed');
      this.backend?.end();
    });
    socket.on('error', (err: Error) => {
      const handshake = secure && !this.session.tlsInfo;
      if (handshake) this.tlsFailureNoted = true;
      this.session.note(
        'error',
        `${handshake ? 'TLS handshake with the client failed' : 'client error'}: ${err.message}`,
        handshake ? 'tls-failed' : 'client-error',
      );
      this.shutdown();
    });
    socket.once('close', () => {
      if (this.client !== socket) return; // a plaintext socket that TLS took over
      if (secure) this.noteUnfinishedHandshake();
      this.clientClosed = true;
      this.noteClientClosed();
      this.backend?.end();
      this.maybeFinish();
    });
    socket.setTimeout(this.options.idleTimeout, () => this.idle());
  }

  /**
   * A client that refuses the certificate usually just closes (no alert reaches the server in
   * TLS 1.3, so no error): say in the transcript that the handshake never completed.
   */
  private noteUnfinishedHandshake(): void {
    if (this.session.tlsInfo || this.tlsFailureNoted) return;
    this.tlsFailureNoted = true;
    this.session.note(
      'error',
      'TLS handshake with the client failed: the client closed the connection before the handshake completed (did it refuse the certificate?)',
      'tls-failed',
    );
  }

  private readonly onClientData = (chunk: Buffer): void => {
    this.forwardLines(this.session.record('c2s', this.clientTls, chunk));
    this.throttleClient();
    if (chunk.length >= FAIR_CHUNK && !this.readPaused && !this.client.destroyed) {
      // A client pouring bytes gets one chunk per turn of the event loop (the loop would read
      // many in a row otherwise): other clients are served in between.
      const client = this.client;
      this.readPaused = true;
      client.pause();
      this.resumeWhen = () => true;
      setImmediate(() => this.maybeResume());
    }
  };

  /**
   * Stops reading the client while what it sent cannot be handled yet, so that a session holds a
   * bounded amount: bytes that wait for the reply deciding how to read them (after DATA, AUTH,
   * STARTTLS) past HOLD_LIMIT, or a transcript file that is behind the wire. Only then: reading
   * late would record the client's bytes later than it sent them, and timing is evidence.
   */
  private throttleClient(): void {
    const client = this.client;
    if (this.readPaused || client.destroyed) return;
    const framer = this.session.framer;
    if (framer.heldBytes > HOLD_LIMIT) {
      this.readPaused = true;
      client.pause();
      this.resumeWhen = () => framer.heldBytes <= HOLD_LIMIT;
    } else if (this.session.backlogged) {
      this.readPaused = true;
      client.pause();
      this.resumeWhen = () => !this.session.backlogged;
      this.session.once('drain', () => this.maybeResume());
    }
  }

  private readPaused = false;
  private resumeWhen: () => boolean = () => true;

  private maybeResume(): void {
    if (!this.readPaused || !this.resumeWhen()) return;
    this.readPaused = false;
    if (!this.client.destroyed && !this.backendDraining) this.client.resume();
    this.throttleClient();
  }

  /**
   * Forwards the client bytes among freshly framed items: message body bytes as they are,
   * command lines unless a fault answers them, plaintext behind STARTTLS never. Held bytes come
   * out of the framer when the reply that decides them is recorded, so this runs for both sides.
   */
  private forwardLines(items: readonly Framed[]): void {
    const forward: Buffer[] = [];
    for (const item of items) {
      if (this.stopped) break;
      if (item.kind === 'body-bytes') {
        const fault = this.dataFault(this.dataBytes, this.dataBytes + item.raw.length);
        if (fault) {
          forward.push(item.raw.subarray(0, Math.max(0, (fault.on as { n: number }).n - this.dataBytes)));
          this.faultNote(fault);
          this.stopped = true;
          this.enqueue(applyFaults(Buffer.alloc(0), [fault]));
          break;
        }
        this.dataBytes += item.raw.length;
        if (this.dataBytes > this.options.maxSize && !this.overLimit) {
          this.overLimit = true;
          this.session.note(
            'error',
            `message over the size limit (${this.options.maxSize} bytes): the rest is read, not stored; the server will refuse it (552)`,
            'size-limit',
          );
        }
        if (this.dataBytes > dataCutAt(this.options.maxSize)) {
          // Far past the limit (an endless DATA): refuse now and close, rather than read for ever.
          this.stopped = true;
          this.session.note(
            'error',
            `message body past ${dataCutAt(this.options.maxSize)} bytes: refused (552) and connection closed`,
            'size-limit',
          );
          this.backend?.destroy();
          this.enqueue([
            {
              kind: 'write',
              data: formatReply(
                552,
                `5.3.4 smtp-lab: message exceeds the size limit of ${this.options.maxSize} bytes, closing connection`,
              ),
            },
            { kind: 'close', how: 'fin' },
          ]);
          break;
        }
        forward.push(item.raw);
        continue;
      }
      if (item.kind !== 'line' || item.injected) continue;
      if (item.ending === 'none' || item.ending === 'cr') {
        // Part of a line the server has not finished reading: no reply is owed for it yet.
        forward.push(item.raw);
        continue;
      }
      const verb = item.dataEnd ? '.' : item.mode === 'auth' ? 'AUTH' : (item.command?.verb ?? '');
      const n = ++this.commands;
      if (item.dataEnd) {
        this.dataBytes = 0;
        this.overLimit = false;
      }
      if (verb === 'STARTTLS' && item.mode === 'command' && !this.options.starttls) {
        this.slots.push({ verb, n, steps: [{ kind: 'write', data: NO_STARTTLS }] });
        continue;
      }
      const answer = item.mode === 'command' && !item.dataEnd ? this.faults.interception(verb, n) : undefined;
      if (answer) {
        this.faultNote(answer);
        this.slots.push({ verb, n, steps: applyFaults(Buffer.alloc(0), [answer]) });
        continue;
      }
      this.slots.push({ verb, n });
      forward.push(
        this.options.bareAddresses && (verb === 'MAIL' || verb === 'RCPT') ? bracketed(item.raw) : item.raw,
      );
    }
    if (forward.length) this.toBackend(forward.length === 1 ? forward[0]! : Buffer.concat(forward));
    this.flushSlots();
    this.maybeResume();
  }

  private dataFault(from: number, to: number): Fault | undefined {
    return this.faults
      .dataByteFaults()
      .find((f) => f.on.kind === 'data-byte' && f.on.n >= from && f.on.n < to && this.faults.fire(f));
  }

  /**
   * A TLS handshake gets its own deadline (never longer than the idle timeout): a client that
   * never completes it is dropped, both sockets destroyed (ending a socket mid-handshake never
   * completes), and the session released.
   */
  private handshakeDeadline(secure: tls.TLSSocket, plain: net.Socket): void {
    this.handshaking = true;
    const ms = Math.min(this.options.idleTimeout, this.options.tlsHandshakeTimeout);
    const timer = this.later(ms, () => {
      if (this.finished || !this.handshaking) return;
      this.tlsFailureNoted = true;
      this.session.note(
        'error',
        `TLS handshake with the client not completed within ${seconds(ms)}: connection dropped`,
        'tls-failed',
      );
      plain.destroy();
      this.shutdown();
    });
    secure.once('secure', () => {
      this.handshaking = false;
      this.clearLater(timer);
    });
  }

  /** The session deadline: however busy the client, the session ends with a 421 after this long. */
  private sessionDeadline(): void {
    this.session.note(
      'error',
      `session time limit of ${seconds(this.options.sessionTimeout)} reached`,
      'session-timeout',
    );
    this.stopped = true;
    if (this.handshaking) {
      this.shutdown();
      return;
    }
    this.enqueue([
      {
        kind: 'write',
        data: formatReply(
          421,
          `4.4.2 smtp-lab: session time limit (${seconds(this.options.sessionTimeout)}) reached, closing connection`,
        ),
      },
      { kind: 'close', how: 'fin' },
    ]);
  }

  private idle(): void {
    // A handshake under way has its own deadline, never later than this one.
    if (this.handshaking) return;
    const seconds = Math.round(this.options.idleTimeout / 1000);
    this.session.note('error', `idle timeout after ${seconds} s`, 'idle-timeout');
    this.stopped = true;
    this.enqueue([
      {
        kind: 'write',
        data: formatReply(421, `4.4.2 smtp-lab: nothing received for ${seconds} s, closing connection`),
      },
      { kind: 'close', how: 'fin' },
    ]);
  }

  private tlsStarted(socket: tls.TLSSocket): void {
    const cipher = socket.getCipher();
    this.session.tlsInfo = { protocol: socket.getProtocol() ?? 'TLS', cipher: cipher.name };
    this.session.note('info', `TLS started: ${this.session.tlsInfo.protocol} ${cipher.name}`, 'tls-started');
  }

  /** Lets the client start its TLS handshake, then cuts the connection (RST) in the middle of it. */
  private abortTlsOnHello(socket: net.Socket): void {
    socket.removeAllListeners('data');
    socket.on('error', () => undefined);
    socket.once('data', () => {
      this.session.note('error', 'TLS handshake aborted by the scenario', 'tls-failed');
      socket.resetAndDestroy();
    });
    socket.once('close', () => {
      this.clientClosed = true;
      this.backend?.destroy();
      this.maybeFinish();
    });
    socket.resume();
  }

  // ----- backend leg -----

  private async attachBackend(pool: BackendPool): Promise<void> {
    let conn;
    try {
      conn = await pool.acquire();
    } catch (err) {
      this.session.note(
        'error',
        `lab server backend unavailable: ${(err as Error).message}`,
        'backend-error',
      );
      this.enqueue([
        { kind: 'write', data: formatReply(421, '4.3.0 smtp-lab: backend unavailable, try again') },
        { kind: 'close', how: 'fin' },
      ]);
      this.backendClosed = true;
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
    this.slots.unshift({ verb: 'GREETING', n: 0 });
    this.onBackendData(conn.greeting);
    conn.socket.resume();
    for (const chunk of this.toBackendQueue.splice(0)) this.toBackend(chunk);
  }

  private watchBackend(socket: net.Socket): void {
    this.backend = socket;
    this.proxy.track(socket);
    socket.on('data', this.onBackendData);
    socket.on('error', (err: Error) => {
      this.session.note('error', `backend error: ${err.message}`, 'backend-error');
      this.shutdown();
    });
    socket.once('close', () => {
      if (this.backend !== socket) return;
      this.backendClosed = true;
      // Whatever is still queued for the client goes out first.
      this.enqueue([{ kind: 'close', how: 'fin' }]);
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
    if (!backend.write(data) && !this.backendDraining) {
      // One listener per wait, however many writes fill the buffer meanwhile.
      this.backendDraining = true;
      const client = this.client;
      client.pause();
      backend.once('drain', () => {
        this.backendDraining = false;
        if (!this.readPaused) client.resume();
      });
    }
  }

  private readonly onBackendData = (chunk: Buffer): void => {
    let replies: Reply[];
    try {
      replies = this.backendReplies.push(chunk);
    } catch (err) {
      this.session.note(
        'error',
        `backend sent an unreadable reply: ${(err as Error).message}`,
        'backend-error',
      );
      this.shutdown();
      return;
    }
    for (const reply of replies) {
      const slot = this.slots.find((s) => !s.reply && !s.steps);
      if (slot) slot.reply = reply;
      else this.slots.push({ verb: '', n: -1, reply }); // unsolicited, e.g. the backend's own timeout
      if (slot?.verb === 'STARTTLS' && reply.code === 220 && !this.clientTls) this.upgradeBackend();
    }
    this.flushSlots();
  };

  /** Turns every reply at the head of the order that is ready into output steps. */
  private flushSlots(): void {
    while (this.slots.length && (this.slots[0]!.reply || this.slots[0]!.steps)) {
      const slot = this.slots.shift()!;
      if (slot.steps) {
        this.enqueue(slot.steps);
        continue;
      }
      const reply = slot.reply!;
      const ctx: OutgoingReply = { verb: slot.verb, n: slot.n, code: reply.code, tls: this.clientTls };
      const hidden = this.clientTls
        ? this.options.hideExtensions
        : [...this.options.hideExtensions, ...this.options.hideBeforeTls];
      const dressed = personaReply(this.options.persona, reply, ctx, hidden);
      const faults = this.faults.matching(ctx);
      for (const fault of faults) this.faultNote(fault);
      const steps = applyFaults(dressed, faults);
      if (slot.verb === 'STARTTLS' && reply.code === 220 && !this.clientTls) {
        if (!steps.some((s) => s.kind === 'tls-abort' || s.kind === 'close'))
          steps.push({ kind: 'starttls' });
      }
      this.enqueue(steps);
    }
  }

  // ----- output -----

  private enqueue(steps: readonly Step[]): void {
    this.output.push(...steps);
    if (!this.outputRunning) this.runOutput();
  }

  /** Runs output steps strictly in order; a wait pauses everything behind it. */
  private runOutput(): void {
    // Replies that are ready together leave in one socket write.
    const corked = this.client;
    corked.cork();
    try {
      this.runSteps();
    } finally {
      corked.uncork();
    }
  }

  private runSteps(): void {
    this.outputRunning = true;
    while (this.output.length) {
      const step = this.output.shift()!;
      if (step.kind === 'wait') {
        this.later(step.ms, () => this.runOutput());
        return;
      }
      if (step.kind === 'write') {
        this.writeClient(step.data);
      } else if (step.kind === 'starttls') {
        this.upgradeClient();
      } else if (step.kind === 'close') {
        this.stopped = true;
        if (step.how === 'rst') {
          this.session.note('info', 'connection reset (RST) by the server', 'server-reset');
          if (!this.client.destroyed) this.client.resetAndDestroy();
        } else {
          this.client.end();
          // A peer that never closes its side must not keep the connection: destroy it soon.
          const client = this.client;
          this.later(CLOSE_GRACE_MS, () => client.destroy());
        }
        this.backend?.destroy();
      } else if (step.kind === 'tls-abort') {
        this.stopped = true;
        this.detachClient();
        this.abortTlsOnHello(this.client);
      }
    }
    this.outputRunning = false;
  }

  private writeClient(data: Buffer): void {
    if (!data.length || this.client.destroyed || this.client.writableEnded) return;
    const items = this.session.record('s2c', this.clientTls, data);
    if (!this.client.write(data) && this.backend && !this.clientDraining) {
      this.clientDraining = true;
      const backend = this.backend;
      backend.pause();
      this.client.once('drain', () => {
        this.clientDraining = false;
        backend.resume();
      });
    }
    this.forwardLines(items);
  }

  // ----- STARTTLS -----

  /** The backend said 220 to STARTTLS: its leg goes TLS now (it waits for our handshake). */
  private upgradeBackend(): void {
    const plain = this.backend!;
    plain.removeListener('data', this.onBackendData);
    this.watchBackend(tls.connect({ socket: plain, ca: this.options.backendCa, servername: 'localhost' }));
  }

  /** The 220 has been handed to the client socket: stop reading plaintext and let TLS take over. */
  private upgradeClient(): void {
    const plain = this.detachClient();
    this.session.tlsMode = 'starttls';
    // Wait until the 220 has left: TLS must not take the socket over before it.
    plain.write(Buffer.alloc(0), () => {
      if (plain.destroyed) return;
      const secure = new tls.TLSSocket(plain, { isServer: true, secureContext: this.options.secureContext });
      this.clientTls = true;
      this.watchClient(secure, true);
      this.handshakeDeadline(secure, plain);
      secure.once('secure', () => this.tlsStarted(secure));
    });
  }

  private detachClient(): net.Socket {
    const socket = this.client;
    socket.removeListener('data', this.onClientData);
    socket.pause();
    return socket;
  }

  // ----- endings -----

  private faultNote(fault: Fault): void {
    // Once per fault and connection: a fault on every reply would otherwise drown the transcript.
    if (this.noted.has(fault)) return;
    this.noted.add(fault);
    this.session.note('info', describeFault(fault), 'fault');
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clearLater(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private shutdown(): void {
    this.stopped = true;
    this.client.destroy();
    this.backend?.destroy();
    this.clientClosed = true;
    if (!this.backend) this.backendClosed = true;
    this.maybeFinish();
  }

  /**
   * Every session ends with this note. The socket's 'close' usually writes it; after a reset
   * (ECONNRESET) or a shutdown both legs can be done before that event comes, so finishing
   * writes it instead of leaving the transcript without its end.
   */
  private noteClientClosed(): void {
    if (this.clientCloseNoted) return;
    this.clientCloseNoted = true;
    this.session.note('info', 'client connection closed', 'client-closed');
  }

  private maybeFinish(): void {
    if (this.finished || !this.clientClosed || !(this.backendClosed || !this.backend)) return;
    this.noteClientClosed();
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.proxy.release(this.session, this.backendPort);
    this.session.finish();
  }
}
