import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { CheckResult } from '../../src/grader/checks.js';
import type { GradeReport } from '../../src/grader/report.js';
import { gradeScenario, type GradeOptions } from '../../src/grader/run.js';
import { loadScenarioFile, resolveScenario } from '../../src/scenarios/load.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { sharedCa } from '../helpers/lab-server.js';

/**
 * Grading our own student clients (test/fixtures/clients/) under scenarios: the grader's
 * scenarios for tests live in test/grader/scenarios/ (exact faults, few checks); built-in ids
 * (scenarios/) load by id.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLIENTS = path.join(ROOT, 'test/fixtures/clients');
export const SCENARIOS = path.join(ROOT, 'test/grader/scenarios');
export const BIN = path.join(ROOT, 'bin/smtp-lab.js');
/** The account password of tls-login and implicit: it must never appear in a report. */
export const SECRET = 'Sw0rdfish-Grader-Secret';
export const SECRET_USER = 'student@smtp-lab.test';

/** How a graded command names a Python fixture: `python3` is found on the grader's own PATH. */
export function py(name: string, ...args: string[]): string[] {
  return ['python3', path.join(CLIENTS, name), ...args];
}

export function js(name: string, ...args: string[]): string[] {
  return ['node', path.join(CLIENTS, name), ...args];
}

/** A scenario of test/grader/scenarios by id, or a built-in one with `builtin:` in front. */
export function scenario(id: string): Promise<Scenario> {
  return id.startsWith('builtin:')
    ? resolveScenario(id.slice('builtin:'.length))
    : loadScenarioFile(path.join(SCENARIOS, `${id}.yaml`));
}

/** A temp folder per test file for the runs' mailboxes; removed by `cleanup`. */
export class Runs {
  private root: Promise<string> | undefined;
  private n = 0;

  private dir(): Promise<string> {
    this.root ??= mkdtemp(path.join(os.tmpdir(), 'smtp-lab-grader-test-'));
    return this.root;
  }

  async grade(id: string, command: string[], options: Partial<GradeOptions> = {}): Promise<GradeReport> {
    const root = await this.dir();
    return gradeScenario(await scenario(id), {
      command,
      cwd: ROOT,
      timeoutMs: 15_000,
      ca: await sharedCa(),
      workDir: path.join(root, `${this.n++}-${id.replace(/\W/g, '-')}`),
      ...options,
    });
  }

  async cleanup(): Promise<void> {
    if (this.root) await rm(await this.root, { recursive: true, force: true });
  }
}

/** The ids of the checks that failed and of those that passed (inapplicable ones in neither). */
export function verdicts(report: GradeReport): { failed: string[]; passed: string[] } {
  const applicable = report.checks.filter((c) => c.applicable);
  return {
    failed: applicable.filter((c) => !c.passed).map((c) => c.id),
    passed: applicable.filter((c) => c.passed).map((c) => c.id),
  };
}

export function check(report: GradeReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.scenario}`);
  return found;
}

/** What a failing test prints: the report's verdicts and the transcript, to see why at once. */
export function explain(report: GradeReport): string {
  const lines = report.checks.map(
    (c) =>
      `${c.passed ? 'ok ' : 'NOT'} ${c.id} ${c.notes.join('; ')} ${c.evidence.map((e) => `[${e.line}: ${e.text}]`).join(' ')}`,
  );
  const transcript = report.transcript.sessions.flatMap((s) => s.lines.map((l, i) => `${i + 1}: ${l}`));
  return [
    `${report.scenario}: exit ${report.client.exitCode} timedOut=${report.client.timedOut}`,
    ...lines,
    ...transcript.slice(0, 80),
    `stderr: ${report.client.stderr.slice(0, 2000)}`,
  ].join('\n');
}

/** Exactly these checks failed, every other applicable one passed, each failure with a hint. */
export function expectFailures(report: GradeReport, failed: string[]): void {
  const got = verdicts(report);
  expect(got.failed.sort(), explain(report)).toEqual([...failed].sort());
  expect(got.passed.length + got.failed.length, explain(report)).toBe(
    report.checks.filter((c) => c.applicable).length,
  );
  for (const id of failed) {
    const c = check(report, id);
    expect(c.points).toBe(0);
    expect(c.hint, `hint of ${id}`).toBeTruthy();
  }
  for (const id of got.passed) expect(check(report, id).points).toBe(check(report, id).maxPoints);
}

/** The evidence of a failed check: some line names `text` and says `why`. */
export function expectEvidence(report: GradeReport, id: string, text: string, why?: string): void {
  const evidence = check(report, id).evidence;
  const hit = evidence.find((e) => e.text.includes(text) && (why === undefined || e.text.includes(why)));
  expect(hit, `${id} evidence ${JSON.stringify(evidence)} should name ${text} (${why})`).toBeDefined();
  // The line number points at that line of the session's rendered transcript.
  const session = report.transcript.sessions.find((s) => s.id === hit!.session)!;
  expect(session.lines[hit!.line - 1]).toContain(text);
}

export function expectNote(report: GradeReport, id: string, text: string): void {
  const notes = check(report, id).notes;
  expect(
    notes.some((n) => n.includes(text)),
    `${id} notes ${JSON.stringify(notes)} should say ${text}`,
  ).toBe(true);
}

export function fullMarks(report: GradeReport): void {
  expect(verdicts(report).failed, explain(report)).toEqual([]);
  expect(report.score).toBe(report.maxScore);
  expect(report.maxScore).toBeGreaterThan(0);
}

/** The built CLI (dist/, which `npm test` builds first), as a user runs it. */
export function cli(
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Running, that is: not gone and not a zombie waiting for its reaper (PID 1 here may be slow). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name in parentheses, which may itself hold spaces or ')'.
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
