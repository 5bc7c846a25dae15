import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PYTHON } from '../helpers/lab-server.js';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const SKELETON = fileURLToPath(new URL('../fixtures/clients/recv_1024.py', import.meta.url));
const CLIENTS = fileURLToPath(new URL('../fixtures/clients/', import.meta.url));

/** Everything a process prints, and a way to wait until it has printed a pattern. */
function collect(child: ChildProcess) {
  const output = { text: '' };
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    output.text += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output.text);
        if (!match) return;
        waiters.splice(waiters.indexOf(check), 1);
        resolve(match);
      };
      waiters.push(check);
      child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${output.text}`)));
      check();
    });
  return { output, waitFor };
}

let dir: string | undefined;
let lab: ChildProcess | undefined;

afterEach(async () => {
  lab?.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('smtp-lab lab', () => {
  it('tells where to point the client, shows the session with replies explained, judges the checks, stops on SIGTERM', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-lab-test-'));
    lab = spawn(process.execPath, [BIN, 'lab', 'basic', '-p', '0', '-m', dir], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { output, waitFor } = collect(lab);
    const env: Record<string, string> = {};
    await waitFor(/Waiting for your client/);
    for (const [, key, value] of output.text.matchAll(/^  export (\w+)=(\S+)$/gm)) env[key!] = value!;
    expect(env.SMTP_PORT).toMatch(/^\d+$/);
    expect(env.MAIL_FROM).toBe('student@smtp-lab.test');

    // The assignment skeleton, pointed at the lab with the environment it printed.
    await new Promise<void>((resolve, reject) =>
      execFile(PYTHON, [SKELETON], { env: { PATH: process.env.PATH!, ...env } }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const [score] = await waitFor(/^score (\d+)\/(\d+)$/m);
    expect(score).toMatch(/^score (\d+)\/\1$/); // basic: the skeleton gets full marks
    // Every reply is explained on the line below it.
    expect(output.text).toMatch(/<- {2}250 .*\n.*Requested mail action okay, completed: continue/);
    expect(output.text).toContain('✓ waits for the 220 greeting before sending');

    const exit = new Promise<number | null>((resolve) => lab!.once('exit', resolve));
    lab.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

/** Starts `smtp-lab lab ARGS` on free ports; resolves once it waits, with the environment it printed. */
async function startLab(...args: string[]) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-lab-test-'));
  lab = spawn(
    process.execPath,
    [BIN, 'lab', ...args, '-p', '0', '--tls-port', '0', '-m', dir, '--no-explain'],
    {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { output, waitFor } = collect(lab);
  await waitFor(/Waiting for your client/);
  const env: Record<string, string> = {};
  for (const [, key, value] of output.text.matchAll(/^ {2}export (\w+)=(\S+)$/gm)) env[key!] = value!;
  return { output, waitFor, env };
}

/** Runs a student client with the printed environment; resolves when it has exited. */
function runClient(env: Record<string, string>, program: string, file: string): Promise<void> {
  return new Promise((resolve) =>
    execFile(program, [path.join(CLIENTS, file)], { env: { PATH: process.env.PATH!, ...env } }, () =>
      resolve(),
    ),
  );
}

describe('the edit-and-run loop', () => {
  it('judges each session on its own: a fixed client is not shown its old failures', async () => {
    const { output, waitFor, env } = await startLab('basic');
    // First the broken client (bare LF line endings, in Node), then the fixed one (Python).
    await runClient(env, process.execPath, 'bare_lf.mjs');
    await waitFor(/Checks for this session:[\s\S]*?score \d+\/\d+/);
    expect(output.text).toMatch(/✗ ends every line with CRLF/);
    const before = output.text.length;
    await runClient(env, PYTHON, 'correct_client.py');
    await waitFor(/Checks for this session:[\s\S]*Checks for this session:[\s\S]*?score \d+\/\d+/);
    const second = output.text.slice(before);
    expect(second).not.toContain('✗');
    expect(second).toMatch(/^score (\d+)\/\1$/m);

    // Where each accepted message was stored, and it is there.
    const stored = [...output.text.matchAll(/=== stored (\S+\.eml)/g)].map((m) => m[1]!);
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const file of stored) expect(existsSync(path.resolve(file))).toBe(true);
  });

  it('judges the sessions of one attempt together where the lesson spans connections (greylisting)', async () => {
    const { output, waitFor, env } = await startLab('greylisting');
    await runClient(env, PYTHON, 'correct_client.py');
    await waitFor(/Checks for this session:[\s\S]*score \d+\/\d+/);
    await runClient(env, PYTHON, 'correct_client.py');
    await waitFor(/Checks for the last 2 sessions/);
    expect(output.text).toMatch(/451/);
  });

  it('names a TLS handshake on the plaintext port as the cause, not a list of protocol failures', async () => {
    const { output, waitFor, env } = await startLab('basic');
    await runClient(env, PYTHON, 'tls_on_plain_port.py');
    await waitFor(/cause: .*\n/);
    expect(output.text).toMatch(/cause: the client's first bytes on localhost:\d+ are a TLS handshake/);
    expect(output.text).toContain('the scenario is plaintext');
    expect(output.text).not.toContain('hint:');
  });

  it('prints what a client needs, with the CA-trust variables apart and a warning; "1 point"', async () => {
    const { output } = await startLab('starttls');
    const header = output.text;
    expect(header).toMatch(/^ {2}export SMTP_CA_FILE=/m);
    expect(header).toMatch(/^ {2}export NODE_EXTRA_CA_CERTS=/m);
    for (const name of ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE']) {
      expect(header).not.toMatch(new RegExp(`export ${name}=`));
      expect(header).toMatch(new RegExp(`^ {2}.*\\b${name}=\\S+ .*python3 your_client\\.py$`, 'm'));
    }
    expect(header).toContain('fails to verify smtp.qq.com');
    expect(header).toContain('(1 point, baseline)');
    expect(header).not.toMatch(/\b1 points\b/);
  });
});

describe('smtp-lab scenarios', () => {
  it('lists every built-in scenario, as JSON with --json', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [BIN, 'scenarios', '--json'], (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    const list = JSON.parse(stdout) as Array<{
      id: string;
      title: string;
      lesson: string;
      checks: unknown[];
    }>;
    expect(list.length).toBeGreaterThanOrEqual(25);
    for (const id of ['basic', 'fragmented-replies', 'greylisting', 'qq', 'gmail']) {
      expect(list.find((s) => s.id === id)?.checks.length).toBeGreaterThan(0);
    }
  });
});
