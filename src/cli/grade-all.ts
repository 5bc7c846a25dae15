import os from 'node:os';
import path from 'node:path';
import type { Argv } from 'yargs';
import { messages, type Messages } from '../i18n/messages.js';
import { writeFile } from 'node:fs/promises';
import { classIndexHtml } from '../grader/report-html.js';
import {
  displayName,
  gradeSubmissions,
  REPORT_FILES,
  summaryTable,
  type StudentResult,
} from '../grader/batch.js';
import { REPORT_FORMATS, type ReportFormat } from '../grader/formats.js';
import { loadScenarios, UsageError } from './usage.js';
import { enterSandboxNetwork } from './sandbox.js';
import { parseShard, type Shard } from '../grader/shard.js';
import { wantsColor } from '../transcript/render.js';
import type { Lang } from '../i18n/lang.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../protocol/defaults.js';
import { truncateWidth } from '../i18n/width.js';

export function gradeAllOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.gradeAll.usage', { dir: '{dir}' }))
    .option('submissions', {
      alias: 'd',
      type: 'string',
      demandOption: true,
      describe: m.t('cli.gradeAll.opt.submissions'),
    })
    .option('command', {
      alias: 'c',
      type: 'string',
      demandOption: true,
      describe: m.t('cli.gradeAll.opt.command', { dir: '{dir}' }),
    })
    .option('scenario', {
      alias: 's',
      type: 'string',
      array: true,
      default: ['basic'],
      describe: m.t('cli.gradeAll.opt.scenario'),
    })
    .option('jobs', {
      alias: 'j',
      type: 'number',
      default: os.availableParallelism(),
      describe: m.t('cli.gradeAll.opt.jobs'),
    })
    .option('timeout', {
      alias: 't',
      type: 'number',
      default: DEFAULT_CLIENT_TIMEOUT_MS / 1000,
      describe: m.t('cli.gradeAll.opt.timeout'),
    })
    .option('format', {
      alias: 'f',
      choices: REPORT_FORMATS,
      default: 'text' as ReportFormat,
      describe: m.t('cli.gradeAll.opt.format'),
    })
    .option('out-dir', {
      alias: 'o',
      type: 'string',
      default: 'smtp-lab-grades',
      describe: m.t('cli.gradeAll.opt.outDir'),
    })
    .option('strict', { type: 'boolean', default: false, describe: m.t('cli.gradeAll.opt.strict') })
    .option('work-dir', {
      type: 'string',
      describe: m.t('cli.gradeAll.opt.workDir'),
    })
    .option('shard', {
      type: 'string',
      describe: m.t('cli.gradeAll.opt.shard'),
    })
    .option('sandbox', {
      type: 'boolean',
      default: false,
      describe: m.t('cli.gradeAll.opt.sandbox'),
    })
    .example(
      "$0 grade-all -d submissions -c 'python3 {dir}/smtp_client.py' -s basic -s fragmented-replies",
      m.t('cli.gradeAll.example.1'),
    )
    .example(
      "$0 grade-all -d submissions -c 'python3 {dir}/smtp_client.py' --sandbox --shard 2/8 -o shard-2",
      m.t('cli.gradeAll.example.2'),
    )
    .example(
      "$0 grade-all -d subs -c 'java -cp {dir} SmtpClient' -f gradescope -o grades --jobs 4",
      m.t('cli.gradeAll.example.3'),
    );
}

type Args = Awaited<ReturnType<typeof gradeAllOptions>['argv']> & { lang?: Lang };

