import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import type { SMTPServerSession } from 'smtp-server';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_SIZE,
  DEFAULT_SESSION_TIMEOUT_MS,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
} from '../protocol/defaults.js';
import {
  startBackend,
  type Account,
  type AuthMode,
  type AuthenticatedUser,
  type Backend,
  type BackendOptions,
} from './backend.js';
import { createLeaf, createTestCa, type TestCa } from './ca.js';
import { FaultPlan } from './faults.js';
import { MessageStore, type StoredMessage } from './mailbox.js';
import { personaText } from './personas.js';
import { BackendPool } from './pool.js';
import { WireProxy, type ProxyOptions } from './proxy.js';
import { HookReply } from './hook-reply.js';
import { RuleBook } from './rules.js';
import type { LabSession } from './session.js';
import {
  AUTH_MECHANISMS,
  type AcceptedCredentials,
  type CertificateKind,
  type Fault,
  type Persona,
  type Rule,
} from './vocabulary.js';

export interface LabServerOptions {
  /** Address to listen on; 127.0.0.1 unless asked (anything else exposes the lab server). */
  host?: string;
  /** Plaintext port with STARTTLS; 0 (default) picks a free port. */
  port?: number;
  /** Implicit-TLS port (as 465); 0 picks a free port; omitted or false: none. */
  tlsPort?: number | false;
  /** Folder for messages, session transcripts and ca.pem; default a new temporary folder. */
  mailbox?: string;
  /** Test accounts; default one: student@smtp-lab.test / lab-password. */
  accounts?: Account[];
  /** AUTH required before MAIL, optional, or not offered. Default optional. */
  auth?: AuthMode;
  /** AUTH mechanisms offered and accepted. Default PLAIN, LOGIN, CRAM-MD5. */
  authMechanisms?: string[];
  /** Refuse AUTH and MAIL before STARTTLS (as Gmail on 587). Default false. */
  requireTls?: boolean;
  /** SIZE limit in bytes. Default 50 MiB. */
  maxSize?: number;
  /** Prepend a Received: trace header to stored messages. Default true. */
  traceHeaders?: boolean;
  /** The server's name in its greeting. Default smtp-lab.localhost. */
  hostname?: string;
  /** Close a client idle this long (ms) with a 421. Default 300 000 (RFC 5321's five minutes). */
  idleTimeout?: number;
  /** Drop a client whose TLS handshake takes longer (ms; never more than idleTimeout). Default 10 000. */
  tlsHandshakeTimeout?: number;
  /** End any session this long after it began (ms), with a 421. Default 600 000 (ten minutes). */
  sessionTimeout?: number;
  /** Connections open at once; past it a 421 at once. Default from the open-file limit, at most 256. */
  maxConnections?: number;
  /** Connections open at once from one client address. Default 50 (Postfix's default). */
  maxConnectionsPerClient?: number;
  /** Backend connections kept greeted for the next clients. Default 4. */
  warmConnections?: number;
  /** Reuse a CA (and its leaf) instead of making one for this run. */
  ca?: TestCa;
  /** Wire faults (deterministic; `chance` needs `seed`). */
  faults?: Fault[];
  seed?: number;
  /** Meaning-level rules: replies to MAIL, RCPT, AUTH and end of DATA. */
  rules?: Rule[];
  /** 451 to the first attempt of each sender/recipient pair, accepted after this many ms. */
  greylistMs?: number;
  /** The clock the rule book reads (greylisting); tests pass their own instead of sleeping. */
  now?: () => number;
  /** Whose greeting and reply texts the server uses. */
  persona?: Persona;
  /** EHLO keywords to leave out (STARTTLS, PIPELINING, ...). */
  hideExtensions?: string[];
  /** The certificate presented: valid (default), expired, wrong-host, or untrusted (not from the CA). */
  certificate?: CertificateKind;
  /** Refuse at end of DATA a message without a From: header (550), as QQ and Gmail do. */
  requireFromHeader?: boolean;
  /**
   * Whose credentials AUTH accepts: `accounts` (default: only `accounts`) or `any` (any user name
   * and password: students hard-code their own, and the dialogue is the lesson).
   */
  credentials?: AcceptedCredentials;
  /** Offer STARTTLS (default true); false answers it 502, as a server without TLS does. */
  starttls?: boolean;
  /**
   * Accept `MAIL FROM: a@b` and `RCPT TO: a@b` without angle brackets, as Postfix does by default
   * (default true): the proxy adds them before smtp-server, which would answer 501, reads the line.
   * The transcript keeps what the client sent.
   */
  bareAddresses?: boolean;
}

