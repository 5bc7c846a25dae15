// npm run bench: smtp-lab against a bare smtp-server (and Postfix's smtp-sink where installed),
// side by side in one run. Performance is measured here, never asserted in tests.
import { fork, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectLatency, throughput } from './load.js';
import { maildevBin, startMaildev } from './maildev.js';
import { detectPostfix, runSmtpSource, startSmtpSink } from './postfix.js';
import { storageFloor } from './storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// `npm run bench -- grade` runs only the grading benchmark (bench/grade.js), `npm run bench --
// client` only the reference client's (bench/client.js), `-- lab` only the lab loop's
// (bench/lab.js), `-- web` only the browser view's (bench/web.js), `-- memory` the server's
// memory under one large session (bench/memory.js), `-- fuzz` the malformed-session fuzzer
// (bench/fuzz.js); `npm run bench` runs this one, then grade, client and web (BENCH_GRADE=0 /
// BENCH_CLIENT=0 / BENCH_WEB=0 skip them).
if (['grade', 'client', 'lab', 'web', 'memory', 'fuzz'].includes(process.argv[2])) {
  await import(`./${process.argv[2]}.js`);
  await new Promise((resolve) => process.stdout.write('', resolve));
  process.exit(0);
}
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  rounds: env('BENCH_ROUNDS', 3),
  connect: {
    count: env('BENCH_CONNECTIONS', 300),
    warmup: env('BENCH_CONNECT_WARMUP', 20),
    timeMs: env('BENCH_CONNECT_SECONDS', 10) * 1000,
  },
  load: {
    sessions: env('BENCH_SESSIONS', 10),
    messages: env('BENCH_MESSAGES', 3000),
    timeMs: env('BENCH_SECONDS', 10) * 1000,
    size: 1024,
  },
  warmConnections: process.env.BENCH_WARM ? Number(process.env.BENCH_WARM) : 'default',
};
const resultsPath = path.resolve(process.env.BENCH_RESULTS ?? path.join(here, 'results.json'));
const benchEnv = Object.keys(process.env)
  .filter((k) => k.startsWith('BENCH_'))
  .sort()
  .map((k) => `${k}=${process.env[k]}`);
const command = [...benchEnv, 'npm run bench'].join(' ');

