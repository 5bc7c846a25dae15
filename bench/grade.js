// npm run bench -- grade: what grading costs on top of the student's own process.
//  (a) overhead per scenario run: gradeScenario's wall time minus the client process's lifetime
//      (server start, process spawn bookkeeping, stop, checks, report), trivial client, median;
//  (b) grade-all over N submissions x 5 scenarios against the same commands run against a plain
//      sink (Postfix smtp-sink where installed, and a bare smtp-server) with the same parallelism,
//      in the same run. Performance is measured here, never asserted in tests.
import { fork } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSubmissions, splitCommand, commandFor } from '../dist/grader/batch.js';
import { gradeScenario, runClient, startScenarioServer } from '../dist/grader/run.js';
import { resolveScenario } from '../dist/scenarios/load.js';
import { createTestCa } from '../dist/server/index.js';
import { enterLoopbackNetwork, findBwrap, sandboxProbe } from '../dist/grader/sandbox.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../dist/protocol/defaults.js';
import { detectPostfix, startSmtpSink } from './postfix.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  overheadRuns: env('BENCH_GRADE_RUNS', 50),
  submissions: env('BENCH_GRADE_SUBMISSIONS', 100),
  jobs: env('BENCH_GRADE_JOBS', os.availableParallelism()),
  rounds: env('BENCH_GRADE_ROUNDS', 1),
  // Lab servers started ahead of their run (grade-all's default: 3 x jobs); 0 = just in time.
  prefetch: process.env.BENCH_GRADE_PREFETCH ? Number(process.env.BENCH_GRADE_PREFETCH) : undefined,
  // Five built-in plaintext scenarios without timed faults: a sink can serve the same exchange.
  scenarios: (
    process.env.BENCH_GRADE_SCENARIOS ?? 'basic,dot-stuffing,headers,no-pipelining,utf8-subject'
  ).split(','),
  python: process.env.BENCH_PYTHON ?? 'python3',
};
const resultsPath = path.resolve(process.env.BENCH_GRADE_RESULTS ?? path.join(here, 'grade-results.json'));
const benchEnv = Object.keys(process.env)
  .filter((k) => k.startsWith('BENCH_'))
  .sort()
  .map((k) => `${k}=${process.env[k]}`);
