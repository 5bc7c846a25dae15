import { describe, expect, it } from 'vitest';
import { frameRunSession } from '../../src/grader/checks/context.js';
import { formatReports } from '../../src/grader/formats.js';
import { REPORT_LIMITS, reportSession } from '../../src/grader/guard.js';
import type { GradeReport } from '../../src/grader/report.js';
import type { LabSession } from '../../src/server/index.js';
import { c, s, transcriptOf } from '../transcript/helpers.js';

/**
 * How a client ended, and the run's other facts, as each format says them: English exactly as
 * the reports printed before the catalogue (the goldens cover only a clean exit), and Chinese
 * for the same report. Reports are made here, so every way a client ends is covered without
 * running one.
 */

function report(client: Partial<GradeReport['client']>, extra: Partial<GradeReport> = {}): GradeReport {
  return {
    scenario: 'basic',
    title: 'The exchange',
    client: {
      command: 'python3 c.py',
      exitCode: 0,
      signal: null,
      timedOut: false,
      durationMs: 20_000,
      stdout: '',
      stderr: '',
      stderrTail: '',
      truncated: false,
      ...client,
    },
    score: 1,
    maxScore: 2,
    checks: [
      {
        id: 'quit',
        title: 'QUIT',
        tier: 'baseline',
        passed: false,
        applicable: true,
        points: 0,
        maxPoints: 1,
        evidence: [],
        notes: ['QUIT was never sent'],
        hint: 'Send QUIT.',
      },
      {
        id: 'greets',
        title: 'HELO',
        tier: 'robustness',
        passed: true,
        applicable: true,
        points: 1,
        maxPoints: 1,
        evidence: [],
        notes: [],
        hint: null,
      },
    ],
    transcript: { sessions: [] },
    ...extra,
  };
}

const CASES = [
  {
    name: 'killed at the time limit, sandboxed',
    report: report({ exitCode: null, signal: 'SIGKILL', timedOut: true, sandboxed: true }),
    en: 'client: python3 c.py  (killed at the time limit (20.0 s), sandboxed)',
    zh: '客户端：python3 c.py（到达时间限制被终止（20.0 秒），在沙箱中运行）',
  },
  {
    name: 'killed for a flood',
    report: report({ exitCode: null, signal: 'SIGKILL', flooded: 'opened more than 64 connections' }),
    en: 'client: python3 c.py  (killed: opened more than 64 connections)',
    zh: '客户端：python3 c.py（被终止：opened more than 64 connections）',
  },
  {
    name: 'killed by a signal',
    report: report({ exitCode: null, signal: 'SIGSEGV' }),
    en: 'client: python3 c.py  (killed by SIGSEGV)',
    zh: '客户端：python3 c.py（被信号 SIGSEGV 终止）',
  },
  {
    name: 'an exit status',
    report: report({ exitCode: 3 }),
    en: 'client: python3 c.py  (exit 3)',
    zh: '客户端：python3 c.py（退出码 3）',
  },
];

describe("the client's end in each language", () => {
  it.each(CASES)('$name: the text report', ({ report: r, en, zh }) => {
    expect(formatReports([r], 'text').split('\n')[1]).toBe(en);
    expect(formatReports([r], 'text', { lang: 'zh-CN' }).split('\n')[1]).toBe(zh);
  });

  it('a timeout is an error of the client test, its words in the language, its type not', () => {
    const r = CASES[0]!.report;
    const en = formatReports([r], 'junit');
    const zh = formatReports([r], 'junit', { lang: 'zh-CN' });
    expect(en).toContain('<error message="killed at the time limit (20.0 s)" type="timeout"></error>');
    expect(zh).toContain('<error message="到达时间限制被终止（20.0 秒）" type="timeout"></error>');
    expect(formatReports([r], 'tap')).toContain('  exit: "killed at the time limit (20.0 s)"');
    expect(formatReports([r], 'tap', { lang: 'zh-CN' })).toContain('  exit: "到达时间限制被终止（20.0 秒）"');
  });
});

