import { langFromLocale, LANGS, resolveLang, UnknownLangError, type Lang } from '../i18n/lang.js';
import { UsageError } from './usage.js';

/**
 * The global `--lang` option: resolves the language once, before any command runs, and leaves it
 * in `args.lang` (always a Lang afterwards), so every command reads it from its arguments. An
 * unknown `--lang` or `SMTP_LAB_LANG` value is a UsageError: one line, exit 2.
 */
export async function chooseLang(
  args: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Lang> {
  const given = Array.isArray(args.lang) ? args.lang.at(-1) : args.lang;
  try {
    const lang = resolveLang(given === undefined ? undefined : String(given), env);
    args.lang = lang;
    return lang;
  } catch (err) {
    if (!(err instanceof UnknownLangError)) throw err;
    // The language asked for is unknown: say so in the locale's language. Loaded only here, so
    // a normal start does not pay for the catalogues.
    const { messages } = await import('../i18n/messages.js');
    const m = messages(langFromLocale(env) ?? 'en');
    const shown = err.value.length > 40 ? `${err.value.slice(0, 40)}...` : err.value;
    const line = m.t('cli.lang.unknown', {
      source: err.source,
      value: JSON.stringify(shown),
      langs: LANGS.join(', '),
    });
    throw new UsageError(line);
  }
}

/**
 * The language asked for before the parser runs, so that --help, the parser's own errors and the
 * option checks speak it: the last `--lang X` or `--lang=X` before `--`, else SMTP_LAB_LANG, else
 * the locale. A value that is not a language gives the locale's language here; chooseLang then
 * reports it as a usage error.
 */
export function langFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--lang' && i + 1 < argv.length) given = argv[++i];
    else if (arg.startsWith('--lang=')) given = arg.slice('--lang='.length);
  }
  try {
    return resolveLang(given, env);
  } catch {
    return langFromLocale(env) ?? 'en';
  }
}
