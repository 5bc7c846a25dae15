/**
 * The reader of `checks:`: the checks a client must pass, with the `baseline` preset (and its
 * `except`), or the checks of the scenario a file extends, as the base an entry changes by id and
 * adds to in the order a session meets the checks.
 */
import { isMap, isScalar } from 'yaml';
import type { Checker, Field } from './checker.js';
import type { CheckId } from './check-ids.js';
import { readLocalized } from './localized.js';
import { phrase } from './phrase.js';
import { checkId, listOf } from './read-values.js';
import { didYouMean } from './suggest.js';
import type { CheckSpec } from './types.js';
import {
  BASELINE_CHECKS,
  BASELINE_POINTS,
  BASELINE_PRESET,
  CHECK_KEYS,
  MAX_POINTS,
  PLACED_BEFORE,
  PRESET_KEYS,
  TIERS,
  type BaselineCheckId,
} from './vocabulary.js';

const CHECKS_EXPECTED = phrase('scenario.expect.checks');
const PRESET_EXPECTED = phrase('scenario.expect.preset', { preset: BASELINE_PRESET });

/** The `baseline` entry of a checks list: which baseline checks it leaves out, and where that is said. */
interface Preset {
  except: Map<CheckId, number>;
}

/** `- baseline`, or `- baseline: { except: [...] }`; undefined for any other item. */
function isPresetItem(c: Checker, item: Field): boolean {
  if (item.node === null) return false;
  if (isScalar(item.node)) return c.scalar(item) === BASELINE_PRESET;
  return (
    isMap(item.node) &&
    item.node.items.some((pair) => isScalar(pair.key) && pair.key.value === BASELINE_PRESET)
  );
}

function readPreset(c: Checker, item: Field): Preset | undefined {
  const preset: Preset = { except: new Map() };
  if (isScalar(item.node)) return preset;
  const m = c.map(item, [BASELINE_PRESET], PRESET_EXPECTED);
  const options = m?.get(BASELINE_PRESET);
  if (options === undefined) return undefined;
  const o = c.map(options, PRESET_KEYS, phrase('scenario.expect.presetOptions'));
  const except = o?.get('except');
  if (except === undefined) return preset;
  const expected = phrase('scenario.expect.except', { ids: BASELINE_CHECKS.join(', ') });
  const ids = listOf(c, except, expected, (x) => {
    const id = checkId(c, x);
    if (id === undefined) return undefined;
    if (!isBaseline(id)) {
      c.fail(
        x,
        phrase('scenario.check.notBaseline', { id: JSON.stringify(id), preset: BASELINE_PRESET, expected }),
      );
      return undefined;
    }
    preset.except.set(id, c.lineOf(x.offset));
    return id;
  });
  return ids === undefined ? undefined : preset;
}

/**
 * `checks:`: a list of checks `{id, points, tier, hint}`, and optionally the preset `baseline`
 * (or `baseline: { except: [...] }`) standing for the baseline checks (vocabulary.ts
 * BASELINE_CHECKS, one point each, tier baseline, no hint), wherever it is written in the list.
 * In a file that extends another, the other's checks are the base instead (`inherited`). With a
 * base, an entry for a check the base holds changes it where it stands (points, tier and hint as
 * given; `points` may be left out); any other check is placed before the baseline check
 * PLACED_BEFORE names (or the next one the base has), in the order the file gives, so reports
 * list checks in the order a session meets them. Without one, the list is what the file gives.
 */
