import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

function help(env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [BIN, '--help'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('smtp-lab --help', () => {
  it('prints the text saved at build time, identical to what the parser itself prints', () => {
    const saved = help();
    const parsed = help({ SMTP_LAB_NO_HELP_CACHE: '1' });
    expect(saved).toBe(parsed);
    for (const command of [
      'demo',
      'serve',
      'send',
      'explain',
      'scenarios',
      'lab',
      'grade',
      'grade-all',
      'record',
    ]) {
      expect(saved).toMatch(new RegExp(`^  smtp-lab ${command}\\b`, 'm'));
    }
  });
});
