import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReports, REPORT_FORMATS } from '../../src/grader/formats.js';
import { crashLine, isTlsHandshake, OUTPUT_TAIL_LINES, outputTail } from '../../src/grader/diagnosis.js';
import type { GradeReport } from '../../src/grader/report.js';
import { explain, js, py, Runs } from './helpers.js';

/**
 * Say the real cause: a client that never started, whose file is missing, that
 * crashed or went elsewhere before connecting, or that spoke TLS to a plaintext port gets one
 * run-level verdict with its own output, in every format; its checks are still listed, failed
 * with that reason and no protocol hint each.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

const NO_CONNECTION =
  /^no connection reached the lab server on localhost:\d+ \(the client tried to connect elsewhere or crashed first\)/;

/** Every applicable check failed with the diagnosis as its reason, and no hint of its own. */
function expectDiagnosed(report: GradeReport, kind: string): void {
  expect(report.diagnosis?.kind, explain(report)).toBe(kind);
  const applicable = report.checks.filter((c) => c.applicable);
  expect(applicable.length).toBeGreaterThan(5);
  for (const check of applicable) {
    expect(check.passed).toBe(false);
    expect(check.points).toBe(0);
    expect(check.notes).toEqual([`not judged: ${report.diagnosis!.text}`]);
    expect(check.hint).toBeNull();
    expect(check.evidence).toEqual([]);
  }
  expect(report.score).toBe(0);
}

let reports: Record<string, GradeReport>;
beforeAll(async () => {
  const entries = await Promise.all(
    Object.entries({
      wrongPortPy: () => runs.grade('plain', py('wrong_port.py')),
      wrongPortJs: () => runs.grade('plain', js('wrong_port.mjs')),
      crashFirst: () => runs.grade('plain', py('crash_before_connect.py')),
      missing: () => runs.grade('plain', py('no_such_client.py')),
      notStarted: () => runs.grade('plain', ['python4', 'client.py']),
      tlsPy: () => runs.grade('plain', py('tls_on_plain_port.py')),
      tlsJs: () => runs.grade('builtin:starttls', js('tls_on_plain_port.mjs')),
      silent: () => runs.grade('plain', ['python3', '-c', 'pass']),
    }).map(async ([name, run]) => [name, await run()] as const),
  );
  reports = Object.fromEntries(entries);
}, 60_000);

describe('a client that never connected', () => {
  it('a hard-coded wrong port (Python): one cause, with the traceback', () => {
    const r = reports.wrongPortPy!;
    expectDiagnosed(r, 'crashed-before-connecting');
    expect(r.diagnosis!.text).toMatch(NO_CONNECTION);
    expect(r.diagnosis!.text).toContain('ConnectionRefusedError');
    expect(r.client.stderrTail).toMatch(
      /^Traceback \(most recent call last\):\n[\s\S]*ConnectionRefusedError/,
    );
  });

  it('a hard-coded wrong port (Node): the same cause, with its stack', () => {
    const r = reports.wrongPortJs!;
    expectDiagnosed(r, 'crashed-before-connecting');
    expect(r.diagnosis!.text).toMatch(NO_CONNECTION);
    expect(r.client.stderrTail).toContain('ECONNREFUSED');
  });

  it('a crash before connecting names the error', () => {
    const r = reports.crashFirst!;
    expectDiagnosed(r, 'crashed-before-connecting');
    expect(r.diagnosis!.text).toContain("KeyError: 'SMTP_SERVER'");
  });

  it('a missing script file is named', () => {
    const r = reports.missing!;
    expectDiagnosed(r, 'missing-file');
    expect(r.diagnosis!.text).toContain('no_such_client.py');
  });

  it('a program that cannot start says so, not "exit null"', () => {
    const r = reports.notStarted!;
    expectDiagnosed(r, 'not-started');
    expect(r.diagnosis!.text).toContain('python4: no such program');
    for (const format of REPORT_FORMATS) expect(formatReports([r], format)).not.toContain('exit null');
  });

  it('a client that exits 0 without connecting is told so', () => {
    const r = reports.silent!;
    expectDiagnosed(r, 'no-connection');
    expect(r.diagnosis!.text).toMatch(NO_CONNECTION);
  });
});