describe('the text report in each language', () => {
  it('headings, labels, the tampering line and the total', () => {
    const tampered = report(
      {},
      {
        tampered: [
          {
            id: 'm1',
            file: '/mail/m1.eml',
            expectedSha256: 'a'.repeat(64),
            foundSha256: 'b'.repeat(64),
            recovered: true,
          },
        ],
      },
    );
    const two = [tampered, report({})];
    expect(formatReports(two, 'text')).toBe(
      [
        '== basic: The exchange  1/2',
        'client: python3 c.py  (exit 0)',
        '*** tampering: /mail/m1.eml was changed after the server stored it (sha256 bbbbbbbbbbbbbbbb, stored aaaaaaaaaaaaaaaa); judged from what the server received',
        'baseline:',
        '  ✗ QUIT [quit, 0/1]',
        '      why: QUIT was never sent',
        '      hint: Send QUIT.',
        'robustness:',
        '  ✓ HELO [greets, 1/1]',
        'score 1/2',
        '',
        '== basic: The exchange  1/2',
        'client: python3 c.py  (exit 0)',
        'baseline:',
        '  ✗ QUIT [quit, 0/1]',
        '      why: QUIT was never sent',
        '      hint: Send QUIT.',
        'robustness:',
        '  ✓ HELO [greets, 1/1]',
        'score 1/2',
        '',
        'total 2/4',
        '',
      ].join('\n'),
    );
    const zh = formatReports(two, 'text', { lang: 'zh-CN' });
    expect(zh.split('\n').slice(0, 10)).toEqual([
      '== basic: The exchange  1/2',
      '客户端：python3 c.py（退出码 0）',
      '*** 篡改：/mail/m1.eml 在服务器保存之后被改动过（sha256 bbbbbbbbbbbbbbbb，保存时为 aaaaaaaaaaaaaaaa）；按服务器收到的内容评判',
      '基本：',
      '  ✗ QUIT [quit, 0/1]',
      '      原因：QUIT was never sent',
      '      提示：Send QUIT.',
      '健壮性：',
      '  ✓ HELO [greets, 1/1]',
      '得分 1/2',
    ]);
    expect(zh.trimEnd().split('\n').at(-1)).toBe('总分 2/4');
  });

  it("a note of several lines stays under its first line's text, by display width", () => {
    const r = report({});
    r.checks[0]!.notes = ['first\nsecond'];
    expect(formatReports([r], 'text')).toContain('      why: first\n           second\n');
    // "原因：" is three wide characters: six columns, so the next line starts at column 12.
    expect(formatReports([r], 'text', { lang: 'zh-CN' })).toContain(
      '      原因：first\n            second\n',
    );
  });
});

describe('a huge session in a report', () => {
  it("says how many lines it left out, in the run's language", async () => {
    const steps = Array.from({ length: REPORT_LIMITS.lines }, () => [c('NOOP\r\n'), s('250 OK\r\n')]).flat();
    const { items } = frameRunSession('s1', transcriptOf(steps).events);
    // A session as reportSession reads it: its items, no transcript file to stream events from.
    const session = { id: 's1', items } as unknown as LabSession;
    const en = await reportSession(session, [], 'en');
    const zh = await reportSession(session, [], 'zh-CN');
    expect(en.lines).toHaveLength(REPORT_LIMITS.lines + 1);
    // Two rendered lines an exchange: twice the limit, so as many again are left out.
    const more = REPORT_LIMITS.lines;
    expect(en.lines.at(-1)).toBe(`=== ${more} more lines left out of this report`);
    expect(zh.lines.at(-1)).toBe(`=== 本报告省略了其余 ${more} 行`);
    expect(zh.lines.slice(0, -1)).toEqual(en.lines.slice(0, -1));
  });
});
