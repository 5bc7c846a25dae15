import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { UsageError } from '../protocol/errors.js';
import {
  batchJson,
  scoresCsv,
  summaryTable,
  type BatchRecordOptions,
  type BatchResult,
  type StudentResult,
} from './batch.js';
import type { Shard } from './shard.js';

/**
 * `smtp-lab merge --out DIR SHARD_DIR…`: the out-dirs of `grade-all --shard K/N` runs combined
 * into one, as if the class had been graded in one run: scores.csv, summary.txt, batch.json and
 * students/<name>/. Shards made with other scenarios or options, a shard given twice, a missing
 * shard or a student in two shards are refused (UsageError, exit 2): the merged file would
 * otherwise mix two gradings without saying so. `lang`: the language of summary.txt (the status
 * lines are as each shard wrote them).
 */

interface ShardFile {
  dir: string;
  scenarios: string[];
  options?: BatchRecordOptions;
  shard?: Shard;
  jobs: number;
  durationMs: number;
  students: Array<Omit<StudentResult, 'reports'>>;
}

export async function mergeShards(
  shardDirs: readonly string[],
  outDir: string,
  options: { lang?: Lang } = {},
): Promise<BatchResult> {
  const m = messages(options.lang);
  if (!shardDirs.length) throw new UsageError(m.t('grader.merge.noShard'));
  const out = path.resolve(outDir);
  const shards: ShardFile[] = [];
  for (const dir of shardDirs) {
    const abs = path.resolve(dir);
    if (abs === out) throw new UsageError(m.t('grader.merge.outIsShard', { dir }));
    let parsed: Omit<ShardFile, 'dir'>;
    try {
      parsed = JSON.parse(await readFile(path.join(abs, 'batch.json'), 'utf8'));
    } catch (err) {
      throw new UsageError(m.t('grader.merge.notOutDir', { dir, reason: (err as Error).message }));
    }
    if (!Array.isArray(parsed.students) || !Array.isArray(parsed.scenarios)) {
      throw new UsageError(m.t('grader.merge.empty', { dir }));
    }
    shards.push({ ...parsed, dir: abs });
  }

  const first = shards[0]!;
  const describe = (s: ShardFile) => JSON.stringify(s.options ?? { scenarios: s.scenarios });
  for (const s of shards.slice(1)) {
    if (describe(s) !== describe(first)) {
      throw new UsageError(
        m.t('grader.merge.otherOptions', {
          dir: s.dir,
          first: first.dir,
          options: describe(s),
          firstOptions: describe(first),
        }),
      );
    }
  }
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const shard = s.shard ?? { index: 1, count: 1 };
    if (shard.count !== count) {
      throw new UsageError(
        m.t('grader.merge.otherCount', { dir: s.dir, index: shard.index, of: shard.count, count }),
      );
    }
    const twice = seen.get(shard.index);
    if (twice) {
      throw new UsageError(
        m.t('grader.merge.twice', { shard: `${shard.index}/${count}`, first: twice, second: s.dir }),
      );
    }
    seen.set(shard.index, s.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) {
    const list = missing.map((k) => `${k}/${count}`).join(', ');
    throw new UsageError(
      m.t(missing.length > 1 ? 'grader.merge.missing.other' : 'grader.merge.missing.one', { shards: list }),
    );
  }

  const owner = new Map<string, string>();
  const students: StudentResult[] = [];
  for (const s of shards) {
    for (const student of s.students) {
      const other = owner.get(student.student);
      if (other) {
        throw new UsageError(
          m.t('grader.merge.studentTwice', {
            student: JSON.stringify(student.student),
            first: other,
            second: s.dir,
          }),
        );
      }
      owner.set(student.student, s.dir);
      students.push({
        ...student,
        reportDir: path.join(out, 'students', student.student),
        reports: [],
      });
    }
  }
  // The order of listSubmissions: by name, code unit by code unit.
  students.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));

  await mkdir(path.join(out, 'students'), { recursive: true });
  for (const student of students) {
    const from = path.join(owner.get(student.student)!, 'students', student.student);
    await cp(from, student.reportDir, { recursive: true, force: true, errorOnExist: false });
  }
  const result: BatchResult = {
    students,
    scenarios: first.scenarios,
    outDir: out,
    files: {
      csv: path.join(out, 'scores.csv'),
      summary: path.join(out, 'summary.txt'),
      json: path.join(out, 'batch.json'),
    },
    // The grading work of all shards (they ran side by side: the wall time was shorter).
    durationMs: shards.reduce((sum, s) => sum + (s.durationMs || 0), 0),
    jobs: Math.max(...shards.map((s) => s.jobs || 1)),
    options: first.options ?? {
      command: '',
      scenarios: first.scenarios,
      timeoutMs: 0,
      strict: false,
      format: 'text',
      sandbox: false,
    },
  };
  await writeFile(result.files.csv, scoresCsv(result));
  await writeFile(result.files.summary, summaryTable(result, options));
  await writeFile(result.files.json, JSON.stringify(batchJson(result), null, 2) + '\n');
  return result;
}
