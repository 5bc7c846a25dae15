import { UsageError } from '../../src/protocol/errors.js';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFor, listSubmissions, scoresCsv, splitCommand } from '../../src/grader/batch.js';
import { CLASS_SCENARIO, GOOD, runCli } from './class.js';
import { alive } from './helpers.js';

/** Students, by folder name; a null file means the folder has no smtp_client.py. */
const STUDENTS: Record<string, string | null> = {
  good: GOOD,
  // A space and quotes in the folder name: {dir} must reach the client as one argument.
  [`it's "spaced" out`]: GOOD,
  crash:
    'import os, socket\nsocket.create_connection((os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]))).recv(1024)\nraise RuntimeError("midway")\n',
  hang: 'import os, socket, time\ns = socket.create_connection((os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"])))\ntime.sleep(600)\n',
  // 3 MB on stdout (capped), then a child left behind, then the good exchange.
  loud:
    'import subprocess, sys\nsys.stdout.write("x" * 3000000)\np = subprocess.Popen(["sleep", "600"])\nsys.stderr.write("child %d\\n" % p.pid)\nsys.stderr.flush()\n' +
    GOOD,
  missing: null,
  // The skeleton's port, hard-coded: nothing listens there, the lab server never sees it.
  elsewhere: 'import socket\nsocket.create_connection(("localhost", 25))\n',
};

const SCENARIO = CLASS_SCENARIO.replace('id: class-basic', 'id: batch-basic');

/** A second scenario the good clients fail (they never authenticate): the status line names both. */
const AUTH_SCENARIO = `id: batch-auth
title: AUTH required
lesson: The server wants AUTH before MAIL.
server:
  auth: required
checks:
  - { id: greets, points: 1 }
  - { id: auth, points: 1 }
`;

