import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_DELAY_MS,
  MAX_PATTERN_LENGTH,
  MAX_POINTS,
  MAX_SCENARIO_BYTES,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  type ScenarioIssue,
} from '../../src/scenarios/load.js';
import { MAX_ALIAS_NODES, MAX_PROBLEMS } from '../../src/scenarios/checker.js';
import { RuleBook } from '../../src/server/rules.js';

/**
 * A scenario file cannot make the loader or the server spend unbounded time, nor make a score
 * meaningless: alias bombs, timers Node.js cannot hold, catastrophic regular expressions and
 * astronomical points are each refused with a positioned error.
 */

const HEAD = 'id: lab\ntitle: &t A lab\nlesson: Something worth learning.\n';
const CHECKS = 'checks:\n  - { id: greets, points: 1 }\n';
const withExtra = (extra: string): string => `${HEAD}${extra}${CHECKS}`;

function problems(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'lab.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.errors;
    throw e;
  }
  throw new Error('expected a ScenarioError, the scenario was accepted');
}

/** Line and column (1-based) of the first occurrence of `needle` at or after `from`. */
function at(text: string, needle: string, from = 0): { line: number; column: number } {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`no ${JSON.stringify(needle)}`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

describe('YAML aliases', () => {
  it('16,000 aliases in a 64 KB file: refused at the alias that crosses the bound, not walked for minutes', () => {
    const aliases = Array<string>(16_000).fill('*t').join(', ');
    const text = withExtra(`rules:\n  - { when: rcpt, reply: { code: 550, text: [${aliases}] } }\n`);
    expect(text.length).toBeGreaterThan(60_000);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]!.field).toBe(`rules[0].reply.text[${MAX_ALIAS_NODES}]`);
    expect(found[0]!.message).toContain('too many values reached through aliases');
    // The alias that crossed the bound: the (MAX_ALIAS_NODES + 1)th "*t" on that line.
    const line = text.split('\n')[4]!;
    let column = -1;
    for (let i = 0; i <= MAX_ALIAS_NODES; i++) column = line.indexOf('*t', column + 1);
    expect({ line: found[0]!.line, column: found[0]!.column }).toEqual({ line: 5, column: column + 1 });
  });

  it('nested aliases (a billion-laughs shape) are charged for what they expand to', () => {
    const inner = Array<string>(200).fill('*t').join(', ');
    const outer = Array<string>(200).fill('*r').join(', ');
    const text = withExtra(
      `rules:\n  - &r { when: rcpt, reply: { code: 550, text: [${inner}] } }\nfaults: [${outer}]\n`,
    );
    const found = problems(text).filter((p) => p.message.includes('through aliases'));
    expect(found).toHaveLength(1);
  });

  it('an alias stands for the last anchor of its name before it', () => {
    const s = parseScenario(
      withExtra(
        'rules:\n  - { when: mail, reply: &no { code: 550, text: first } }\n  - { when: rcpt, reply: &no { code: 551, text: second } }\n  - { when: auth, reply: *no }\n',
      ),
      'x',
    );
    expect(s.rules[2]!.reply).toEqual({ code: 551, text: 'second' });
  });
});

describe('delays Node.js timers can hold', () => {
  const cases: Array<[string, string, string]> = [
    ['faults:\n  - { on: greeting, do: { delay-ms: VALUE } }\n', 'faults[0].do.delay-ms', 'VALUE'],
    ['faults:\n  - { on: { after-ms: VALUE }, do: close }\n', 'faults[0].on.after-ms', 'VALUE'],
    [
      'faults:\n  - { on: greeting, do: { fragment: { size: 1, gap-ms: VALUE } } }\n',
      'faults[0].do.fragment.gap-ms',
      'VALUE',
    ],
    ['server: { greylist: { retry-after-ms: VALUE } }\n', 'server.greylist.retry-after-ms', 'VALUE'],
  ];
  it.each(cases)('%j: 2^31 ms is refused at the value, 2^31 - 1 accepted', (extra, field) => {
    const tooLong = withExtra(extra.replace('VALUE', String(2 ** 31)));
    const found = problems(tooLong);
    expect(found).toHaveLength(1);
    expect(found[0]!.field).toBe(field);
    expect(found[0]!.message).toContain(`from 0 to ${MAX_DELAY_MS}`);
    expect({ line: found[0]!.line, column: found[0]!.column }).toEqual(at(tooLong, String(2 ** 31)));
    expect(() => parseScenario(withExtra(extra.replace('VALUE', String(MAX_DELAY_MS))), 'x')).not.toThrow();
  });
});

