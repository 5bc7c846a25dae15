import { UsageError } from '../../src/protocol/errors.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gradeSubmissions,
  splitCommand,
  summaryTable,
  summaryText,
  type ScenarioOutcome,
  type StudentResult,
} from '../../src/grader/batch.js';
import { mergeShards } from '../../src/grader/merge.js';
import { messages } from '../../src/i18n/messages.js';
import { displayWidth } from '../../src/i18n/width.js';
import { CLASS_SCENARIO, GOOD, PY_CLIENT, runCli, writeClass } from './class.js';

/**
 * `grade-all --lang zh-CN` writes the class's summary in Chinese — headings, each
 * student's status line, the footer — with every column aligned by display width (a Chinese
 * character takes two terminal columns), also cut to 80 columns; and every file a machine reads
 * (scores.csv, batch.json's keys and statuses) is what English writes. A real class of three:
 * one full marks, one crashing midway, one with no client file; two have Chinese names.
 */

const CRASH_MIDWAY = `${PY_CLIENT}cmd("HELO student")
cmd("MAIL FROM:<%s>" % os.environ["MAIL_FROM"])
raise RuntimeError("gave up")
`;

let dir: string;
let zh: Awaited<ReturnType<typeof runCli>>;
let en: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-batch-lang-'));
  await writeFile(path.join(dir, 'class-basic.yaml'), CLASS_SCENARIO);
  await writeClass(path.join(dir, 'class'), { 张伟: GOOD, 欧阳小明: CRASH_MIDWAY, wang: null });
  // A single shard (1/1), so `merge` can take it too.
  const gradeAll = (lang: string) =>
    runCli([
      'grade-all',
      '--lang',
      lang,
      '-d',
      path.join(dir, 'class'),
      '-c',
      'python3 {dir}/smtp_client.py',
      '-s',
      path.join(dir, 'class-basic.yaml'),
      '-o',
      path.join(dir, `out-${lang}`),
      '--jobs',
      '2',
      '--timeout',
      '10',
      '--format',
      'html',
      '--shard',
      '1/1',
    ]);
  [zh, en] = await Promise.all([gradeAll('zh-CN'), gradeAll('en')]);
}, 90_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const out = (lang: string, file: string) => readFile(path.join(dir, `out-${lang}`, file), 'utf8');

/** The table's rows (header first), without the footer. */
function rows(table: string): string[] {
  return table.split('\n\n')[0]!.split('\n');
}

/**
 * Where a row's cells are, in display columns: the start and end of each of `cells`, found in
 * order (each after the one before), so the same text in two columns is told apart.
 */
function cellsOf(line: string, cells: readonly string[]): Array<{ start: number; end: number }> {
  let from = 0;
  return cells.map((cell) => {
    const at = line.indexOf(cell, from);
    expect(at, `${cell} in ${line}`).toBeGreaterThan(-1);
    from = at + cell.length;
    return { start: displayWidth(line.slice(0, at)), end: displayWidth(line.slice(0, from)) };
  });
}

