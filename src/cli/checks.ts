import type { Argv } from 'yargs';
import { CHECK_IDS, CHECKS, checkText } from '../grader/checks.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { padEndWidth } from '../i18n/width.js';
import { wrap } from '../text.js';

export function checksOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.checks.usage'))
    .option('json', { type: 'boolean', default: false, describe: m.t('cli.checks.opt.json') });
}

type Args = Awaited<ReturnType<typeof checksOptions>['argv']> & { lang?: Lang };

export function checks(args: Args): void {
  const lang = args.lang ?? DEFAULT_LANG;
  const rows = CHECK_IDS.map((id) => {
    const { title, judges, hint } = checkText(id, lang);
    return { id, title, judges, tier: CHECKS[id].tier, hint };
  });
  if (args.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const m = messages(lang);
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    process.stdout.write(
      `${m.t('checks.row', { id: padEndWidth(r.id, width), title: r.title, tier: m.t(`checks.tier.${r.tier}`) })}\n`,
    );
    process.stdout.write(
      `${wrap(m.t('checks.judges', { what: r.judges }), 100, ' '.repeat(width + 2), ' '.repeat(width + 4)).join('\n')}\n`,
    );
  }
  process.stdout.write(`\n${m.t('checks.footer', { count: rows.length })}\n`);
}
