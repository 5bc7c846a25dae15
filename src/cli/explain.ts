import type { Argv } from 'yargs';
import { messages, type Messages } from '../i18n/messages.js';
import { explainCode, ReplyCodeSyntaxError } from '../protocol/codes.js';
import { formatExplanation } from './explain-format.js';
import { wantsColor } from '../transcript/render.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';

/** Exit status for a code that cannot be parsed (a usage error, like yargs' own). */
export const EXIT_BAD_CODE = 2;

export function explainOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.explain.usage'))
    .positional('code', {
      type: 'string',
      array: true,
      describe: m.t('cli.explain.opt.code'),
    })
    .option('json', { type: 'boolean', default: false, describe: m.t('cli.explain.opt.json') })
    .example('$0 explain 535', m.t('cli.explain.example.1'))
    .example('$0 explain 5.7.8', m.t('cli.explain.example.2'))
    .example('$0 explain "550 5.1.1"', m.t('cli.explain.example.3'));
}

export async function explain(rawArgs: unknown): Promise<void> {
  const args = rawArgs as { code?: unknown; json?: boolean; lang?: Lang };
  const lang = args.lang ?? DEFAULT_LANG;
  const parts = Array.isArray(args.code) ? args.code : args.code === undefined ? [] : [args.code];
  const text = parts.map(String).join(' ');
  let explanation;
  try {
    explanation = explainCode(text, { lang });
  } catch (error) {
    if (!(error instanceof ReplyCodeSyntaxError)) throw error;
    process.stderr.write(messages(lang).t('cli.explain.error', { message: error.message }) + '\n');
    if (args.json) {
      process.stdout.write(
        JSON.stringify({
          ok: false,
          exitCode: EXIT_BAD_CODE,
          error: { code: error.code, message: error.message },
        }) + '\n',
      );
    }
    process.exitCode = EXIT_BAD_CODE;
    return;
  }
  if (args.json) process.stdout.write(JSON.stringify(explanation, null, 2) + '\n');
  else process.stdout.write(formatExplanation(explanation, { color: wantsColor(process.stdout), lang }));
}