export interface LabServerEvents {
  session: [LabSession];
  message: [StoredMessage];
}

export interface LabServer extends EventEmitter<LabServerEvents> {
  host: string;
  port: number;
  tlsPort: number | undefined;
  /** The CA certificate file clients must trust. */
  caFile: string;
  ca: TestCa;
  mailbox: string;
  sessionsDir: string;
  accounts: Account[];
  /** What opening the mailbox cleaned up after a crash: temp files deleted, half pairs quarantined. */
  recovered: { removed: string[]; quarantined: string[] };
  /** Stops listening, closes open sessions and the backends; resolves when all files are flushed. */
  stop(): Promise<void>;
}

/** Starts the lab server: wire proxy in front of smtp-server, with a per-run CA and a durable mailbox. */
export async function startLabServer(options: LabServerOptions = {}): Promise<LabServer> {
  const folder = await prepareFolder(options);
  const emitter = new EventEmitter<LabServerEvents>();
  const hook = new MessageHook(options, folder.store, emitter);
  const idleTimeout = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS;
  const backendOptions = backendOptionsFor(options, folder.ca, hook, idleTimeout);
  const backends: Backend[] = [];
  const pools: BackendPool[] = [];
  try {
    const started = await startBackends(options, backendOptions, folder.ca, backends, pools);
    const proxy = new WireProxy(
      await proxyOptionsFor(options, folder, started, idleTimeout, backendOptions.maxSize, emitter),
    );
    hook.proxy = proxy;
    // Ready means ready: the first client's 220 should not wait for smtp-server's 100 ms.
    await Promise.all(pools.map((pool) => pool.warmed));
    const host = options.host ?? '127.0.0.1';
    const port = await proxy.listen(host, options.port ?? 0, false);
    const tlsPort = started.securePool ? await proxy.listen(host, options.tlsPort || 0, true) : undefined;
    return Object.assign(emitter, {
      host,
      port,
      tlsPort,
      caFile: folder.caFile,
      ca: folder.ca,
      mailbox: folder.mailboxDir,
      sessionsDir: folder.sessionsDir,
      accounts: backendOptions.accounts,
      recovered: folder.recovered,
      stop: stopper(proxy, pools, backends, hook),
    });
  } catch (err) {
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(backends.map((b) => b.close()));
    throw err;
  }
}

