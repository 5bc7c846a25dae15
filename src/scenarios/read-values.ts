/** The small readers every part of a scenario file uses: ids, lists, sizes, words, delays. */
import { parseSize, SIZE_EXPECTED } from '../text.js';
import type { Checker, Field } from './checker.js';
import { CHECK_IDS, isCheckId, type CheckId } from './check-ids.js';
import { didYouMean } from './suggest.js';
import { MAX_DELAY_MS } from './vocabulary.js';

export const KEBAB_EXPECTED =
  'a kebab-case id: lowercase letters, digits and single hyphens, like fragmented-replies';
export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const REPLY_CODE = { integer: true, min: 200, max: 599, expected: 'a reply code from 200 to 599' };
export const DELAY = { integer: true, min: 0, max: MAX_DELAY_MS } as const;
export const ms = (what: string) =>
  `${what}, an integer from 0 to ${MAX_DELAY_MS} (the longest timer Node.js can set)`;

export function kebab(c: Checker, f: Field): string | undefined {
  const v = c.string(f, { expected: KEBAB_EXPECTED });
  if (v === undefined) return undefined;
  if (!KEBAB.test(v)) {
    c.fail(f, `${JSON.stringify(v)} is not kebab-case (expected ${KEBAB_EXPECTED})`);
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
    c.fail(
      f,
      `unknown check id ${JSON.stringify(v)}${hint ? `, ${hint}` : ''} (smtp-lab checks lists them all)`,
    );
    return undefined;
  }
  return v;
}

export function listOf<T>(
  c: Checker,
  f: Field,
  expected: string,
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
  if (typeof v === 'number') return c.number(f, { integer: true, min: 1, expected: SIZE_EXPECTED });
  if (typeof v !== 'string') {
    c.fail(f, `this is not a size (expected ${SIZE_EXPECTED})`);
    return undefined;
  }
  const parsed = parseSize(v);
  if ('problem' in parsed) {
    c.fail(f, parsed.problem);
    return undefined;
  }
  return parsed.bytes;
}

/** An EHLO keyword or a command verb: letters (and digits and hyphens for keywords), upper-cased. */
export function word(c: Checker, f: Field, pattern: RegExp, expected: string): string | undefined {
  const v = c.string(f, { expected });
  if (v === undefined) return undefined;
  if (!pattern.test(v)) {
    c.fail(f, `${JSON.stringify(v)} is not allowed (expected ${expected})`);
    return undefined;
  }
  return v.toUpperCase();
}
