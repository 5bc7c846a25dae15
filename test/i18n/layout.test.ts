import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/grade-all.js';
import { summaryTable, type StudentResult } from '../../src/grader/batch.js';
import { displayWidth } from '../../src/i18n/width.js';

/** A student as grade-all reports one; names and statuses as a Chinese class has them. */
function student(
  name: string,
  score: number,
  status: StudentResult['status'],
  statusText: string,
): StudentResult {
  return {
    student: name,
    dir: `/subs/${name}`,
    status,
    statusText,
    score,
    maxScore: 12,
    scenarios: [],
    failedChecks: status === 'passed' ? [] : ['basic/crlf', 'basic/quit'],
    reportDir: `/out/students/${name}`,
    reports: [],
  };
}

/** The display column where `needle` starts in `line`. */
const columnOf = (line: string, needle: string) => displayWidth(line.slice(0, line.indexOf(needle)));

describe('terminal layout in Chinese', () => {
  const students = [
    student('张三', 12, 'passed', '全部检查通过'),
    student('alice', 7.5, 'failed', '2 项检查未通过'),
    student('欧阳娜娜', 3, 'nonzero-exit', 'exit 1, 3 项检查未通过'),
  ];

  it('aligns the summary table by display width and keeps it within 80 columns', () => {
    const lines = summaryTable({ students }, { width: 80 }).split('\n');
    const rows = lines.slice(1, 4);
    // Score, max and status columns start at the same terminal column on every row.
    const scoreEnds = rows.map(
      (l, i) => columnOf(l, String(students[i]!.score)) + String(students[i]!.score).length,
    );
    expect(new Set(scoreEnds).size).toBe(1);
    const statusAt = rows.map((l, i) => columnOf(l, students[i]!.statusText));
    expect(new Set(statusAt).size).toBe(1);
    expect(columnOf(lines[0]!, 'status')).toBe(statusAt[0]);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  it('cuts a long table row at 80 columns without splitting a Chinese character', () => {
    const long = student('司马相如', 0, 'nonzero-exit', '客户端崩溃：'.repeat(12));
    const row = summaryTable({ students: [long] }, { width: 80 }).split('\n')[1]!;
    expect(displayWidth(row)).toBeLessThanOrEqual(80);
    expect(displayWidth(row)).toBeGreaterThanOrEqual(79);
    expect(row.endsWith('…')).toBe(true);
  });

  it('keeps a progress line with a Chinese name within an 80-column terminal', () => {
    const writes: string[] = [];
    const stream = {
      isTTY: true,
      columns: 80,
      write: (s: string) => writes.push(s),
    } as unknown as NodeJS.WriteStream;
    const progress = new Progress(stream);
    progress.update(
      1,
      3,
      student('欧阳娜娜', 3, 'nonzero-exit', '客户端以状态 1 退出，三项检查未通过，详见报告'),
    );
    progress.update(2, 3, student('张三', 12, 'passed', '全部检查通过'));
    progress.end();
    const drawn = writes.filter((w) => w.startsWith('\r\x1b[2K')).map((w) => w.slice('\r\x1b[2K'.length));
    expect(drawn).toHaveLength(2);
    for (const line of drawn) expect(displayWidth(line)).toBeLessThanOrEqual(79);
    expect(drawn[0]!.endsWith('…')).toBe(true);
    expect(drawn[1]).toMatch(/\] 2\/3 \d+ s, ~\d+ s left {2}张三: 12\/12 全部检查通过$/);
    // The bar is as wide as on an English line: the name does not shift it.
    expect(columnOf(drawn[0]!, ']')).toBe(columnOf(drawn[1]!, ']'));
  });
});