/** The run's folder: mailbox, sessions/ and ca.pem, with what a crash left there cleaned up. */
async function prepareFolder(options: LabServerOptions) {
  const mailboxDir = options.mailbox ?? (await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-')));
  const sessionsDir = path.join(mailboxDir, 'sessions');
  await mkdir(sessionsDir, { recursive: true });
  const ca = options.ca ?? (await createTestCa());
  const caFile = path.join(mailboxDir, 'ca.pem');
  await writeFile(caFile, ca.caCert);
  const store = new MessageStore(mailboxDir);
  // What a crash left (temp files, half pairs) is cleaned before the first message.
  const recovered = await store.open();
  return { mailboxDir, sessionsDir, ca, caFile, store, recovered };
}

/**
 * smtp-server's end-of-DATA hook: applies the scenario's `data` rules, stores the message durably
 * (with its session's peer, TLS and AUTH facts) and tells the session and the server's listeners.
 */
class MessageHook {
  /** Set once the proxy exists: the hook finds a message's session through it. */
  proxy: WireProxy | undefined;
  /** Messages being stored: stop() waits for them, so no temp file outlives the server. */
  readonly pending = new Set<Promise<unknown>>();
  readonly rules: RuleBook;
  readonly maxSize: number;
  private readonly hostname: string;
  private readonly traceHeaders: boolean;
  private readonly persona: Persona;

  constructor(
    private readonly options: LabServerOptions,
    private readonly store: MessageStore,
    private readonly emitter: EventEmitter<LabServerEvents>,
  ) {
    this.rules = new RuleBook(options.rules, options.greylistMs, options.now);
    this.maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
    this.hostname = options.hostname ?? 'smtp-lab.localhost';
    this.traceHeaders = options.traceHeaders ?? true;
    this.persona = options.persona ?? 'default';
  }

  readonly onMessage = async (stream: Readable, backendSession: SMTPServerSession): Promise<string> => {
    const mailFrom = backendSession.envelope.mailFrom ? backendSession.envelope.mailFrom.address : '';
    const ruled = this.rules.check('data', mailFrom);
    if (ruled) {
      stream.resume();
      await new Promise((resolve) => stream.once('end', resolve));
      throw HookReply.of(ruled);
    }
    const session = this.proxy?.byBackendPort.get(backendSession.remotePort);
    const peer = session?.peer ?? { address: undefined, port: undefined };
    const authUser = backendSession.user as AuthenticatedUser | undefined;
    const tlsMode = session?.tlsMode ?? 'none';
    const pending = this.store.store(
      session?.id ?? `unknown-${backendSession.id}`,
      stream,
      this.traceHeaders
        ? (id) => receivedHeader(id, this.hostname, backendSession, peer.address, authUser !== undefined)
        : undefined,
      () => ({
        envelope: {
          mailFrom: backendSession.envelope.mailFrom ? backendSession.envelope.mailFrom.address : '',
          rcptTo: backendSession.envelope.rcptTo.map((r) => r.address),
        },
        client: {
          address: peer.address,
          port: peer.port,
          helo: backendSession.hostNameAppearsAs || undefined,
        },
        tls: { mode: tlsMode, ...(session?.tlsInfo ?? {}) },
        auth: authUser ? { user: authUser.user, mechanism: authUser.mechanism } : null,
      }),
      this.maxSize,
      this.options.requireFromHeader ? (head) => fromHeaderProblem(head, this.persona) : undefined,
    );
    this.pending.add(pending);
    const stored = await pending.finally(() => this.pending.delete(pending));
    session?.messages.push(stored);
    session?.emit('message', stored);
    this.emitter.emit('message', stored);
    return `2.0.0 Ok: queued as ${stored.id}`;
  };
}

/** What both smtp-server backends are told: accounts, AUTH, size, TLS, the rule book and the end-of-DATA hook. */
function backendOptionsFor(
  options: LabServerOptions,
  ca: TestCa,
  hook: MessageHook,
  idleTimeout: number,
): BackendOptions {
  return {
    hostname: options.hostname ?? 'smtp-lab.localhost',
    auth: options.auth ?? 'optional',
    authMechanisms: options.authMechanisms ?? [...AUTH_MECHANISMS],
    accounts: options.accounts ?? [{ ...DEFAULT_ACCOUNT }],
    anyCredentials: options.credentials === 'any',
    requireTls: options.requireTls ?? false,
    maxSize: hook.maxSize,
    cert: ca.cert,
    key: ca.key,
    // The proxy's idle timeout answers first; the backend's is only a backstop.
    socketTimeout: idleTimeout + 5_000,
    rules: hook.rules,
    hideExtensions: options.hideExtensions ?? [],
    onMessage: hook.onMessage,
  };
}

/**
 * Starts the plaintext backend and, when an implicit-TLS port is asked for, the TLS one, each with
 * its pool of warm connections. What starts is pushed on `backends` and `pools` at once, so the
 * caller can close it if a later step fails.
 */
async function startBackends(
  options: LabServerOptions,
  backendOptions: BackendOptions,
  ca: TestCa,
  backends: Backend[],
  pools: BackendPool[],
): Promise<{ plainPool: BackendPool; securePool: BackendPool | undefined }> {
  const warm = options.warmConnections ?? 4;
  const plain = await startBackend(backendOptions, false);
  backends.push(plain);
  const plainPool = new BackendPool({ host: '127.0.0.1', port: plain.port }, warm);
  pools.push(plainPool);
  if (options.tlsPort === undefined || options.tlsPort === false) return { plainPool, securePool: undefined };
  const secure = await startBackend(backendOptions, true);
  backends.push(secure);
  const securePool = new BackendPool({ host: '127.0.0.1', port: secure.port, tls: { ca: ca.caCert } }, warm);
  pools.push(securePool);
  return { plainPool, securePool };
}

/** What the wire proxy is told: certificate, pools, limits and timeouts, faults, persona, extensions. */
async function proxyOptionsFor(
  options: LabServerOptions,
  folder: { ca: TestCa; sessionsDir: string },
  pools: { plainPool: BackendPool; securePool: BackendPool | undefined },
  idleTimeout: number,
  maxSize: number,
  emitter: EventEmitter<LabServerEvents>,
): Promise<ProxyOptions> {
  return {
    secureContext: tls.createSecureContext(
      await presentedCertificate(folder.ca, options.certificate ?? 'valid'),
    ),
    backendCa: folder.ca.caCert,
    plainPool: pools.plainPool,
    securePool: pools.securePool,
    idleTimeout,
    maxSize,
    tlsHandshakeTimeout: options.tlsHandshakeTimeout ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
    sessionTimeout: options.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT_MS,
    maxConnections: options.maxConnections ?? (await defaultMaxConnections()),
    maxConnectionsPerClient: options.maxConnectionsPerClient ?? 50,
    sessionsDir: folder.sessionsDir,
    onSession: (session) => emitter.emit('session', session),
    faults: new FaultPlan(options.faults ?? [], options.seed),
    persona: options.persona ?? 'default',
    hideExtensions: options.hideExtensions ?? [],
    // smtp-server still lists AUTH before STARTTLS when it will refuse it (538) there.
    hideBeforeTls: options.requireTls ? ['AUTH'] : [],
    starttls: options.starttls ?? true,
    bareAddresses: options.bareAddresses ?? true,
  };
}

/** The server's stop(): once, in the order that cuts no connection in a handshake and loses no file. */
function stopper(
  proxy: WireProxy,
  pools: readonly BackendPool[],
  backends: readonly Backend[],
  hook: MessageHook,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      const poolsClosed = Promise.all(pools.map((pool) => pool.close()));
      await proxy.close();
      // The backends close after the warm connections: none is cut in its TLS handshake.
      await poolsClosed;
      await Promise.all(backends.map((b) => b.close()));
      // A client gone mid-DATA: its backend stream has ended; let the store remove the temp file.
      await Promise.allSettled([...hook.pending]);
    })());
}

