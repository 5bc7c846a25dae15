import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { Parser, type FinalResults } from 'tap-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { formatReports } from '../../src/grader/formats.js';
import type { GradeReport } from '../../src/grader/report.js';
import { gradeScenario } from '../../src/grader/run.js';
import type { Lang } from '../../src/i18n/lang.js';
import { loadScenarioFile } from '../../src/scenarios/load.js';
import { sharedCa } from '../helpers/lab-server.js';
import { CLASS_SCENARIO, PY_CLIENT } from './class.js';

/**
 * `grade --lang zh-CN` reports in Chinese in every format — headings, labels, the
 * run-level cause, the client test's name, the HTML page's lang — while everything a machine
 * reads (ids, scores, statuses, JSON keys, the JUnit and TAP structure, Gradescope's fields) is
 * the same as in English. Two broken Python students, graded for real in each language: one
 * crashes midway (after MAIL FROM, with a traceback), one crashes before it connects.
 */

// Functions passed to page.evaluate run in the browser: these are the page's, not Node's.
declare const document: any;
declare const DOMParser: any;
type Element = { attributes: Iterable<{ name: string; value: string }> };

const HAN = /\p{Script=Han}/u;

/** Greets and names the sender, then dies with a traceback: rcpt-to, data and quit are lost. */
const CRASH_MIDWAY = `${PY_CLIENT}cmd("HELO student")
cmd("MAIL FROM:<%s>" % os.environ["MAIL_FROM"])
raise RuntimeError("student bug: gave up after MAIL FROM")
`;
/** Dies before it ever connects. */
const CRASH_FIRST = `import os
raise ConnectionRefusedError(111, "Connection refused")
`;

let dir: string;
let browser: Browser;
const reports = {} as Record<Lang, GradeReport[]>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-report-lang-'));
  await writeFile(path.join(dir, 'class-basic.yaml'), CLASS_SCENARIO);
  await writeFile(path.join(dir, 'midway.py'), CRASH_MIDWAY);
  await writeFile(path.join(dir, 'first.py'), CRASH_FIRST);
  const scenario = await loadScenarioFile(path.join(dir, 'class-basic.yaml'));
  const ca = await sharedCa();
  const grade = (lang: Lang, file: string) =>
    gradeScenario(scenario, {
      command: ['python3', file],
      cwd: dir,
      timeoutMs: 15_000,
      ca,
      workDir: path.join(dir, `${lang}-${file}`),
      lang,
    });
  const [enMid, enFirst, zhMid, zhFirst] = await Promise.all([
    grade('en', 'midway.py'),
    grade('en', 'first.py'),
    grade('zh-CN', 'midway.py'),
    grade('zh-CN', 'first.py'),
  ]);
  reports.en = [enMid!, enFirst!];
  reports['zh-CN'] = [zhMid!, zhFirst!];
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const format = (lang: Lang, f: Parameters<typeof formatReports>[1]) =>
  formatReports(reports[lang], f, { lang });

describe('the runs', () => {
  it('are the broken students they should be, in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const [midway, first] = reports[lang];
      expect(midway!.diagnosis).toBeUndefined();
      expect(midway!.client.exitCode).toBe(1);
      expect(midway!.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['rcpt-to', 'data', 'quit']);
      expect(first!.diagnosis?.kind).toBe('crashed-before-connecting');
      expect(first!.score).toBe(0);
    }
  });
});