describe('TLS spoken to a port that speaks plaintext first', () => {
  it('Python, plaintext scenario: "a TLS handshake", the scenario is plaintext', () => {
    const r = reports.tlsPy!;
    expectDiagnosed(r, 'tls-on-plaintext-port');
    expect(r.diagnosis!.text).toContain('TLS handshake');
    expect(r.diagnosis!.text).toContain('the scenario is plaintext');
    expect(r.client.stderrTail).toContain('WRONG_VERSION_NUMBER');
  });

  it('Node, STARTTLS scenario: the scenario is STARTTLS', () => {
    const r = reports.tlsJs!;
    expectDiagnosed(r, 'tls-on-plaintext-port');
    expect(r.diagnosis!.text).toContain('the scenario is STARTTLS');
  });
});

describe("the cause and the client's output in every format", () => {
  it.each(REPORT_FORMATS)('%s', (format) => {
    const r = reports.wrongPortPy!;
    const output = formatReports([r], format);
    expect(output).toContain('no connection reached the lab server on localhost:');
    expect(output).toContain('ConnectionRefusedError: [Errno 111] Connection refused');
    expect(output).toContain('client_socket.connect(mailserver)');
  });

  it("Gradescope: the client's traceback in a Markdown code block, in the summary and the client test", () => {
    const parsed = JSON.parse(formatReports([reports.wrongPortPy!], 'gradescope')) as {
      output: string;
      tests: Array<{ number: string; status: string; output: string }>;
    };
    expect(parsed.output).toMatch(
      /```+\nTraceback \(most recent call last\):\n[\s\S]*ConnectionRefusedError[^\n]*\n```+/,
    );
    const client = parsed.tests.find((t) => t.number === 'plain/client')!;
    expect(client.status).toBe('failed');
    expect(client.output).toContain('no connection reached the lab server');
    expect(client.output).toMatch(/```+\nTraceback/);
  });

  it('text says the cause once, not a hint per check', () => {
    const output = formatReports([reports.wrongPortPy!], 'text');
    expect(output.match(/no connection reached/g)).toHaveLength(1);
    expect(output).not.toContain('hint:');
  });

  it('a client killed at the time limit is a JUnit <error> and a failed TAP client test', async () => {
    const r = await runs.grade('plain', py('silent_hang.py'), { timeoutMs: 1500 });
    expect(r.client.timedOut).toBe(true);
    const junit = formatReports([r], 'junit');
    expect(junit).toMatch(/<error message="killed at the time limit \([\d.]+ s\)" type="timeout">/);
    expect(junit).toMatch(/<testsuite name="plain" tests="\d+" failures="\d+" errors="1"/);
    expect(formatReports([r], 'tap')).toMatch(
      /^not ok \d+ - plain: the client process runs to its end \[client\]$/m,
    );
  });
});

describe("the client's output as reports show it", () => {
  it('keeps a whole Python traceback, after whatever the client printed before it', () => {
    const stderr = [
      'debug 1',
      'debug 2',
      'Traceback (most recent call last):',
      '  File "c.py", line 3',
      'OSError: x',
      '',
    ];
    expect(outputTail(stderr.join('\n'))).toBe(
      '[2 earlier lines not shown]\nTraceback (most recent call last):\n  File "c.py", line 3\nOSError: x',
    );
    expect(crashLine(stderr.join('\n'))).toBe('OSError: x');
  });

  it('keeps the last lines of long output, each line capped', () => {
    const stderr = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n' + 'x'.repeat(1000);
    const tail = outputTail(stderr).split('\n');
    expect(tail[0]).toBe('[71 earlier lines not shown]');
    expect(tail).toHaveLength(OUTPUT_TAIL_LINES + 1);
    expect(tail.at(-1)).toBe(`${'x'.repeat(300)}...`);
    expect(outputTail('')).toBe('');
  });

  it('names the error of a Java or Node crash', () => {
    expect(
      crashLine('Exception in thread "main" java.net.ConnectException: Connection refused\n\tat X'),
    ).toBe('Exception in thread "main" java.net.ConnectException: Connection refused');
    expect(
      crashLine(
        'node:events:502\n      throw er;\n      ^\n\nError: connect ECONNREFUSED 127.0.0.1:25\n    at x',
      ),
    ).toBe('Error: connect ECONNREFUSED 127.0.0.1:25');
    expect(crashLine('send failed: 550 refused\n')).toBeUndefined();
  });

  it('tells a TLS ClientHello from SMTP', () => {
    expect(isTlsHandshake(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]))).toBe(true);
    expect(isTlsHandshake(Buffer.from('EHLO me\r\n'))).toBe(false);
    expect(isTlsHandshake(Buffer.from([0x16, 0x03]))).toBe(false);
  });
});
