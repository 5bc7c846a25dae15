// A small SMTP load generator over raw sockets: it waits for every reply before sending the next
// command (no pipelining), so it measures what a plain client sees. Everything targets 127.0.0.1.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const HOST = '127.0.0.1';

/**
 * One client connection. `reply()` resolves with the code of the next complete reply (multi-line
 * replies included); a close or error rejects what is pending.
 */
export class Conn {
  constructor(socket) {
    this.socket = socket;
    this.buf = '';
    this.replies = [];
    this.waiter = undefined;
    this.failure = undefined;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  onData(chunk) {
    this.buf += chunk.toString('latin1');
    let nl;
    while ((nl = this.buf.indexOf('\n')) !== -1) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      // The last line of a reply has a space (or nothing) after the code.
      if (line.length >= 3 && line[3] !== '-') this.deliver(Number(line.slice(0, 3)));
    }
  }

  deliver(code) {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve(code);
    } else this.replies.push(code);
  }

  fail(err) {
    this.failure ??= err;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
  }

  reply() {
    if (this.replies.length) return Promise.resolve(this.replies.shift());
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  async command(line, expect) {
    this.socket.write(line);
    const code = await this.reply();
    if (code !== expect) throw new Error(`${line.trim().slice(0, 20)}: expected ${expect}, got ${code}`);
    return code;
  }

  /** Sends QUIT, waits (bounded) for the close. */
  async quit() {
    if (this.failure) return this.socket.destroy();
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.write('QUIT\r\n');
    const timer = setTimeout(() => this.socket.destroy(), 2000);
    await closed;
    clearTimeout(timer);
  }
}

export function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at];
}

/**
 * Sequential connections: time from connect() to the complete 220 line, then QUIT and wait for
 * the close before the next one. `warmup` connections first (bounded by a quarter of `timeMs`),
 * then up to `count` timed ones within `timeMs`.
 */
export async function connectLatency(port, { count = 300, warmup = 20, timeMs = 15_000 } = {}) {
  const once = async () => {
    const t0 = performance.now();
    const conn = new Conn(net.connect({ host: HOST, port }));
    const code = await conn.reply();
    const elapsed = performance.now() - t0;
    if (code !== 220) throw new Error(`greeting: expected 220, got ${code}`);
    await conn.quit();
    return elapsed;
  };
  const warmDeadline = performance.now() + timeMs / 4;
  for (let i = 0; i < warmup && performance.now() < warmDeadline; i++) await once();
  const samples = [];
  const deadline = performance.now() + timeMs;
  while (samples.length < count && performance.now() < deadline) samples.push(await once());
  samples.sort((a, b) => a - b);
  return {
    n: samples.length,
    median: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    p99: quantile(samples, 0.99),
    max: samples.at(-1),
  };
}

/** A message of exactly `size` bytes (headers included, CRLF lines, nothing to dot-stuff). */
export function makeMessage(size = 1024) {
  const head =
    'From: <bench@smtp-lab.test>\r\nTo: <sink@smtp-lab.test>\r\nSubject: bench\r\n' +
    'Message-ID: <bench@smtp-lab.test>\r\n\r\n';
  let body = '';
  const line = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghij\r\n'; // 68 bytes
  while (head.length + body.length + line.length <= size - 2) body += line;
  body += 'x'.repeat(size - 2 - head.length - body.length) + '\r\n';
  const message = head + body;
  if (message.length !== size) throw new Error(`message is ${message.length} bytes, not ${size}`);
  return Buffer.from(message + '.\r\n', 'latin1');
}

/**
 * `sessions` concurrent connections, each: EHLO once, then MAIL/RCPT/DATA/body repeatedly on the
 * same connection until `messages` have been accepted in total or `timeMs` has passed. The clock
 * starts when every session has its EHLO reply and stops at the last 250; returns messages
 * accepted, elapsed ms and msgs/s.
 */
export async function throughput(
  port,
  { sessions = 10, messages = 3000, timeMs = 10_000, size = 1024 } = {},
) {
  const payload = makeMessage(size);
  let started = 0;
  let accepted = 0;
  let ready = 0;
  let go;
  const allReady = new Promise((resolve) => (go = resolve));
  let t0 = 0;
  let deadline = 0;
  let tEnd = 0;
  const one = async () => {
    const conn = new Conn(await connect(port));
    try {
      if ((await conn.reply()) !== 220) throw new Error('no 220 greeting');
      await conn.command('EHLO bench.smtp-lab.test\r\n', 250);
    } finally {
      if (++ready === sessions) {
        t0 = performance.now();
        deadline = t0 + timeMs;
        go();
      }
    }
    await allReady;
    while (started < messages && performance.now() < deadline) {
      started++;
      await conn.command('MAIL FROM:<bench@smtp-lab.test>\r\n', 250);
      await conn.command('RCPT TO:<sink@smtp-lab.test>\r\n', 250);
      await conn.command('DATA\r\n', 354);
      await conn.command(payload, 250);
      accepted++;
      tEnd = performance.now();
    }
    await conn.quit();
  };
  await Promise.all(Array.from({ length: sessions }, one));
  const elapsed = tEnd - t0;
  return { messages: accepted, elapsedMs: elapsed, msgsPerSec: (accepted / elapsed) * 1000 };
}
