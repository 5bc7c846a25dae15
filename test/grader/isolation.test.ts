import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { py, Runs, SECRET } from './helpers.js';

/**
 * What the grader does to the process it runs: the whole process group is killed (at the time
 * limit, and when the client exits leaving a child behind), nothing of the grader's environment
 * leaks into it, and its output is capped.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

/** A pid is gone when it no longer exists or is a zombie waiting for a parent that never reaps. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const DOCUMENTED = new Set([
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_TLS',
  'SMTP_USER',
  'SMTP_PASS',
  'SMTP_CA_FILE',
  'SMTP_TIMEOUT',
  'MAIL_FROM',
  'RCPT_TO',
  'IMAGE_FILE',
  'MAIL_SUBJECT',
  'MAIL_BODY',
  // The CA under the names TLS libraries read (ARCHITECTURE.md, "Contracts": client environment).
  'SSL_CERT_FILE',
  'REQUESTS_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
  'CURL_CA_BUNDLE',
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
]);

describe.concurrent('the graded process', () => {
  it('a child left running when the client exits is killed with it', async () => {
    const report = await runs.grade('plain', py('forks_child.py', 'exit'));
    expect(report.client.timedOut).toBe(false);
    expect(report.client.exitCode).toBe(0);
    const pid = Number(report.client.stdout.trim());
    expect(pid).toBeGreaterThan(1);
    await vi.waitFor(() => expect(gone(pid)).toBe(true), { timeout: 2000, interval: 20 });
    // Grading did not wait for the child's 600 s sleep, nor for the time limit.
    expect(report.client.durationMs).toBeLessThan(5000);
  });

  it('at the time limit the whole process group is killed, the child too', async () => {
    const report = await runs.grade('plain', py('forks_child.py', 'hang'), { timeoutMs: 1500 });
    expect(report.client.timedOut).toBe(true);
    const pid = Number(report.client.stdout.trim());
    expect(pid).toBeGreaterThan(1);
    await vi.waitFor(() => expect(gone(pid)).toBe(true), { timeout: 2000, interval: 20 });
  });

  it('gets only the documented environment, and {host} {port} {tls} in its arguments', async () => {
    process.env.SMTP_LAB_TEST_GRADER_ONLY = 'grader-private-value';
    try {
      const report = await runs.grade('brief', py('print_env.py', '{host}', '{port}', '{tls}'));
      const { env, argv, pass_sha256 } = JSON.parse(report.client.stdout) as {
        env: Record<string, string>;
        argv: string[];
        pass_sha256: string;
      };
      expect(pass_sha256).toBe(createHash('sha256').update(SECRET).digest('hex'));
      const extra = Object.keys(env).filter((k) => !DOCUMENTED.has(k) && !k.startsWith('PYTHON'));
      expect(extra).toEqual([]);
      expect(JSON.stringify(env)).not.toContain('grader-private-value');
      expect(env).toMatchObject({
        SMTP_HOST: 'localhost',
        SMTP_TLS: 'starttls',
        SMTP_USER: 'student@smtp-lab.test',
        // It got the password; the report shows the client's output with it masked.
        SMTP_PASS: '********',
        MAIL_FROM: 'student@smtp-lab.test',
        RCPT_TO: 'teacher@smtp-lab.test,ta@smtp-lab.test',
        MAIL_SUBJECT: 'All of it',
        MAIL_BODY: 'Hello.',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        // Seconds before the grader kills it (the runs' 15 s time limit).
        SMTP_TIMEOUT: '15',
      });
      expect(env.IMAGE_FILE).toMatch(/noise\.png$/);
      expect(readFileSync(env.SMTP_CA_FILE!, 'utf8')).toContain('BEGIN CERTIFICATE');
      for (const name of ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS', 'CURL_CA_BUNDLE']) {
        expect(env[name]).toBe(env.SMTP_CA_FILE);
      }
      expect(argv).toEqual(['localhost', env.SMTP_PORT, 'starttls']);
      expect(Number(env.SMTP_PORT)).toBeGreaterThan(0);
    } finally {
      delete process.env.SMTP_LAB_TEST_GRADER_ONLY;
    }
  });

  it('python3 on the graded PATH is the system one', async () => {
    const report = await runs.grade('plain', ['python3', '-c', 'import sys; print(sys.executable)']);
    expect(report.client.stdout.trim()).toBe('/usr/bin/python3');
  });

  it('stdout and stderr are capped', async () => {
    const report = await runs.grade('plain', py('noisy_output.py', '200000'), { outputCap: 1000 });
    expect(report.client.exitCode).toBe(0);
    expect(report.client.truncated).toBe(true);
    expect(report.client.stdout).toBe('o'.repeat(1000));
    expect(report.client.stderr).toBe('e'.repeat(1000));
  });

  it('a command that cannot start is reported, not thrown', async () => {
    const report = await runs.grade('plain', ['/nonexistent/student-client']);
    expect(report.client.exitCode).toBeNull();
    expect(report.client.stderr).toContain('could not start');
    // Typed, for grade-all's not-started status: no pattern over the stderr text.
    expect(report.client.startError).toMatch(/^could not start \/nonexistent\/student-client: .*ENOENT/);
    expect(report.score).toBe(0);
  });
});
