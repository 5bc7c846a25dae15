import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PYTHON } from '../helpers/lab-server.js';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const SKELETON = fileURLToPath(new URL('../fixtures/clients/recv_1024.py', import.meta.url));

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
