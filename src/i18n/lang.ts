/**
 * Which language smtp-lab speaks: `--lang`, else `SMTP_LAB_LANG`, else the locale (`LC_ALL`,
 * `LC_MESSAGES`, `LANG`: one starting with `zh` gives Chinese), else English. This module has no
 * dependencies so the CLI can resolve the language before it loads anything else.
 */

/** The languages with a full catalogue; English is the reference. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

export const DEFAULT_LANG: Lang = 'en';

/** A `--lang` or `SMTP_LAB_LANG` value that names no language we have. */
export class UnknownLangError extends Error {
  readonly code = 'ERR_UNKNOWN_LANG';

  constructor(
    /** Where the value came from, e.g. `--lang` or `SMTP_LAB_LANG`. */
    readonly source: string,
    readonly value: string,
  ) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    super(`${source} ${JSON.stringify(shown)} is not a language (expected one of: ${LANGS.join(', ')})`);
    this.name = 'UnknownLangError';
  }
}

/**
 * Reads a language name as a user writes it: `en`, `zh-CN`, any case, `_` for `-`, and the short
 * `zh` and `zh-Hans`; `undefined` for anything else.
 */
export function parseLang(value: string): Lang | undefined {
  const v = value.trim().toLowerCase().replace(/_/g, '-');
  if (v === 'en' || /^en-[a-z]{2}$/.test(v)) return 'en';
  if (v === 'zh' || v === 'zh-cn' || v === 'zh-hans' || v === 'zh-hans-cn') return 'zh-CN';
  return undefined;
}

/** The language a POSIX locale asks for: the first set of LC_ALL, LC_MESSAGES, LANG. */
export function langFromLocale(env: NodeJS.ProcessEnv): Lang | undefined {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined) return undefined;
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/**
 * The language to speak: the `--lang` value wins, then `SMTP_LAB_LANG`, then the locale, then
 * English. Throws UnknownLangError for a `--lang` or `SMTP_LAB_LANG` value that is not a language.
 */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) {
    const lang = parseLang(flag);
    if (!lang) throw new UnknownLangError('--lang', flag);
    return lang;
  }
  const fromEnv = env.SMTP_LAB_LANG;
  if (fromEnv !== undefined && fromEnv !== '') {
    const lang = parseLang(fromEnv);
    if (!lang) throw new UnknownLangError('SMTP_LAB_LANG', fromEnv);
    return lang;
  }
  return langFromLocale(env) ?? DEFAULT_LANG;
}
