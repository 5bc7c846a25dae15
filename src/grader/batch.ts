import { rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pc from 'picocolors';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { displayWidth, padEndWidth, padStartWidth, truncateWidth } from '../i18n/width.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../protocol/defaults.js';
import type { Scenario } from '../scenarios/types.js';
import { scenarioTitle } from '../scenarios/localized.js';
import { createTestCa, type LabServer, type TestCa } from '../server/index.js';
import { visible } from '../transcript/render.js';
import { formatReports, type ReportFormat } from './formats.js';
import {
  gradeScenario,
  killClients,
  makeJavaTrustStore,
  startScenarioServer,
  type GradeOptions,
} from './run.js';
import type { GradeReport } from './report.js';
import { crashLine } from './diagnosis.js';
import { inLoopbackOnlyNetwork, type SandboxLimits } from './sandbox.js';
import { onInterrupt, scratchBase } from './scratch.js';
import { inShard, type Shard } from './shard.js';
import { UsageError } from '../protocol/errors.js';

/**
 * Grading a whole class: every subfolder of a submissions folder is one student, graded with the
 * same command under the same scenarios, in parallel. Each (student, scenario) run has its own
 * fresh lab server (gradeScenario isolates them); the batch shares one CA. Whatever a submission
 * does (missing file, crash, hang, flood, strange folder name), it ends as that student's report
 * with a status, and the batch goes on.
 */

/** Why a student (or one scenario run) got the score it got, worst first. */
export const STUDENT_STATUSES = [
  'grader-error',
  'missing-file',
  'not-started',
  'no-connection',
  'flooded',
  'timed-out',
  'nonzero-exit',
  'failed',
  'passed',
] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];

export interface ScenarioOutcome {
  scenario: string;
  score: number;
  maxScore: number;
  status: StudentStatus;
  /** One line: what happened, e.g. `killed after the 20 s time limit`. */
  statusText: string;
}

export interface StudentResult {
  /** The submission folder's name, exactly. */
  student: string;
  /** Its absolute path (what `{dir}` became). */
  dir: string;
  /** The worst status over the scenarios. */
  status: StudentStatus;
  statusText: string;
  score: number;
  maxScore: number;
  scenarios: ScenarioOutcome[];
  /** `scenario/check-id` of every applicable check that failed. */
  failedChecks: string[];
  /** Where this student's reports were written. */
  reportDir: string;
  reports: GradeReport[];
}

export interface BatchOptions {
  /** The folder whose subfolders are the submissions. */
  submissions: string;
  /**
   * The command, one string split like a shell would (quotes honoured, no shell runs it):
   * `{dir}` is the submission's absolute path; `{host}`, `{port}`, `{tls}` as in `grade`.
   * It runs with the submission folder as its working directory.
   */
  command: string;
  scenarios: Scenario[];
  /** Scenario runs at once. Default os.availableParallelism(). */
  jobs?: number;
  /** Per scenario run. Default 20 s. */
  timeoutMs?: number;
  strict?: boolean;
  /** Language of the reports' titles and hints (course-wide; default English). */
  lang?: Lang;
  /** Format of each student's report (report.json is always written too). Default text. */
  format?: ReportFormat;
  /** Where scores.csv, summary.txt, batch.json and students/<name>/ go. */
  outDir: string;
  /** Keep every run's mailbox and raw transcripts here (default: a temporary folder, removed). */
  workDir?: string;
  /** Called after each student is graded and written. */
  onProgress?: (progress: { done: number; total: number; student: StudentResult }) => void;
  /**
   * Lab servers started ahead of their run (their backend connections warm up meanwhile).
   * Default 3 x jobs; 0 starts each server just before its client.
   */
  prefetch?: number;
  /** Grade only this slice of the class (grade-all --shard K/N; merge the slices with `merge`). */
  shard?: Shard;
  /**
   * Run every client under bubblewrap (src/grader/sandbox.ts); this process must already be in a
   * loopback-only network namespace. The class folder, out-dir and work folder are hidden.
   */
  sandbox?: boolean | { limits?: Partial<SandboxLimits> };
  /** Passed to gradeScenario (traffic limits, output cap). */
  limits?: GradeOptions['limits'];
  outputCap?: number;
}

