import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../protocol/defaults.js';
import { scenarioTitle } from '../scenarios/localized.js';
import { clientEnvironment, clientPort, serverOptionsFor } from '../scenarios/server.js';
import type { Scenario } from '../scenarios/types.js';
import {
  startLabServer,
  type LabServer,
  type LabSession,
  type StoredMessage,
  type TestCa,
} from '../server/index.js';
import { markKnownSecrets, maskSecrets, secretForms } from '../transcript/redact.js';
import { evaluateChecks, type RunMessage, type RunSession } from './checks.js';
import { collectEvidence } from './evidence.js';
import { applyDiagnosis, diagnoseRun, missingScripts, outputTail } from './diagnosis.js';
import {
  DEFAULT_TRAFFIC_LIMITS,
  formatBytes,
  reportSession,
  watchTraffic,
  type TrafficLimits,
} from './guard.js';
import { totalScore, type ClientRun, type GradeReport } from './report.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  SANDBOX_HOME,
  boxPath,
  sandboxCommand,
  type BoxedCommand,
  type SandboxLimits,
} from './sandbox.js';
import { onInterrupt, scratchBase } from './scratch.js';

/** How gradeScenario runs the client and what its report is written in. */
export interface GradeOptions {
  /** The client command: program and arguments; `{host}`, `{port}`, `{tls}` are replaced. */
  command: string[];
  cwd?: string;
  /** Kill the client (its whole process group) after this long. Default 20 s. */
  timeoutMs?: number;
  strict?: boolean;
  /** Bytes kept of each of stdout and stderr. Default 64 KiB. */
  outputCap?: number;
  /**
   * Folder for this run's mailbox and transcripts, kept afterwards; default a new temporary
   * folder, deleted when the run ends (also on failure, and on SIGINT/SIGTERM/SIGHUP).
   */
  workDir?: string;
  /** One CA for a whole batch (each run makes one otherwise). */
  ca?: TestCa;
  /** A Java trust store (PKCS12) holding the CA, for JAVA_TOOL_OPTIONS. */
  javaTrustStore?: string;
  /**
   * The run's lab server, started earlier with startScenarioServer(scenario, workDir, ca) so its
   * backend connections are warm (smtp-server greets only 100 ms after a connection) by the time
   * the client connects. gradeScenario owns it from here and stops it. Default: started here.
   */
  server?: Promise<LabServer>;
  /** Kill the client as a flood past these (default DEFAULT_TRAFFIC_LIMITS: 16 MiB, 64 connections). */
  limits?: Partial<TrafficLimits>;
  /**
   * Run the client under bubblewrap (src/grader/sandbox.ts); this process must already be in a
   * loopback-only network namespace (enterLoopbackNetwork). `hide`: more folders the client must
   * not see (the class folder, the out-dir); the run's work folder is always hidden.
   */
  sandbox?: { hide?: readonly string[]; limits?: Partial<SandboxLimits> };
  /**
   * The language of the report's texts for people: the scenario title, check titles and hints
   * (default English). Ids, statuses, scores and JSON keys never depend on it.
   */
  lang?: Lang;
  /** Called with the run's framed sessions and stored messages before the report is made (record). */
  onRun?: (run: { sessions: RunSession[]; messages: RunMessage[] }) => void;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A fresh lab server for one run of `scenario`, its mailbox in `workDir`. */
export async function startScenarioServer(
  scenario: Scenario,
  workDir: string,
  ca?: TestCa,
): Promise<LabServer> {
  await mkdir(workDir, { recursive: true });
  return startLabServer({
    ...serverOptionsFor(scenario),
    mailbox: path.join(workDir, 'mailbox'),
    // One client, one or two connections (a retry): two warm backends, not the server's four.
    warmConnections: 2,
    ...(ca ? { ca } : {}),
  });
}

/**
 * Grades one client command under one scenario: a fresh lab server with its own ports and
 * mailbox, the command in its own process group with only the lab's environment, killed whole at
 * the time limit; the checks judged from the wire and the stored messages.
 */
export async function gradeScenario(scenario: Scenario, options: GradeOptions): Promise<GradeReport> {
  const workDir =
    options.workDir ?? (await mkdtemp(path.join(await scratchBase(), `smtp-lab-grade-${scenario.id}-`)));
  // The client's HOME is a folder of its own, not the work folder: the mailbox is out of its
  // way (a client that finds it anyway is caught by the hash check in collectEvidence).
  const home = await mkdtemp(path.join(await scratchBase(), 'smtp-lab-home-'));
  const leftovers = options.workDir === undefined ? [home, workDir] : [home];
  const forget = onInterrupt(() => {
    killClients();
    for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
  });
  const cleanUp = async () => {
    forget();
    for (const dir of leftovers) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  const server = await (options.server ?? startScenarioServer(scenario, workDir, options.ca)).catch(
    async (error: unknown) => {
      await cleanUp();
      throw error;
    },
  );
  const lang = options.lang ?? 'en';
  const sessions: LabSession[] = [];
  const stored: StoredMessage[] = [];
  server.on('session', (session) => sessions.push(session));
  server.on('message', (message) => stored.push(message));
  try {
    const env = clientEnvironment(
      scenario,
      server,
      options.javaTrustStore ? { javaTrustStore: options.javaTrustStore } : {},
    );
    const values: Record<string, string> = {
      host: env.SMTP_HOST!,
      port: String(clientPort(scenario, server)),
      tls: scenario.client.tls,
    };
    const argv = options.command.map((arg) =>
      arg.replace(/\{(host|port|tls)\}/g, (_, key: string) => values[key]!),
    );
    // A client that floods the server is killed before it costs the grader its memory.
    const flood = new AbortController();
    const stopWatching = watchTraffic(
      sessions,
      { ...DEFAULT_TRAFFIC_LIMITS, ...options.limits },
      (why) => flood.abort(why),
      lang,
    );
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
    const cwd = options.cwd ?? process.cwd();
    const boxed = options.sandbox
      ? boxedClient(argv, cwd, workDir, [server.caFile, options.javaTrustStore], options.sandbox)
      : undefined;
    const client = await runClient(boxed?.command.argv ?? argv, {
      signal: flood.signal,
      cwd,
      env: (boxed?.env ?? ((e: Record<string, string>) => e))({
        PATH: `${path.dirname(process.execPath)}:${DEFAULT_PATH}`,
        HOME: boxed ? SANDBOX_HOME : home,
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        ...env,
        // The client's deadline, so a client that waits for a reply can stop in time.
        SMTP_TIMEOUT: String(Math.max(1, Math.floor(timeoutMs / 1000))),
      }),
      timeoutMs,
      outputCap: options.outputCap ?? 64 * 1024,
      lang,
      ...(boxed ? { maxOutputBytes: boxed.outputBytes, fds: boxed.command.fds } : {}),
    }).finally(() => {
      stopWatching();
      boxed?.command.close();
    });
    if (boxed) boxedStartError(client, argv[0] ?? '', lang);
    // Student clients print what they send: the report must not show the password from there.
    const secrets = scenario.server.accounts.flatMap(({ user, pass }) => secretForms(user, pass));
    client.stdout = maskSecrets(client.stdout, secrets);
    client.stderr = maskSecrets(client.stderr, secrets);
    // The client is gone; its connections close with it. Give the sessions a moment to finish.
    await Promise.race([Promise.all(sessions.map((s) => s.ended)), delay(2000)]);
    await server.stop();

    // A line that is a known password (in any encoding) is masked wherever the client sent it.
    for (const session of sessions) markKnownSecrets(session.items, secrets);
    const evidence = await collectEvidence(scenario, sessions, stored, {
      client: { exitCode: client.exitCode, timedOut: client.timedOut },
      strict: Boolean(options.strict),
    });
    options.onRun?.({ sessions: evidence.sessions, messages: evidence.messages });
    const judged = evaluateChecks(evidence, { lang });
    const diagnosis = diagnoseRun({
      scenario,
      sessions: evidence.sessions,
      client,
      host: env.SMTP_HOST!,
      port: clientPort(scenario, server),
      missing: evidence.sessions.length ? [] : await missingScripts(argv, cwd),
      lang,
    });
    const checks = diagnosis ? applyDiagnosis(judged, diagnosis, lang) : judged;
    return {
      scenario: scenario.id,
      title: scenarioTitle(scenario, lang),
      client: {
        command: argv.join(' '),
        ...(boxed ? { sandboxed: true } : {}),
        ...client,
        stderrTail: outputTail(client.stderr, undefined, lang),
      },
      ...(diagnosis ? { diagnosis } : {}),
      ...totalScore(checks),
      checks,
      transcript: {
        sessions: await Promise.all(sessions.map((session) => reportSession(session, secrets, lang))),
      },
      ...(evidence.tampered?.length ? { tampered: evidence.tampered } : {}),
    };
  } finally {
    await server.stop();
    await cleanUp();
  }
}

/** Process groups of the clients running now, for a grader stopped by a signal. */
const liveGroups = new Set<number>();

/** Kills every client process group still running (the grader is being stopped). */
export function killClients(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

/** After the client exits, how long its output pipes may stay open (held by an escaped child). */
const PIPE_GRACE_MS = 1000;

/**
 * Runs a command in its own process group; kills the group at the time limit, when `signal`
 * aborts (its reason becomes `flooded`), and as soon as the client exits, so children it left
 * behind (holding its output open, or forking on) go with it.
 */
export function runClient(
  argv: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs: number;
    outputCap: number;
    signal?: AbortSignal;
    /** Kill the client as a flood once it has written this many bytes of output. */
    maxOutputBytes?: number;
    /** Open descriptors the command gets as its fds 3, 4, … (a sandbox's folder and files). */
    fds?: number[];
    /** The language of `startError` and `flooded` (default English). */
    lang?: Lang;
  },
): Promise<ClientRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    const child = spawn(program ?? '', args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(options.fds ?? [])],
    });
    // Detached: Ctrl-C reaches the grader's group, not this one; killClients() covers that.
    if (child.pid !== undefined) liveGroups.add(child.pid);
    const out = {
      stdout: [] as Buffer[],
      stderr: [] as Buffer[],
      sizes: { stdout: 0, stderr: 0 },
      truncated: false,
    };
    let written = 0;
    const collect = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      written += chunk.length;
      if (options.maxOutputBytes !== undefined && written > options.maxOutputBytes && !flooded) {
        const m = messages(options.lang);
        flooded = m.t('grader.flood.output', { size: formatBytes(options.maxOutputBytes, m) });
        killGroup();
      }
      const room = options.outputCap - out.sizes[name];
      if (room <= 0) {
        out.truncated = true;
        return;
      }
      if (chunk.length > room) out.truncated = true;
      out[name].push(chunk.subarray(0, room));
      out.sizes[name] += Math.min(room, chunk.length);
    };
    child.stdout!.on('data', collect('stdout'));
    child.stderr!.on('data', collect('stderr'));
    // A pipe destroyed after the grace period may still report an error: nothing to do.
    child.stdout!.on('error', () => undefined);
    child.stderr!.on('error', () => undefined);
    let timedOut = false;
    let flooded: string | undefined;
    let exitedAt: number | undefined;
    let done = false;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      flooded = String(options.signal?.reason ?? 'too much traffic');
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(); // children the client left behind go with it
      resolve({
        exitCode,
        signal,
        timedOut,
        ...(flooded !== undefined ? { flooded } : {}),
        ...(spawnError ? { startError: startErrorText(program ?? '', spawnError, options.lang) } : {}),
        durationMs: Math.round((exitedAt ?? performance.now()) - started),
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr:
          Buffer.concat(out.stderr).toString('utf8') +
          (spawnError
            ? `smtp-lab: ${messages(options.lang).t('grader.start.other', { program: program ?? '', detail: spawnError.message })}\n`
            : ''),
        truncated: out.truncated,
      });
    };
    child.once('error', (err) => finish(null, null, err));
    child.once('exit', (code, signal) => {
      exitedAt = performance.now();
      clearTimeout(timer);
      killGroup();
      // Output still buffered in the pipes arrives before 'close'; a child that escaped the group
      // and holds them open is not waited for.
      graceTimer = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish(code, signal);
      }, PIPE_GRACE_MS);
    });
    child.once('close', (code, signal) => finish(code, signal));
  });
}

