import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/grader/shard.js';
import { CLASS_SCENARIO, GOOD, runCli, writeClass } from './class.js';

describe('shards', () => {
  it('parses K/N and refuses the rest with a reason', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 256 / 256 ')).toEqual({ index: 256, count: 256 });
    for (const bad of ['0/3', '4/3', '1/0', '1/257', '2', 'a/b', '-1/3', '1/3/4']) {
      expect(() => parseShard(bad), bad).toThrow(/--shard/);
    }
  });

  it('puts every student in exactly one shard, spread over all of them', () => {
    const names = Array.from({ length: 300 }, (_, i) => `student-${i}`);
    const shards = Array.from({ length: 8 }, (_, k) => inShard(names, { index: k + 1, count: 8 }));
    expect(shards.flat().sort()).toEqual([...names].sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(15);
  });

  it('keeps every student in their shard when a student is added anywhere in the alphabet', () => {
    const names = ['bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan'];
    const before = new Map(names.map((n) => [n, shardOf(n, 5)]));
    for (const added of ['aaron', 'judy', 'emma', '张伟']) {
      const after = inShard([...names, added].sort(), { index: 1, count: 5 });
      expect(after.filter((n) => n !== added)).toEqual(names.filter((n) => before.get(n) === 1));
    }
  });
});

describe('grade-all --shard and smtp-lab merge', () => {
  let root: string;
  let classDir: string;
  let scenario: string;
  const grade = (out: string, ...extra: string[]) =>
    runCli([
      'grade-all',
      '--submissions',
      classDir,
      '--command',
      'python3 {dir}/smtp_client.py',
      '--scenario',
      scenario,
      '--jobs',
      '2',
      '--timeout',
      '5',
      '--out-dir',
      out,
      ...extra,
    ]);

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-shard-test-'));
    classDir = path.join(root, 'class');
    scenario = path.join(root, 'class-basic.yaml');
    await writeFile(scenario, CLASS_SCENARIO);
    const crash =
      'import os, socket\nsocket.create_connection((os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]))).recv(1024)\nraise RuntimeError("midway")\n';
    await writeClass(classDir, {
      ada: GOOD,
      'bo, "the" =quoted': GOOD,
      cyd: crash,
      dee: null,
      eve: GOOD,
      fay: crash,
      gus: GOOD,
    });
    const runs = await Promise.all([
      grade(path.join(root, 'whole')),
      grade(path.join(root, 's1'), '--shard', '1/3'),
    ]);
    runs.push(await grade(path.join(root, 's2'), '--shard', '2/3'));
    runs.push(await grade(path.join(root, 's3'), '--shard', '3/3'));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('merges three shards into the unsharded scores.csv, summary.txt and students, byte for byte', async () => {
    const shardSizes = await Promise.all(
      ['s1', 's2', 's3'].map(async (s) => (await readdir(path.join(root, s, 'students'))).length),
    );
    expect(shardSizes.reduce((a, b) => a + b)).toBe(7);
    expect(shardSizes.filter((n) => n > 0).length).toBeGreaterThan(1);
    const merged = path.join(root, 'merged');
    const run = await runCli([
      'merge',
      '--out',
      merged,
      ...['s3', 's1', 's2'].map((s) => path.join(root, s)),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('merged 3 shards: 7 students');
    const read = (dir: string, file: string) => readFile(path.join(root, dir, file), 'utf8');
    expect(await read('merged', 'scores.csv')).toBe(await read('whole', 'scores.csv'));
    expect(await read('merged', 'summary.txt')).toBe(await read('whole', 'summary.txt'));
    const students = (await readdir(path.join(merged, 'students'))).sort();
    expect(students).toEqual((await readdir(path.join(root, 'whole', 'students'))).sort());
    for (const s of students) {
      expect((await readdir(path.join(merged, 'students', s))).sort()).toEqual(['report.json', 'report.txt']);
    }
    const timeless = (json: string) => {
      const { durationMs: _d, jobs: _j, ...rest } = JSON.parse(json);
      return rest;
    };
    expect(timeless(await read('merged', 'batch.json'))).toEqual(timeless(await read('whole', 'batch.json')));
  });

  it('refuses a missing shard, a shard twice and shards graded differently', async () => {
    const s = (name: string) => path.join(root, name);
    const missing = await runCli(['merge', '--out', s('m1'), s('s1'), s('s2')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^smtp-lab merge: shard 3\/3 missing/);
    const twice = await runCli(['merge', '--out', s('m2'), s('s1'), s('s1'), s('s2')]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/shard 1\/3 given twice/);
    const strict = await grade(s('s3-strict'), '--shard', '3/3', '--strict');
    expect(strict.status).toBe(0);
    const other = await runCli(['merge', '--out', s('m3'), s('s1'), s('s2'), s('s3-strict')]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/graded with other scenarios or options/);
    const notShard = await runCli(['merge', '--out', s('m4'), classDir]);
    expect(notShard.status).toBe(2);
    expect(notShard.stderr).toMatch(/is not a grade-all out-dir/);
  }, 60_000);
});
