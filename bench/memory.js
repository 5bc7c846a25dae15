// npm run bench -- memory: the lab server's memory under one large or endless session.
// Each case starts a fresh server process and sends one message through a raw socket (with
// backpressure), while a normal client sends a small message every 200 ms; reports the server's
// peak resident memory and how long the normal sessions took meanwhile. Loopback only, bounded.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Conn, makeMessage, quantile } from './load.js';
import { mib, startLab, watchMemory } from './child.js';

const log = (text) => process.stderr.write(`${text}\n`);
const CASE_LIMIT_MS = Number(process.env.BENCH_MEMORY_SECONDS ?? 120) * 1000;

/** Writes `total` bytes made of `unit` repeated, respecting backpressure; stops when the socket does. */
async function pour(socket, unit, total) {
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor(65536 / unit.length))));
  let sent = 0;
  while (sent < total && !socket.destroyed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
    sent += piece.length;
    if (!socket.write(piece)) {
      await new Promise((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  return sent;
}

/** One flooding session: EHLO, MAIL, RCPT, DATA, then `total` bytes of `unit`, then the final dot. */
async function flood(port, unit, total) {
  const socket = net.connect({ host: '127.0.0.1', port });
  const conn = new Conn(socket);
  socket.on('error', () => undefined);
  const t0 = performance.now();
  try {
    await conn.reply();
    await conn.command('EHLO flood.bench\r\n', 250);
    await conn.command('MAIL FROM:<flood@bench.test>\r\n', 250);
    await conn.command('RCPT TO:<sink@bench.test>\r\n', 250);
    await conn.command('DATA\r\n', 354);
    const sent = await pour(socket, unit, total);
    if (!socket.destroyed) socket.write('\r\n.\r\n');
    const code = await conn.reply().catch(() => 'closed');
    socket.destroy();
    return { sent, reply: code, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    socket.destroy();
    return { sent: 0, reply: `error: ${err.message}`, seconds: (performance.now() - t0) / 1000 };
  }
}

/** A normal client every 200 ms while `busy` holds: one small message per session; durations. */
async function probe(port, busy) {
  const times = [];
  const failures = [];
  const message = makeMessage(1024);
  while (busy()) {
    const t0 = performance.now();
    const conn = new Conn(net.connect({ host: '127.0.0.1', port }));
    conn.socket.on('error', () => undefined);
    try {
      if ((await conn.reply()) !== 220) throw new Error('no 220');
      await conn.command('EHLO probe.bench\r\n', 250);
      await conn.command('MAIL FROM:<probe@bench.test>\r\n', 250);
      await conn.command('RCPT TO:<sink@bench.test>\r\n', 250);
      await conn.command('DATA\r\n', 354);
      await conn.command(message, 250);
      times.push(performance.now() - t0);
      await conn.quit();
    } catch (err) {
      failures.push(err.message);
      conn.socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: quantile(times, 0.5), max: times.at(-1) ?? NaN, failures };
}

const MB = 1024 * 1024;
const cases = [
  { name: '100 MB of 80-byte lines', unit: `${'x'.repeat(78)}\r\n`, total: 100 * MB, maxSize: 128 * MB },
  { name: '40 MB of empty lines', unit: '\r\n', total: 40 * MB, maxSize: 50 * MB },
  {
    name: 'endless DATA (--max-size 1M)',
    unit: `${'y'.repeat(998)}\r\n`,
    total: 400 * MB,
    maxSize: 1 * MB,
  },
];
const only = process.env.BENCH_MEMORY_CASES?.split(',').map(Number);

const results = [];
for (const [i, c] of cases.entries()) {
  if (only && !only.includes(i + 1)) continue;
  log(`memory: ${c.name}`);
  const lab = await startLab({ BENCH_MAX_SIZE: String(c.maxSize), BENCH_WARM: '2' });
  const watch = watchMemory(lab.pid);
  let busy = true;
  const limit = setTimeout(() => (busy = false), CASE_LIMIT_MS);
  const probing = probe(lab.port, () => busy);
  const outcome = await Promise.race([
    flood(lab.port, c.unit, c.total),
    new Promise((resolve) => setTimeout(() => resolve({ reply: 'time limit' }), CASE_LIMIT_MS)),
    lab.exited.then((e) => ({ reply: `server died (${e.signal ?? e.code})` })),
  ]);
  busy = false;
  clearTimeout(limit);
  const probes = await probing;
  const memory = watch.stop();
  const died = lab.exit();
  await lab.stop();
  results.push({ case: c.name, ...outcome, ...memory, died, probes });
  log(
    `  reply ${outcome.reply} after ${outcome.seconds?.toFixed(1) ?? '?'} s; peak RSS ${mib(memory.peak)} (VmHWM ${mib(memory.hwm)}); ` +
      `normal sessions: ${probes.n}, p50 ${probes.p50.toFixed(1)} ms, max ${probes.max.toFixed(1)} ms, ${probes.failures.length} failed`,
  );
}

const row = (cells) => `| ${cells.join(' | ')} |`;
console.log('\n## smtp-lab memory under one large session (`npm run bench -- memory`)\n');
console.log(
  row([
    'case',
    'server reply',
    'peak RSS',
    'target < 150 MiB',
    'normal sessions p50 / max',
    'target < 50 ms',
  ]),
);
console.log(row(['---', '---', '---', '---', '---', '---']));
for (const r of results) {
  console.log(
    row([
      r.case,
      `${r.reply}`,
      mib(r.hwm || r.peak),
      (r.hwm || r.peak) < 150 * MB && !r.died ? 'met' : 'MISSED',
      `${r.probes.p50.toFixed(1)} / ${r.probes.max.toFixed(1)} ms (n=${r.probes.n}${r.probes.failures.length ? `, ${r.probes.failures.length} failed` : ''})`,
      r.probes.max < 50 && !r.probes.failures.length ? 'met' : 'MISSED',
    ]),
  );
}
