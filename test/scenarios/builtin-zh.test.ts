import { describe, expect, it } from 'vitest';
import { checkHint, scenarioLesson, scenarioTitle } from '../../src/scenarios/localized.js';
import { listBuiltinScenarios } from '../../src/scenarios/load.js';

/**
 * Every built-in scenario teaches in Chinese as well as English. The English
 * stays the plain field (the golden `scenarios` output proves it unchanged); here: each title,
 * lesson and hint has its own zh-CN text, and the wire tokens a student types (reply codes,
 * commands, quoted code) survive the translation untouched.
 */

const HAN = /\p{Script=Han}/u;
/** Tokens that stay as they are on the wire (docs/i18n/GLOSSARY.md). */
const TOKENS =
  /\b(?:[2-5]\d\d|[2-5]\.\d\.\d+|HELO|EHLO|MAIL FROM|RCPT TO|DATA|QUIT|STARTTLS|AUTH (?:LOGIN|PLAIN)|CRLF)\b/g;
/** Quoted code and wire text in a hint, such as "\r\n.\r\n" or "220 ": kept byte-exact. */
const QUOTED = /"([^"\s][^"]*)"/g;

function tokens(text: string): string[] {
  return [...new Set(text.match(TOKENS) ?? [])].sort();
}

const scenarios = await listBuiltinScenarios();

describe('built-in scenarios in Chinese', () => {
  it('are all there', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(38);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s has a zh-CN title and lesson', (_id, s) => {
    const title = scenarioTitle(s, 'zh-CN');
    const lesson = scenarioLesson(s, 'zh-CN');
    expect(title).toMatch(HAN);
    expect(lesson).toMatch(HAN);
    expect(title).not.toBe(s.title);
    // English is what the plain fields and the English language give, unchanged.
    expect(scenarioTitle(s, 'en')).toBe(s.title);
    expect(scenarioLesson(s, 'en')).toBe(s.lesson);
    expect(s.title).not.toMatch(HAN);
    // Every reply code, status code and command the English lesson names is in the Chinese one.
    expect(tokens(lesson)).toEqual(expect.arrayContaining(tokens(s.lesson)));
  });

  const hinted = scenarios.flatMap((s) =>
    s.checks.filter((c) => c.hint !== undefined).map((c) => [`${s.id}/${c.id}`, c] as const),
  );

  it('have hints to translate', () => {
    expect(hinted.length).toBeGreaterThanOrEqual(60);
  });

  it.each(hinted)('%s has a zh-CN hint that keeps the wire tokens and quoted code', (_id, c) => {
    const zh = checkHint(c, 'zh-CN')!;
    expect(zh).toMatch(HAN);
    expect(checkHint(c, 'en')).toBe(c.hint);
    expect(tokens(zh)).toEqual(expect.arrayContaining(tokens(c.hint!)));
    const quoted = [...c.hint!.matchAll(QUOTED)].map((m) => m[1]!).filter((q) => !/^[a-z ]+$/.test(q));
    for (const q of quoted) expect(zh).toContain(`"${q}"`);
  });
});