export interface BatchResult {
  students: StudentResult[];
  scenarios: string[];
  outDir: string;
  files: { csv: string; summary: string; json: string };
  durationMs: number;
  jobs: number;
  /** What the batch was made with: `merge` refuses to combine shards that differ here. */
  options: BatchRecordOptions;
  shard?: Shard;
}

/** The options that decide a batch's scores; a shard's batch.json records them for `merge`. */
export interface BatchRecordOptions {
  command: string;
  scenarios: string[];
  timeoutMs: number;
  strict: boolean;
  format: ReportFormat;
  sandbox: boolean;
}

/** Report file name for each format (report.json is always written as well). */
export const REPORT_FILES: Record<ReportFormat, string> = {
  text: 'report.txt',
  json: 'report.json',
  gradescope: 'results.json',
  junit: 'report.xml',
  tap: 'report.tap',
  html: 'report.html',
};

const SHELL_OPERATORS = new Set(['|', '||', '&', '&&', ';', '>', '>>', '<', '2>', '2>&1', '<<']);

/**
 * Splits a command line into argv the way a POSIX shell splits words, without running a shell:
 * whitespace separates; '…' keeps everything literally; "…" keeps everything but lets `\` escape
 * `"`, `\`, `$` and a backquote; outside quotes `\` escapes the next character. No expansion of
 * any kind; an unquoted shell operator is refused (wrap the command in `sh -c '…'` for that).
 * What is wrong with a command is said in `m`'s language (English by default).
 */
export function splitCommand(command: string, m: Messages = messages()): string[] {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let bareWord = true;
  const push = () => {
    if (bareWord && SHELL_OPERATORS.has(word)) {
      throw new UsageError(m.t('grader.batch.shellOperator', { operator: word }));
    }
    argv.push(word);
    word = '';
    inWord = false;
    bareWord = true;
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!))
        word += command[++i];
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) push();
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
      bareWord = false;
    } else if (ch === '\\') {
      if (i + 1 >= command.length) throw new UsageError(m.t('grader.batch.loneBackslash'));
      word += command[++i];
      inWord = true;
      bareWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(m.t('grader.batch.unterminatedQuote', { quote }));
  if (inWord) push();
  if (!argv.length) throw new UsageError(m.t('grader.batch.emptyCommand'));
  return argv;
}

/** The command for one submission: `{dir}` replaced by its absolute path in every argument. */
export function commandFor(argv: readonly string[], dir: string): string[] {
  return argv.map((arg) => arg.split('{dir}').join(dir));
}

/**
 * The submission folders in `dir`, sorted by name: every subfolder except hidden ones and the
 * given folders (an out-dir or work-dir placed inside the submissions folder).
 */
export async function listSubmissions(
  dir: string,
  exclude: readonly string[] = [],
  m: Messages = messages(),
): Promise<string[]> {
  const root = path.resolve(dir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(m.t('grader.batch.submissionsUnreadable', { dir, reason: (err as Error).message }));
  }
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skip.has(path.join(root, e.name)))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A name safe to print on one terminal line: control characters escaped (C1 and bidi too). */
export function displayName(name: string): string {
  return /[\u0000-\u001f\u007f]/.test(name) ? visible(JSON.stringify(name).slice(1, -1)) : visible(name);
}

/**
 * Grades every submission; resolves when every student has a report on disk. The steps: check
 * the options and list the class (planBatch), make the batch's shared work folder and CA
 * (prepareWork), run every (student, scenario) pair on `jobs` workers with lab servers started
 * ahead (runTasks), writing each student's reports as their last run ends (writeStudent), then
 * the class files (writeBatchFiles).
 */
export async function gradeSubmissions(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const plan = await planBatch(options);
  const work = await prepareWork(options, plan);
  const results: StudentResult[] = [];
  try {
    const students = await pendingStudents(plan, options.scenarios.length);
    let done = 0;
    await runTasks(tasksOf(students, options.scenarios, work.root), options, plan, work, async (student) => {
      const result = await writeStudent(student, options, plan);
      results[student.index] = result;
      done++;
      options.onProgress?.({ done, total: students.length, student: result });
    });
  } finally {
    await work.release();
  }
  const result = batchResult(options, plan, results, Math.round(performance.now() - started));
  await writeBatchFiles(result, options.lang);
  return result;
}

