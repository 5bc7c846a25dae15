import net from 'node:net';
import tls from 'node:tls';
import { SmtpProtocolError } from '../protocol/errors.js';
import { ReplyParser, type Reply, type ReplyParserLimits } from '../protocol/reply.js';
import type { Direction, NoteLevel, Transcript, TranscriptEvent } from '../transcript/events.js';
import { SmtpClientError, type Phase } from './errors.js';

/**
 * One SMTP connection as bytes: opens a TCP (or implicit TLS) socket with a timeout, upgrades it
 * for STARTTLS, reads whole replies with the shared ReplyParser (one deadline per reply, however
 * the bytes trickle in; capped reply size; capped replies nobody asked for) and writes with
 * backpressure. Every chunk read or written is recorded in the transcript at the socket, until
 * the stream fails or is closed: from then on nothing more is read into memory.
 * It knows nothing of SMTP commands: that is the session's job.
 */

export interface TlsSettings {
  /** Trust these CA certificates (PEM) instead of the system store. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Accept any certificate. Only when asked: the transcript says so with a warning. */
  insecure?: boolean;
  /** Name to verify and send as SNI; defaults to the host (never an IP address as SNI). */
  servername?: string;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465) instead of plaintext. */
  implicitTls?: boolean;
  tls?: TlsSettings;
  /** Milliseconds to open the connection (and finish an implicit TLS handshake). */
  connectTimeout: number;
  /**
   * Milliseconds for each reply as a whole (from the moment it is awaited to its last line, so a
   * server trickling bytes cannot stretch it), each TLS upgrade, and each stalled write.
   */
  readTimeout: number;
  /** Caps on one reply (line length and line count). */
  limits?: ReplyParserLimits;
  transcript: Transcript;
  /** Called with every event as it is recorded (live output). */
  onEvent?: (event: TranscriptEvent) => void;
  /**
   * Message-body bytes kept in the transcript; the rest is still shown live (onEvent) but not
   * held in memory, so a 25 MB attachment is not kept twice over. Default: all of it.
   */
  transcriptBodyLimit?: number;
}

/** What the TLS handshake settled, for the result and the transcript. */
export interface TlsInfo {
  protocol: string | null;
  cipher: string;
  /** True when the certificate chain and name were verified. */
  authorized: boolean;
  /** Why it was not verified (only ever with `insecure`). */
  authorizationError?: string;
  /** Subject and issuer common names of the server's certificate. */
  subject?: string;
  issuer?: string;
}

const END_OF_DATA = Buffer.from('.\r\n');

/**
 * Replies the server may send ahead of the client's commands (nobody pipelines here: one is a
 * 421 before a hang-up, two is already odd). Past this the stream is a protocol error, so a
 * server spewing valid replies while the client writes a long message cannot fill memory.
 */
export const MAX_UNREAD_REPLIES = 16;

/** After a failure, longest wait for the last words (QUIT, FIN) to be flushed before the socket is destroyed. */
const ABANDON_GRACE_MS = 1000;

type Waiter = { resolve: () => void; reject: (error: Error) => void };

export class SmtpConnection {
  private socket: net.Socket;
  private parser: ReplyParser;
  private readonly replies: Reply[] = [];
  /** Sticky: once the stream is unusable (closed, garbage, reset) every later read fails with it. */
  private failure: Error | undefined;
  private waiter: Waiter | undefined;
  private closedFlag = false;
  private secure = false;
  private tlsInfoValue: TlsInfo | undefined;

  private constructor(
    socket: net.Socket,
    private readonly options: ConnectionOptions,
    secure: boolean,
  ) {
    this.socket = socket;
    this.secure = secure;
    this.parser = new ReplyParser(options.limits);
    this.attach(socket);
  }

