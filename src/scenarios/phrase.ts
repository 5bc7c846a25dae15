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

/** A placeholder with the space a translator may have written on either side of it. */
const PLACEHOLDER_SPACED = /( ?)\{([A-Za-z][A-Za-z0-9]*)\}( ?)/g;

const HAN = /\p{Script=Han}/u;
const WIDE = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u;
const ASCII_WORD = /[A-Za-z0-9"*<>=`]/;

/**
 * The space between a value and the template text beside it: a space the translator wrote stays
 * unless the value's edge is a wide (CJK) character; where none is written, one goes between Han
 * text and an ASCII word.
 */
function gap(written: string, edge: string, neighbour: string): string {
  if (written) return WIDE.test(edge) ? '' : ' ';
  return HAN.test(neighbour) && ASCII_WORD.test(edge) ? ' ' : '';
}

/**
 * Words in `lang`: a phrase's template with every value rendered in the same language. In a
 * Chinese sentence a value that begins or ends with an ASCII token is set apart from the Chinese
 * beside it by one space, and a value that begins or ends in Chinese is not (docs/i18n/GLOSSARY.md),
 * whichever the value turns out to be: `应为 kebab-case …`, `"x" 不是字符串`, `一个列表不是字符串`.
 */
export function render(words: Words, lang: Lang = DEFAULT_LANG): string {
  if (typeof words === 'string') return words;
  if (typeof words === 'number') return String(words);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(words.params)) values[name] = render(value, lang);
  const template = catalogue(lang)[words.key];
  if (lang === DEFAULT_LANG) return format(template, values);
  return template.replace(
    PLACEHOLDER_SPACED,
    (whole, spaceBefore: string, name: string, spaceAfter: string, at: number) => {
      const value = values[name];
      if (value === undefined || value === '') return whole;
      const before = gap(spaceBefore, value[0]!, template[at - 1] ?? '');
      const after = gap(spaceAfter, value.at(-1)!, template[at + whole.length] ?? '');
      return `${before}${value}${after}`;
    },
  );
}