describe('json', () => {
  /** A report without its texts for people: what must not change with the language. */
  const machine = (r: GradeReport) => ({
    keys: Object.keys(r).sort(),
    scenario: r.scenario,
    score: r.score,
    maxScore: r.maxScore,
    diagnosis: r.diagnosis?.kind,
    client: { keys: Object.keys(r.client).sort(), exitCode: r.client.exitCode, timedOut: r.client.timedOut },
    checks: r.checks.map((c) => ({
      keys: Object.keys(c).sort(),
      id: c.id,
      tier: c.tier,
      applicable: c.applicable,
      passed: c.passed,
      points: c.points,
      maxPoints: c.maxPoints,
      evidence: c.evidence.length,
      notes: c.notes.length,
      hint: c.hint === null,
    })),
  });

  it('keeps every key, id, score and status; the cause and "not judged" are Chinese', () => {
    const en = JSON.parse(format('en', 'json')) as GradeReport[];
    const zh = JSON.parse(format('zh-CN', 'json')) as GradeReport[];
    expect(zh.map(machine)).toEqual(en.map(machine));
    expect(en[1]!.diagnosis!.text).toMatch(/^no connection reached the lab server on /);
    expect(zh[1]!.diagnosis!.text).toMatch(/^没有任何连接到达 \S+:\d+ 上的实验服务器/);
    expect(zh[1]!.diagnosis!.text).toContain(
      '它以退出码 1 退出：ConnectionRefusedError: [Errno 111] Connection refused',
    );
    for (const check of zh[1]!.checks.filter((c) => c.applicable)) {
      expect(check.notes).toEqual([`未评判：${zh[1]!.diagnosis!.text}`]);
    }
  });
});

describe('text', () => {
  const ENGLISH_LABELS = [
    'client: ',
    'cause: ',
    'client stderr:',
    'baseline:',
    'why: ',
    'hint: ',
    'score ',
    'total ',
  ];

  it('has Chinese headings and labels, and none of the English ones', () => {
    const en = format('en', 'text');
    const zh = format('zh-CN', 'text');
    // The English labels are there in English (so their absence below means something).
    for (const label of ENGLISH_LABELS) expect(en).toContain(label);
    for (const label of ENGLISH_LABELS) expect(zh).not.toContain(label);
    expect(zh).toContain('客户端：python3 midway.py（退出码 1）');
    expect(zh).toMatch(/^原因：没有任何连接到达 /m);
    expect(zh).toContain('客户端的错误输出（stderr）：\n  | Traceback (most recent call last):');
    expect(zh).toContain('\n基本：\n');
    expect(zh).toMatch(/^ {6}原因：/m);
    expect(zh).toMatch(/^ {6}提示：\S/m);
    expect(zh).toMatch(/^得分 2\/5$/m);
    expect(zh).toMatch(/^得分 0\/5$/m);
    expect(zh.trimEnd().split('\n').at(-1)).toBe('总分 2/10');
    // Check ids and points stay as they are.
    expect(zh).toMatch(/ \[rcpt-to, 0\/1\]$/m);
  });
});

describe('gradescope', () => {
  interface Results {
    score: number;
    output: string;
    output_format: string;
    test_output_format: string;
    tests: Array<{
      name: string;
      number: string;
      score: number;
      max_score: number;
      status: string;
      output: string;
      tags: string[];
    }>;
  }

  it('keeps the score fields, numbers and statuses; the Markdown and the outputs are Chinese', () => {
    const en = JSON.parse(format('en', 'gradescope')) as Results;
    const zh = JSON.parse(format('zh-CN', 'gradescope')) as Results;
    const fields = (r: Results) => ({
      keys: Object.keys(r).sort(),
      score: r.score,
      formats: [r.output_format, r.test_output_format],
      tests: r.tests.map(({ name: _n, output: _o, ...rest }) => ({
        ...rest,
        keys: Object.keys(rest).sort(),
      })),
    });
    expect(fields(zh)).toEqual(fields(en));
    expect(en.output).toContain('Cause: no connection reached');
    expect(zh.output).toContain('**class-basic**：2/5（退出码 1）');
    expect(zh.output).toContain('原因：没有任何连接到达');
    expect(zh.output).toContain('客户端的错误输出（stderr）：\n\n```\nTraceback');
    const client = zh.tests.find((t) => t.number === 'class-basic/client')!;
    expect(client.name).toBe('class-basic: 客户端进程运行到结束');
    const rcpt = zh.tests.find((t) => t.number === 'class-basic/rcpt-to' && t.status === 'failed')!;
    expect(rcpt.output).toMatch(/^提示：/m);
    expect(rcpt.output).not.toMatch(/^(why|hint|transcript) /m);
  });
});

