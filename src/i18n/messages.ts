import { en, type Catalogue, type MessageKey } from './en.js';
import { DEFAULT_LANG, type Lang } from './lang.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };

export type { Catalogue };

/** The `{names}` in a message. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The values a message needs: none, or one per placeholder of its English text. */
export type ParamsOf<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof en)[K]>, string | number>];

const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, 'zh-CN': zhCN };

/** The messages of one language: chosen per command (or per call), never global state. */
export interface Messages {
  readonly lang: Lang;
  /** The message `key` with its `{placeholders}` filled in. */
  t<K extends MessageKey>(key: K, ...params: ParamsOf<K>): string;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Fills `{name}` from `params`; a name without a value stays as written. */
export function format(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

const CACHE = new Map<Lang, Messages>();

/** The messages of `lang` (English by default). Immutable, so they can be shared freely. */
export function messages(lang: Lang = DEFAULT_LANG): Messages {
  let m = CACHE.get(lang);
  if (!m) {
    const catalogue = CATALOGUES[lang];
    m = Object.freeze({
      lang,
      t: <K extends MessageKey>(key: K, ...params: ParamsOf<K>) => format(catalogue[key], params[0]),
    });
    CACHE.set(lang, m);
  }
  return m;
}

/** The raw catalogue of a language, for tests and tools. */
export function catalogue(lang: Lang): Catalogue {
  return CATALOGUES[lang];
}

/** The placeholder names of a template, sorted, without repeats. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}
