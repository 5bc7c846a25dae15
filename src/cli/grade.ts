import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { messages, type Messages } from '../i18n/messages.js';
import { formatReports, REPORT_FORMATS, type ReportFormat } from '../grader/formats.js';
import type { Lang } from '../i18n/lang.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../protocol/defaults.js';
import { gradeScenario, killClients, makeJavaTrustStore, startScenarioServer } from '../grader/run.js';
import type { GradeReport } from '../grader/report.js';
import { onInterrupt, scratchBase } from '../grader/scratch.js';
import type { resolveScenario } from '../scenarios/load.js';
import { createTestCa } from '../server/index.js';
import { wantsColor } from '../transcript/render.js';
import { checkOutputFile, loadScenarios, secondsValue } from './usage.js';
import { enterSandboxNetwork } from './sandbox.js';

export function gradeOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.grade.usage', { host: '{host}', port: '{port}', tls: '{tls}' }))
    .parserConfiguration({ 'populate--': true })
    .option('scenario', {
      alias: 's',
      type: 'string',
      array: true,
      default: ['basic'],
      describe: m.t('cli.grade.opt.scenario'),
    })
    .option('timeout', {
      alias: 't',
      type: 'number',
      default: DEFAULT_CLIENT_TIMEOUT_MS / 1000,
      coerce: secondsValue('timeout', m),
      describe: m.t('cli.grade.opt.timeout'),
    })
    .option('format', {
      alias: 'f',
      choices: REPORT_FORMATS,
      default: 'text' as ReportFormat,
      describe: m.t('cli.grade.opt.format'),
    })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: m.t('cli.grade.opt.out'),
    })
    .option('strict', { type: 'boolean', default: false, describe: m.t('cli.grade.opt.strict') })
    .option('work-dir', {
      type: 'string',
      describe: m.t('cli.grade.opt.workDir'),
    })
    .option('sandbox', {
      type: 'boolean',
      default: false,
      describe: m.t('cli.grade.opt.sandbox'),
    })
    .example('$0 grade -s basic -s fragmented-replies -- python3 smtp_client.py', m.t('cli.grade.example.1'))
    .example(
      '$0 grade -s basic -f gradescope -o results.json -- python3 client.py {host} {port}',
      m.t('cli.grade.example.2'),
    );
}

type Args = Awaited<ReturnType<typeof gradeOptions>['argv']> & { '--'?: Array<string | number>; lang?: Lang };

export async function grade(args: Args): Promise<void> {
  const command = (args['--'] ?? []).map(String);
  const m = messages(args.lang);
  if (!command.length) {
    process.stderr.write(`${m.t('cli.grade.noCommand')}\n`);
    process.exit(2);
  }
  const scenarios = await loadScenarios(args.scenario, m);
  if (args.out !== undefined) await checkOutputFile(args.out, '--out', m);
  if (args.sandbox && !(await enterSandboxNetwork('grade', m))) return;
  const reports = await gradeScenarios(scenarios, command, {
    timeoutMs: args.timeout * 1000,
    strict: args.strict,
    ...(args.lang ? { lang: args.lang } : {}),
    ...(args.sandbox ? { sandbox: true } : {}),
    ...(args['work-dir'] ? { workDir: path.resolve(args['work-dir']) } : {}),
  });
  const toFile = args.out !== undefined;
  const text = formatReports(reports, args.format, {
    color: !toFile && wantsColor(process.stdout),
    ...(args.lang ? { lang: args.lang } : {}),
  });
  if (toFile) await writeFile(args.out!, text);
  else await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  const failed = reports.some((r) => r.checks.some((c) => c.applicable && !c.passed));
  process.exitCode = failed ? 1 : 0;
}

/**
 * Grades one command under several scenarios, one after the other, sharing one CA. Without a
 * `workDir` the runs' folders live in a temporary folder that is deleted when grading ends,
 * whether it succeeds, fails or is stopped by a signal.
 */
export async function gradeScenarios(
  scenarios: Awaited<ReturnType<typeof resolveScenario>>[],
  command: string[],
  options: {
    timeoutMs: number;
    strict: boolean;
    workDir?: string;
    cwd?: string;
    sandbox?: boolean;
    lang?: Lang;
  },
): Promise<GradeReport[]> {
  if (options.workDir !== undefined) return gradeScenariosIn(options.workDir, scenarios, command, options);
  const root = await mkdtemp(path.join(await scratchBase(), 'smtp-lab-grade-'));
  const forget = onInterrupt(() => {
    killClients();
    rmSync(root, { recursive: true, force: true });
  });
  try {
    return await gradeScenariosIn(root, scenarios, command, options);
  } finally {
    forget();
    await rm(root, { recursive: true, force: true });
  }
}

async function gradeScenariosIn(
  root: string,
  scenarios: Awaited<ReturnType<typeof resolveScenario>>[],
  command: string[],
  options: { timeoutMs: number; strict: boolean; cwd?: string; sandbox?: boolean; lang?: Lang },
): Promise<GradeReport[]> {
  const ca = await createTestCa();
  const usesJava = /(^|\/)(java|mvn|gradle|kotlin|scala)$/.test(command[0] ?? '');
  const javaTrustStore = usesJava ? await makeJavaTrustStore(ca, path.join(root, 'java')) : undefined;
  // Every scenario's server starts now, together: their backends warm up (smtp-server greets only
  // 100 ms after a connection) at once instead of once per scenario, before its client runs.
  const servers = scenarios.map((scenario) =>
    startScenarioServer(scenario, path.join(root, scenario.id), ca),
  );
  const reports: GradeReport[] = [];
  try {
    for (const [i, scenario] of scenarios.entries()) {
      reports.push(
        await gradeScenario(scenario, {
          command,
          timeoutMs: options.timeoutMs,
          strict: options.strict,
          ...(options.lang ? { lang: options.lang } : {}),
          workDir: path.join(root, scenario.id),
          ca,
          server: servers[i]!,
          ...(options.cwd ? { cwd: options.cwd } : {}),
          ...(javaTrustStore ? { javaTrustStore } : {}),
          // The other scenarios' folders (mailboxes) are hidden with the root, and whatever sits
          // next to the graded folder (on Gradescope: /autograder/source and results).
          ...(options.sandbox ? { sandbox: { hide: sandboxHidden(root, options.cwd) } } : {}),
        }),
      );
    }
  } finally {
    // Servers of scenarios not reached (an error midway) are stopped here; the others already are.
    await Promise.all(
      servers.slice(reports.length).map((s) =>
        s.then(
          (server) => server.stop(),
          () => undefined,
        ),
      ),
    );
  }
  return reports;
}

/** Folders a sandboxed `grade` hides: its work root and the graded folder's siblings. */
function sandboxHidden(root: string, cwd = process.cwd()): string[] {
  const parent = path.dirname(path.resolve(cwd));
  return parent === '/' ? [root] : [root, parent];
}
