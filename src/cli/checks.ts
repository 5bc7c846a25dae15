import type { Argv } from 'yargs';
import { CHECK_IDS, CHECKS } from '../grader/checks.js';
import { wrap } from '../text.js';

export function checksOptions(y: Argv) {
  return y
    .usage(
      '$0 checks [--json]\n\nList every check id a scenario may name: its title, what it is judged from, and the tier\nscenarios usually give it.',
    )
    .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' });
}

type Args = Awaited<ReturnType<typeof checksOptions>['argv']>;

export function checks(args: Args): void {
  const rows = CHECK_IDS.map((id) => {
    const { title, judges, tier, hint } = CHECKS[id];
    return { id, title, judges, tier, hint };
  });
  if (args.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    process.stdout.write(`${r.id.padEnd(width)}  ${r.title} (${r.tier})\n`);
    process.stdout.write(
      `${wrap(`judges ${r.judges}`, 100, ' '.repeat(width + 2), ' '.repeat(width + 4)).join('\n')}\n`,
    );
  }
  process.stdout.write(
    `\n${rows.length} checks. A scenario lists the ones it grades under checks: (id, points, tier, hint).\n`,
  );
}
