import { isMap } from 'yaml';
import type { Lang } from '../i18n/lang.js';
import { stringExpected, type Checker, type Field } from './checker.js';
import { phrase, type Words } from './phrase.js';
import type { CheckSpec, LocalizedText, Scenario } from './types.js';

/** The languages a scenario file may give a teaching text in: `{ en: ..., zh-CN: ... }`. */
export const LANG_KEYS = ['en', 'zh-CN'] as const;

/**
 * A teaching text (title, lesson, hint): a plain string, or one string per language. A mapping
 * that gives one language falls back to it for the other. Returns the text to keep in the plain
 * field (English, else the only one given) and, for a mapping, the text per language.
 * Problems are reported at the field, or at `field.en` / `field.zh-CN`.
 */
export function readLocalized(
  c: Checker,
  f: Field,
  opts: { nonEmpty?: boolean; expected?: Words } = {},
): { text: string; byLang: LocalizedText | undefined } | undefined {
  const expected = opts.expected ?? stringExpected(opts.nonEmpty);
  if (f.node === null || !isMap(f.node)) {
    const text = c.string(f, { ...opts, expected: phrase('scenario.expect.orPerLang', { expected }) });
    return text === undefined ? undefined : { text, byLang: undefined };
  }
  const m = c.map(f, LANG_KEYS, phrase('scenario.expect.perLang', { expected }));
  if (m === undefined) return undefined;
  const given: Partial<Record<Lang, string>> = {};
  for (const lang of LANG_KEYS) {
    const text = m.optional(lang, (x) => c.string(x, { ...opts, expected }));
    if (text !== undefined) given[lang] = text;
  }
  if (f.node.items.length === 0) {
    c.fail(f, phrase('scenario.localized.empty', { expected }));
    return undefined;
  }
  const en = given.en ?? given['zh-CN'];
  const zh = given['zh-CN'] ?? given.en;
  if (en === undefined || zh === undefined) return undefined;
  return { text: en, byLang: { en, 'zh-CN': zh } };
}

/** A scenario's title in `lang`. */
export function scenarioTitle(scenario: Scenario, lang: Lang): string {
  return scenario.localized?.title[lang] ?? scenario.title;
}

/** A scenario's lesson in `lang`. */
export function scenarioLesson(scenario: Scenario, lang: Lang): string {
  return scenario.localized?.lesson[lang] ?? scenario.lesson;
}

/** A check's hint from the scenario file in `lang`, if the file gives one. */
export function checkHint(spec: CheckSpec, lang: Lang): string | undefined {
  return spec.hints?.[lang] ?? spec.hint;
}