/**
 * Why a program could not be started, in words and as Node said it:
 * `could not start python4: no such program (not on PATH) (spawn python4 ENOENT)`.
 */
function startErrorText(program: string, error: Error, lang?: Lang): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES') return startFailure(program, code, error.message, lang);
  return messages(lang).t('grader.start.other', { program, detail: error.message });
}

/** A program that is not there (ENOENT) or not executable (EACCES), with the system's words. */
function startFailure(program: string, code: 'ENOENT' | 'EACCES', detail: string, lang?: Lang): string {
  const { t } = messages(lang);
  if (code === 'EACCES') return t('grader.start.denied', { program, detail });
  return program.includes('/')
    ? t('grader.start.notFound', { program, detail })
    : t('grader.start.notOnPath', { program, detail });
}

/**
 * The sandboxed form of a client command: bwrap around it, the run's work folder (mailbox,
 * transcripts) hidden, only the CA and trust store bound back. Kept apart from gradeScenario so
 * the unsandboxed path stays as it was.
 */
function boxedClient(
  argv: string[],
  cwd: string,
  workDir: string,
  files: Array<string | undefined>,
  sandbox: NonNullable<GradeOptions['sandbox']>,
): {
  command: BoxedCommand;
  outputBytes: number;
  env: (env: Record<string, string>) => Record<string, string>;
} {
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...sandbox.limits };
  const readOnly = files.filter((f): f is string => Boolean(f));
  return {
    command: sandboxCommand(argv, { dir: cwd, readOnly, hide: [workDir, ...(sandbox.hide ?? [])], limits }),
    outputBytes: limits.outputBytes,
    // The CA and trust store are where the box put them (SMTP_CA_FILE, JAVA_TOOL_OPTIONS, ...).
    env: (env) =>
      Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
          k,
          readOnly.reduce((text, file) => text.split(file).join(boxPath(file)), v),
        ]),
      ),
  };
}

