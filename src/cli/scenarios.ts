import type { Argv } from 'yargs';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { padEndWidth } from '../i18n/width.js';
import { listBuiltinScenarios } from '../scenarios/load.js';
import { scenarioLesson, scenarioTitle } from '../scenarios/localized.js';

export function scenariosOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.scenarios.usage'))
    .option('json', { type: 'boolean', default: false, describe: m.t('cli.scenarios.opt.json') });
}

type Args = Awaited<ReturnType<typeof scenariosOptions>['argv']> & { lang?: Lang };

export async function scenarios(args: Args): Promise<void> {
  const lang = args.lang ?? DEFAULT_LANG;
  const list = await listBuiltinScenarios();
  if (args.json) {
    const rows = list.map((s) => ({
      id: s.id,
      title: scenarioTitle(s, lang),
      lesson: scenarioLesson(s, lang),
      checks: s.checks.map((c) => ({ id: c.id, points: c.points, tier: c.tier })),
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const width = Math.max(...list.map((s) => s.id.length));
  for (const s of list) {
    process.stdout.write(
      `${padEndWidth(s.id, width)}  ${scenarioTitle(s, lang)}\n${' '.repeat(width + 2)}${scenarioLesson(s, lang).replace(/\s+/g, ' ')}\n`,
    );
  }
  process.stdout.write(`\n${messages(lang).t('scenarios.footer', { count: list.length })}\n`);
}