describe('smtp-lab grade-all', () => {
  let root: string;
  let out: string;
  let result: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-batch-test-'));
    const submissions = path.join(root, 'submissions');
    for (const [name, source] of Object.entries(STUDENTS)) {
      await mkdir(path.join(submissions, name), { recursive: true });
      if (source !== null) await writeFile(path.join(submissions, name, 'smtp_client.py'), source);
    }
    await writeFile(path.join(root, 'batch-basic.yaml'), SCENARIO);
    await writeFile(path.join(root, 'batch-auth.yaml'), AUTH_SCENARIO);
    out = path.join(root, 'grades');
    result = await runCli([
      'grade-all',
      '--submissions',
      submissions,
      '--command',
      'python3 {dir}/smtp_client.py',
      '--scenario',
      path.join(root, 'batch-basic.yaml'),
      '--scenario',
      path.join(root, 'batch-auth.yaml'),
      '--jobs',
      '2',
      '--timeout',
      '2',
      '--out-dir',
      out,
    ]);
  }, 60_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('completes with exit 0 and a report per student, whatever the students did', async () => {
    expect(result.stderr).not.toMatch(/the batch failed|^\s+at /m);
    expect(result.status).toBe(0);
    const dirs = (await readdir(path.join(out, 'students'))).sort();
    expect(dirs).toEqual(Object.keys(STUDENTS).sort());
    for (const name of dirs) {
      const reports = JSON.parse(await readFile(path.join(out, 'students', name, 'report.json'), 'utf8'));
      expect(reports).toHaveLength(2);
      expect(reports[0].scenario).toBe('batch-basic');
      expect(reports[1].scenario).toBe('batch-auth');
      expect(await readFile(path.join(out, 'students', name, 'report.txt'), 'utf8')).toContain(
        '== batch-basic',
      );
    }
  });

  it('writes one CSV row per student with the scores', async () => {
    const csv = await readFile(path.join(out, 'scores.csv'), 'utf8');
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('student,score,max_score,batch-basic,batch-auth');
    expect(rows.slice(1).sort()).toEqual(
      [
        'crash,0,7,0,0',
        'good,6,7,5,1',
        'hang,0,7,0,0',
        `"it's ""spaced"" out",6,7,5,1`,
        'loud,6,7,5,1',
        'missing,0,7,0,0',
        'elsewhere,0,7,0,0',
      ].sort(),
    );
  });

  it('gives each student a clear status', async () => {
    const batch = JSON.parse(await readFile(path.join(out, 'batch.json'), 'utf8'));
    const status = Object.fromEntries(
      batch.students.map((s: { student: string; status: string }) => [s.student, s.status]),
    );
    expect(status).toEqual({
      crash: 'nonzero-exit',
      good: 'failed',
      hang: 'timed-out',
      [`it's "spaced" out`]: 'failed',
      loud: 'failed',
      missing: 'missing-file',
      elsewhere: 'no-connection',
    });
    // The status line summarises every scenario, not only the first that failed.
    const text = Object.fromEntries(
      batch.students.map((s: { student: string; statusText: string }) => [s.student, s.statusText]),
    );
    expect(text.good).toBe('1 check failed: batch-auth; all checks passed: batch-basic');
    expect(text.hang).toMatch(/^killed at the time limit \([\d.]+ s\), \d checks? failed: batch-/);
    expect(text.missing).toBe('missing smtp_client.py (every scenario)');
    expect(text.elsewhere).toBe(
      'crashed before connecting (exit 1: ConnectionRefusedError: [Errno 111] Connection refused) (every scenario)',
    );
    // batch.json summarises each scenario on its own.
    expect(batch.summary.students).toBe(7);
    expect(batch.summary.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual([
      'batch-basic',
      'batch-auth',
    ]);
    expect(batch.summary.scenarios[0]).toMatchObject({
      maxScore: 5,
      meanScore: 2.143,
      statuses: { passed: 3 },
    });
    expect(batch.summary.scenarios[1]).toMatchObject({
      maxScore: 2,
      meanScore: 0.429,
      statuses: { failed: 3 },
    });
    const hang = JSON.parse(await readFile(path.join(out, 'students', 'hang', 'report.json'), 'utf8'))[0];
    expect(hang.client.timedOut).toBe(true);
    expect(hang.client.signal).toBe('SIGKILL');
  });

  it('caps huge output and kills what a client left behind', async () => {
    const loud = JSON.parse(await readFile(path.join(out, 'students', 'loud', 'report.json'), 'utf8'))[0];
    expect(loud.client.truncated).toBe(true);
    expect(loud.client.stdout.length).toBe(64 * 1024);
    const pid = Number(/child (\d+)/.exec(loud.client.stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('prints a summary listing every student and a progress line each', () => {
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^student\s+score\s+max\s+status\s+failed checks$/);
    for (const name of Object.keys(STUDENTS)) {
      expect(lines.some((line) => line.startsWith(`${name} `))).toBe(true);
    }
    expect(result.stdout).toMatch(/^hang\s+0\s+7\s+killed at the time limit/m);
    expect(result.stdout).toMatch(/^missing\s+0\s+7\s+missing smtp_client\.py/m);
    expect(result.stdout).toContain(
      '7 students: 1 missing-file, 1 no-connection, 1 timed-out, 1 nonzero-exit, 3 failed',
    );
    // stderr is not a terminal here: one plain line per student instead of a bar.
    expect(result.stderr.match(/^graded \d\/7: /gm)).toHaveLength(7);
    expect(result.stderr).toContain('graded 7/7');
  });
});

describe('grade-all helpers', () => {
  it('splits a command like a shell, without one', () => {
    expect(splitCommand('python3 {dir}/smtp_client.py')).toEqual(['python3', '{dir}/smtp_client.py']);
    expect(splitCommand(`java -cp '{dir}/my classes' "Smtp \\"Client\\"" a\\ b ''`)).toEqual([
      'java',
      '-cp',
      '{dir}/my classes',
      'Smtp "Client"',
      'a b',
      '',
    ]);
    expect(splitCommand("sh -c 'cd {dir} && make run'")).toEqual(['sh', '-c', 'cd {dir} && make run']);
    expect(() => splitCommand('python3 x.py | tee log')).toThrow(UsageError);
    expect(() => splitCommand('python3 "x.py')).toThrow(/unterminated " quote/);
    expect(() => splitCommand('   ')).toThrow(/empty/);
  });

  it('puts the folder into every argument that names it, as one argument', () => {
    expect(commandFor(['python3', '{dir}/c.py', '--root={dir}'], `/s/it's "x"`)).toEqual([
      'python3',
      `/s/it's "x"/c.py`,
      `--root=/s/it's "x"`,
    ]);
  });

  it('lists subfolders only, skipping hidden ones and an out-dir inside', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-list-'));
    try {
      for (const name of ['b', 'a', '.git', 'grades']) await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, 'notes.txt'), '');
      expect(await listSubmissions(dir, [path.join(dir, 'grades')])).toEqual(['a', 'b']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps CSV fields intact and defuses spreadsheet formulas', () => {
    const csv = scoresCsv({
      scenarios: ['basic'],
      students: [
        { student: 'a,b', score: 1, maxScore: 2, scenarios: [{ score: 1 }] },
        { student: '=cmd()', score: 0, maxScore: 2, scenarios: [{ score: 0 }] },
      ] as never,
    });
    expect(csv).toBe('student,score,max_score,basic\r\n"a,b",1,2,1\r\n\'=cmd(),0,2,0\r\n');
  });
});
