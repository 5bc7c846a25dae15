import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import type { RunSession } from '../grader/checks.js';
import { formatReports } from '../grader/formats.js';
import { makeReference } from '../grader/normalise.js';
import { gradeScenario } from '../grader/run.js';
import { checkOutputFile, loadScenario, secondsValue } from './usage.js';
import { wantsColor } from '../transcript/render.js';

export function recordOptions(y: Argv) {
  return y
    .usage(
      '$0 record <scenario> [--out FILE] [options] -- COMMAND [ARGS...]\n\n' +
        'Run a known-good client under a scenario and save its exchange as the expected transcript:\n' +
        'per session, the client lines and the reply codes, normalised (EHLO keywords as a set; host\n' +
        'names, credentials, dates, Message-IDs, MIME boundaries and ids masked). Name the file in the\n' +
        'scenario as `expected-transcript: FILE` and add the check `matches-reference`: a run that differs\n' +
        'fails it with a diff.\n\n' +
        'The client must pass every check of the scenario, or nothing is written (--force writes anyway).\n' +
        'Exit status: 0 recorded, 1 the client failed, 2 usage or scenario error.',
    )
    .parserConfiguration({ 'populate--': true })
    .positional('scenario', { type: 'string', describe: 'scenario id or file', demandOption: true })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: 'where to write the transcript (default: <scenario>.expected.json)',
    })
    .option('timeout', {
      alias: 't',
      type: 'number',
      default: 20,
      coerce: secondsValue('timeout'),
      describe: 'seconds before the client is killed',
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: 'write the transcript even when the client fails checks',
    })
    .example(
      '$0 record basic -o basic.expected.json -- python3 solution.py',
      "record the instructor's solution",
    );
}

type Args = Awaited<ReturnType<typeof recordOptions>['argv']> & { '--'?: Array<string | number> };

export async function record(args: Args): Promise<void> {
  const command = (args['--'] ?? []).map(String);
  if (!command.length) {
    process.stderr.write(
      "smtp-lab record: give the client command after '--', e.g. -- python3 smtp_client.py\n",
    );
    process.exit(2);
  }
  const scenario = await loadScenario(String(args.scenario));
  const out = path.resolve(args.out ?? `${scenario.id}.expected.json`);
  await checkOutputFile(out, '--out');
  let sessions: RunSession[] = [];
  const report = await gradeScenario(scenario, {
    command,
    timeoutMs: args.timeout * 1000,
    onRun: (run) => {
      sessions = run.sessions;
    },
  });
  // Comparing with the transcript being replaced is no reason to refuse a new one.
  const failed = report.checks.filter((c) => c.applicable && !c.passed && c.id !== 'matches-reference');
  const color = wantsColor(process.stderr);
  if (!sessions.length) {
    process.stderr.write(formatReports([report], 'text', { color }));
    process.stderr.write('smtp-lab record: the client never connected: nothing to record\n');
    process.exitCode = 1;
    return;
  }
  if (failed.length && !args.force) {
    process.stderr.write(formatReports([report], 'text', { color }));
    process.stderr.write(
      `smtp-lab record: not recorded, the client failed ${failed.map((c) => c.id).join(', ')} ` +
        '(a reference comes from a known-good client; --force records it anyway)\n',
    );
    process.exitCode = 1;
    return;
  }
  const reference = makeReference(scenario.id, sessions, command.join(' '));
  await writeFile(out, JSON.stringify(reference, null, 2) + '\n');
  const lines = reference.sessions.reduce((sum, s) => sum + s.lines.length, 0);
  process.stdout.write(
    `recorded ${scenario.id}: ${reference.sessions.length} session(s), ${lines} lines -> ${out}\n` +
      `use it: add "expected-transcript: ${path.basename(out)}" (relative to the scenario file) and the check matches-reference\n`,
  );
}
