import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser, type FinalResults } from 'tap-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReports, REPORT_FORMATS } from '../../src/grader/formats.js';
import type { GradeReport } from '../../src/grader/report.js';
import { cli, py, Runs, SCENARIOS, SECRET, SECRET_USER } from './helpers.js';

/**
 * The five report formats: the scenario account's password appears in none of them (not on the
 * wire excerpts, not in evidence, not in the client's own output, in no encoding a client
 * sends it in), and each one parses.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

/** The password, and the forms AUTH LOGIN and AUTH PLAIN put it on the wire in. */
const FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(`\0${SECRET_USER}\0${SECRET}`).toString('base64'),
  Buffer.from(`${SECRET_USER}\0${SECRET_USER}\0${SECRET}`).toString('base64'),
];

function leaks(output: string): string[] {
  return FORMS.filter((form) => output.includes(form));
}

let reports: GradeReport[];
beforeAll(async () => {
  reports = await Promise.all([
    // Sends the password raw in AUTH LOGIN and prints every line it sends, password included.
    runs.grade('tls-login', py('auth_plain_password.py')),
    // Sends it base64-encoded, as it should, and succeeds.
    runs.grade('tls-login', py('correct_client.py')),
    runs.grade('implicit', py('correct_client.py')),
  ]);
  // The runs really did carry the password: otherwise there is nothing to hide.
  expect(reports[0]!.checks.find((c) => c.id === 'auth')!.passed).toBe(false);
  expect(reports[1]!.checks.find((c) => c.id === 'auth')!.passed).toBe(true);
});

describe('reports', () => {
  it.each(REPORT_FORMATS)('%s carries no form of the password', (format) => {
    const output = formatReports(reports, format);
    expect(leaks(output)).toEqual([]);
    // The masked line is there instead, so something was hidden rather than nothing shown.
    if (format === 'json') expect(output).toContain('********');
  });

  it('json parses and follows the report contract', () => {
    const parsed = JSON.parse(formatReports(reports, 'json')) as GradeReport[];
    expect(parsed).toHaveLength(3);
    for (const report of parsed) {
      expect(report).toMatchObject({ scenario: expect.any(String), score: expect.any(Number) });
      expect(report.client).toMatchObject({ command: expect.any(String), timedOut: false });
      for (const c of report.checks) {
        expect(Object.keys(c)).toEqual(
          expect.arrayContaining(['id', 'title', 'passed', 'points', 'maxPoints', 'evidence']),
        );
        // A hint comes with every lost point.
        if (!c.passed) expect(c.hint).toEqual(expect.any(String));
      }
    }
  });

  it('gradescope parses: top-level score, tests with name, score, max_score, status, output', () => {
    const parsed = JSON.parse(formatReports(reports, 'gradescope')) as {
      score: number;
      tests: Array<Record<string, unknown>>;
    };
    expect(parsed.score).toBe(reports.reduce((sum, r) => sum + r.score, 0));
    // One test per applicable check, and one "client" test per scenario (how the process ran).
    expect(parsed.tests.length).toBe(
      reports.flatMap((r) => r.checks.filter((c) => c.applicable)).length + reports.length,
    );
    expect(parsed.tests.filter((t) => String(t.number).endsWith('/client'))).toHaveLength(reports.length);
    for (const test of parsed.tests) {
      expect(test).toMatchObject({
        name: expect.any(String),
        score: expect.any(Number),
        max_score: expect.any(Number),
        status: expect.stringMatching(/^(passed|failed)$/),
        output: expect.any(String),
      });
    }
    const failed = parsed.tests.find((t) => t.status === 'failed' && String(t.number).endsWith('/auth'))!;
    expect(failed.output).toContain('hint:');
    // Markdown where it reads better (the summary, the client's output in a code block), plain
    // text for the checks' own output, as Gradescope's output_format fields say.
    const top = parsed as unknown as Record<string, unknown>;
    expect(top.output_format).toBe('md');
    expect(top.test_output_format).toBe('text');
    const client = parsed.tests.find((t) => t.number === 'tls-login/client')!;
    expect(client).toMatchObject({ output_format: 'md', score: 0, max_score: 0 });
  });

  it('junit is well-formed XML with one testcase per check and one for the client', () => {
    const output = formatReports(reports, 'junit');
    expect(output.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(wellFormed(output)).toEqual([]);
    const cases = output.match(/<testcase /g) ?? [];
    expect(cases.length).toBe(
      reports.flatMap((r) => r.checks.filter((c) => c.applicable)).length + reports.length,
    );
    const failures = output.match(/<failure /g) ?? [];
    expect(failures.length).toBe(
      reports.flatMap((r) => r.checks.filter((c) => c.applicable && !c.passed)).length,
    );
    expect(failures.length).toBeGreaterThan(0);
  });

  it('tap has a plan line matching its test lines', () => {
    const output = formatReports(reports, 'tap');
    const lines = output.split('\n');
    expect(lines[0]).toBe('TAP version 13');
    const plan = /^1\.\.(\d+)$/.exec(lines[1]!);
    expect(plan).not.toBeNull();
    const tests = lines.filter((l) => /^(ok|not ok) \d+ /.test(l));
    expect(tests.length).toBe(Number(plan![1]));
    tests.forEach((line, i) => expect(line).toMatch(new RegExp(`^(ok|not ok) ${i + 1} `)));
    expect(tests.some((l) => l.startsWith('not ok'))).toBe(true);
  });

  it('text names every failed check with its hint', () => {
    const output = formatReports(reports, 'text');
    expect(output).toContain('[auth, 0/2]');
    expect(output).toContain('hint:');
  });
});

describe.concurrent('the CLI', () => {
  it.each(REPORT_FORMATS)('grade --format %s prints no form of the password', async (format) => {
    const { code, stdout, stderr } = await cli([
      'grade',
      '--scenario',
      `${SCENARIOS}/tls-login.yaml`,
      '--timeout',
      '10',
      '--format',
      format,
      '--',
      ...py('auth_plain_password.py'),
    ]);
    expect(code, stderr).toBe(1);
    expect(leaks(stdout + stderr)).toEqual([]);
    if (format === 'json') expect(() => JSON.parse(stdout)).not.toThrow();
  });

  it('exits 0 when every check passes, and takes {port} in the command', async () => {
    const { code, stdout } = await cli([
      'grade',
      '-s',
      'basic',
      '-f',
      'tap',
      '--',
      'python3',
      '-c',
      'import sys; print(sys.argv[1])',
      '{port}',
    ]);
    // A client that sends nothing fails; its report still parses and says why.
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not ok 1 - basic: /m);
    const { code: good } = await cli(['grade', '-s', 'basic', '--', ...py('correct_client.py')]);
    expect(good).toBe(0);
  });
});