/** What a batch will do, checked before anything is written. */
interface BatchPlan {
  /** The command, split into argv; `{dir}` still in it. */
  template: string[];
  submissionsDir: string;
  outDir: string;
  /** The submission folders of this shard, sorted. */
  names: string[];
  jobs: number;
  format: ReportFormat;
}

/** Checks the options (a bad one is a UsageError) and lists the submissions to grade. */
async function planBatch(options: BatchOptions): Promise<BatchPlan> {
  const m = messages(options.lang);
  const template = splitCommand(options.command, m);
  if (!options.scenarios.length) throw new UsageError(m.t('grader.batch.noScenario'));
  const submissionsDir = path.resolve(options.submissions);
  const outDir = path.resolve(options.outDir);
  const names = inShard(
    await listSubmissions(submissionsDir, [outDir, ...(options.workDir ? [options.workDir] : [])], m),
    options.shard,
  );
  if (options.sandbox && !inLoopbackOnlyNetwork()) {
    throw new UsageError(m.t('grader.batch.sandboxNetwork'));
  }
  return {
    template,
    submissionsDir,
    outDir,
    names,
    jobs: Math.max(1, Math.floor(options.jobs ?? os.availableParallelism())),
    format: options.format ?? 'text',
  };
}

/** What every run of a batch shares: the work folder, one CA, a Java trust store when needed. */
interface BatchWork {
  root: string;
  ca: TestCa;
  javaTrustStore?: string;
  /** Forgets the interrupt handler and removes the work folder (unless it is the user's). */
  release(): Promise<void>;
}

/** Makes the out-dir's students/ folder, the work folder (removed on SIGINT too) and the CA. */
async function prepareWork(options: BatchOptions, plan: BatchPlan): Promise<BatchWork> {
  await mkdir(path.join(plan.outDir, 'students'), { recursive: true });
  const root = options.workDir
    ? path.resolve(options.workDir)
    : await mkdtemp(path.join(await scratchBase(), 'smtp-lab-batch-'));
  await mkdir(root, { recursive: true });
  const forget = options.workDir
    ? () => undefined
    : onInterrupt(() => {
        killClients();
        rmSync(root, { recursive: true, force: true });
      });
  const release = async () => {
    forget();
    if (!options.workDir) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const ca = await createTestCa();
    const usesJava = /(^|\/)(java|mvn|gradle|kotlin|scala)$/.test(plan.template[0] ?? '');
    const javaTrustStore = usesJava ? await makeJavaTrustStore(ca, path.join(root, 'java')) : undefined;
    return { root, ca, ...(javaTrustStore ? { javaTrustStore } : {}), release };
  } catch (err) {
    await release();
    throw err;
  }
}

/** A student being graded: their command, and each scenario's report (or grader error) so far. */
interface Pending {
  index: number;
  name: string;
  dir: string;
  argv: string[];
  missing: string[];
  reports: Array<GradeReport | undefined>;
  errors: Array<string | undefined>;
  /** Runs not yet finished; the student's reports are written when it reaches 0. */
  left: number;
}

async function pendingStudents(plan: BatchPlan, scenarios: number): Promise<Pending[]> {
  return Promise.all(
    plan.names.map(async (name, index) => {
      const dir = path.join(plan.submissionsDir, name);
      const argv = commandFor(plan.template, dir);
      return {
        index,
        name,
        dir,
        argv,
        missing: await missingFiles(plan.template, argv),
        reports: new Array<GradeReport | undefined>(scenarios),
        errors: new Array<string | undefined>(scenarios),
        left: scenarios,
      };
    }),
  );
}

/** One run: a student under one scenario, in its own work folder. */
interface Task {
  student: Pending;
  scenario: Scenario;
  /** The scenario's index in the batch. */
  s: number;
  workDir: string;
}

