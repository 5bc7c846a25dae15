import { catalogue, type Lang } from '../i18n/index.js';

/**
 * The browser view's words, taken from the one message catalogue (src/i18n/areas/web.ts): the page
 * (assets/web) and the diagrams of the HTML report get them from here and keep no copy of their own.
 * A plain object of `key: template`; diagram.js's tr() fills the `{placeholders}`.
 */
export type WebText = Readonly<Record<string, string>>;

const CACHE = new Map<string, WebText>();

function withPrefix(lang: Lang, prefix: string): WebText {
  const id = `${lang}\0${prefix}`;
  let text = CACHE.get(id);
  if (!text) {
    text = Object.freeze(
      Object.fromEntries(Object.entries(catalogue(lang)).filter(([key]) => key.startsWith(prefix))),
    );
    CACHE.set(id, text);
  }
  return text;
}

/** Every message the page shows (`web.` keys), in `lang`. */
export function webText(lang: Lang): WebText {
  return withPrefix(lang, 'web.');
}

/** What a sequence diagram and its details panel say (`web.diagram.` keys), in `lang`. */
export function diagramText(lang: Lang): WebText {
  return withPrefix(lang, 'web.diagram.');
}

/** JSON inside a <script> element: nothing in it can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