describe('CI formats (JUnit, TAP) with a client that crashed midway', () => {
  let all: GradeReport[];
  let crash: GradeReport;
  beforeAll(async () => {
    crash = await runs.grade('plain', py('crash_midway.py'));
    expect(crash.client.exitCode).toBe(1);
    all = [...reports, crash];
  });

  it('JUnit: names without scores, errors counted, the crash as an <error> with the traceback', () => {
    const output = formatReports(all, 'junit');
    expect(wellFormed(output)).toEqual([]);
    // CI tracks tests by name: no "(2/3)" in a name, whatever the verdict.
    for (const [, name] of output.matchAll(/<testcase [^>]*name="([^"]*)"/g)) {
      expect(name).not.toMatch(/\d+\/\d+/);
    }
    expect(output).toMatch(/^<testsuites name="smtp-lab" tests="\d+" failures="\d+" errors="1">$/m);
    expect(output).toMatch(/<testsuite name="plain" tests="\d+" failures="\d+" errors="1" skipped="0"/);
    expect(output).toMatch(/<testsuite name="tls-login" tests="\d+" failures="\d+" errors="0"/);
    const error = /<error message="([^"]*)" type="crash">([^<]*)<\/error>/.exec(output);
    expect(error?.[1]).toContain('AttributeError');
    expect(error?.[2]).toContain('Traceback (most recent call last):');
    expect(output).toContain('<property name="score" value="');
  });

  it("TAP is TAP 13 that Perl's prove parses: no parse errors, the failures counted", () => {
    const output = formatReports(all, 'tap');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smtp-lab-tap-'));
    try {
      const file = path.join(dir, 'report.tap');
      writeFileSync(file, output);
      const prove = spawnSync('prove', ['--exec', 'cat', file], { encoding: 'utf8' });
      const failed = (output.match(/^not ok /gm) ?? []).length;
      const total = (output.match(/^(ok|not ok) /gm) ?? []).length;
      expect(prove.stdout).not.toContain('Parse errors');
      expect(prove.stdout).toContain(`Failed ${failed}/${total} subtests`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('TAP: tap-parser reads every YAML block back exactly; names carry no score', async () => {
    const output = formatReports(all, 'tap');
    const asserts: Array<{ ok: boolean; name: string; diag?: Record<string, unknown> }> = [];
    const results = await new Promise<FinalResults>((resolve) => {
      const parser = new Parser(resolve);
      parser.on('assert', (a: { ok: boolean; name: string; diag?: Record<string, unknown> }) =>
        asserts.push(a),
      );
      parser.end(output);
    });
    expect(results.ok).toBe(false);
    expect(results.count).toBe(all.flatMap((r) => r.checks.filter((c) => c.applicable)).length + all.length);
    for (const a of asserts) expect(a.name).not.toMatch(/\(\d+\/\d+\)/);
    const auth = all[0]!.checks.find((c) => c.id === 'auth')!;
    const authAssert = asserts.find((a) => a.name.includes('[auth]') && !a.ok)!;
    expect(authAssert.diag).toMatchObject({
      severity: 'fail',
      hint: auth.hint,
      points: `0/${auth.maxPoints}`,
    });
    const client = asserts.find((a) => a.name === 'plain: the client process runs to its end [client]')!;
    expect(client.ok).toBe(false);
    expect(client.diag!.stderr).toBe(crash.client.stderrTail);
  });
});

/**
 * A small well-formedness check: one root, every tag closed in order, attributes quoted, no raw
 * `<` or `&` outside markup (entities only), no control characters XML 1.0 forbids.
 */
function wellFormed(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(body)) problems.push('control character');
  const stack: string[] = [];
  let roots = 0;
  const token =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|&(?!(?:lt|gt|amp|quot|apos|#\d+);)|<|>/g;
  let last = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const text = body.slice(last, m.index);
    if (stack.length === 0 && text.trim() !== '')
      problems.push(`text outside the root: ${text.slice(0, 40)}`);
    last = token.lastIndex;
    if (m[0] === '<' || m[0] === '&' || m[0] === '>') {
      if (m[0] !== '>') problems.push(`bare ${m[0]} at ${m.index}`);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name!);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
