import { describe, expect, it } from 'vitest';
import { CHECK_IDS, CHECKS, checkText } from '../../src/grader/checks.js';
import { CHECK_TEXT_ZH } from '../../src/grader/checks/zh-CN.js';

/**
 * Check texts in zh-CN (issue 11, phase 2a): the typed table gives every check a Chinese title,
 * "judges" line and default hint (a missing id fails the type check; an extra one fails here),
 * English stays the registry's text, and the wire tokens and quoted code survive translation.
 */

const HAN = /\p{Script=Han}/u;
const TOKENS =
  /\b(?:[2-5]\d\d|[2-5]xx|HELO|EHLO|MAIL FROM|RCPT TO|MAIL|RCPT|DATA|QUIT|STARTTLS|AUTH(?: LOGIN| PLAIN)?|CRLF|RFC \d+|MAIL_FROM|RCPT_TO|IMAGE_FILE)\b/g;
/** Quoted code and wire text ("\r\n.\r\n", "221"), kept byte-exact. */
const QUOTED = /"([^"]+)"/g;

function tokens(text: string): string[] {
  return [...new Set(text.match(TOKENS) ?? [])].sort();
}

describe('check texts in Chinese', () => {
  it('cover exactly the registered checks', () => {
    expect(Object.keys(CHECK_TEXT_ZH).sort()).toEqual([...CHECK_IDS].sort());
  });

  it('keep English as the registry has it', () => {
    for (const id of CHECK_IDS) {
      const { title, judges, hint } = CHECKS[id];
      expect(checkText(id)).toEqual({ title, judges, hint });
      expect(checkText(id, 'en')).toEqual({ title, judges, hint });
    }
  });

  it.each([...CHECK_IDS])('%s: Chinese title, judges and hint keeping the tokens and quoted code', (id) => {
    const en = checkText(id, 'en');
    const zh = checkText(id, 'zh-CN');
    for (const field of ['title', 'judges', 'hint'] as const) {
      expect(zh[field], field).toMatch(HAN);
      expect(en[field], field).not.toMatch(HAN);
      expect(tokens(zh[field]), field).toEqual(expect.arrayContaining(tokens(en[field])));
    }
    for (const [, quoted] of en.hint.matchAll(QUOTED)) {
      if (/^[a-z ]+$/.test(quoted!)) continue; // English prose in quotes ("try again later") is translated
      expect(zh.hint).toContain(`"${quoted}"`);
    }
  });
});
