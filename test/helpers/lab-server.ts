import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { expect } from 'vitest';
import { ReplyParser, type Reply } from '../../src/protocol/reply.js';
import {
  createTestCa,
  startLabServer,
  type LabServer,
  type LabServerOptions,
  type LabSession,
  type StoredMessage,
  type TestCa,
} from '../../src/server/index.js';
import { fromJsonl } from '../../src/transcript/jsonl.js';
import type { Transcript } from '../../src/transcript/events.js';

/** Debian's interpreter: the pyenv `python3` first on PATH is a different one. */
export const PYTHON = '/usr/bin/python3';
export const USER = 'student@smtp-lab.test';
export const PASS = 'lab-password';

let ca: Promise<TestCa> | undefined;

/** One CA (and leaf) per test file: making one costs more than starting a server. */
export function sharedCa(): Promise<TestCa> {
  ca ??= createTestCa();
  return ca;
}

/** A session's transcript as the server wrote it to its file (the session must have ended). */
export async function storedTranscript(session: LabSession): Promise<Transcript> {
  await session.ended;
  const file = session.transcriptPath!;
  return fromJsonl(await readFile(file, 'utf8'), file);
}

/** A running lab server plus what the test observed of it. */
export interface Lab {
  server: LabServer;
  /** Every session so far, in the order they were accepted. */
  sessions: LabSession[];
  /** Every stored message so far, in the order they were stored. */
  messages: StoredMessage[];
  /** Resolves when every session accepted so far has ended (transcript files flushed). */
  sessionsEnded(): Promise<void>;
  /** The next session to be accepted. */
  nextSession(): Promise<LabSession>;
}

/**
 * Starts a lab server on 127.0.0.1 port 0 with a fresh temp mailbox and the file's CA, runs `fn`,
 * then stops the server and removes the mailbox, whatever `fn` did.
 */
