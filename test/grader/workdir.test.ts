import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { alive, BIN, py } from './helpers.js';

/**
 * `smtp-lab grade` leaves nothing behind unless asked to: its temporary work folder (mailboxes,
 * raw transcripts, whatever the client wrote) is deleted when grading ends, also when the
 * grader is stopped by a signal, and the client's process group goes with it.
 */

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-workdir-test-'));
  made.push(dir);
  return dir;
}

function grade(args: string[], base: string) {
  const child = spawn(process.execPath, [BIN, 'grade', ...args], {
    // Both places a temporary folder could go: the grader's scratch base and the system one.
    env: { ...process.env, NO_COLOR: '1', SMTP_LAB_SCRATCH: base, TMPDIR: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, exited };
}

describe('the temporary work folder', () => {
  it('is deleted after grading', async () => {
    const base = await scratch();
    const { exited } = grade(['-s', 'basic', '--', ...py('correct_client.py')], base);
    const { code } = await exited;
    expect(code).toBe(0);
    expect(await readdir(base)).toEqual([]);
  });

  it('is kept, mailbox and all, when --work-dir names it', async () => {
    const base = await scratch();
    const keep = path.join(base, 'kept');
    const { exited } = grade(['-s', 'basic', '--work-dir', keep, '--', ...py('correct_client.py')], base);
    expect((await exited).code).toBe(0);
    const mailbox = await readdir(path.join(keep, 'basic', 'mailbox'));
    expect(mailbox.some((name) => name.endsWith('.eml'))).toBe(true);
    // Only the folder asked for: the client's own HOME went.
    expect(await readdir(base)).toEqual(['kept']);
  });

  it('is deleted when the grader is stopped by SIGTERM, and the running client is killed', async () => {
    const base = await scratch();
    const pidFile = path.join(await scratch(), 'client.pid');
    const { child, exited } = grade(
      [
        '-s',
        'basic',
        '--timeout',
        '60',
        '--',
        'python3',
        '-c',
        'import os, sys, time\nopen(sys.argv[1], "w").write(str(os.getpid()))\ntime.sleep(600)',
        pidFile,
      ],
      base,
    );
    await vi.waitFor(() => expect(existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '').toBe(true), {
      timeout: 15_000,
      interval: 25,
    });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    expect((await readdir(base)).length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(await readdir(base)).toEqual([]);
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 2000, interval: 20 });
  });
});
