import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import type { Scenario } from '../scenarios/types.js';
import type { CheckResult } from './checks.js';

/**
 * The real cause of a run that cannot be judged check by check: the client never started, its
 * file is missing, it crashed or went elsewhere before connecting, or it spoke TLS to a port that
 * speaks plaintext first. A report then says that once, with the client's own output, and every
 * check fails with that reason instead of a protocol hint each (ARCHITECTURE.md, "Contracts": report JSON).
 */

export type DiagnosisKind =
  /** The program could not be run at all (not found, not executable). */
  | 'not-started'
  /** A file the command names (the student's script) does not exist. */
  | 'missing-file'
  /** The program ran and exited (or was killed) with an error before any connection. */
  | 'crashed-before-connecting'
  /** The program ran but never connected to the lab server's port. */
  | 'no-connection'
  /** Every connection began with a TLS ClientHello on a port that speaks plaintext first. */
  | 'tls-on-plaintext-port';

export interface RunDiagnosis {
  kind: DiagnosisKind;
  /** One sentence for a person: what happened, where, and what to do. */
  text: string;
}

/** How the client process ended, as far as the diagnosis needs it. */
export interface ClientEnd {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  flooded?: string;
  /** Why the program could not be started (spawn error), when it could not. */
  startError?: string;
  stderr: string;
}

export interface DiagnosisInput {
  scenario: Scenario;
  /** Each session the lab server saw (a connection is a session): the client's first bytes. */
  sessions: ReadonlyArray<{ firstClientBytes?: Buffer | undefined }>;
  client: ClientEnd;
  /** Where the client was told to connect: SMTP_HOST and SMTP_PORT. */
  host: string;
  port: number;
  /** Files the command names that do not exist (relative to its working directory). */
  missing?: readonly string[];
  /** The language of the sentence (default English); the kind never depends on it. */
  lang?: Lang;
}

/** The run-level cause, or undefined when the run is judged check by check. */
export function diagnoseRun(input: DiagnosisInput): RunDiagnosis | undefined {
  const { client } = input;
  if (client.startError !== undefined) {
    return { kind: 'not-started', text: client.startError };
  }
  if (!input.sessions.length) {
    const missing = input.missing?.length ? [...input.missing] : missingInOutput(client.stderr);
    const crashed = !client.timedOut && (client.signal !== null || client.exitCode !== 0);
    return {
      kind: missing.length ? 'missing-file' : crashed ? 'crashed-before-connecting' : 'no-connection',
      text: noConnectionText(input, missing),
    };
  }
  return tlsOnPlaintextPort(input.scenario, input.sessions, input.host, input.port, input.lang);
}

/** Why no connection came: a missing file, else how the client ended, in one sentence. */
function noConnectionText(input: DiagnosisInput, missing: readonly string[]): string {
  const { client, host, port } = input;
  const { t } = messages(input.lang);
  if (missing.length) {
    const files = missing.map((m) => JSON.stringify(m)).join(', ');
    return t('grader.diagnosis.missingFile', { files, host, port });
  }
  if (client.timedOut) return t('grader.diagnosis.timedOut', { host, port });
  if (client.flooded) return t('grader.diagnosis.flooded', { host, port, why: client.flooded });
  if (client.signal) return t('grader.diagnosis.signal', { host, port, signal: client.signal });
  if (client.exitCode === 0) return t('grader.diagnosis.exitZero', { host, port });
  const crash = crashLine(client.stderr);
  const code = String(client.exitCode);
  return crash
    ? t('grader.diagnosis.exitCrash', { host, port, code, crash })
    : t('grader.diagnosis.exit', { host, port, code });
}

/**
 * The sessions all began with a TLS ClientHello on a port that speaks plaintext first (a client
 * doing implicit TLS, as smtplib.SMTP_SSL does, against a plaintext or STARTTLS port).
 */