const command = [...benchEnv, 'npm run bench -- grade'].join(' ');
const CLIENT = path.join(here, 'clients', 'smtp_client.py');
const TEMPLATE = `${config.python} {dir}/smtp_client.py`;
// The PATH the grader gives a client (src/grader/run.ts), so both sides run the same python3.
const GRADER_PATH = `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
const log = (text) => process.stderr.write(`${text}\n`);

// --sandbox side by side (BENCH_SANDBOX=0 skips it): the sandboxed runs need this process in a
// loopback-only network namespace, so the whole bench re-runs itself once inside one (the
// unsandboxed runs then share the same loopback: like for like).
let sandbox = process.env.BENCH_SANDBOX !== '0';
let sandboxSkipped;
if (sandbox) {
  try {
    findBwrap();
    const why = sandboxProbe();
    if (why) throw new Error(why);
    const code = await enterLoopbackNetwork();
    if (code !== undefined) process.exit(code);
  } catch (err) {
    sandbox = false;
    sandboxSkipped = err.message;
    log(`sandboxed part skipped: ${err.message}`);
  }
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const quantile = (values, q) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN;
};

/** Starts bench/server.js bare (a stock smtp-server) in its own process; resolves with { port, stop }. */
function startBare() {
  const child = fork(path.join(here, 'server.js'), ['bare'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.once('message', (/** @type {any} */ { port }) =>
      resolve({
        port,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.send('stop');
          }),
      }),
    );
  });
}

/** The same client commands as grade-all, against one long-running sink, `jobs` at a time. */
async function runAgainstSink(port, scenarios, dirs, template) {
  const tasks = dirs.flatMap((dir) => scenarios.map((scenario) => ({ dir, scenario })));
  let next = 0;
  let failures = 0;
  const lifetimes = [];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const worker = async () => {
    while (next < tasks.length) {
      const { dir, scenario } = tasks[next++];
      const brief = scenario.client;
      const run = await runClient(commandFor(template, dir), {
        cwd: dir,
        env: {
          PATH: GRADER_PATH,
          HOME: dir,
          LANG: 'C.UTF-8',
          LC_ALL: 'C.UTF-8',
          PYTHONUNBUFFERED: '1',
          PYTHONDONTWRITEBYTECODE: '1',
          SMTP_HOST: 'localhost', // as the grader says
          SMTP_PORT: String(port),
          SMTP_TLS: 'none',
          MAIL_FROM: brief.from,
          RCPT_TO: brief.to.join(','),
          ...(brief.subject !== undefined ? { MAIL_SUBJECT: brief.subject } : {}),
          ...(brief.body !== undefined ? { MAIL_BODY: brief.body } : {}),
        },
        timeoutMs: DEFAULT_CLIENT_TIMEOUT_MS,
        outputCap: 64 * 1024,
      });
      lifetimes.push(run.durationMs);
      if (run.exitCode !== 0) failures++;
    }
  };
  await Promise.all(Array.from({ length: config.jobs }, worker));
  const cpu = process.cpuUsage(cpu0);
  return {
    wallMs: performance.now() - started,
    failures,
    clientMedianMs: median(lifetimes),
    runnerCpuMsPerRun: (cpu.user + cpu.system) / 1000 / tasks.length,
  };
}

log(
  `smtp-lab grading bench: ${config.overheadRuns} overhead runs; ${config.submissions} submissions x ` +
    `${config.scenarios.length} scenarios, ${config.jobs} jobs, ${config.rounds} round(s); ${os.cpus().length} CPUs; node ${process.version}`,
);
const scenarios = await Promise.all(config.scenarios.map((id) => resolveScenario(id)));
const root = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-grade-bench-'));
// A sandboxed client runs as nobody when the bench is root: the submissions must be readable.
await chmod(root, 0o755);
// The folder a client runs in for (a): small, like a submission (a sandbox copies it in).
const studentDir = path.join(root, 'student');
await mkdir(studentDir, { recursive: true });
await copyFile(CLIENT, path.join(studentDir, 'smtp_client.py'));
const out = {};
try {
  // (a) Overhead per scenario run: one CA, as grade and grade-all share one.
  const ca = await createTestCa();
  const argv = [config.python, 'smtp_client.py'];
  for (let i = 0; i < 3; i++) {
    await gradeScenario(scenarios[0], {
      command: argv,
      ca,
      cwd: studentDir,
      workDir: path.join(root, `warm-${i}`),
      ...(sandbox ? { sandbox: { hide: [root] } } : {}),
    });
  }
  // Two ways: cold, each server started when its run starts (what `grade` does for one scenario;
  // startLabServer resolves once its backends have greeted, which smtp-server does 100 ms after a
  // connection), and ahead, each server started three runs earlier (what grade-all does).
  const measure = async (mode) => {
    log(`(a) ${config.overheadRuns} x gradeScenario(${scenarios[0].id}), servers started ${mode}`);
    const overheads = [];
    const lifetimes = [];
    const walls = [];
    let fullMarks = 0;
    const dirOf = (i) => path.join(root, `a-${mode}-${i}`);
    const ahead = [];
    const prefetch = (i) => {
      if (mode !== 'ahead' || i >= config.overheadRuns) return;
      const server = startScenarioServer(scenarios[0], dirOf(i), ca);
      server.catch(() => undefined);
      ahead[i] = server;
    };
    for (let i = 0; i < 3; i++) prefetch(i);
    for (let i = 0; i < config.overheadRuns; i++) {
      prefetch(i + 3);
      const t0 = performance.now();
      const report = await gradeScenario(scenarios[0], {
        command: argv,
        ca,
        cwd: studentDir,
        workDir: dirOf(i),
        ...(ahead[i] ? { server: ahead[i] } : {}),
      });
      const wall = performance.now() - t0;
      walls.push(wall);
      lifetimes.push(report.client.durationMs);
      overheads.push(wall - report.client.durationMs);
      if (report.score === report.maxScore) fullMarks++;
      await rm(dirOf(i), { recursive: true, force: true });
    }
    const result = {
      medianMs: median(overheads),
      p90Ms: quantile(overheads, 0.9),
      clientMedianMs: median(lifetimes),
      wallMedianMs: median(walls),
      runs: config.overheadRuns,
      fullMarks,
      targetMs: 30,
    };
    log(
      `    overhead median ${result.medianMs.toFixed(1)} ms (p90 ${result.p90Ms.toFixed(1)}), ` +
        `client ${result.clientMedianMs} ms; full marks ${fullMarks}/${config.overheadRuns}`,
    );
    return result;
  };
  out.overhead = { ahead: await measure('ahead'), cold: await measure('cold') };
  if (sandbox) {
    // (a') The cost of the box per run, measured in pairs: each iteration grades once plain and
    // once sandboxed (the order alternating), both servers started ahead, so a busy machine
    // slows both sides of a pair alike; the figure is the median of the pairs' differences in
    // wall time (bwrap, namespaces, mounts, the folder handed over, setpriv, prlimit).
    log(`(a') ${config.overheadRuns} pairs of gradeScenario(${scenarios[0].id}): plain and --sandbox`);
    const serverFor = (i, boxed) => {
      const server = startScenarioServer(scenarios[0], path.join(root, `p-${i}-${boxed}`), ca);
      server.catch(() => undefined);
      return server;
    };
    const plainWalls = [];
    const boxedWalls = [];
    const differences = [];
    let fullMarks = 0;
    let next = [serverFor(0, false), serverFor(0, true)];
    for (let i = 0; i < config.overheadRuns; i++) {
      const servers = next;
      if (i + 1 < config.overheadRuns) next = [serverFor(i + 1, false), serverFor(i + 1, true)];
      const wall = {};
      for (const boxed of i % 2 ? [true, false] : [false, true]) {
        const t0 = performance.now();
        const report = await gradeScenario(scenarios[0], {
          command: argv,
          ca,
          cwd: studentDir,
          workDir: path.join(root, `p-${i}-${boxed}`),
          server: servers[boxed ? 1 : 0],
          ...(boxed ? { sandbox: { hide: [root] } } : {}),
        });
        wall[boxed] = performance.now() - t0;
        if (boxed && report.score === report.maxScore) fullMarks++;
        await rm(path.join(root, `p-${i}-${boxed}`), { recursive: true, force: true });
      }
      plainWalls.push(wall[false]);
      boxedWalls.push(wall[true]);
      differences.push(wall[true] - wall[false]);
    }
    out.overhead.sandbox = {
      pairs: config.overheadRuns,
      plainWallMedianMs: median(plainWalls),
      sandboxedWallMedianMs: median(boxedWalls),
      costMedianMs: median(differences),
      costP90Ms: quantile(differences, 0.9),
      fullMarks,
      targetMs: 50,
    };
    log(
      `    sandbox cost per run: median ${out.overhead.sandbox.costMedianMs.toFixed(1)} ms ` +
        `(p90 ${out.overhead.sandbox.costP90Ms.toFixed(1)}); full marks ${fullMarks}/${config.overheadRuns}`,
    );
  }

  // (b) A class: N submission folders holding the same trivial client.
  const submissions = path.join(root, 'submissions');
  const dirs = [];
  for (let i = 0; i < config.submissions; i++) {
    const dir = path.join(submissions, `student-${String(i).padStart(3, '0')}`);
    await mkdir(dir, { recursive: true });
    await copyFile(CLIENT, path.join(dir, 'smtp_client.py'));
    dirs.push(dir);
  }
  const template = splitCommand(TEMPLATE);
  const postfix = detectPostfix();
  if (!postfix.available) log(`smtp-sink part skipped: ${postfix.reason}`);
  const rounds = [];
  for (let round = 1; round <= config.rounds; round++) {
    const r = { round };
    log(`(b) round ${round}: grade-all, ${dirs.length} x ${scenarios.length}`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const batch = await gradeSubmissions({
      submissions,
      command: TEMPLATE,
      scenarios,
      jobs: config.jobs,
      outDir: path.join(root, `grades-${round}`),
      format: 'text',
      ...(config.prefetch !== undefined ? { prefetch: config.prefetch } : {}),
    });
    let cpu = process.cpuUsage(cpu0);
    r.gradeAll = {
      wallMs: performance.now() - t0,
      // This process only (lab servers, proxies, checks, reports, spawning): not the clients.
      graderCpuMsPerRun: (cpu.user + cpu.system) / 1000 / (dirs.length * scenarios.length),
      // The trivial client does not pass every check of every scenario: 'failed' is expected,
      // anything worse (timed-out, nonzero-exit, ...) would make the figure meaningless.
      statuses: Object.fromEntries(
        [...new Set(batch.students.map((s) => s.status))].map((st) => [
          st,
          batch.students.filter((s) => s.status === st).length,
        ]),
      ),
      clientMedianMs: median(batch.students.flatMap((s) => s.reports.map((rep) => rep.client.durationMs))),
    };
    if (sandbox) {
      log(`(b) round ${round}: grade-all --sandbox, ${dirs.length} x ${scenarios.length}`);
      const cpuBoxed0 = process.cpuUsage();
      const t1 = performance.now();
      const boxed = await gradeSubmissions({
        submissions,
        command: TEMPLATE,
        scenarios,
        jobs: config.jobs,
        outDir: path.join(root, `grades-boxed-${round}`),
        format: 'text',
        sandbox: true,
        ...(config.prefetch !== undefined ? { prefetch: config.prefetch } : {}),
      });
      cpu = process.cpuUsage(cpuBoxed0);
      r.gradeAllSandboxed = {
        wallMs: performance.now() - t1,
        graderCpuMsPerRun: (cpu.user + cpu.system) / 1000 / (dirs.length * scenarios.length),
        statuses: Object.fromEntries(
          [...new Set(boxed.students.map((s) => s.status))].map((st) => [
            st,
            boxed.students.filter((s) => s.status === st).length,
          ]),
        ),
        clientMedianMs: median(boxed.students.flatMap((s) => s.reports.map((rep) => rep.client.durationMs))),
        sameScores: boxed.students.map((s) => s.score).join() === batch.students.map((s) => s.score).join(),
      };
    }
    if (postfix.available) {
      log(`(b) round ${round}: the same commands against Postfix smtp-sink`);
      const sink = await startSmtpSink(postfix.sink);
      try {
        r.smtpSink = await runAgainstSink(sink.port, scenarios, dirs, template);
      } finally {
        await sink.stop();
      }
    }
    log(`(b) round ${round}: the same commands against a bare smtp-server`);
    const bare = await startBare();
    try {
      r.bare = await runAgainstSink(bare.port, scenarios, dirs, template);
    } finally {
      await bare.stop();
    }
    if (r.gradeAllSandboxed) {
      log(
        `    grade-all --sandbox ${r.gradeAllSandboxed.wallMs.toFixed(0)} ms (same scores: ${r.gradeAllSandboxed.sameScores})`,
      );
    }
    log(
      `    grade-all ${r.gradeAll.wallMs.toFixed(0)} ms (students: ${Object.entries(r.gradeAll.statuses)
        .map(([st, n]) => `${n} ${st}`)
        .join(', ')})` +
        (r.smtpSink ? `, smtp-sink ${r.smtpSink.wallMs.toFixed(0)} ms` : '') +
        `, bare smtp-server ${r.bare.wallMs.toFixed(0)} ms`,
    );
    rounds.push(r);
  }
  const pick = (key, field) => median(rounds.map((r) => r[key]?.[field]));
  out.batch = {
    gradeAllWallMs: pick('gradeAll', 'wallMs'),
    gradeAllSandboxedWallMs: sandbox ? pick('gradeAllSandboxed', 'wallMs') : undefined,
    sandboxRatio: sandbox
      ? median(rounds.map((r) => r.gradeAllSandboxed.wallMs / r.gradeAll.wallMs))
      : undefined,
    sandboxSkipped,
    smtpSinkWallMs: postfix.available ? pick('smtpSink', 'wallMs') : undefined,
    bareWallMs: pick('bare', 'wallMs'),
    ratioToSmtpSink: postfix.available
      ? median(rounds.map((r) => r.gradeAll.wallMs / r.smtpSink.wallMs))
      : undefined,
    ratioToBare: median(rounds.map((r) => r.gradeAll.wallMs / r.bare.wallMs)),
    clientMedianMs: {
      gradeAll: pick('gradeAll', 'clientMedianMs'),
      smtpSink: postfix.available ? pick('smtpSink', 'clientMedianMs') : undefined,
      bare: pick('bare', 'clientMedianMs'),
    },
    cpuMsPerRun: {
      grader: pick('gradeAll', 'graderCpuMsPerRun'),
      sinkRunner: postfix.available
        ? pick('smtpSink', 'runnerCpuMsPerRun')
        : pick('bare', 'runnerCpuMsPerRun'),
    },
    sinkFailures: rounds.map((r) => (r.smtpSink?.failures ?? 0) + r.bare.failures),
    targetRatio: 1.3,
    rounds,
  };
} finally {
  await rm(root, { recursive: true, force: true });
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const oa = out.overhead.ahead;
const oc = out.overhead.cold;
const b = out.batch;
const met = (ok) => (ok ? 'met' : 'MISSED');
const rows = [
  ['', 'median', 'target'],
  [
    `(a) grading overhead per run (ms), server started ahead (grade-all), ${oa.runs} runs`,
    f(oa.medianMs),
    `<= ${oa.targetMs} ms: ${met(oa.medianMs <= oa.targetMs)}`,
  ],
  ['    p90 (ms)', f(oa.p90Ms), ''],
  ['    client lifetime (ms)', f(oa.clientMedianMs), ''],
  [
    '    same, server started with its run (grade, one scenario)',
    f(oc.medianMs),
    `<= ${oc.targetMs} ms: ${met(oc.medianMs <= oc.targetMs)}; p90 ${f(oc.p90Ms)}, client ${f(oc.clientMedianMs)}`,
  ],
];
if (out.overhead.sandbox) {
  const ob = out.overhead.sandbox;
  rows.push(
    [
      `(a') wall per run, plain / --sandbox (ms), ${ob.pairs} interleaved pairs`,
      `${f(ob.plainWallMedianMs)} / ${f(ob.sandboxedWallMedianMs)}`,
      '',
    ],
    [
      "    --sandbox cost per run (ms): median of the pairs' differences",
      f(ob.costMedianMs),
      `< ${ob.targetMs} ms: ${met(ob.costMedianMs < ob.targetMs)}; p90 ${f(ob.costP90Ms)}; full marks ${ob.fullMarks}/${ob.pairs}`,
    ],
  );
} else {
  rows.push(["(a') --sandbox", 'skipped', b.sandboxSkipped ?? 'BENCH_SANDBOX=0']);
}
rows.push([
  `(b) grade-all ${config.submissions} x ${config.scenarios.length}, ${config.jobs} jobs (ms)`,
  f(b.gradeAllWallMs, 0),
  '',
]);
if (b.gradeAllSandboxedWallMs !== undefined) {
  rows.push([
    '    same, grade-all --sandbox (ms)',
    f(b.gradeAllSandboxedWallMs, 0),
    `ratio ${f(b.sandboxRatio, 2)}; same scores: ${b.rounds.every((r) => r.gradeAllSandboxed.sameScores)}`,
  ]);
}
if (b.smtpSinkWallMs !== undefined) {
  rows.push([
    '    same commands, Postfix smtp-sink (ms)',
    f(b.smtpSinkWallMs, 0),
    `ratio ${f(b.ratioToSmtpSink, 2)}, <= ${b.targetRatio}: ${met(b.ratioToSmtpSink <= b.targetRatio)}`,
  ]);
}
rows.push([
  '    same commands, bare smtp-server (ms)',
  f(b.bareWallMs, 0),
  `ratio ${f(b.ratioToBare, 2)}, <= ${b.targetRatio}: ${met(b.ratioToBare <= b.targetRatio)}`,
]);
rows.push([
  '    client lifetime: grade-all / smtp-sink / bare (ms)',
  `${f(b.clientMedianMs.gradeAll, 0)} / ${f(b.clientMedianMs.smtpSink, 0)} / ${f(b.clientMedianMs.bare, 0)}`,
  '',
]);
rows.push([
  '    CPU per run of this process: grade-all / sink runner (ms)',
  `${f(b.cpuMsPerRun.grader)} / ${f(b.cpuMsPerRun.sinkRunner)}`,
  'clients not included',
]);
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
const table = rows
  .map((row) =>
    row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
  )
  .join('\n');

const results = {
  command,
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load: os.loadavg() },
  config,
  ...out,
};
await mkdir(path.dirname(resultsPath), { recursive: true });
await writeFile(resultsPath, JSON.stringify(results, null, 2) + '\n');
console.log(`\n$ ${command}`);
console.log(
  `${os.cpus().length} CPUs, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; client: ${TEMPLATE}; scenarios ${config.scenarios.join(', ')}\n`,
);
console.log(table);
console.log(`\nresults written to ${path.relative(process.cwd(), resultsPath) || resultsPath}`);