export async function gradeAll(args: Args): Promise<void> {
  const m = messages(args.lang);
  const usage = (message: string): void => {
    process.stderr.write(`${m.t('cli.commandError', { command: 'grade-all', message })}\n`);
    process.exitCode = 2;
  };
  if (!Number.isFinite(args.jobs) || args.jobs < 1) return usage(m.t('cli.gradeAll.jobs'));
  if (!Number.isFinite(args.timeout) || args.timeout <= 0) return usage(m.t('cli.usage.timeout'));
  let shard: Shard | undefined;
  try {
    shard = args.shard !== undefined ? parseShard(args.shard) : undefined;
  } catch (err) {
    return usage((err as Error).message);
  }
  let scenarios;
  try {
    scenarios = await loadScenarios(args.scenario, m);
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    throw err;
  }
  if (args.sandbox && !(await enterSandboxNetwork('grade-all', m))) return;
  const progress = new Progress(process.stderr, m);
  try {
    const result = await gradeSubmissions({
      submissions: args.submissions,
      command: args.command,
      scenarios,
      jobs: args.jobs,
      timeoutMs: args.timeout * 1000,
      strict: args.strict,
      ...(args.lang ? { lang: args.lang } : {}),
      format: args.format,
      outDir: args['out-dir'],
      ...(args['work-dir'] ? { workDir: args['work-dir'] } : {}),
      ...(shard ? { shard } : {}),
      ...(args.sandbox ? { sandbox: true } : {}),
      onProgress: (p) => progress.update(p.done, p.total, p.student),
    });
    progress.end();
    if (args.format === 'html') {
      await writeFile(path.join(result.outDir, 'index.html'), classIndexHtml(result, args.lang));
    }
    if (!result.students.length) {
      process.stderr.write(`${m.t('cli.gradeAll.noSubmissions', { dir: args.submissions })}\n`);
    }
    const color = wantsColor(process.stdout);
    const table = summaryTable(result, {
      color,
      ...(args.lang ? { lang: args.lang } : {}),
      ...(process.stdout.isTTY ? { width: process.stdout.columns } : {}),
    });
    const rel = (p: string) => {
      const r = path.relative(process.cwd(), p);
      return r && !r.startsWith('..') ? r : p;
    };
    const text =
      table +
      `\n${rel(result.files.csv)}  ${rel(result.files.summary)}  ${rel(result.files.json)}\n` +
      (args.format === 'json'
        ? m.t('cli.gradeAll.reports', { dir: rel(path.join(result.outDir, 'students')) })
        : m.t('cli.gradeAll.reportsAnd', {
            dir: rel(path.join(result.outDir, 'students')),
            file: REPORT_FILES[args.format],
          })) +
      (shard ? `\n${m.t('cli.gradeAll.shard', { index: shard.index, count: shard.count })}` : '') +
      (args.sandbox ? `\n${m.t('cli.gradeAll.sandboxed')}` : '') +
      // The class page is named at the end of the line above it, as it always was.
      (args.format === 'html'
        ? m.t('cli.gradeAll.classIndex', { file: rel(path.join(result.outDir, 'index.html')) })
        : '') +
      `\n${m.t('cli.gradeAll.done', { students: result.students.length, scenarios: scenarios.length, seconds: (result.durationMs / 1000).toFixed(1), jobs: result.jobs })}\n`;
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    process.exitCode = 0;
  } catch (err) {
    progress.end();
    if (err instanceof UsageError) return usage(err.message);
    process.stderr.write(`${m.t('cli.gradeAll.failed', { message: (err as Error).message })}\n`);
    process.exitCode = 1;
  }
}

/** A progress bar on a terminal; one plain line per student otherwise (logs, CI). */
export class Progress {
  private readonly tty: boolean;
  private readonly started = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly m: Messages = messages(),
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, total: number, student: StudentResult): void {
    const name = displayName(student.student);
    const line = `${student.score}/${student.maxScore} ${student.statusText}`;
    if (!this.tty) {
      this.stream.write(`${this.m.t('cli.gradeAll.progress', { done, total, name, line })}\n`);
      return;
    }
    const width = Math.max(20, Math.min(40, (this.stream.columns || 80) - 60));
    const filled = Math.round((done / total) * width);
    const seconds = (performance.now() - this.started) / 1000;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const params = { bar, done, total, seconds: seconds.toFixed(0), name, line };
    let text =
      done < total
        ? this.m.t('cli.gradeAll.barEta', { ...params, left: Math.ceil((seconds / done) * (total - done)) })
        : this.m.t('cli.gradeAll.bar', params);
    const columns = this.stream.columns || 80;
    text = truncateWidth(text, columns - 1); // by display width: a Chinese name takes two columns a character
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }

  end(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
