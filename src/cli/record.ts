import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import type { RunSession } from '../grader/checks.js';
import { formatReports } from '../grader/formats.js';
import { makeReference } from '../grader/normalise.js';
import { gradeScenario } from '../grader/run.js';
import { checkOutputFile, loadScenario, secondsValue } from './usage.js';
import { wantsColor } from '../transcript/render.js';

export function recordOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.record.usage'))
    .parserConfiguration({ 'populate--': true })
    .positional('scenario', { type: 'string', describe: m.t('cli.record.opt.scenario'), demandOption: true })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: m.t('cli.record.opt.out'),
    })
    .option('timeout', {
      alias: 't',
      type: 'number',
      default: 20,
      coerce: secondsValue('timeout', m),
      describe: m.t('cli.record.opt.timeout'),
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: m.t('cli.record.opt.force'),
    })
    .example('$0 record basic -o basic.expected.json -- python3 solution.py', m.t('cli.record.example.1'));
}

type Args = Awaited<ReturnType<typeof recordOptions>['argv']> & {
  '--'?: Array<string | number>;
  lang?: Lang;
};

export async function record(args: Args): Promise<void> {
  const command = (args['--'] ?? []).map(String);
  const m = messages(args.lang);
  if (!command.length) {
    process.stderr.write(`${m.t('cli.record.noCommand')}\n`);
    process.exit(2);
  }
  const scenario = await loadScenario(String(args.scenario), m);
  const out = path.resolve(args.out ?? `${scenario.id}.expected.json`);
  await checkOutputFile(out, '--out', m);
  let sessions: RunSession[] = [];
  const report = await gradeScenario(scenario, {
    command,
    timeoutMs: args.timeout * 1000,
    ...(args.lang ? { lang: args.lang } : {}),
    onRun: (run) => {
      sessions = run.sessions;
    },
  });
  // Comparing with the transcript being replaced is no reason to refuse a new one.
  const failed = report.checks.filter((c) => c.applicable && !c.passed && c.id !== 'matches-reference');
  const color = wantsColor(process.stderr);
  if (!sessions.length) {
    process.stderr.write(formatReports([report], 'text', { color }));
    process.stderr.write(`${m.t('cli.record.neverConnected')}\n`);
    process.exitCode = 1;
    return;
  }
  if (failed.length && !args.force) {
    process.stderr.write(formatReports([report], 'text', { color }));
    process.stderr.write(`${m.t('cli.record.failed', { checks: failed.map((c) => c.id).join(', ') })}\n`);
    process.exitCode = 1;
    return;
  }
  const reference = makeReference(scenario.id, sessions, command.join(' '));
  await writeFile(out, JSON.stringify(reference, null, 2) + '\n');
  const lines = reference.sessions.reduce((sum, s) => sum + s.lines.length, 0);
  process.stdout.write(
    `${m.t('cli.record.done', { id: scenario.id, sessions: reference.sessions.length, lines, file: out, name: path.basename(out) })}\n`,
  );
}
