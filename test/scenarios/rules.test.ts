import { describe, expect, it } from 'vitest';
import { RuleBook } from '../../src/server/rules.js';
import type { Rule } from '../../src/scenarios/types.js';

/**
 * The rule book (src/server/rules.ts) as tables, with its clock injected: greylisting is judged
 * at chosen instants, not by sleeping. No server: the hooks that call it are tested over sockets
 * in test/scenarios/state.test.ts.
 */

const refuse = { code: 550, text: '5.1.1 no such user' };
const rule = (r: Partial<Rule>): Rule => ({
  when: 'rcpt',
  match: undefined,
  nth: undefined,
  reply: refuse,
  ...r,
});

describe('RuleBook.check', () => {
  const rows: Array<{
    name: string;
    rules: Rule[];
    calls: Array<[Rule['when'], string]>;
    codes: Array<number | undefined>;
  }> = [
    { name: 'no rules: the server decides', rules: [], calls: [['rcpt', 'a@b.c']], codes: [undefined] },
    {
      name: 'a rule for another command does not apply',
      rules: [rule({ when: 'mail' })],
      calls: [['rcpt', 'a@b.c']],
      codes: [undefined],
    },
    {
      name: 'match: case-insensitive, anywhere',
      rules: [rule({ match: 'nobody' })],
      calls: [
        ['rcpt', 'NoBody@x.test'],
        ['rcpt', 'alice@x.test'],
      ],
      codes: [550, undefined],
    },
    {
      name: 'match anchored',
      rules: [rule({ match: '^bob@' })],
      calls: [
        ['rcpt', 'bob@x.test'],
        ['rcpt', 'jimbob@x.test'],
      ],
      codes: [550, undefined],
    },
    {
      name: 'not-match: anything but',
      rules: [rule({ notMatch: '@lab\\.test$' })],
      calls: [
        ['rcpt', 'a@lab.test'],
        ['rcpt', 'a@elsewhere.test'],
      ],
      codes: [undefined, 550],
    },
    {
      name: 'nth: only the second matching command of the run',
      rules: [rule({ nth: 2 })],
      calls: [
        ['rcpt', 'a@b.c'],
        ['rcpt', 'd@e.f'],
        ['rcpt', 'g@h.i'],
      ],
      codes: [undefined, 550, undefined],
    },
    {
      name: 'the first rule that applies wins',
      rules: [rule({ match: 'x', reply: { code: 452, text: 'full' } }), rule({})],
      calls: [
        ['rcpt', 'x@y.z'],
        ['rcpt', 'a@b.c'],
      ],
      codes: [452, 550],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const book = new RuleBook(row.rules);
      expect(row.calls.map(([when, value]) => book.check(when, value)?.code)).toEqual(row.codes);
    });
  }
});

describe('RuleBook.greylisted, on an injected clock', () => {
  it('451 on the first try and until the wait has passed, then accepted', () => {
    let now = 1_000_000;
    const book = new RuleBook([], 5_000, () => now);
    const tries: Array<[number, number | undefined]> = [];
    for (const at of [0, 10, 4_999, 5_000, 60_000]) {
      now = 1_000_000 + at;
      tries.push([at, book.greylisted('A@x.test', 'b@y.test')?.code]);
    }
    expect(tries).toEqual([
      [0, 451],
      [10, 451],
      [4_999, 451],
      [5_000, undefined],
      [60_000, undefined],
    ]);
  });

  it('the pair is what counts, in any case; another pair waits on its own', () => {
    let now = 0;
    const book = new RuleBook([], 1_000, () => now);
    book.greylisted('a@x.test', 'b@y.test');
    now = 1_000;
    expect(book.greylisted('A@X.TEST', 'B@Y.test')).toBeUndefined();
    expect(book.greylisted('c@x.test', 'b@y.test')?.code).toBe(451);
  });

  it('the reply says how long to wait, in whole seconds', () => {
    const book = new RuleBook([], 1_500, () => 0);
    expect(book.greylisted('a@x', 'b@y')).toEqual({
      code: 451,
      text: '4.7.1 Greylisted: please try again in 2 s',
    });
  });

  it('no greylisting configured: never', () => {
    expect(new RuleBook([]).greylisted('a@x', 'b@y')).toBeUndefined();
  });
});
