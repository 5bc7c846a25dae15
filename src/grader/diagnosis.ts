import { access } from 'node:fs/promises';
import path from 'node:path';
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
}

/** The run-level cause, or undefined when the run is judged check by check. */
export function diagnoseRun(input: DiagnosisInput): RunDiagnosis | undefined {
  const { client, host, port } = input;
  if (client.startError !== undefined) {
    return { kind: 'not-started', text: client.startError };
  }
  if (!input.sessions.length) {
    const nothing = `no connection reached the lab server on ${host}:${port} (the client tried to connect elsewhere or crashed first)`;
    const missing = input.missing?.length ? [...input.missing] : missingInOutput(client.stderr);
    if (missing.length) {
      return {
        kind: 'missing-file',
        text: `no such file: ${missing.map((m) => JSON.stringify(m)).join(', ')}, so the client stopped before connecting; ${nothing}`,
      };
    }
    const how = client.timedOut
      ? 'it was killed at the time limit without ever connecting'
      : client.flooded
        ? `it was killed (${client.flooded})`
        : client.signal
          ? `it was killed by ${client.signal}`
          : client.exitCode !== 0
            ? `it exited with status ${client.exitCode}${crashLine(client.stderr) ? `: ${crashLine(client.stderr)}` : ''}`
            : 'it exited with status 0 without connecting';
    const crashed = !client.timedOut && (client.signal !== null || client.exitCode !== 0);
    return { kind: crashed ? 'crashed-before-connecting' : 'no-connection', text: `${nothing}; ${how}` };
  }
  return tlsOnPlaintextPort(input.scenario, input.sessions, host, port);
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
): RunDiagnosis | undefined {
  // Sessions whose client spoke first in plaintext (TLS on the implicit port never counts).
  const spoke = sessions.filter((s) => s.firstClientBytes !== undefined);
  if (!spoke.length || !spoke.every((s) => isTlsHandshake(s.firstClientBytes!))) return undefined;
  const what =
    scenario.client.tls === 'starttls'
      ? 'the scenario is STARTTLS: connect in plaintext, read the 220 greeting, send EHLO, then STARTTLS, and start TLS only after its 220'
      : 'the scenario is plaintext: connect without TLS, read the 220 greeting, then send EHLO';
  return {
    kind: 'tls-on-plaintext-port',
    text: `the client's first bytes on ${host}:${port} are a TLS handshake (ClientHello), but this port speaks plaintext first; ${what}`,
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
export function outputTail(stderr: string, max = OUTPUT_TAIL_LINES): string {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const traceback = lines.findLastIndex((l) => l.startsWith('Traceback (most recent call last):'));
  let kept = traceback !== -1 && lines.length - traceback <= max ? lines.slice(traceback) : lines.slice(-max);
  if (kept.length < lines.length) kept = [`[${lines.length - kept.length} earlier lines not shown]`, ...kept];
  return kept.map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
}

/**
 * The checks of a diagnosed run: each still listed with its points, failed with the run's reason
 * and no hint of its own (the reason is the one thing to fix). Checks that cannot be judged in
 * this kind of run (no process) stay as they are.
 */
export function applyDiagnosis(checks: readonly CheckResult[], diagnosis: RunDiagnosis): CheckResult[] {
  return checks.map((check) =>
    check.applicable
      ? {
          ...check,
          passed: false,
          points: 0,
          evidence: [],
          notes: [`not judged: ${diagnosis.text}`],
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