  /** Opens the connection; resolves once TCP (and, for implicit TLS, the handshake) is up. */
  static async open(options: ConnectionOptions): Promise<SmtpConnection> {
    const { host, port } = options;
    note(options, 'info', `Trying ${host}:${port}...`);
    const socket = options.implicitTls
      ? tls.connect({ host, port, ...tlsOptions(host, options.tls) })
      : net.connect({ host, port });
    let tcpUp = false;
    socket.once('connect', () => {
      tcpUp = true;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const phase: Phase = tcpUp ? 'tls' : 'connect';
          reject(
            new SmtpClientError(
              'ERR_TIMEOUT',
              phase,
              `${tcpUp ? 'TLS handshake with' : 'connecting to'} ${host}:${port} timed out after ${options.connectTimeout} ms`,
              {
                shortMessage: `${tcpUp ? 'TLS handshake' : 'connection'} timed out after ${seconds(options.connectTimeout)}`,
              },
            ),
          );
        }, options.connectTimeout);
        const done = (error?: Error) => {
          clearTimeout(timer);
          socket.removeListener('error', onError);
          socket.removeListener(options.implicitTls ? 'secureConnect' : 'connect', onUp);
          if (error) reject(error);
          else resolve();
        };
        const onUp = () => done();
        const onError = (error: NodeJS.ErrnoException) =>
          done(tcpUp ? tlsError(error, host) : connectError(error, host, port));
        socket.once(options.implicitTls ? 'secureConnect' : 'connect', onUp);
        socket.once('error', onError);
      });
    } catch (error) {
      socket.on('error', () => {});
      socket.destroy();
      throw error;
    }
    note(options, 'info', `Connected to ${host} (${socket.remoteAddress}:${socket.remotePort}).`);
    const connection = new SmtpConnection(socket, options, Boolean(options.implicitTls));
    if (options.implicitTls) connection.tlsStarted(socket as tls.TLSSocket);
    return connection;
  }

  get isTls(): boolean {
    return this.secure;
  }

  get tlsInfo(): TlsInfo | undefined {
    return this.tlsInfoValue;
  }

  /** True while bytes can still be written. */
  get isOpen(): boolean {
    return !this.closedFlag && !this.socket.destroyed && this.socket.writable;
  }

  /** True once the peer sent something that is not a reply: the stream cannot be trusted. */
  get isDesynchronised(): boolean {
    return this.failure instanceof SmtpClientError && this.failure.code === 'ERR_SMTP_PROTOCOL';
  }

  /** The IP address of the server as connected. */
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  /** True when a reply (or part of one) has arrived that nobody asked for yet. */
  get hasUnreadInput(): boolean {
    return this.replies.length > 0 || this.parser.pending;
  }

  /** Takes a reply already read, without waiting; undefined when none is there. */
  takeReply(): Reply | undefined {
    return this.replies.shift();
  }

  /**
   * The next whole reply; fails with a typed error on timeout, garbage or a closed connection.
   * `timeout` bounds the reply as a whole: bytes arriving do not restart it.
   */
  async readReply(phase: Phase, timeout = this.options.readTimeout): Promise<Reply> {
    const deadline = performance.now() + timeout;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return reply;
      if (this.failure) throw withPhase(this.failure, phase);
      await this.wait(phase, timeout, deadline - performance.now(), 'waiting for the server to reply');
    }
  }

  /** Writes bytes and waits for the socket to drain when its buffer is full (backpressure). */
  async write(phase: Phase, data: Buffer): Promise<void> {
    if (!this.isOpen) throw withPhase(this.failure ?? closedError(phase), phase);
    // A server that sent garbage will not read a message sensibly: stop writing it too.
    if (this.isDesynchronised) throw withPhase(this.failure!, phase);
    if (phase === 'message') this.recordBody(data);
    else this.record('c2s', data);
    if (this.socket.write(data)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new SmtpClientError(
            'ERR_TIMEOUT',
            phase,
            `the server stopped reading: no progress writing for ${this.options.readTimeout} ms`,
            {
              shortMessage: `the server stopped reading (timed out after ${seconds(this.options.readTimeout)})`,
            },
          ),
        );
      }, this.options.readTimeout);
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onClose = () => {
        cleanup();
        reject(withPhase(this.failure ?? closedError(phase), phase));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.socket.removeListener('drain', onDrain);
        this.socket.removeListener('close', onClose);
      };
      this.socket.once('drain', onDrain);
      this.socket.once('close', onClose);
    });
  }

  /**
   * Upgrades to TLS after the server's 220 to STARTTLS (RFC 3207). Refuses when the server sent
   * anything after that 220: such bytes were injected in plaintext and must not be read as if
   * they had come through TLS.
   */
  async startTls(phase: Phase = 'tls'): Promise<TlsInfo> {
    if (this.hasUnreadInput) {
      throw new SmtpClientError(
        'ERR_TLS',
        phase,
        'the server sent more data after its 220 to STARTTLS, before the TLS handshake (possible plaintext injection)',
        { shortMessage: 'plaintext data after STARTTLS: refusing to continue' },
      );
    }
    const plain = this.socket;
    this.detach(plain);
    plain.on('error', () => {});
    const { host } = this.options;
    const secure = tls.connect({ socket: plain, host, ...tlsOptions(host, this.options.tls) });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          done(
            new SmtpClientError(
              'ERR_TIMEOUT',
              phase,
              `TLS handshake timed out after ${this.options.readTimeout} ms`,
              {
                shortMessage: `TLS handshake timed out after ${seconds(this.options.readTimeout)}`,
              },
            ),
          );
        }, this.options.readTimeout);
        const onSecure = () => done();
        const onError = (error: Error) => done(tlsError(error, host));
        const onClose = () =>
          done(
            new SmtpClientError(
              'ERR_TLS',
              phase,
              'the server closed the connection during the TLS handshake',
            ),
          );
        const done = (error?: Error) => {
          clearTimeout(timer);
          secure.removeListener('secureConnect', onSecure);
          secure.removeListener('error', onError);
          secure.removeListener('close', onClose);
          if (error) reject(error);
          else resolve();
        };
        secure.once('secureConnect', onSecure);
        secure.once('error', onError);
        secure.once('close', onClose);
      });
    } catch (error) {
      secure.on('error', () => {});
      secure.destroy();
      plain.destroy();
      this.closedFlag = true;
      this.failure = error as Error;
      throw error;
    }
    this.socket = secure;
    this.secure = true;
    this.parser = new ReplyParser(this.options.limits);
    this.attach(secure);
    return this.tlsStarted(secure);
  }

  /**
   * Ends the connection politely (FIN) and forgets it; never throws. Nothing the server sends
   * after this is read into memory, and once the FIN is flushed the socket no longer keeps the
   * process alive; it is destroyed when the peer closes, or after the read timeout at the latest
   * (a fixed deadline: a peer trickling bytes does not extend it).
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.stopReading();
    const socket = this.socket;
    const timer = setTimeout(() => socket.destroy(), this.options.readTimeout);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end(() => socket.unref());
  }

  /**
   * After a failure the stream cannot be trusted: sends `last` (QUIT) without waiting for any
   * reply or for the server to read it, ends, and destroys the socket as soon as that is flushed
   * (within a second at most). A silent or hostile server costs no further timeout.
   */
  abandon(last?: Buffer): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.stopReading();
    const socket = this.socket;
    if (last && !socket.destroyed && socket.writable) {
      this.record('c2s', last);
      socket.write(last);
    }
    const timer = setTimeout(() => socket.destroy(), ABANDON_GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end(() => socket.destroy());
  }

  /** Closes at once (no FIN handshake), e.g. after the message stream failed mid-DATA. */
  destroy(): void {
    this.closedFlag = true;
    this.stopReading();
    this.socket.destroy();
  }

  /** Resolves when the socket is fully closed. */
  async closed(): Promise<void> {
    if (this.socket.closed) return;
    await new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
  }

  // ----- internals -----

  private readonly onData = (chunk: Buffer) => {
    // After a failure or a close nothing more is kept: a server that keeps sending must not grow
    // the transcript (the chunk that made the stream fail is the last one recorded).
    if (this.failure || this.closedFlag) return;
    this.record('s2c', chunk);
    try {
      this.replies.push(...this.parser.push(chunk));
      if (this.replies.length > MAX_UNREAD_REPLIES) {
        this.failure = new SmtpClientError(
          'ERR_SMTP_PROTOCOL',
          'connect',
          `the server sent more than ${MAX_UNREAD_REPLIES} replies nobody asked for`,
          { shortMessage: `protocol error: more than ${MAX_UNREAD_REPLIES} unsolicited replies` },
        );
      }
    } catch (error) {
      if (!(error instanceof SmtpProtocolError)) throw error;
      this.failure = new SmtpClientError(
        'ERR_SMTP_PROTOCOL',
        'connect',
        `the server sent something that is not an SMTP reply: ${error.message}`,
        {
          cause: error,
          shortMessage: `protocol error: ${error.shortMessage}`,
        },
      );
    }
    if (this.failure) this.stopReading();
    this.wake();
  };

  /** Reads nothing more into memory: incoming bytes are dropped unseen (the socket still sees the peer's FIN). */
  private stopReading(): void {
    this.parser = new ReplyParser(this.options.limits);
  }

  private readonly onError = (error: NodeJS.ErrnoException) => {
    if (!this.failure) {
      this.failure = new SmtpClientError('ERR_CONNECTION', 'connect', `connection error: ${error.message}`, {
        cause: error,
        shortMessage: `connection error (${error.code ?? error.message})`,
      });
    }
    this.wake();
  };

  private readonly onEnd = () => {
    this.peerClosed();
  };

  private readonly onClose = () => {
    this.peerClosed();
    this.closedFlag = true;
  };

  private peerClosed(): void {
    if (!this.failure) {
      const midReply = this.parser.pending;
      this.failure = new SmtpClientError(
        'ERR_CONNECTION_CLOSED',
        'connect',
        midReply
          ? `the server closed the connection in the middle of a reply: ${JSON.stringify(this.parser.pendingBytes().toString('utf8').slice(0, 200))}`
          : 'the server closed the connection',
        {
          shortMessage: midReply
            ? 'connection closed in the middle of a reply'
            : 'connection closed by the server',
        },
      );
      if (!this.closedFlag) note(this.options, 'info', 'Connection closed by the server.');
    }
    this.wake();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.removeListener('data', this.onData);
    socket.removeListener('error', this.onError);
    socket.removeListener('end', this.onEnd);
    socket.removeListener('close', this.onClose);
  }

  /** Waits for input for at most `remaining` ms; `timeout` is the whole deadline, for the message. */
  private wait(phase: Phase, timeout: number, remaining: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.waiter = undefined;
          const error = new SmtpClientError('ERR_TIMEOUT', phase, `timed out after ${timeout} ms ${what}`, {
            shortMessage: `no reply from the server within ${seconds(timeout)}`,
          });
          reject(error);
        },
        Math.max(0, remaining),
      );
      this.waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }

  private record(dir: Direction, data: Buffer): void {
    const event = this.options.transcript.wire(dir, this.secure, data);
    this.options.onEvent?.(event);
  }

  private bodyBytes = 0;

  /** Records message-body bytes up to the transcript's body limit; past it they are only shown. */
  private recordBody(data: Buffer): void {
    const limit = this.options.transcriptBodyLimit ?? Infinity;
    const before = this.bodyBytes;
    this.bodyBytes += data.length;
    // The final ".\r\n" is always kept: the transcript must show how the message ended.
    if (this.bodyBytes <= limit || data.equals(END_OF_DATA)) return this.record('c2s', data);
    const transcript = this.options.transcript;
    if (before <= limit)
      transcript.note('info', `message body beyond ${limit} bytes not kept in this transcript`);
    this.options.onEvent?.({ type: 'wire', t: transcript.now(), dir: 'c2s', tls: this.secure, data });
  }

  private tlsStarted(socket: tls.TLSSocket): TlsInfo {
    const cipher = socket.getCipher();
    const cert = socket.getPeerCertificate();
    const info: TlsInfo = {
      protocol: socket.getProtocol(),
      cipher: cipher?.name ?? 'unknown',
      authorized: socket.authorized,
    };
    if (!socket.authorized && socket.authorizationError)
      info.authorizationError = String(socket.authorizationError);
    if (cert && cert.subject) {
      info.subject = String(cert.subject.CN ?? '');
      info.issuer = String(cert.issuer?.CN ?? '');
    }
    this.tlsInfoValue = info;
    note(this.options, 'info', `TLS started with ${info.protocol ?? 'TLS'} ${info.cipher}`);
    if (info.authorized) {
      note(
        this.options,
        'info',
        `TLS certificate verified: CN=${info.subject ?? '?'}, issued by ${info.issuer ?? '?'}`,
      );
    } else {
      note(
        this.options,
        'error',
        `WARNING: the server's certificate was NOT verified (--insecure): ${info.authorizationError ?? 'unknown reason'}`,
      );
    }
    return info;
  }
}