export function readChecks(c: Checker, f: Field, inherited?: readonly CheckSpec[]): CheckSpec[] | undefined {
  const items = c.list(f, CHECKS_EXPECTED);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, phrase('scenario.emptyList', { expected: CHECKS_EXPECTED }));
    return undefined;
  }
  const presetItems = items.filter((item) => isPresetItem(c, item));
  for (const extra of presetItems.slice(1)) {
    c.fail(extra, phrase('scenario.check.presetTwice', { preset: BASELINE_PRESET }));
  }
  if (inherited !== undefined && presetItems[0] !== undefined) {
    c.fail(presetItems[0], phrase('scenario.check.presetExtends', { preset: BASELINE_PRESET }));
  }
  const preset =
    inherited === undefined && presetItems[0] !== undefined ? readPreset(c, presetItems[0]) : undefined;
  const base: readonly CheckSpec[] | undefined =
    inherited ??
    (preset === undefined
      ? undefined
      : BASELINE_CHECKS.filter((id) => !preset.except.has(id)).map((id) => ({
          id,
          points: BASELINE_POINTS,
          tier: 'baseline' as const,
          hint: undefined,
        })));
  const seen = new Map<string, number>();
  const written: CheckSpec[] = [];
  for (const item of items) {
    if (isPresetItem(c, item)) continue;
    if (item.node !== null && isScalar(item.node) && typeof c.scalar(item) === 'string') {
      const hint = didYouMean(String(c.scalar(item)), [BASELINE_PRESET]);
      const params = { value: JSON.stringify(c.scalar(item)), preset: BASELINE_PRESET };
      c.fail(
        item,
        hint === ''
          ? phrase('scenario.check.notCheck', params)
          : phrase('scenario.check.notCheckHint', { ...params, hint }),
      );
      continue;
    }
    const m = c.map(item, CHECK_KEYS, phrase('scenario.expect.check'));
    if (m === undefined) continue;
    const id = m.required('id', (x) => checkId(c, x), phrase('scenario.expect.checkId'));
    if (id !== undefined) {
      const idField = m.get('id')!;
      const first = seen.get(id);
      const leftOut = preset?.except.get(id);
      if (first !== undefined) {
        c.fail(idField, phrase('scenario.check.duplicate', { id: JSON.stringify(id), line: first }));
      } else if (leftOut !== undefined) {
        c.fail(
          idField,
          phrase('scenario.check.leftOut', {
            id: JSON.stringify(id),
            preset: BASELINE_PRESET,
            line: leftOut,
          }),
        );
      } else {
        seen.set(id, c.lineOf(idField.offset));
      }
    }
    const readPoints = (x: Field) => c.number(x, { min: 0, max: MAX_POINTS });
    const given = id === undefined ? undefined : base?.find((check) => check.id === id);
    const points =
      given !== undefined
        ? (m.optional('points', readPoints) ?? (m.has('points') ? undefined : given.points))
        : m.required(
            'points',
            readPoints,
            phrase('scenario.expect.numberFromTo', { min: 0, max: MAX_POINTS }),
          );
    const tier = m.optional('tier', (x) => c.oneOf(x, TIERS)) ?? given?.tier ?? 'baseline';
    const hints = m.optional('hint', (x) => readLocalized(c, x));
    if (id !== undefined && points !== undefined && !preset?.except.has(id)) {
      const hint =
        hints === undefined
          ? { hint: given?.hint, ...(given?.hints ? { hints: given.hints } : {}) }
          : { hint: hints.text, ...(hints.byLang ? { hints: hints.byLang } : {}) };
      written.push({ id, points, tier, ...hint });
    }
  }
  return base === undefined ? written : placeAmong(written, base);
}

function isBaseline(id: CheckId): id is BaselineCheckId {
  return BASELINE_CHECKS.some((b) => b === id);
}

/**
 * The base's checks with the file's changes, and the file's other checks placed among them: each
 * before the baseline check it belongs before (PLACED_BEFORE; for a baseline check, the one after
 * it), or the next such check the base has; last when there is none.
 */
function placeAmong(written: CheckSpec[], base: readonly CheckSpec[]): CheckSpec[] {
  const has = new Set<CheckId>(base.map((check) => check.id));
  const anchor = (id: CheckId): CheckId | undefined => {
    const own = isBaseline(id)
      ? (BASELINE_CHECKS[BASELINE_CHECKS.indexOf(id) + 1] ?? 'last')
      : PLACED_BEFORE[id];
    if (own === 'last') return undefined;
    return BASELINE_CHECKS.slice(BASELINE_CHECKS.indexOf(own)).find((b) => has.has(b));
  };
  const extras = written.filter((check) => !has.has(check.id));
  const out: CheckSpec[] = [];
  for (const check of base) {
    out.push(...extras.filter((extra) => anchor(extra.id) === check.id));
    out.push(written.find((w) => w.id === check.id) ?? check);
  }
  out.push(...extras.filter((extra) => anchor(extra.id) === undefined));
  return out;
}