describe('points', () => {
  it('1e308 is refused at the value: a sum of points must stay finite and exact', () => {
    const text = `${HEAD}checks:\n  - { id: greets, points: 1e308 }\n  - { id: quit, points: 1e308 }\n`;
    const found = problems(text);
    expect(found.map((p) => p.field)).toEqual(['checks[0].points', 'checks[1].points']);
    expect(found[0]!.message).toContain(`from 0 to ${MAX_POINTS}`);
    expect({ line: found[0]!.line, column: found[0]!.column }).toEqual(at(text, '1e308'));
    const ok = parseScenario(`${HEAD}checks:\n  - { id: greets, points: ${MAX_POINTS} }\n`, 'x');
    expect(ok.checks[0]!.points).toBe(MAX_POINTS);
  });
});

describe('rule patterns run in linear time', () => {
  it('a catastrophic expression answers at once for a 30-character address (backtracking: minutes)', () => {
    const book = new RuleBook([
      { when: 'rcpt', match: '^(a+)+$', nth: undefined, reply: { code: 550, text: 'no' } },
    ]);
    expect(book.check('rcpt', `${'a'.repeat(30)}!`)).toBeUndefined();
    expect(book.check('rcpt', 'a'.repeat(30))).toEqual({ code: 550, text: 'no' });
  });

  it('matches case-insensitively anywhere unless anchored, like before', () => {
    const book = new RuleBook([
      { when: 'rcpt', match: 'nobody@', nth: undefined, reply: { code: 550, text: 'no' } },
    ]);
    expect(book.check('rcpt', 'NOBODY@example.com')).toBeDefined();
    expect(book.check('rcpt', 'x.nobody@example.com')).toBeDefined();
    expect(book.check('rcpt', 'somebody@example.com')).toBeUndefined();
  });

  it('not-match says "anything but" without lookahead', () => {
    const s = parseScenario(
      withExtra(
        "rules:\n  - { when: mail, not-match: '^me@qq\\.com$', reply: { code: 501, text: 'must be you' } }\n",
      ),
      'x',
    );
    const book = new RuleBook(s.rules);
    expect(book.check('mail', 'ME@qq.com')).toBeUndefined();
    expect(book.check('mail', 'someone@qq.com')).toEqual({ code: 501, text: 'must be you' });
  });

  it('lookahead and backreferences are refused at the pattern, pointing to not-match', () => {
    const text = withExtra(
      "rules:\n  - { when: mail, match: '^(?!me@)', reply: { code: 501, text: x } }\n  - { when: rcpt, match: '(a)\\1', reply: { code: 550, text: x } }\n",
    );
    const found = problems(text);
    expect(found.map((p) => p.field)).toEqual(['rules[0].match', 'rules[1].match']);
    expect(found[0]!.message).toContain('not-match');
    expect({ line: found[0]!.line, column: found[0]!.column }).toEqual(at(text, "'^(?!"));
  });

  it('a pattern longer than the bound is refused', () => {
    const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1);
    const found = problems(
      withExtra(`rules:\n  - { when: rcpt, match: ${long}, reply: { code: 550, text: x } }\n`),
    );
    expect(found.map((p) => p.field)).toEqual(['rules[0].match']);
    expect(found[0]!.message).toContain(`at most ${MAX_PATTERN_LENGTH}`);
  });
});

describe('the file as a whole', () => {
  it('a file larger than the bound is refused at its first line, before parsing', () => {
    // Thousands of nested block lists: the YAML parser's recursion overflowed (RangeError, exit 70).
    const nested = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n');
    const text = withExtra(`rules:\n${nested}\n`);
    expect(text.length).toBeGreaterThan(MAX_SCENARIO_BYTES);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1, column: 1, field: '' });
    expect(found[0]!.message).toContain(`at most ${MAX_SCENARIO_BYTES} bytes`);
  });

  it('20,000 unknown keys: the first problems listed, the rest counted (old: seconds of did-you-mean)', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n');
    const found = problems(withExtra(`${keys}\n`));
    expect(found).toHaveLength(MAX_PROBLEMS + 1);
    expect(found[0]).toMatchObject({ field: 'k0', line: 4, column: 1 });
    expect(found[MAX_PROBLEMS]!.message).toContain(`${20_000 - MAX_PROBLEMS} more problems not listed`);
  });

  it('loadScenarioFile judges the size before reading, and refuses what is not a regular file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'smtp-lab-bounds-'));
    try {
      const big = path.join(dir, 'lab.yaml');
      await writeFile(big, withExtra(`# ${'x'.repeat(MAX_SCENARIO_BYTES)}\n`));
      await expect(loadScenarioFile(big)).rejects.toMatchObject({ line: 1, column: 1 });
      await expect(loadScenarioFile('/dev/zero')).rejects.toThrow(/not a regular file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
