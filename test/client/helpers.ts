import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { SendMailOptions } from '../../src/client/send.js';
import { createTestCa, type TestCa } from '../../src/server/ca.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_SERVER = path.join(ROOT, 'test/fixtures/servers/aiosmtpd_server.py');
/** Debian's interpreter: python3-aiosmtpd is installed for it, not for the pyenv python3 on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export async function tempDir(prefix = 'smtp-lab-client-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A per-run CA (ca.pem written) plus the leaf's PEM files, for servers that read files. */
export async function makeCa(
  dir: string,
): Promise<TestCa & { caFile: string; certFile: string; keyFile: string }> {
  const ca = await createTestCa({ dir });
  const certFile = path.join(dir, 'leaf.pem');
  const keyFile = path.join(dir, 'leaf-key.pem');
  await writeFile(certFile, ca.cert);
  await writeFile(keyFile, ca.key);
  return { ...ca, caFile: ca.caFile!, certFile, keyFile };
}

// ----- a scripted raw-socket server -----

/**
 * The server side of one connection, driven by a test script: write exact bytes, read the
 * client's lines, upgrade to TLS. Everything the client sent (decrypted after TLS) is kept in
 * `received`, for byte-for-byte comparison.
 */
export class ScriptedPeer {
  private chunks: Buffer[] = [];
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  socket: net.Socket;

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    this.listen(socket);
  }

  /** All bytes the client sent, in order. */
  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get receivedText(): string {
    return this.received.toString('utf8');
  }

  /** Writes bytes and resolves once they are handed to the kernel. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(data, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** The next line the client sent, without its CRLF; undefined when the client closed. */
  async line(): Promise<string | undefined> {
    for (;;) {
      const at = this.buffered.indexOf('\r\n');
      if (at !== -1) {
        const line = this.buffered.subarray(0, at).toString('utf8');
        this.buffered = this.buffered.subarray(at + 2);
        return line;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Reads up to and including `marker` (e.g. the end of DATA); undefined when the client closed. */
  async until(marker: string): Promise<Buffer | undefined> {
    for (;;) {
      const at = this.buffered.indexOf(marker);
      if (at !== -1) {
        const data = this.buffered.subarray(0, at + marker.length);
        this.buffered = this.buffered.subarray(at + marker.length);
        return data;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Expects the next line to be `expected`, then answers with `reply`. */
  async expect(expected: string | RegExp, reply: string): Promise<string> {
    const line = await this.line();
    if (line === undefined) throw new Error(`client closed; expected ${String(expected)}`);
    const ok = typeof expected === 'string' ? line === expected : expected.test(line);
    if (!ok) throw new Error(`expected ${String(expected)}, client sent ${JSON.stringify(line)}`);
    await this.write(reply);
    return line;
  }

  /** Server side of a TLS upgrade (after writing the 220 to STARTTLS). */
  async startTls(credentials: { cert: string; key: string }): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('end');
    const secure = new tls.TLSSocket(plain, { isServer: true, cert: credentials.cert, key: credentials.key });
    this.socket = secure;
    this.listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('closed during the TLS handshake')));
    });
  }

  /** Resolves when the client has closed its side (or the connection failed). */
  async closed(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.poke();
    });
    socket.on('end', () => {
      this.ended = true;
      this.poke();
    });
    socket.on('close', () => {
      this.ended = true;
      this.poke();
    });
    socket.on('error', () => {
      this.ended = true;
      this.poke();
    });
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export interface ScriptedServer {
  port: number;
  /** Resolves with the peer once the script finished (rejects with the script's error). */
  done: Promise<ScriptedPeer>;
  close(): Promise<void>;
}

/**
 * A one-connection server on 127.0.0.1 port 0 that runs `script` for the first client. With
 * `implicitTls`, the connection is TLS from the first byte.
 */
export async function scriptedServer(
  script: (peer: ScriptedPeer) => Promise<void>,
  options: { implicitTls?: { cert: string; key: string } } = {},
): Promise<ScriptedServer> {
  let resolveDone!: (peer: ScriptedPeer) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<ScriptedPeer>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {});
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const peer = new ScriptedPeer(socket);
    script(peer).then(
      () => resolveDone(peer),
      (error) => rejectDone(error),
    );
  };
  const server = options.implicitTls
    ? tls.createServer({ cert: options.implicitTls.cert, key: options.implicitTls.key }, onConnection)
    : net.createServer(onConnection);
  // A client that refuses our certificate makes the handshake fail: expected in those tests.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    done,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ----- aiosmtpd -----

export interface AiosmtpdServer {
  port: number;
  maildir: string;
  /** Waits for the n-th saved message (1-based) and returns its envelope and content bytes. */
  message(n: number): Promise<{ envelope: AiosmtpdEnvelope; content: Buffer }>;
  /** Number of messages saved so far. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

export interface AiosmtpdEnvelope {
  mail_from: string;
  rcpt_tos: string[];
  auth_user: string | null;
  tls: boolean;
}

/** Starts test/fixtures/servers/aiosmtpd_server.py and waits for its `PORT n` line. */
export async function startAiosmtpd(options: {
  mode: 'plain' | 'starttls' | 'implicit';
  certFile?: string;
  keyFile?: string;
  user: string;
  password: string;
  maildir: string;
}): Promise<AiosmtpdServer> {
  const args = [
    FIXTURE_SERVER,
    '--mode',
    options.mode,
    '--user',
    options.user,
    '--password',
    options.password,
  ];
  args.push('--maildir', options.maildir);
  if (options.certFile) args.push('--cert', options.certFile, '--key', options.keyFile!);
  const child: ChildProcessWithoutNullStreams = spawn(SYSTEM_PYTHON, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const saved = new Set<number>();
  const waiters: Array<() => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`aiosmtpd fixture exited (${code}) before it was ready:\n${stderr}`)),
    );
    child.once('error', reject);
    lines.on('line', (line) => {
      const ready = /^PORT (\d+)$/.exec(line);
      if (ready) resolve(Number(ready[1]));
      const message = /^MESSAGE (\d+)$/.exec(line);
      if (message) {
        saved.add(Number(message[1]));
        for (const wake of waiters.splice(0)) wake();
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    maildir: options.maildir,
    async message(n) {
      while (!saved.has(n)) await new Promise<void>((resolve) => waiters.push(resolve));
      const base = path.join(options.maildir, String(n));
      const envelope = JSON.parse(await readFile(`${base}.json`, 'utf8')) as AiosmtpdEnvelope;
      return { envelope, content: await readFile(`${base}.eml`) };
    },
    async count() {
      return (await readdir(options.maildir)).filter((name) => name.endsWith('.eml')).length;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Runs sendMail and returns the error it throws (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected sendMail to fail');
}

/** What the client tests send: one plaintext message from alice to bob, a 5 s limit, `overrides` on top. */
export function sendOptions(port: number, overrides: Partial<SendMailOptions> = {}): SendMailOptions {
  return {
    host: '127.0.0.1',
    port,
    tls: 'none',
    helo: 'client.example',
    from: 'alice@example.com',
    recipients: ['bob@example.com'],
    message: 'Subject: hi\r\n\r\nhello\r\n',
    timeout: 5000,
    ...overrides,
  };
}
