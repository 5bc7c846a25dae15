/**
 * The loader's problems as data: a message key of the `scenario.` area (src/i18n/areas/scenarios.ts)
 * with its named values, rendered in a language only when printed. A value is text as written
 * (a field name, a quoted value, a list of words), a number, or another phrase (what was expected,
 * "did you mean"), rendered in the same language. English renders exactly as the loader always
 * wrote; ScenarioError's message is that English rendering.
 */
import type { MessageKey } from '../i18n/en.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { catalogue, format } from '../i18n/messages.js';

/** A key of the scenario loader's messages. */
export type ScenarioKey = Extract<MessageKey, `scenario.${string}`>;

/** A message of the loader: its key and its values. */
export interface Phrase {
  readonly key: ScenarioKey;
  readonly params: Readonly<Record<string, Words>>;
}

/** A value in a message: text as written, a number, or a phrase rendered in the message's language. */
export type Words = string | number | Phrase;

/** The phrase `key` with `params`. */
export function phrase(key: ScenarioKey, params: Readonly<Record<string, Words>> = {}): Phrase {
  return { key, params };
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const HAN = /\p{Script=Han}/u;
const ASCII_WORD = /[A-Za-z0-9"*<>=`]/;

/**
 * Words in `lang`: a phrase's template with every value rendered in the same language. In a
 * Chinese sentence a value that begins or ends with an ASCII token gets one space between it and
 * the Chinese text beside it (docs/i18n/GLOSSARY.md), as a translator would write it by hand.
 */
export function render(words: Words, lang: Lang = DEFAULT_LANG): string {
  if (typeof words === 'string') return words;
  if (typeof words === 'number') return String(words);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(words.params)) values[name] = render(value, lang);
  const template = catalogue(lang)[words.key];
  if (lang === DEFAULT_LANG) return format(template, values);
  return template.replace(PLACEHOLDER, (whole, name: string, at: number) => {
    const value = values[name];
    if (value === undefined || value === '') return whole;
    const before = HAN.test(template[at - 1] ?? '') && ASCII_WORD.test(value[0]!) ? ' ' : '';
    const after = HAN.test(template[at + whole.length] ?? '') && ASCII_WORD.test(value.at(-1)!) ? ' ' : '';
    return `${before}${value}${after}`;
  });
}