describe('grade-all --lang zh-CN', () => {
  it('completes, and prints and writes the summary table in Chinese', async () => {
    expect(zh.status, zh.stderr).toBe(0);
    expect(en.status, en.stderr).toBe(0);
    const summary = await out('zh-CN', 'summary.txt');
    expect(zh.stdout.startsWith(summary)).toBe(true);
    const lines = rows(summary);
    expect(lines[0]).toMatch(/^学生 +得分 +满分 +状态 +未通过的检查项$/);
    expect(summary).toMatch(/^张伟 +5 +5 +全部检查项通过 +-$/m);
    expect(summary).toMatch(/^欧阳小明 +2 +5 +退出码 1，3 个检查项未通过 +class-basic\/rcpt-to /m);
    expect(summary).toMatch(/^wang +0 +5 +缺少 smtp_client\.py /m);
    expect(summary.trimEnd().split('\n').at(-1)).toBe(
      '3 名学生：1 名 missing-file，1 名 nonzero-exit，1 名 passed',
    );
    // The English run of the same class says the same in English.
    expect(await out('en', 'summary.txt')).toMatch(
      /^欧阳小明 +2 +5 +exit 1, 3 checks failed +class-basic\/rcpt-to /m,
    );
  });

  it('aligns every column by display width, at full width and cut to 80 columns', async () => {
    const batch = JSON.parse(await out('zh-CN', 'batch.json')) as { students: StudentResult[] };
    const full = await out('zh-CN', 'summary.txt');
    expect(Math.max(...full.split('\n').map(displayWidth))).toBeGreaterThan(80);
    for (const table of [full, summaryTable(batch, { lang: 'zh-CN', width: 80 })]) {
      const lines = rows(table);
      expect(lines).toHaveLength(4);
      const cells = [
        ['学生', '得分', '满分', '状态'],
        ...batch.students.map((st) => [
          st.student,
          String(st.score),
          String(st.maxScore),
          st.statusText.slice(0, 4),
        ]),
      ];
      const found = lines.map((line, i) => cellsOf(line, cells[i]!));
      // Names and statuses start in one column each; right-aligned numbers end in one column each.
      expect(new Set(found.map((c) => c[0]!.start))).toEqual(new Set([0]));
      expect(new Set(found.map((c) => c[1]!.end)).size).toBe(1);
      expect(new Set(found.map((c) => c[2]!.end)).size).toBe(1);
      expect(new Set(found.map((c) => c[3]!.start)).size).toBe(1);
      if (table !== full)
        for (const line of table.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    }
    // Cut to 80: the long line ends in an ellipsis at no more than 80 columns.
    const cut = summaryTable(batch, { lang: 'zh-CN', width: 80 });
    expect(cut.split('\n').some((l) => l.endsWith('…'))).toBe(true);
  });

  it('writes the same scores.csv and the same batch.json keys and statuses as English', async () => {
    expect(await out('zh-CN', 'scores.csv')).toBe(await out('en', 'scores.csv'));
    const machine = (json: string) => {
      const b = JSON.parse(json) as {
        summary: unknown;
        students: Array<StudentResult & Record<string, unknown>>;
      };
      return {
        summary: b.summary,
        students: b.students.map((s) => ({
          keys: Object.keys(s).sort(),
          student: s.student,
          status: s.status,
          score: s.score,
          failedChecks: s.failedChecks,
          scenarios: s.scenarios.map(({ statusText: _t, ...rest }) => rest),
        })),
      };
    };
    expect(machine(await out('zh-CN', 'batch.json'))).toEqual(machine(await out('en', 'batch.json')));
  });

  it("writes the class index and each student's HTML report in Chinese", async () => {
    const index = await out('zh-CN', 'index.html');
    expect(index).toContain('<html lang="zh-CN">');
    expect(index).toContain('<h1>全班成绩</h1>');
    expect(index).toContain('<h3>每个检查项未通过的学生比例</h3>');
    expect(index).toContain(
      '<th>学生</th><th>得分</th><th>满分</th><th>状态</th><th>原因</th><th>未通过的检查项</th>',
    );
    expect(index).toContain(
      '3 名学生 · 场景 class-basic · 1 名 missing-file，1 名 passed，1 名 nonzero-exit',
    );
    expect(index).toContain('title="3 名学生中有 2 名未通过 class-basic/rcpt-to"');
    const report = await out('zh-CN', path.join('students', '欧阳小明', 'report.html'));
    expect(report).toContain('<html lang="zh-CN">');
    expect(report).toContain('<h1>评分报告 ');
    expect(await out('en', 'index.html')).toContain('<h1>Class results</h1>');
  });

  it('merge --lang zh-CN writes the same Chinese summary as the shard', async () => {
    const merged = path.join(dir, 'merged');
    const run = await runCli(['merge', '--lang', 'zh-CN', '--out', merged, path.join(dir, 'out-zh-CN')]);
    expect(run.status, run.stderr).toBe(0);
    expect(await readFile(path.join(merged, 'summary.txt'), 'utf8')).toBe(await out('zh-CN', 'summary.txt'));
  });
});

describe("a student's line over several scenarios", () => {
  const outcome = (
    scenario: string,
    status: ScenarioOutcome['status'],
    statusText: string,
  ): ScenarioOutcome => ({
    scenario,
    score: 0,
    maxScore: 5,
    status,
    statusText,
  });

  it('groups the scenarios by outcome, worst first, with the separators of each language', () => {
    const zh = [
      outcome('basic', 'passed', '全部检查项通过'),
      outcome('starttls', 'failed', '2 个检查项未通过'),
      outcome('auth-login', 'passed', '全部检查项通过'),
    ];
    expect(summaryText(zh, 'zh-CN')).toBe('2 个检查项未通过：starttls；全部检查项通过：basic, auth-login');
    const en = [
      outcome('basic', 'passed', 'all checks passed'),
      outcome('starttls', 'failed', '2 checks failed'),
      outcome('auth-login', 'passed', 'all checks passed'),
    ];
    expect(summaryText(en)).toBe('2 checks failed: starttls; all checks passed: basic, auth-login');
  });

  it('says "every scenario" once when the outcome was the same everywhere', () => {
    const same = (text: string) => [
      outcome('basic', 'nonzero-exit', text),
      outcome('starttls', 'nonzero-exit', text),
    ];
    expect(summaryText(same('退出码 1'), 'zh-CN')).toBe('退出码 1（所有场景）');
    expect(summaryText(same('exit 1'))).toBe('exit 1 (every scenario)');
  });
});

describe('why a grade-all or a merge cannot start, in each language (UsageError, exit 2)', () => {
  const zh = messages('zh-CN');
  it.each([
    [
      'python3 x.py | tee log',
      "the command contains the shell operator '|', but no shell runs it: use sh -c '...' if you need one",
      "命令中含有 shell 运算符 '|'，但没有 shell 来运行它：如果需要，请用 sh -c '...'",
    ],
    ['python3 x.py \\', 'the command ends with a lone backslash', '命令以一个单独的反斜杠结尾'],
    ['python3 "x.py', 'the command has an unterminated " quote', '命令中的 " 引号没有闭合'],
    ['   ', 'the command is empty', '命令为空'],
  ])('splitCommand(%j)', (command, en, chinese) => {
    expect(() => splitCommand(command)).toThrow(new UsageError(en));
    expect(() => splitCommand(command, messages('en'))).toThrow(new UsageError(en));
    expect(() => splitCommand(command, zh)).toThrow(new UsageError(chinese));
  });

  it('mergeShards: no shard, a folder that is not an out-dir, the out-dir among the shards', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-merge-lang-'));
    try {
      const out = path.join(dir, 'out');
      await expect(mergeShards([], out)).rejects.toThrow(/^name at least one shard folder to merge$/);
      await expect(mergeShards([], out, { lang: 'zh-CN' })).rejects.toThrow(
        /^请至少给出一个要合并的分片文件夹$/,
      );
      await expect(mergeShards([dir], out)).rejects.toThrow(
        new RegExp(`^${dir} is not a grade-all out-dir: ENOENT`),
      );
      await expect(mergeShards([dir], out, { lang: 'zh-CN' })).rejects.toThrow(
        new RegExp(`^${dir} 不是 grade-all 的输出目录：ENOENT`),
      );
      await expect(mergeShards([out], out, { lang: 'zh-CN' })).rejects.toThrow(
        `输出目录 ${out} 同时也是一个分片：请另选 --out`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gradeSubmissions with no scenario', async () => {
    const options = { submissions: os.tmpdir(), command: 'true', scenarios: [], outDir: os.tmpdir() };
    await expect(gradeSubmissions(options)).rejects.toThrow(/^no scenario to grade with$/);
    await expect(gradeSubmissions({ ...options, lang: 'zh-CN' })).rejects.toThrow(/^没有用来评分的场景$/);
  });
});