/** Every run in student-major order: the first students finish first, so progress moves steadily. */
function tasksOf(students: readonly Pending[], scenarios: readonly Scenario[], root: string): Task[] {
  return students.flatMap((student) =>
    scenarios.map((scenario, s) => ({
      student,
      scenario,
      s,
      workDir: path.join(root, String(student.index), `${s}-${scenario.id}`),
    })),
  );
}

/**
 * Runs the tasks on `jobs` workers; `onStudentDone` when a student's last run ends. Lab servers
 * are started a few runs ahead: smtp-server greets a connection only after 100 ms, so a server
 * started just before its client would keep the client waiting for its warm backend
 * connections. Runs take their servers in task order; servers never taken are stopped.
 */
async function runTasks(
  tasks: readonly Task[],
  options: BatchOptions,
  plan: BatchPlan,
  work: BatchWork,
  onStudentDone: (student: Pending) => Promise<void>,
): Promise<void> {
  const servers = serversAhead(tasks, work.ca, Math.max(0, Math.floor(options.prefetch ?? plan.jobs * 3)));
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i]!;
      await runTask(task, servers.take(i), options, plan, work);
      if (--task.student.left === 0) await onStudentDone(task.student);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(plan.jobs, Math.max(tasks.length, 1)) }, worker));
  } finally {
    await servers.stopUnused();
  }
}

/** Lab servers started `lookahead` runs ahead of the run that takes them. */
function serversAhead(
  tasks: readonly Task[],
  ca: TestCa,
  lookahead: number,
): { take(i: number): Promise<LabServer> | undefined; stopUnused(): Promise<void> } {
  const servers = new Map<number, Promise<LabServer>>();
  let started = 0;
  return {
    take(i) {
      for (; started < Math.min(i + 1 + lookahead, tasks.length); started++) {
        const server = startScenarioServer(tasks[started]!.scenario, tasks[started]!.workDir, ca);
        server.catch(() => undefined); // reported when its run awaits it
        servers.set(started, server);
      }
      const server = servers.get(i);
      servers.delete(i);
      return server;
    },
    // Servers started for runs that never came (the batch failed): stop them.
    async stopUnused() {
      await Promise.all(
        [...servers.values()].map((server) => server.then((s) => s.stop()).catch(() => undefined)),
      );
    },
  };
}

/**
 * Grades one run into its student's reports. A failure of the grader itself (not of the client)
 * gets one more try on a new server; a second one is the run's grader error.
 */