/**
 * Sessions the server can hold without running out of file descriptors: each costs three (the
 * client, the backend connection, the transcript file); a margin stays for the rest. At most 256.
 */
async function defaultMaxConnections(): Promise<number> {
  let limit = 1024;
  try {
    const limits = await readFile('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft) limit = Number(soft);
  } catch {
    // not Linux: assume the common 1024
  }
  return Math.max(8, Math.min(256, Math.floor((limit - 64) / 3)));
}

/** The certificate the client sees: the CA's valid leaf, or one of the lessons' bad ones. */
async function presentedCertificate(
  ca: TestCa,
  kind: CertificateKind,
): Promise<{ cert: string; key: string }> {
  const caPair = { cert: ca.caCert, key: ca.caKey };
  switch (kind) {
    case 'valid':
      return { cert: ca.cert, key: ca.key };
    case 'expired': {
      const day = 24 * 3600_000;
      return createLeaf(caPair, {
        notBefore: new Date(Date.now() - 30 * day),
        notAfter: new Date(Date.now() - day),
      });
    }
    case 'wrong-host':
      return createLeaf(caPair, { hosts: ['mail.wrong-host.test'] });
    case 'untrusted':
      return createLeaf(undefined);
  }
}

/**
 * Why a message would be refused for its From: header, read from the raw header lines (a parser
 * would invent fields from a body that lacks the blank line): none, or an empty address.
 */
function fromHeaderProblem(head: Buffer, persona: Persona): HookReply | undefined {
  const text = head.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const headers = end === -1 ? text : text.slice(0, end);
  const from = /^from:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(headers);
  if (from && /@/.test(from[1] ?? '')) return undefined;
  const text550 =
    personaText(persona, '.', 550) ??
    '5.7.1 Messages without a valid From: header are not accepted (RFC 5322 section 3.6)';
  return new HookReply(550, text550);
}

/** RFC 5321 section 4.4 trace header, folded; dates in RFC 5322 form. */
function receivedHeader(
  id: string,
  hostname: string,
  session: SMTPServerSession,
  address: string | undefined,
  authenticated: boolean,
): Buffer {
  const helo = session.hostNameAppearsAs || 'unknown';
  const protocol = `${session.openingCommand === 'EHLO' ? 'ESMTP' : 'SMTP'}${session.secure ? 'S' : ''}${authenticated ? 'A' : ''}`;
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return Buffer.from(
    `Received: from ${helo} ([${address ?? 'unknown'}])\r\n\tby ${hostname} (smtp-lab) with ${protocol} id ${id};\r\n\t${date}\r\n`,
  );
}
