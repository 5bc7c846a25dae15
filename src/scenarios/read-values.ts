/** The small readers every part of a scenario file uses: ids, lists, sizes, words, delays. */
import { parseSize } from '../text.js';
import type { Checker, Field } from './checker.js';
import { CHECK_IDS, isCheckId, type CheckId } from './check-ids.js';
import { phrase, type Words } from './phrase.js';
import { didYouMean } from './suggest.js';
import { MAX_DELAY_MS } from './vocabulary.js';

export const KEBAB_EXPECTED = phrase('scenario.expect.kebab');
export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const REPLY_CODE = {
  integer: true,
  min: 200,
  max: 599,
  expected: phrase('scenario.expect.replyCode'),
};
export const DELAY = { integer: true, min: 0, max: MAX_DELAY_MS } as const;
/** What a delay expects: `ms('scenario.expect.ms')` says "milliseconds, an integer from 0 to ...". */
export const ms = (
  key: 'scenario.expect.ms' | 'scenario.expect.msSinceConnect' | 'scenario.expect.msBetween',
) => phrase(key, { max: MAX_DELAY_MS });

export function kebab(c: Checker, f: Field): string | undefined {
  const v = c.string(f, { expected: KEBAB_EXPECTED });
  if (v === undefined) return undefined;
  if (!KEBAB.test(v)) {
    c.fail(f, phrase('scenario.notKebab', { value: JSON.stringify(v), expected: KEBAB_EXPECTED }));
    return undefined;
  }
  return v;
}

/** A check id the grader knows (`smtp-lab checks` lists them), or a failure with "did you mean". */
export function checkId(c: Checker, f: Field): CheckId | undefined {
  const v = kebab(c, f);
  if (v === undefined) return undefined;
  if (!isCheckId(v)) {
    const hint = didYouMean(v, CHECK_IDS);
    const id = JSON.stringify(v);
    c.fail(
      f,
      hint === ''
        ? phrase('scenario.check.unknown', { id })
        : phrase('scenario.check.unknownHint', { id, hint }),
    );
    return undefined;
  }
  return v;
}

export function listOf<T>(
  c: Checker,
  f: Field,
  expected: Words,
  read: (item: Field) => T | undefined,
): T[] | undefined {
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  const out: T[] = [];
  for (const item of items) {
    const v = read(item);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** A size in bytes: a number, or text the one size parser reads (src/text.ts parseSize). */
export function size(c: Checker, f: Field): number | undefined {
  const v = c.scalar(f);
  const expected = phrase('scenario.expect.size');
  if (typeof v === 'number') return c.number(f, { integer: true, min: 1, expected });
  if (typeof v !== 'string') {
    c.fail(f, phrase('scenario.notSize', { expected }));
    return undefined;
  }
  const parsed = parseSize(v);
  if ('problem' in parsed) {
    const value = JSON.stringify(v);
    c.fail(
      f,
      parsed.reason === 'not-a-size'
        ? phrase('scenario.size.notASize', { value, expected })
        : phrase('scenario.size.outOfRange', { value, expected }),
    );
    return undefined;
  }
  return parsed.bytes;
}

/** An EHLO keyword or a command verb: letters (and digits and hyphens for keywords), upper-cased. */
export function word(c: Checker, f: Field, pattern: RegExp, expected: Words): string | undefined {
  const v = c.string(f, { expected });
  if (v === undefined) return undefined;
  if (!pattern.test(v)) {
    c.fail(f, phrase('scenario.word.notAllowed', { value: JSON.stringify(v), expected }));
    return undefined;
  }
  return v.toUpperCase();
}
