import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenarios/load.js';
import { checkHint, scenarioLesson, scenarioTitle } from '../../src/scenarios/localized.js';

const CHECKS = 'checks:\n  - id: greets\n    points: 1\n';

function issues(text: string) {
  try {
    parseScenario(text, 'lab.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).errors;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario texts in two languages', () => {
  it('keeps a plain string valid and the same in every language, with no extra fields', () => {
    const s = parseScenario(`id: lab\ntitle: A lab\nlesson: Learn it.\n${CHECKS}`, 'lab.yaml');
    expect(s.localized).toBeUndefined();
    expect(s.checks[0]).not.toHaveProperty('hints');
    expect(scenarioTitle(s, 'zh-CN')).toBe('A lab');
    expect(scenarioLesson(s, 'en')).toBe('Learn it.');
  });

  it('reads {en, zh-CN} for title, lesson and hints; the plain field keeps English', () => {
    const text = [
      'id: lab',
      'title: { en: The exchange, zh-CN: 基本交互 }',
      'lesson:',
      '  en: Wait for each reply.',
      '  zh-CN: |',
      '    每条命令都要等到应答。',
      'checks:',
      '  - id: greets',
      '    points: 1',
      '    hint: { en: Say EHLO., zh-CN: 先发送 EHLO。 }',
      '  - id: quit',
      '    points: 1',
      '    hint: Send QUIT.',
      '',
    ].join('\n');
    const s = parseScenario(text, 'lab.yaml');
    expect(s.title).toBe('The exchange');
    expect(s.lesson).toBe('Wait for each reply.');
    expect(scenarioTitle(s, 'zh-CN')).toBe('基本交互');
    expect(scenarioLesson(s, 'zh-CN')).toBe('每条命令都要等到应答。');
    expect(scenarioLesson(s, 'en')).toBe('Wait for each reply.');
    expect(s.checks[0]!.hint).toBe('Say EHLO.');
    expect(checkHint(s.checks[0]!, 'zh-CN')).toBe('先发送 EHLO。');
    expect(checkHint(s.checks[1]!, 'zh-CN')).toBe('Send QUIT.');
  });

  it('falls back to the one language a file gives', () => {
    const s = parseScenario(
      `id: lab\ntitle: { zh-CN: 基本交互 }\nlesson: { en: Learn it. }\n${CHECKS}`,
      'lab.yaml',
    );
    expect(s.title).toBe('基本交互');
    expect(scenarioTitle(s, 'en')).toBe('基本交互');
    expect(scenarioLesson(s, 'zh-CN')).toBe('Learn it.');
  });

  it('reports problems at the field, naming the language key', () => {
    expect(issues(`id: lab\ntitle: { zh: 基本 }\nlesson: l\n${CHECKS}`)).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'title.zh',
        message: 'unknown key "zh" (expected one of: en, zh-CN)',
      }),
    ]);
    expect(issues(`id: lab\ntitle: {}\nlesson: l\n${CHECKS}`)).toEqual([
      expect.objectContaining({ line: 2, field: 'title', message: expect.stringContaining('empty mapping') }),
    ]);
    expect(issues(`id: lab\ntitle: t\nlesson:\n  en: ok\n  zh-CN: "  "\n${CHECKS}`)).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'lesson.zh-CN',
        message: expect.stringContaining('is empty'),
      }),
    ]);
    expect(
      issues(`id: lab\ntitle: t\nlesson: l\nchecks:\n  - { id: greets, points: 1, hint: [a] }\n`),
    ).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'checks[0].hint',
        message: expect.stringContaining('not a string'),
      }),
    ]);
  });
});