describe('junit', () => {
  /** The XML as a browser's XML parser reads it: a parse error, or the suites and cases. */
  async function parseXml(xml: string) {
    const page = await browser.newPage();
    try {
      return await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const error = doc.querySelector('parsererror');
        if (error) return { error: error.textContent };
        const attrs = (el: Element) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
        return {
          root: attrs(doc.documentElement),
          suites: [...doc.querySelectorAll('testsuite')].map((suite) => ({
            attrs: attrs(suite),
            properties: [...suite.querySelectorAll('property')].map(attrs),
            cases: [...suite.querySelectorAll('testcase')].map((c) => ({
              name: c.getAttribute('name'),
              failure: c.querySelector('failure') && attrs(c.querySelector('failure')!),
              error: c.querySelector('error') && attrs(c.querySelector('error')!),
            })),
          })),
        };
      }, xml);
    } finally {
      await page.close();
    }
  }

  it('parses as XML with the same suites, counts, properties and failure types as English', async () => {
    const en = await parseXml(format('en', 'junit'));
    const zh = await parseXml(format('zh-CN', 'junit'));
    expect(en.error).toBeUndefined();
    expect(zh.error).toBeUndefined();
    const structure = (doc: typeof en) => ({
      root: doc.root,
      suites: doc.suites!.map((s) => ({
        attrs: s.attrs,
        properties: s.properties,
        cases: s.cases.map((c) => ({
          id: /\[([a-z-]+)\]$/.exec(c.name ?? '')?.[1],
          failure: c.failure?.type,
          error: c.error?.type,
        })),
      })),
    });
    // Everything a CI reads is the same, time included (the same runs' durations are not: mask).
    const masked = (doc: typeof en) => {
      const s = structure(doc);
      for (const suite of s.suites) delete (suite.attrs as Record<string, string>).time;
      return s;
    };
    expect(masked(zh)).toEqual(masked(en));
    const [midway, first] = zh.suites!;
    expect(midway!.cases.at(-1)!.name).toBe('客户端进程运行到结束 [client]');
    expect(midway!.cases.at(-1)!.error).toMatchObject({
      type: 'crash',
      message: '退出码 1：RuntimeError: student bug: gave up after MAIL FROM',
    });
    expect(first!.cases.at(-1)!.error!.message).toMatch(/^没有任何连接到达 /);
    expect(first!.cases[0]!.failure!.message).toMatch(/^未评判：没有任何连接到达 /);
  });
});

describe('tap', () => {
  type Assert = { ok: boolean; id: number; name: string; diag?: Record<string, unknown> };
  async function parseTap(
    tap: string,
  ): Promise<{ results: FinalResults; asserts: Assert[]; comments: string[] }> {
    const asserts: Assert[] = [];
    const comments: string[] = [];
    const results = await new Promise<FinalResults>((resolve) => {
      const parser = new Parser(resolve);
      parser.on('assert', (a: Assert) => asserts.push(a));
      parser.on('comment', (c: string) => comments.push(c));
      parser.end(tap);
    });
    return { results, asserts, comments };
  }

  it('parses with the same plan, verdicts and severities as English; names and messages are Chinese', async () => {
    const en = await parseTap(format('en', 'tap'));
    const zh = await parseTap(format('zh-CN', 'tap'));
    expect(zh.results.failures.filter((f) => f.tapError)).toEqual([]);
    for (const key of ['ok', 'count', 'pass', 'fail', 'plan'] as const) {
      expect(zh.results[key]).toEqual(en.results[key]);
    }
    const verdicts = (p: typeof en) =>
      p.asserts.map((a) => ({
        ok: a.ok,
        id: a.id,
        check: /\[([a-z-]+)\]$/.exec(a.name)?.[1],
        diag: a.diag && Object.keys(a.diag).sort(),
        severity: a.diag?.severity,
        points: a.diag?.points,
      }));
    expect(verdicts(zh)).toEqual(verdicts(en));
    const client = zh.asserts.filter((a) => a.name.endsWith('[client]'));
    expect(client.map((a) => a.name)).toEqual([
      'class-basic: 客户端进程运行到结束 [client]',
      'class-basic: 客户端进程运行到结束 [client]',
    ]);
    expect(client[0]!.diag).toMatchObject({
      message: '退出码 1：RuntimeError: student bug: gave up after MAIL FROM',
      exit: '退出码 1',
    });
    expect(String(client[1]!.diag!.message)).toMatch(/^没有任何连接到达 /);
    expect(zh.comments.map((c) => c.trim())).toEqual([
      '# class-basic：得分 2/5',
      '# class-basic：得分 0/5',
      '# 得分 2/10',
    ]);
  });

  it("is TAP that Perl's prove parses", async () => {
    const file = path.join(dir, 'report-zh.tap');
    const output = format('zh-CN', 'tap');
    await writeFile(file, output);
    const prove = spawnSync('prove', ['--exec', 'cat', file], { encoding: 'utf8' });
    const failed = (output.match(/^not ok /gm) ?? []).length;
    const total = (output.match(/^(ok|not ok) /gm) ?? []).length;
    expect(prove.stdout).not.toContain('Parse errors');
    expect(prove.stdout).toContain(`Failed ${failed}/${total} subtests`);
  });
});

