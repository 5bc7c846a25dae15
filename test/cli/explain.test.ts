import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (`npm test` builds first).
const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'explain', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('smtp-lab explain', () => {
  it('explains 535', () => {
    const { status, stdout, stderr } = cli('535');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('Authentication credentials invalid');
    expect(stdout).toContain('RFC 4954 §6');
    expect(stdout).toContain('Next: give up');
  });

  it('explains 5.7.8 and "550 5.1.1", also given as two words', () => {
    expect(cli('5.7.8').stdout).toContain('Enhanced 5.7.8: Authentication credentials invalid');
    for (const args of [['550 5.1.1'], ['550', '5.1.1']]) {
      const { status, stdout } = cli(...args);
      expect(status).toBe(0);
      expect(stdout).toContain('Bad destination mailbox address');
      expect(stdout).toContain('give up on this recipient, continue with the others');
    }
  });

  it('prints JSON with --json', () => {
    const { status, stdout } = cli('550 5.1.1', '--json');
    expect(status).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed).toMatchObject({
      query: '550 5.1.1',
      next: 'skip-recipient',
      reply: { code: 550, known: true },
      enhanced: { code: '5.1.1', known: true },
    });
  });

  it('exits 2 with a clear message for an invalid code', () => {
    const { status, stdout, stderr } = cli('abc');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/smtp-lab explain: "abc" is not a reply code: expected a basic reply code/);
  });

  it("in zh-CN, the error line starts with 'smtp-lab explain：' as every zh error starts with 'smtp-lab：'", () => {
    const zh = cli('abc', '--lang', 'zh-CN');
    expect(zh.status).toBe(2);
    expect(zh.stderr).toMatch(/^smtp-lab explain："abc" 不是响应码：[^\n]+\n$/);
    // English as it always was (the golden usage-explain-999.txt guards it byte for byte).
    expect(cli('abc', '--lang', 'en').stderr).toMatch(/^smtp-lab explain: "abc" is not a reply code: /);
  });

  it('exits 2 when no code is given', () => {
    const { status, stderr } = cli();
    expect(status).toBe(2);
    expect(stderr).toMatch(/Not enough non-option arguments/);
  });
});
