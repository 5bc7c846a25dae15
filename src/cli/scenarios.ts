import type { Argv } from 'yargs';
import { listBuiltinScenarios } from '../scenarios/load.js';

export function scenariosOptions(y: Argv) {
  return y
    .usage('$0 scenarios [--json]\n\nList the built-in lab scenarios: id, title and lesson.')
    .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' });
}

type Args = Awaited<ReturnType<typeof scenariosOptions>['argv']>;

export async function scenarios(args: Args): Promise<void> {
  const list = await listBuiltinScenarios();
  if (args.json) {
    const rows = list.map((s) => ({
      id: s.id,
      title: s.title,
      lesson: s.lesson,
      checks: s.checks.map((c) => ({ id: c.id, points: c.points, tier: c.tier })),
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const width = Math.max(...list.map((s) => s.id.length));
  for (const s of list) {
    process.stdout.write(
      `${s.id.padEnd(width)}  ${s.title}\n${' '.repeat(width + 2)}${s.lesson.replace(/\s+/g, ' ')}\n`,
    );
  }
  process.stdout.write(`\n${list.length} scenarios. Run one with: smtp-lab lab <id>\n`);
}
