// Child process that runs one server under test, so the load generator (the parent) and the
// server do not share an event loop. Usage: node bench/server.js lab|bare
// Prints nothing; reports { port, mailbox? } over IPC and stops on the message 'stop'.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startLabServer } from '../dist/server/index.js';

const kind = process.argv[2];
const warmConnections = process.env.BENCH_WARM ? Number(process.env.BENCH_WARM) : undefined;

async function startLab() {
  const base = process.env.BENCH_MAILBOX_BASE ?? os.tmpdir();
  const mailbox = await mkdtemp(path.join(base, 'smtp-lab-bench-'));
  const lab = await startLabServer({
    port: 0,
    mailbox,
    warmConnections,
    traceHeaders: true,
    idleTimeout: process.env.BENCH_IDLE_MS ? Number(process.env.BENCH_IDLE_MS) : 30_000,
    ...(process.env.BENCH_MAX_SIZE ? { maxSize: Number(process.env.BENCH_MAX_SIZE) } : {}),
    ...(process.env.BENCH_TLS_PORT ? { tlsPort: 0 } : {}),
  });
  // Sessions open and in all, for the fuzz and memory benchmarks (`stats` over IPC).
  stats.started = 0;
  stats.ended = 0;
  lab.on('session', (session) => {
    stats.started++;
    session.once('end', () => stats.ended++);
  });
  return {
    port: lab.port,
    tlsPort: lab.tlsPort,
    info: { mailbox, warmConnections: warmConnections ?? 'default', tlsPort: lab.tlsPort },
    stop: async () => {
      await lab.stop();
      await rm(mailbox, { recursive: true, force: true });
    },
  };
}

/** A stock smtp-server used as a sink: no auth, no reverse lookup, onData drains and accepts. */
async function startBare() {
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    logger: false,
    closeTimeout: 1000,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  server.on('error', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.server.address()).port,
    info: {},
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const stats = {};
const running = kind === 'lab' ? await startLab() : kind === 'bare' ? await startBare() : null;
if (!running) {
  console.error(`unknown server kind ${kind}`);
  process.exit(2);
}
process.send({ port: running.port, info: running.info });
process.on('message', async (msg) => {
  // CPU time of the whole server process (event loop and libuv threads: fs work included).
  if (msg === 'cpu') return process.send({ cpu: process.cpuUsage() });
  if (msg === 'stats') return process.send({ stats: { ...stats, rss: process.memoryUsage().rss } });
  if (msg !== 'stop') return;
  await running.stop();
  process.exit(0);
});
// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