function tlsOptions(host: string, settings: TlsSettings = {}): tls.ConnectionOptions {
  const servername = settings.servername ?? (net.isIP(host) ? undefined : host);
  const options: tls.ConnectionOptions = { rejectUnauthorized: !settings.insecure };
  if (servername) options.servername = servername;
  if (settings.ca !== undefined) options.ca = settings.ca;
  return options;
}

function note(options: ConnectionOptions, level: NoteLevel, text: string): void {
  const event = options.transcript.note(level, text);
  options.onEvent?.(event);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function closedError(phase: Phase): SmtpClientError {
  return new SmtpClientError('ERR_CONNECTION_CLOSED', phase, 'the connection is closed', {
    shortMessage: 'connection closed',
  });
}

/** The same failure, re-labelled with the phase that ran into it. */
function withPhase(error: Error, phase: Phase): Error {
  if (!(error instanceof SmtpClientError) || error.phase === phase) return error;
  return new SmtpClientError(error.code, phase, error.message, {
    cause: error.cause,
    shortMessage: error.shortMessage,
  });
}

const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function tlsError(error: NodeJS.ErrnoException, host: string): SmtpClientError {
  const code = error.code ?? '';
  if (CERT_CODES.has(code)) {
    return new SmtpClientError(
      'ERR_TLS_CERT',
      'tls',
      `the server's certificate is not trusted (${code}): ${error.message}. Give the lab CA with --ca FILE; --insecure skips the check (never for real credentials).`,
      { cause: error, shortMessage: `certificate of ${host} not trusted (${code})` },
    );
  }
  return new SmtpClientError('ERR_TLS', 'tls', `TLS handshake failed: ${error.message}`, {
    cause: error,
    shortMessage: `TLS handshake failed (${code || error.message})`,
  });
}

function connectError(error: NodeJS.ErrnoException, host: string, port: number): SmtpClientError {
  const why =
    error.code === 'ECONNREFUSED'
      ? 'connection refused (nothing listens on that port)'
      : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
        ? 'host name not found'
        : error.code === 'ETIMEDOUT' || error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
          ? 'host unreachable (a firewall may drop the port)'
          : error.message;
  return new SmtpClientError('ERR_CONNECT', 'connect', `cannot connect to ${host}:${port}: ${why}`, {
    cause: error,
    shortMessage: `cannot connect to ${host}:${port}: ${why}`,
  });
}
