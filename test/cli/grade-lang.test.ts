import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, CLIENTS } from '../grader/helpers.js';

/**
 * `grade --lang zh-CN` gives the scenario title, check titles and hints in
 * Chinese, and nothing a machine reads (ids, statuses, points, scores, JSON keys, exit code)
 * depends on the language. The client is a real broken Python student program (bare LF line
 * ends, "\n.\n" as the terminator, so it never sees the 250 and is killed at the time limit),
 * graded over real sockets by the built CLI.
 */

const HAN = /\p{Script=Han}/u;

/**
 * The built CLI with no language in its environment. Asynchronous, so that the runs of a test
 * (and the tests, `describe.concurrent`) wait out the client's 3 s time limit side by side
 * instead of one after another: each run is still its own process with its own lab server.
 */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'SMTP_LAB_LANG']) delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

function grade(lang: string, format: string) {
  return run(
    ['grade', '--lang', lang, '-s', 'basic', '--timeout', '3', '--format', format, '--'].concat([
      'python3',
      path.join(CLIENTS, 'lf_dot_terminator.py'),
    ]),
  );
}

interface Check {
  id: string;
  title: string;
  passed: boolean;
  applicable: boolean;
  points: number;
  maxPoints: number;
  hint: string | null;
  notes: string[];
  evidence: unknown[];
}
interface Report {
  scenario: string;
  title: string;
  score: number;
  maxScore: number;
  checks: Check[];
}

/** A report without its texts for people: what must not change with the language. */
function machine(r: Report) {
  return {
    keys: Object.keys(r).sort(),
    scenario: r.scenario,
    score: r.score,
    maxScore: r.maxScore,
    checks: r.checks.map(({ title: _t, hint, notes: _n, evidence: _e, ...rest }: Check) => ({
      ...rest,
      keys: Object.keys(rest).sort(),
      hasHint: hint !== null,
    })),
  };
}

describe.concurrent('grade --lang zh-CN', () => {
  it('gives Chinese titles and hints with the same ids, statuses and scores as English', async () => {
    const [en, zh] = await Promise.all([grade('en', 'json'), grade('zh-CN', 'json')]);
    expect(en.status).toBe(1);
    expect(zh.status).toBe(1);
    const [enReport] = JSON.parse(en.stdout) as Report[];
    const [zhReport] = JSON.parse(zh.stdout) as Report[];
    expect(machine(zhReport!)).toEqual(machine(enReport!));

    // The client is broken: some checks fail, with hints (from the scenario file: crlf; the
    // check's default: quit), and the run still scores something.
    const failed = zhReport!.checks.filter((c) => !c.passed).map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['crlf', 'data-terminator', 'quit']));
    expect(zhReport!.score).toBeGreaterThan(0);
    expect(zhReport!.score).toBeLessThan(zhReport!.maxScore);

    expect(enReport!.title).toBe("The assignment's exchange, in plaintext");
    expect(zhReport!.title).toBe('作业中的交互过程，明文');
    const en1 = new Map(enReport!.checks.map((c) => [c.id, c]));
    for (const c of zhReport!.checks) {
      expect(c.title).toMatch(HAN);
      expect(en1.get(c.id)!.title).not.toMatch(HAN);
      if (!c.passed) {
        expect(c.hint).toMatch(HAN);
        expect(en1.get(c.id)!.hint).not.toMatch(HAN);
      }
    }
    const byId = new Map(zhReport!.checks.map((c) => [c.id, c]));
    expect(byId.get('crlf')!.hint).toBe(
      '每条命令和邮件的每一行都以 "\\r\\n" 结尾；单独的 "\\n" 不是 SMTP 的行尾。',
    );
    expect(byId.get('quit')!.hint).toBe('发送 "QUIT\\r\\n"，在关闭套接字之前读取 "221"。');
    expect(en1.get('quit')!.hint).toBe('Send "QUIT\\r\\n" and read the "221" before closing the socket.');

    // Phase 2b: what the judges wrote (notes, and the captions after "<-" on evidence lines) too.
    for (const id of ['crlf', 'data-terminator', 'quit']) {
      const check = byId.get(id)!;
      const captions = (check.evidence as Array<{ text: string }>).flatMap(({ text }) =>
        text.includes('  <- ') ? [text.slice(text.lastIndexOf('  <- ') + 5)] : [],
      );
      expect(check.notes.length + captions.length, id).toBeGreaterThan(0);
      for (const said of [...check.notes, ...captions]) expect(said, `${id}: ${said}`).toMatch(HAN);
    }
  });

  it('prints the Chinese titles in the text report, check ids untouched', async () => {
    const zh = await grade('zh-CN', 'text');
    expect(zh.status).toBe(1);
    expect(zh.stdout).toContain('basic: 作业中的交互过程，明文');
    expect(zh.stdout).toMatch(/每一行都以 CRLF 结尾 \[crlf, 0\/\d+\]/);
    expect(zh.stdout).toContain('用 "\\r\\n.\\r\\n" 结束邮件：句点单独占一行。');
    // The report's own headings and labels too: --lang reaches the formatter.
    expect(zh.stdout).toMatch(
      /^客户端：python3 \S+lf_dot_terminator\.py（到达时间限制被终止（\d+\.\d 秒））$/m,
    );
    expect(zh.stdout).toContain('\n基本：\n');
    expect(zh.stdout).toMatch(/^ {6}提示：/m);
    expect(zh.stdout).toMatch(/^得分 \d+\/\d+$/m);
    expect(zh.stdout).not.toMatch(/^(client|cause|baseline|score)\b|^ {6}(why|hint|note):/m);
  });
});

describe.concurrent('checks --lang zh-CN', () => {
  async function checks(...args: string[]) {
    const r = await run(['checks', ...args]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  }

  it('lists Chinese titles, judges and tiers, ids in ASCII and aligned as in English', async () => {
    const [zh, en] = await Promise.all([checks('--lang', 'zh-CN'), checks()]);
    expect(zh).toContain('waits-for-greeting         发送之前先等待 220 问候（基本）\n');
    expect(zh).toContain('判定依据：');
    expect(zh).not.toMatch(/judges |baseline|A scenario lists/);
    expect(zh.trimEnd().split('\n').at(-1)).toMatch(/^共 \d+ 个检查项。/);
    // The same ids, in the same order, starting each row at column 0 in both languages.
    const ids = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^[a-z]/.test(l))
        .map((l) => l.split(' ')[0]);
    expect(ids(zh)).toEqual(ids(en));
  });

  it('--json keeps ids, tiers and keys; only the texts change', async () => {
    const [enText, zhText] = await Promise.all([checks('--json'), checks('--json', '--lang', 'zh-CN')]);
    const en = JSON.parse(enText) as Array<Record<string, string>>;
    const zh = JSON.parse(zhText) as Array<Record<string, string>>;
    expect(zh.map((r) => [r.id, r.tier, Object.keys(r)])).toEqual(
      en.map((r) => [r.id, r.tier, Object.keys(r)]),
    );
    for (const r of zh) for (const k of ['title', 'judges', 'hint']) expect(r[k]).toMatch(HAN);
  });
});