/**
 * In the box the program is started by prlimit, not spawned by us: its "failed to execute" (exit
 * 126/127) is the same start failure a spawn error is outside, and is reported as one.
 */
function boxedStartError(client: ClientRun, program: string, lang?: Lang): void {
  const match = /^(prlimit: failed to execute [^\n]*)\n?/.exec(client.stderr);
  if (!match || (client.exitCode !== 126 && client.exitCode !== 127)) return;
  // The words startErrorText uses for the same failure outside the box.
  client.startError = startFailure(program, client.exitCode === 127 ? 'ENOENT' : 'EACCES', match[1]!, lang);
  client.stderr = client.stderr.slice(match[0].length);
}

/** Makes a PKCS12 trust store with the CA when a JDK's keytool is on this machine. */
export async function makeJavaTrustStore(ca: TestCa, dir: string): Promise<string | undefined> {
  const keytool = spawnSync('sh', ['-c', 'command -v keytool'], { encoding: 'utf8' }).stdout.trim();
  if (!keytool) return undefined;
  await mkdir(dir, { recursive: true });
  const caFile = path.join(dir, 'ca.pem');
  const store = path.join(dir, 'truststore.p12');
  await writeFile(caFile, ca.caCert);
  const made = spawnSync(keytool, [
    '-importcert',
    '-noprompt',
    '-storetype',
    'PKCS12',
    '-keystore',
    store,
    '-storepass',
    'changeit',
    '-alias',
    'smtp-lab',
    '-file',
    caFile,
  ]);
  return made.status === 0 ? store : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