async function runTask(
  task: Task,
  server: Promise<LabServer> | undefined,
  options: BatchOptions,
  plan: BatchPlan,
  work: BatchWork,
): Promise<void> {
  const { student, scenario, s, workDir } = task;
  const grade = (dir: string, started?: Promise<LabServer>) =>
    gradeScenario(scenario, {
      command: student.argv,
      cwd: student.dir,
      timeoutMs: options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
      strict: Boolean(options.strict),
      ...(options.lang ? { lang: options.lang } : {}),
      workDir: dir,
      ca: work.ca,
      ...(started ? { server: started } : {}),
      ...(work.javaTrustStore ? { javaTrustStore: work.javaTrustStore } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.outputCap !== undefined ? { outputCap: options.outputCap } : {}),
      ...(options.sandbox
        ? { sandbox: sandboxFor(options.sandbox, [plan.submissionsDir, plan.outDir, work.root]) }
        : {}),
    });
  try {
    student.reports[s] = await grade(workDir, server).catch(() => grade(`${workDir}-retry`));
  } catch (err) {
    student.errors[s] = err instanceof Error ? err.message : String(err);
  }
  if (!options.workDir) {
    for (const dir of [workDir, `${workDir}-retry`]) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** Writes a student's report.json (and the report in the batch's format); their summary. */
async function writeStudent(
  student: Pending,
  options: BatchOptions,
  plan: BatchPlan,
): Promise<StudentResult> {
  const lang = options.lang;
  const reports = student.reports.map(
    (report, i) =>
      report ??
      failedReport(
        options.scenarios[i]!,
        student.argv,
        student.errors[i] ?? messages(lang).t('grader.status.notRun'),
        lang,
      ),
  );
  const reportDir = path.join(plan.outDir, 'students', student.name);
  await mkdir(reportDir, { recursive: true });
  await writeFile(path.join(reportDir, 'report.json'), formatReports(reports, 'json'));
  if (plan.format !== 'json') {
    await writeFile(
      path.join(reportDir, REPORT_FILES[plan.format]),
      formatReports(reports, plan.format, lang ? { lang } : {}),
    );
  }
  return summarise(student, reports, reportDir, lang);
}

function batchResult(
  options: BatchOptions,
  plan: BatchPlan,
  students: StudentResult[],
  durationMs: number,
): BatchResult {
  return {
    students,
    scenarios: options.scenarios.map((s) => s.id),
    outDir: plan.outDir,
    files: {
      csv: path.join(plan.outDir, 'scores.csv'),
      summary: path.join(plan.outDir, 'summary.txt'),
      json: path.join(plan.outDir, 'batch.json'),
    },
    durationMs,
    jobs: plan.jobs,
    options: {
      command: options.command,
      scenarios: options.scenarios.map((s) => s.id),
      timeoutMs: options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
      strict: Boolean(options.strict),
      format: plan.format,
      sandbox: Boolean(options.sandbox),
    },
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

/** scores.csv, summary.txt (in the batch's language) and batch.json. */
async function writeBatchFiles(result: BatchResult, lang: Lang | undefined): Promise<void> {
  await writeFile(result.files.csv, scoresCsv(result));
  await writeFile(result.files.summary, summaryTable(result, lang ? { lang } : {}));
  await writeFile(result.files.json, JSON.stringify(batchJson(result), null, 2) + '\n');
}

/** Arguments that named a file inside the submission (`{dir}/…`) that is not there. */
async function missingFiles(template: readonly string[], argv: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const arg = template[i]!;
    if (!/^\{dir\}[\\/]./.test(arg)) continue;
    const file = argv[i]!;
    if (
      !(await access(file).then(
        () => true,
        () => false,
      ))
    ) {
      missing.push(arg.slice('{dir}/'.length));
    }
  }
  return missing;
}

/** The report of a run the grader could not do (its own failure, twice): zero, with the reason. */
function failedReport(
  scenario: Scenario,
  argv: readonly string[],
  error: string,
  lang: Lang | undefined,
): GradeReport {
  const why = messages(lang).t('grader.status.graderFailed', { error });
  return {
    scenario: scenario.id,
    title: scenarioTitle(scenario, lang ?? 'en'),
    client: {
      command: argv.join(' '),
      exitCode: null,
      signal: null,
      timedOut: false,
      durationMs: 0,
      stdout: '',
      stderr: `${why}\n`,
      stderrTail: why,
      truncated: false,
    },
    score: 0,
    maxScore: scenario.checks.reduce((sum, c) => sum + c.points, 0),
    checks: [],
    transcript: { sessions: [] },
  };
}

/**
 * How one scenario run ended for a student: its status, and the facts behind it as one line (how
 * the client ended, TLS spoken to the plaintext port, how many checks failed, output truncated).
 */
function outcome(
  report: GradeReport,
  missing: readonly string[],
  error: string | undefined,
  { t }: Messages,
): ScenarioOutcome {
  const c = report.client;
  const base = { scenario: report.scenario, score: report.score, maxScore: report.maxScore };
  const facts = (...parts: Array<string | false | undefined>) =>
    parts.filter((p): p is string => Boolean(p)).join(t('report.listSeparator'));
  const failed = report.checks.filter((check) => check.applicable && !check.passed).length;
  const checksText =
    failed > 0 &&
    t(failed === 1 ? 'grader.status.checksFailed.one' : 'grader.status.checksFailed.other', {
      count: failed,
    });
  const out = c.truncated && t('grader.status.truncated');
  if (error !== undefined)
    return { ...base, status: 'grader-error', statusText: t('grader.status.graderError', { error }) };
  if (missing.length) {
    return {
      ...base,
      status: 'missing-file',
      statusText: t('grader.status.missing', { files: missing.join(', ') }),
    };
  }
  if (c.startError !== undefined) return { ...base, status: 'not-started', statusText: c.startError };
  const kind = report.diagnosis?.kind;
  if (kind === 'crashed-before-connecting' || kind === 'no-connection' || kind === 'missing-file') {
    const crash = crashLine(c.stderr);
    const code = String(c.exitCode);
    const how = c.flooded
      ? t('report.client.flooded', { why: c.flooded })
      : c.timedOut
        ? t('grader.status.killedTimeLimit')
        : c.signal
          ? t('report.client.signal', { signal: c.signal })
          : crash
            ? t('report.client.crash', { code, crash })
            : t('report.client.exit', { code });
    return {
      ...base,
      status: kind === 'missing-file' ? 'missing-file' : 'no-connection',
      statusText:
        kind === 'crashed-before-connecting'
          ? t('grader.status.crashedBefore', { how })
          : t('grader.status.neverConnected', { how }),
    };
  }
  const tls = kind === 'tls-on-plaintext-port' && t('grader.status.tls');
  if (c.flooded) {
    return {
      ...base,
      status: 'flooded',
      statusText: facts(t('report.client.flooded', { why: c.flooded }), checksText),
    };
  }
  if (c.timedOut) {
    const how = t('report.client.timedOut', { seconds: (c.durationMs / 1000).toFixed(1) });
    return { ...base, status: 'timed-out', statusText: facts(how, tls, checksText, out) };
  }
  if (c.signal) {
    const how = t('report.client.signal', { signal: c.signal });
    return { ...base, status: 'nonzero-exit', statusText: facts(how, tls, checksText, out) };
  }
  if (c.exitCode !== 0) {
    const how = t('report.client.exit', { code: String(c.exitCode) });
    return { ...base, status: 'nonzero-exit', statusText: facts(how, tls, checksText, out) };
  }
  if (failed) return { ...base, status: 'failed', statusText: facts(tls, checksText, out) };
  return { ...base, status: 'passed', statusText: facts(t('grader.status.allPassed'), out) };
}

function summarise(
  student: { name: string; dir: string; missing: string[]; errors: Array<string | undefined> },
  reports: GradeReport[],
  reportDir: string,
  lang?: Lang,
): StudentResult {
  const m = messages(lang);
  const scenarios = reports.map((r, i) => outcome(r, student.missing, student.errors[i], m));
  const worst = scenarios.reduce((a, b) =>
    STUDENT_STATUSES.indexOf(b.status) < STUDENT_STATUSES.indexOf(a.status) ? b : a,
  );
  const statusText = summaryText(scenarios, lang);
  return {
    student: student.name,
    dir: student.dir,
    status: worst.status,
    statusText,
    score: round(reports.reduce((sum, r) => sum + r.score, 0)),
    maxScore: round(reports.reduce((sum, r) => sum + r.maxScore, 0)),
    scenarios,
    failedChecks: reports.flatMap((r) =>
      r.checks.filter((c) => c.applicable && !c.passed).map((c) => `${r.scenario}/${c.id}`),
    ),
    reportDir,
    reports,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * One line for a student over every scenario, worst first: each distinct outcome with the
 * scenarios it happened in (`exit 1, 2 checks failed: basic; passed: starttls, auth-login`), or
 * the outcome alone when it was the same everywhere (or there is one scenario).
 */
export function summaryText(scenarios: readonly ScenarioOutcome[], lang?: Lang): string {
  const { t } = messages(lang);
  const groups = new Map<string, ScenarioOutcome[]>();
  const ordered = [...scenarios].sort(
    (a, b) => STUDENT_STATUSES.indexOf(a.status) - STUDENT_STATUSES.indexOf(b.status),
  );
  for (const outcome of ordered) {
    const group = groups.get(outcome.statusText) ?? [];
    group.push(outcome);
    groups.set(outcome.statusText, group);
  }
  if (groups.size === 1) {
    const [text] = groups.keys();
    return scenarios.length > 1 && ordered[0]!.status !== 'passed'
      ? t('grader.summary.everyScenario', { text: text! })
      : text!;
  }
  return [...groups]
    .map(([text, group]) =>
      t('grader.summary.group', { text, scenarios: group.map((o) => o.scenario).join(', ') }),
    )
    .join(t('grader.summary.separator'));
}

/** RFC 4180 field; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** scores.csv: student, score, max_score, then the score of each scenario. */
export function scoresCsv(result: Pick<BatchResult, 'students' | 'scenarios'>): string {
  const rows = [['student', 'score', 'max_score', ...result.scenarios].map(csvField).join(',')];
  for (const s of result.students) {
    rows.push([s.student, s.score, s.maxScore, ...s.scenarios.map((o) => o.score)].map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/**
 * The summary table: student, score, max, status, failed checks; its headings and footer in
 * `lang`, its columns aligned by display width (a Chinese character takes two columns).
 */
export function summaryTable(
  result: Pick<BatchResult, 'students'>,
  options: { color?: boolean; width?: number; lang?: Lang } = {},
): string {
  const c = pc.createColors(Boolean(options.color));
  const { t } = messages(options.lang);
  const rows = [
    [
      t('report.col.student'),
      t('report.col.score'),
      t('report.col.max'),
      t('report.col.status'),
      t('report.col.failedChecks'),
    ],
    ...result.students.map((s) => [
      displayName(s.student),
      String(s.score),
      String(s.maxScore),
      s.statusText,
      s.failedChecks.join(' ') || '-',
    ]),
  ];
  // Terminal columns, not string length: a Chinese name or status takes two columns a character.
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => displayWidth(row[i]!))));
  const lines = rows.map((row, r) => {
    const cells = row
      .slice(0, 4)
      .map((cell, i) =>
        i === 1 || i === 2 ? padStartWidth(cell, widths[i]!) : padEndWidth(cell, widths[i]!),
      );
    let line = [...cells, row[4]!].join('  ');
    if (options.width) line = truncateWidth(line, options.width);
    if (r === 0) return c.bold(line);
    const status = result.students[r - 1]!.status;
    return status === 'passed' ? line : status === 'failed' ? c.yellow(line) : c.red(line);
  });
  const total = result.students.length;
  const counts = STUDENT_STATUSES.map(
    (st) => [st, result.students.filter((s) => s.status === st).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([status, count]) => t('grader.table.count', { count, status }))
    .join(t('report.listSeparator'));
  const footer = total === 1 ? 'grader.table.footer.one' : 'grader.table.footer.other';
  lines.push('', t(footer, { count: total, counts: counts || t('report.none') }));
  return lines.join('\n') + '\n';
}

/** What gradeScenario gets for a sandboxed batch: the grader's folders hidden from every client. */
function sandboxFor(
  sandbox: NonNullable<BatchOptions['sandbox']>,
  hide: string[],
): NonNullable<GradeOptions['sandbox']> {
  return { hide, ...(typeof sandbox === 'object' && sandbox.limits ? { limits: sandbox.limits } : {}) };
}

/** batch.json: everything but the full reports (those are in students/<name>/report.json). */
export function batchJson(result: BatchResult) {
  const count = (statuses: readonly StudentStatus[]) =>
    Object.fromEntries(
      STUDENT_STATUSES.map((st) => [st, statuses.filter((s) => s === st).length]).filter(([, n]) => n),
    );
  return {
    scenarios: result.scenarios,
    options: result.options,
    ...(result.shard ? { shard: result.shard } : {}),
    jobs: result.jobs,
    durationMs: result.durationMs,
    // Every scenario summarised on its own: how many students ended each way, the mean score.
    summary: {
      students: result.students.length,
      statuses: count(result.students.map((s) => s.status)),
      scenarios: result.scenarios.map((id, i) => {
        const outcomes = result.students.map((s) => s.scenarios[i]!);
        return {
          scenario: id,
          maxScore: outcomes[0]?.maxScore ?? 0,
          meanScore: outcomes.length
            ? round(outcomes.reduce((sum, o) => sum + o.score, 0) / outcomes.length)
            : 0,
          statuses: count(outcomes.map((o) => o.status)),
        };
      }),
    },
    students: result.students.map(({ reports: _reports, ...rest }) => ({
      ...rest,
      reportDir: path.relative(result.outDir, rest.reportDir),
    })),
  };
}