describe('html', () => {
  async function read(lang: Lang) {
    const file = path.join(dir, `report-${lang}.html`);
    await writeFile(file, format(lang, 'html'));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const seen = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title,
        h1: document.querySelector('h1')!.textContent,
        summary: document.querySelector('main > p.dim')!.textContent,
        h3: [...document.querySelectorAll('h3')].map((h) => h.textContent),
        clientLines: [...document.querySelectorAll('.client-line')].map((d) => d.textContent),
        causes: [...document.querySelectorAll('.cause')].map((p) => p.textContent),
        none: [...document.querySelectorAll('p.none')].map((p) => p.textContent),
        sessionTitles: [...document.querySelectorAll('.session-title')].map((d) => d.textContent),
        checks: [...document.querySelectorAll('li.check')].map((li) => [
          li.className,
          li.querySelector('.check-id')!.textContent,
        ]),
        scores: [...document.querySelectorAll('.score')].map((s) => s.textContent),
      }));
      return { ...seen, errors };
    } finally {
      await page.close();
    }
  }

  it("declares its language and says its headings in it; the checks and scores are English's", async () => {
    const en = await read('en');
    const zh = await read('zh-CN');
    expect(en.errors).toEqual([]);
    expect(zh.errors).toEqual([]);
    expect(en.lang).toBe('en');
    expect(zh.lang).toBe('zh-CN');
    expect(zh.checks).toEqual(en.checks);
    expect(zh.scores).toEqual(en.scores);
    expect(en.h1).toBe('Grade report 2/10');
    expect(zh.h1).toBe('评分报告 2/10');
    expect(zh.title).toBe('smtp-lab 评分报告：class-basic, class-basic');
    expect(zh.summary).toBe('2 个场景：class-basic 2/5 · class-basic 0/5');
    expect(zh.h3).toEqual([
      '检查项',
      '客户端的输出（stdout）',
      '客户端的错误输出（stderr）',
      '检查项',
      '客户端的输出（stdout）',
      '客户端的错误输出（stderr）',
    ]);
    expect(zh.clientLines).toEqual([
      '客户端：python3 midway.py（退出码 1）',
      '客户端：python3 first.py（退出码 1）',
    ]);
    // The run that never connected says why, once, in the page's language.
    expect(en.causes).toEqual([`cause: ${reports.en[1]!.diagnosis!.text}`]);
    expect(zh.causes).toEqual([`原因：${reports['zh-CN'][1]!.diagnosis!.text}`]);
    expect(zh.none).toEqual(expect.arrayContaining(['客户端从未连接到实验服务器。', '（无）']));
    expect(zh.sessionTitles).toHaveLength(1);
    expect(zh.sessionTitles[0]).toMatch(/^第 1 段对话（共 1 段）：会话 \S+ · \d+ 行 · \d+\.\d\d 秒$/);
    // Nothing of the page's own English is left.
    const text = JSON.stringify(zh);
    for (const english of [
      'Grade report',
      'Checks',
      'Client output',
      'Client errors',
      'Conversation',
      'client:',
      '(nothing)',
    ]) {
      expect(text).not.toContain(english);
    }
    expect(zh.h1).toMatch(HAN);
  });
});
