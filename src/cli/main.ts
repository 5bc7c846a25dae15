import yargs, { type Argv } from 'yargs';
import { messages } from '../i18n/messages.js';
import { refuseLineBreaks } from './args.js';
import { chooseLang, langFromArgv } from './lang.js';
import { usageMessage } from './usage.js';

/**
 * The smtp-lab command line. Each command lives in its own module and is imported only when it
 * runs, so `smtp-lab --help` starts fast.
 */
export async function main(argv: string[]): Promise<void> {
  // The language is known before parsing, so --help, the parser's errors and every option's
  // check speak it; chooseLang (below) still reports a --lang that is not a language.
  const lang = langFromArgv(argv);
  const m = messages(lang);
  const parser: Argv = yargs(argv)
    .scriptName('smtp-lab')
    .locale(lang === 'zh-CN' ? 'zh_CN' : 'en')
    .usage(m.t('cli.main.usage'))
    .command(
      'demo',
      m.t('cli.main.cmd.demo'),
      async (y) => (await import('./demo.js')).demoOptions(y, m),
      async (args) => (await import('./demo.js')).demo(args),
    )
    .command(
      'serve',
      m.t('cli.main.cmd.serve'),
      async (y) => (await import('./serve.js')).serveOptions(y, m),
      async (args) => (await import('./serve.js')).serve(args),
    )
    .command(
      'send',
      m.t('cli.main.cmd.send'),
      async (y) => (await import('./send.js')).sendOptions(y, m),
      async (args) => (await import('./send.js')).send(args),
    )
    .command(
      'explain <code..>',
      m.t('cli.main.cmd.explain'),
      async (y) => (await import('./explain.js')).explainOptions(y, m),
      async (args) => (await import('./explain.js')).explain(args),
    )
    .command(
      'scenarios',
      m.t('cli.main.cmd.scenarios'),
      async (y) => (await import('./scenarios.js')).scenariosOptions(y, m),
      async (args) => (await import('./scenarios.js')).scenarios(args),
    )
    .command(
      'checks',
      m.t('cli.main.cmd.checks'),
      async (y) => (await import('./checks.js')).checksOptions(y, m),
      async (args) => (await import('./checks.js')).checks(args),
    )
    .command(
      'lab <scenario>',
      m.t('cli.main.cmd.lab'),
      async (y) => (await import('./lab.js')).labOptions(y, m),
      async (args) => (await import('./lab.js')).lab(args),
    )
    .command(
      'grade',
      m.t('cli.main.cmd.grade'),
      async (y) => (await import('./grade.js')).gradeOptions(y, m),
      async (args) => (await import('./grade.js')).grade(args),
    )
    .command(
      'grade-all',
      m.t('cli.main.cmd.gradeAll'),
      async (y) => (await import('./grade-all.js')).gradeAllOptions(y, m),
      async (args) => (await import('./grade-all.js')).gradeAll(args),
    )
    .command(
      'merge <shards..>',
      m.t('cli.main.cmd.merge'),
      async (y) => (await import('./merge.js')).mergeOptions(y, m),
      async (args) => (await import('./merge.js')).merge(args),
    )
    .command(
      'autograder',
      m.t('cli.main.cmd.autograder'),
      async (y) => (await import('./autograder.js')).autograderOptions(y, m),
      async (args) => (await import('./autograder.js')).autograder(args),
    )
    .command(
      'record <scenario>',
      m.t('cli.main.cmd.record'),
      async (y) => (await import('./record.js')).recordOptions(y, m),
      async (args) => (await import('./record.js')).record(args),
    )
    .option('lang', {
      type: 'string',
      global: true,
      describe: m.t('cli.main.opt.lang'),
    })
    .middleware((args) => refuseLineBreaks(args, m))
    .middleware(async (args) => {
      await chooseLang(args);
    })
    .demandCommand(1, m.t('cli.main.demandCommand'))
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      process.stderr.write(`${m.t('cli.main.usageError', { message })}\n`);
      process.exit(2);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    // The user's to fix (a bad value, an unknown scenario, a port in use): one line, exit 2.
    const message = usageMessage(err, m);
    if (message === undefined) throw err;
    process.stderr.write(`${m.t('cli.main.error', { message })}\n`);
    process.exitCode = 2;
  }
}