export function tlsOnPlaintextPort(
  scenario: Scenario,
  sessions: ReadonlyArray<{ firstClientBytes?: Buffer | undefined }>,
  host: string,
  port: number,
  lang?: Lang,
): RunDiagnosis | undefined {
  // Sessions whose client spoke first in plaintext (TLS on the implicit port never counts).
  const spoke = sessions.filter((s) => s.firstClientBytes !== undefined);
  if (!spoke.length || !spoke.every((s) => isTlsHandshake(s.firstClientBytes!))) return undefined;
  const { t } = messages(lang);
  return {
    kind: 'tls-on-plaintext-port',
    text:
      scenario.client.tls === 'starttls'
        ? t('grader.diagnosis.tlsStarttls', { host, port })
        : t('grader.diagnosis.tlsPlain', { host, port }),
  };
}

/** A TLS record carrying a handshake: content type 22, protocol major version 3. */
export function isTlsHandshake(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0x16 && bytes[1] === 0x03 && bytes[2]! <= 0x04;
}

/** Files an interpreter said it could not open (Python, Node, Java's source launcher). */
function missingInOutput(stderr: string): string[] {
  const found = [
    /can't open file '([^']+)': \[Errno 2\]/.exec(stderr)?.[1],
    /Cannot find module '([^']+)'/.exec(stderr)?.[1],
    /error: file not found: (\S+)/.exec(stderr)?.[1],
  ];
  return found.filter((f): f is string => f !== undefined);
}

/** The line that names the error of a crash: a traceback's last line, an uncaught error's first. */
export function crashLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trimEnd());
  const traceback = lines.findLastIndex((l) => l.startsWith('Traceback (most recent call last):'));
  if (traceback !== -1) {
    const last = lines.slice(traceback + 1).findLast((l) => /^\S/.test(l) && l.trim());
    if (last) return last;
  }
  const java = lines.find((l) => /^Exception in thread /.test(l));
  if (java) return java;
  const node = lines.find((l) => /^(\w*Error|Error \[\w+\]|node:internal)/.test(l) && !/^node:/.test(l));
  return node;
}

/** Lines kept of the client's stderr in a report: the traceback whole, else the last ones. */
export const OUTPUT_TAIL_LINES = 30;

/**
 * What a report shows of the client's own output: from the last traceback (Python) to the end,
 * or the last lines, at most OUTPUT_TAIL_LINES; each line at most 300 characters.
 */
export function outputTail(stderr: string, max = OUTPUT_TAIL_LINES, lang?: Lang): string {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const traceback = lines.findLastIndex((l) => l.startsWith('Traceback (most recent call last):'));
  let kept = traceback !== -1 && lines.length - traceback <= max ? lines.slice(traceback) : lines.slice(-max);
  if (kept.length < lines.length) {
    kept = [messages(lang).t('grader.output.earlierLines', { count: lines.length - kept.length }), ...kept];
  }
  return kept.map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
}

/**
 * The checks of a diagnosed run: each still listed with its points, failed with the run's reason
 * and no hint of its own (the reason is the one thing to fix). Checks that cannot be judged in
 * this kind of run (no process) stay as they are.
 */
export function applyDiagnosis(
  checks: readonly CheckResult[],
  diagnosis: RunDiagnosis,
  lang?: Lang,
): CheckResult[] {
  const note = messages(lang).t('grader.diagnosis.notJudged', { reason: diagnosis.text });
  return checks.map((check) =>
    check.applicable
      ? {
          ...check,
          passed: false,
          points: 0,
          evidence: [],
          notes: [note],
          hint: null,
        }
      : check,
  );
}

/** Arguments that look like a program's source or archive file (the student's script). */
const SCRIPT_FILE = /\.(py|pyw|js|mjs|cjs|ts|rb|pl|php|sh|jar|java|class|go|lua)$/i;

/** The files a command names (its script, by extension) that do not exist in `cwd`. */
export async function missingScripts(argv: readonly string[], cwd: string): Promise<string[]> {
  const missing: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !SCRIPT_FILE.test(arg)) continue;
    const found = await access(path.resolve(cwd, arg)).then(
      () => true,
      () => false,
    );
    if (!found) missing.push(arg);
  }
  return missing;
}