/** Starts bench/server.js KIND in its own process; resolves with { port, info, stop() }. */
function startServer(kind, extraEnv = {}) {
  const child = fork(path.join(here, 'server.js'), [kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...extraEnv },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} server did not start within 20 s`));
    }, 20_000);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (/** @type {any} */ message) => {
      const { port, info } = message;
      clearTimeout(timer);
      resolve({
        port,
        info,
        /** CPU time (ms, user + system) the server process has used so far. */
        cpu: () =>
          new Promise((done) => {
            child.once('message', (/** @type {any} */ { cpu }) => done((cpu.user + cpu.system) / 1000));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((done) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}

/** The throughput run, plus the server's CPU time per 1000 accepted messages (robust to a busy machine). */
async function measureLoad(server) {
  const before = await server.cpu();
  const result = await throughput(server.port, config.load);
  result.serverCpuMsPer1000 = ((await server.cpu()) - before) / (result.messages / 1000);
  return result;
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

function fsType(dir) {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const mailboxBase = process.env.BENCH_MAILBOX_BASE ?? os.tmpdir();
const postfix = detectPostfix();
// Diagnostic only: the same lab server with its mailbox on tmpfs, where fsync costs nothing. It
// separates what the disk costs from what the proxy costs; it is not the durable figure.
const tmpfs = process.env.BENCH_TMPFS !== '0' && fsType('/dev/shm') === 'tmpfs' ? '/dev/shm' : undefined;
const rounds = [];
const log = (text) => process.stderr.write(`${text}\n`);
log(`smtp-lab bench: ${config.rounds} rounds; ${os.cpus().length} CPUs; node ${process.version}`);
if (!postfix.available) log(`Postfix part skipped: ${postfix.reason}`);
// MailDev: a test mail server that keeps mail in memory and a plain folder (no fsync), the
// issue's second yardstick for throughput. Same load generator, its SMTP on 127.0.0.1.
/** @type {{ bin?: string, version?: string, skipped?: string }} */
let maildev;
if (process.env.BENCH_MAILDEV === '0') maildev = { skipped: 'BENCH_MAILDEV=0' };
else {
  try {
    maildev = await maildevBin(log);
  } catch (err) {
    maildev = { skipped: `MailDev could not be installed: ${err.message ?? err}` };
  }
}
if (maildev.skipped) log(`MailDev part skipped: ${maildev.skipped}`);

/** The throughput run against a fresh MailDev (its mail folder under the lab's mailbox base). */
async function measureMaildev() {
  const mailDir = await mkdtemp(path.join(mailboxBase, 'smtp-lab-bench-maildev-'));
  const md = await startMaildev(maildev.bin, mailDir);
  try {
    return await measureLoad({ port: md.smtp, cpu: md.cpu });
  } finally {
    await md.stop();
    await rm(mailDir, { recursive: true, force: true });
  }
}

let labInfo;
for (let round = 1; round <= config.rounds; round++) {
  const r = { round };
  const lab = await startServer('lab');
  const bare = await startServer('bare');
  labInfo = lab.info;
  try {
    log(`round ${round}: connect-to-220, smtp-lab`);
    r.connectLab = await connectLatency(lab.port, config.connect);
    log(`round ${round}: connect-to-220, bare smtp-server`);
    r.connectBare = await connectLatency(bare.port, config.connect);
    log(`round ${round}: throughput, smtp-lab`);
    r.loadLab = await measureLoad(lab);
    log(`round ${round}: throughput, bare smtp-server`);
    r.loadBare = await measureLoad(bare);
    if (!maildev.skipped) {
      log(`round ${round}: throughput, MailDev ${maildev.version}`);
      r.loadMaildev = await measureMaildev();
    }
    log(`round ${round}: durable-storage floor (file operations only, no SMTP)`);
    r.storage = await storageFloor(mailboxBase, { writers: config.load.sessions, size: config.load.size });
    if (tmpfs) {
      log(`round ${round}: throughput, smtp-lab with its mailbox on tmpfs (diagnostic)`);
      const labTmpfs = await startServer('lab', { BENCH_MAILBOX_BASE: tmpfs });
      try {
        r.loadLabTmpfs = await measureLoad(labTmpfs);
      } finally {
        await labTmpfs.stop();
      }
    }
    if (postfix.available) {
      const sink = await startSmtpSink(postfix.sink);
      try {
        const opts = {
          sessions: config.load.sessions,
          messages: config.load.messages,
          size: config.load.size,
        };
        log(`round ${round}: smtp-source -> smtp-sink, smtp-lab, bare smtp-server`);
        r.sourceSink = await runSmtpSource(postfix.source, sink.port, opts);
        r.sourceLab = await runSmtpSource(postfix.source, lab.port, opts);
        r.sourceBare = await runSmtpSource(postfix.source, bare.port, opts);
      } finally {
        await sink.stop();
      }
    }
  } finally {
    await lab.stop();
    await bare.stop();
  }
  log(
    `  lab 220 median ${r.connectLab.median.toFixed(2)} ms, bare ${r.connectBare.median.toFixed(2)} ms; ` +
      `lab ${r.loadLab.msgsPerSec.toFixed(0)} msg/s, bare ${r.loadBare.msgsPerSec.toFixed(0)} msg/s` +
      (r.loadMaildev ? `, MailDev ${r.loadMaildev.msgsPerSec.toFixed(0)} msg/s` : '') +
      (r.sourceSink
        ? `; smtp-source wall: sink ${r.sourceSink.wallMs.toFixed(0)} ms, lab ${r.sourceLab.wallMs.toFixed(0)} ms, bare ${r.sourceBare.wallMs.toFixed(0)} ms`
        : ''),
  );
  rounds.push(r);
}

const pick = (key, field) => median(rounds.map((r) => r[key]?.[field]));
const summary = {
  connect: {
    lab: {
      median: pick('connectLab', 'median'),
      p90: pick('connectLab', 'p90'),
      p99: pick('connectLab', 'p99'),
      n: pick('connectLab', 'n'),
    },
    bare: {
      median: pick('connectBare', 'median'),
      p90: pick('connectBare', 'p90'),
      p99: pick('connectBare', 'p99'),
      n: pick('connectBare', 'n'),
    },
    targetMedianMs: 5,
  },
  throughput: {
    lab: pick('loadLab', 'msgsPerSec'),
    bare: pick('loadBare', 'msgsPerSec'),
    // Ratio of each round's pair, then the median: both were measured back to back.
    ratio: median(rounds.map((r) => r.loadLab.msgsPerSec / r.loadBare.msgsPerSec)),
    targetRatio: 0.5,
    labCpuMsPer1000: pick('loadLab', 'serverCpuMsPer1000'),
    bareCpuMsPer1000: pick('loadBare', 'serverCpuMsPer1000'),
    storageFloor: pick('storage', 'msgsPerSec'),
    labTmpfs: tmpfs ? pick('loadLabTmpfs', 'msgsPerSec') : undefined,
    labTmpfsCpuMsPer1000: tmpfs ? pick('loadLabTmpfs', 'serverCpuMsPer1000') : undefined,
    maildev: maildev.skipped ? undefined : pick('loadMaildev', 'msgsPerSec'),
    maildevCpuMsPer1000: maildev.skipped ? undefined : pick('loadMaildev', 'serverCpuMsPer1000'),
    // Target: above MailDev, i.e. this ratio > 1.
    maildevRatio: maildev.skipped
      ? undefined
      : median(rounds.map((r) => r.loadLab.msgsPerSec / r.loadMaildev.msgsPerSec)),
    maildevVersion: maildev.skipped ? undefined : maildev.version,
    maildevSkipped: maildev.skipped,
    tmpfsRatio: tmpfs
      ? median(rounds.map((r) => r.loadLabTmpfs.msgsPerSec / r.loadBare.msgsPerSec))
      : undefined,
  },
  postfix: postfix.available
    ? {
        sinkWallMs: pick('sourceSink', 'wallMs'),
        labWallMs: pick('sourceLab', 'wallMs'),
        bareWallMs: pick('sourceBare', 'wallMs'),
        // Throughput ratio smtp-lab / smtp-sink (= sink wall time / lab wall time).
        labToSinkRatio: median(rounds.map((r) => r.sourceSink.wallMs / r.sourceLab.wallMs)),
        bareToSinkRatio: median(rounds.map((r) => r.sourceSink.wallMs / r.sourceBare.wallMs)),
        command: rounds[0].sourceSink.command.replace(/127\.0\.0\.1:\d+$/, '127.0.0.1:PORT'),
      }
    : { skipped: postfix.reason },
};

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const c = summary.connect;
const t = summary.throughput;
const p = summary.postfix;
const rows = [
  [
    '',
    'smtp-lab',
    'bare smtp-server',
    t.maildevVersion ? `MailDev ${t.maildevVersion}` : 'MailDev',
    'postfix smtp-sink',
    'ratio / target',
  ],
  [
    'connect->220 median (ms)',
    f(c.lab.median),
    f(c.bare.median),
    '',
    '',
    `lab <= 5 ms: ${c.lab.median <= 5 ? 'met' : 'MISSED'}`,
  ],
  ['connect->220 p90 (ms)', f(c.lab.p90), f(c.bare.p90), '', '', ''],
  ['connect->220 p99 (ms)', f(c.lab.p99), f(c.bare.p99), '', '', ''],
  ['connections timed per round', f(c.lab.n, 0), f(c.bare.n, 0), '', '', ''],
  [
    `${config.load.sessions} sessions, 1 KB msgs/s`,
    f(t.lab, 0),
    f(t.bare, 0),
    t.maildev === undefined ? 'skipped' : f(t.maildev, 0),
    '',
    `lab/bare ${f(t.ratio)} (>= 0.5: ${t.ratio >= 0.5 ? 'met' : 'MISSED'})` +
      (t.maildevRatio === undefined
        ? ''
        : `; lab/MailDev ${f(t.maildevRatio)} (> 1: ${t.maildevRatio > 1 ? 'met' : 'MISSED'})`),
  ],
];
if (tmpfs) {
  rows.push([
    `  same, lab mailbox on tmpfs (diagnostic)`,
    f(t.labTmpfs, 0),
    '',
    '',
    '',
    `lab/bare ${f(t.tmpfsRatio)} (fsync free: not the durable figure)`,
  ]);
}
rows.push([
  '  storage floor: mailbox file ops only, msgs/s',
  f(t.storageFloor, 0),
  '',
  '',
  '',
  `= ${f(t.storageFloor / t.bare)} of bare: the most durable storage allows here`,
]);
rows.push([
  '  server CPU ms per 1000 msgs',
  f(t.labCpuMsPer1000, 0),
  f(t.bareCpuMsPer1000, 0),
  t.maildevCpuMsPer1000 === undefined ? '' : f(t.maildevCpuMsPer1000, 0),
  '',
  tmpfs
    ? `lab on tmpfs ${f(t.labTmpfsCpuMsPer1000, 0)}; user+system, all threads`
    : 'user+system, all threads',
]);
if (!p.skipped) {
  rows.push([
    `smtp-source ${config.load.messages} msgs wall (ms)`,
    f(p.labWallMs, 0),
    f(p.bareWallMs, 0),
    '',
    f(p.sinkWallMs, 0),
    `lab/sink ${f(p.labToSinkRatio)}, bare/sink ${f(p.bareToSinkRatio)}`,
  ]);
  rows.push([
    'smtp-source msgs/s',
    f((config.load.messages / p.labWallMs) * 1000, 0),
    f((config.load.messages / p.bareWallMs) * 1000, 0),
    '',
    f((config.load.messages / p.sinkWallMs) * 1000, 0),
    '(throughput ratios above)',
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
const table = rows
  .map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
  )
  .join('\n');

const out = {
  command,
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  mailboxFs: `${mailboxBase} (${fsType(mailboxBase)})`,
  config,
  lab: labInfo,
  summary,
  rounds,
};
mkdirSync(path.dirname(resultsPath), { recursive: true });
writeFileSync(resultsPath, JSON.stringify(out, null, 2) + '\n');

console.log(`\n$ ${command}`);
console.log(
  `medians of ${config.rounds} rounds; ${os.cpus().length} CPUs, node ${process.version}; mailbox on ${out.mailboxFs}; durable storage and recording on\n`,
);
console.log(table);
if (t.maildevSkipped) console.log(`\nMailDev comparison skipped: ${t.maildevSkipped}`);
if (p.skipped) console.log(`\nPostfix comparison skipped: ${p.skipped}`);
else console.log(`\nsmtp-source command: ${p.command}`);
console.log(`\nresults written to ${path.relative(process.cwd(), resultsPath) || resultsPath}`);

if (process.env.BENCH_GRADE !== '0') {
  console.log('');
  await import('./grade.js');
}
if (process.env.BENCH_CLIENT !== '0') {
  console.log('');
  await import('./client.js');
}
if (process.env.BENCH_WEB !== '0') {
  console.log('');
  await import('./web.js');
}
