import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (`npm test` builds first).
const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

/** The CLI with a clean language environment plus `env`. */
function cli(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'SMTP_LAB_LANG']) delete base[name];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('--lang, SMTP_LAB_LANG and the locale', () => {
  it('explain 535 --lang zh-CN speaks Chinese from the first line to the last', () => {
    const { status, stdout, stderr } = cli(['explain', '535', '--lang', 'zh-CN']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('535  认证凭据无效');
    expect(stdout).toContain('下一步：放弃');
    expect(stdout).toContain('授权码');
    expect(stdout).not.toMatch(/Reply|Next:|Sources:|meaning/);
  });

  it('follows LANG=zh_CN.UTF-8, and SMTP_LAB_LANG over the locale', () => {
    expect(cli(['explain', '535'], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('认证凭据无效');
    expect(cli(['explain', '535'], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }).stdout).toContain(
      '认证凭据无效',
    );
    expect(cli(['explain', '535'], { SMTP_LAB_LANG: 'en', LANG: 'zh_CN.UTF-8' }).stdout).toContain(
      'Authentication credentials invalid',
    );
    expect(cli(['explain', '535'], { SMTP_LAB_LANG: 'zh-CN' }).stdout).toContain('认证凭据无效');
  });

  it('--lang beats the locale and SMTP_LAB_LANG', () => {
    const english = cli(['explain', '535', '--lang', 'en'], { LANG: 'zh_CN.UTF-8', SMTP_LAB_LANG: 'zh-CN' });
    expect(english.stdout).toBe(cli(['explain', '535']).stdout);
    expect(english.stdout).toContain('Authentication credentials invalid');
    expect(cli(['explain', '535', '--lang', 'zh-CN'], { LANG: 'en_US.UTF-8' }).stdout).toContain(
      '认证凭据无效',
    );
  });

  it('an unknown --lang or SMTP_LAB_LANG is a usage error: one line, exit 2, nothing on stdout', () => {
    for (const run of [
      cli(['explain', '535', '--lang', 'fr']),
      cli(['explain', '535'], { SMTP_LAB_LANG: 'fr' }),
    ]) {
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/"fr" is not a language \(expected one of: en, zh-CN\)/);
    }
    const zh = cli(['explain', '535', '--lang', 'fr'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe('smtp-lab：--lang "fr" 不是可用的语言（可选：en, zh-CN）\n');
  });

  it('machine-read fields of --json do not change with the language', () => {
    const zh = JSON.parse(cli(['explain', '550 5.1.1', '--json', '--lang', 'zh-CN']).stdout);
    const en = JSON.parse(cli(['explain', '550 5.1.1', '--json']).stdout);
    const machine = (e: typeof en) => ({
      query: e.query,
      next: e.next,
      refs: e.refs,
      reply: { code: e.reply.code, known: e.reply.known, contexts: e.reply.contexts },
      enhanced: { code: e.enhanced.code, known: e.enhanced.known },
      keys: Object.keys(e),
    });
    expect(machine(zh)).toEqual(machine(en));
    expect(zh.title).toBe('邮箱不可用：收件人邮箱地址错误');
    const bad = cli(['explain', 'abc', '--json', '--lang', 'zh-CN']);
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('ERR_REPLY_CODE_SYNTAX');
  });

  it('scenarios --lang zh-CN prints the footer in Chinese, the ids unchanged', () => {
    const zh = cli(['scenarios', '--lang', 'zh-CN']);
    const en = cli(['scenarios']);
    expect(zh.status).toBe(0);
    expect(zh.stdout).toMatch(/共 \d+ 个场景。运行其中一个：smtp-lab lab <id>\n$/);
    const ids = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^\S/.test(l))
        .map((l) => l.split(' ')[0]);
    expect(ids(zh.stdout).slice(0, -1)).toEqual(ids(en.stdout).slice(0, -1));
  });
});