export async function withLabServer<T>(options: LabServerOptions, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const mailbox = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-test-'));
  const server = await startLabServer({
    host: '127.0.0.1',
    port: 0,
    mailbox,
    ca: await sharedCa(),
    ...options,
  });
  const sessions: LabSession[] = [];
  const messages: StoredMessage[] = [];
  server.on('session', (session) => sessions.push(session));
  server.on('message', (message) => messages.push(message));
  const lab: Lab = {
    server,
    sessions,
    messages,
    sessionsEnded: async () => {
      await Promise.all(sessions.map((session) => session.ended));
    },
    nextSession: () => new Promise((resolve) => server.once('session', resolve)),
  };
  try {
    return await fn(lab);
  } finally {
    await server.stop();
    await rm(mailbox, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a peer program to its exit; never rejects on a non-zero exit (tests look at `code`). */
export function run(
  command: string,
  args: string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(options.input);
  });
}

/** The bytes an SMTP client puts on the wire for `message` in DATA (RFC 5321 section 4.5.2). */
export function dotStuffed(message: Buffer): Buffer {
  return Buffer.from(message.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');
}

/**
 * A message exercising what a sink may get wrong: leading dots, a long line, 8-bit text, blank
 * lines, and (unless `lastLineDot` is false: swaks takes a final "." for the terminator) a last
 * line that is a lone dot.
 */
export function sampleMessage(subject: string, { lastLineDot = true } = {}): Buffer {
  const from = 'alice@example.test';
  const to = 'bob@example.test';
  return Buffer.from(
    [
      `From: Alice <${from}>`,
      `To: Bob <${to}>`,
      `Subject: ${subject}`,
      'Date: Thu, 01 Jan 2026 00:00:00 +0000',
      'Message-ID: <sample@example.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Hello Bob,',
      '.a line that starts with a dot (stuffed on the wire, not in the mailbox)',
      '..two dots',
      '',
      'Gr\u00fc\u00dfe, \u4f60\u597d \u2014 ' + 'x'.repeat(200),
      ...(lastLineDot ? ['.'] : []),
      '',
    ].join('\r\n'),
    'utf8',
  );
}

export interface Expected {
  sent: Buffer;
  mailFrom: string;
  rcptTo: string[];
  tls: 'none' | 'starttls' | 'implicit';
  auth: { user: string; mechanism: string } | null;
  /** Trace headers were on (default): the .eml starts with `traceHeaderBytes` of Received:. */
  traced?: boolean;
  /** The name the client gave in EHLO/HELO, when the test knows it. */
  helo?: string;
}

/**
 * Checks a stored message against what the client sent: the .eml byte-exact after the trace
 * header, the .json fields, the sha256 and size of the file, and the session's JSON-lines
 * transcript holding the client's (dot-stuffed) bytes. Call after the session has ended.
 */
export async function expectStored(lab: Lab, message: StoredMessage, want: Expected): Promise<Transcript> {
  const eml = await readFile(message.emlPath);
  const traced = want.traced ?? true;
  if (traced) {
    expect(message.traceHeaderBytes).toBeGreaterThan(0);
    const trace = eml.subarray(0, message.traceHeaderBytes).toString('utf8');
    expect(trace).toMatch(/^Received: from [^\r\n]+\r\n(\t[^\r\n]+\r\n)+$/);
  } else {
    expect(message.traceHeaderBytes).toBe(0);
  }
  // Compared as latin1 text (one char per byte): exact, and a failure shows a readable diff.
  expect(eml.subarray(message.traceHeaderBytes).toString('latin1')).toBe(want.sent.toString('latin1'));

  const record = JSON.parse(await readFile(message.jsonPath, 'utf8')) as Record<string, unknown>;
  expect(path.dirname(message.emlPath)).toBe(lab.server.mailbox);
  expect(path.basename(message.emlPath)).toBe(`${message.id}.eml`);
  expect(path.basename(message.jsonPath)).toBe(`${message.id}.json`);
  expect(record).toMatchObject({
    id: message.id,
    sessionId: message.sessionId,
    envelope: { mailFrom: want.mailFrom, rcptTo: want.rcptTo },
    tls: { mode: want.tls },
    auth: want.auth,
    size: eml.length,
    sha256: createHash('sha256').update(eml).digest('hex'),
    traceHeaderBytes: message.traceHeaderBytes,
  });
  expect(record.client).toMatchObject({ address: '127.0.0.1', ...(want.helo ? { helo: want.helo } : {}) });
  // The message belongs to the session that carried it, and the proxy's live session knows it.
  const session = lab.sessions.find((s) => s.id === message.sessionId);
  expect(session?.messages.map((m) => m.id)).toContain(message.id);
  if (want.tls !== 'none') {
    expect(record.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
  }

  const transcriptFile = path.join(lab.server.sessionsDir, `${message.sessionId}.jsonl`);
  const transcript = fromJsonl(await readFile(transcriptFile, 'utf8'), transcriptFile);
  expect(transcript.meta.id).toBe(message.sessionId);
  const c2s = transcript.bytes('c2s');
  expect(c2s.toString('latin1')).toContain(dotStuffed(want.sent).toString('latin1'));
  expect(c2s.includes(Buffer.from(`\r\n.\r\n`))).toBe(true);
  return transcript;
}

/** Files in the mailbox folder (not in sessions/), sorted. */
export async function mailboxFiles(lab: Lab): Promise<string[]> {
  const entries = await readdir(lab.server.mailbox, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/**
 * A hand-driven SMTP client on a raw socket, for what no well-behaved client does: talking early,
 * injecting after STARTTLS, vanishing mid-DATA. Reads replies with the project's one parser.
 */
export class RawClient {
  private parser = new ReplyParser();
  private readonly replies: Reply[] = [];
  private readonly waiters: Array<{ resolve: (reply: Reply) => void; reject: (err: Error) => void }> = [];
  private failure: Error | undefined;
  /** Every reply received so far (also those already taken by `reply()`). */
  readonly received: Reply[] = [];

  private constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  static connect(port: number, options: { secure?: { ca: string } } = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = options.secure
        ? tls.connect({ host: '127.0.0.1', port, ca: options.secure.ca, servername: 'localhost' })
        : net.connect({ host: '127.0.0.1', port });
      const client = new RawClient(socket);
      socket.once(options.secure ? 'secureConnect' : 'connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err: Error) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  private readonly onData = (chunk: Buffer): void => {
    for (const reply of this.parser.push(chunk)) {
      this.received.push(reply);
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(reply);
      else this.replies.push(reply);
    }
  };

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  /** The next reply (waits for it). */
  reply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one command line and returns its reply. */
  async command(line: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Upgrades the connection to TLS (after a 220 to STARTTLS), verifying the lab CA. */
  async startTls(ca: string): Promise<void> {
    const plain = this.socket;
    plain.removeListener('data', this.onData);
    this.parser = new ReplyParser();
    const secure = tls.connect({ socket: plain, ca, servername: 'localhost' });
    this.socket = secure;
    this.listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
  }

  /** Resolves when the server has closed the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.closed) resolve();
      else this.socket.once('close', () => resolve());
    });
  }
}
