import yargs, { type Argv } from 'yargs';
import { refuseLineBreaks } from './args.js';
import { chooseLang } from './lang.js';
import { usageMessage } from './usage.js';

/**
 * The smtp-lab command line. Each command lives in its own module and is imported only when it
 * runs, so `smtp-lab --help` starts fast.
 */
export async function main(argv: string[]): Promise<void> {
  const parser: Argv = yargs(argv)
    .scriptName('smtp-lab')
    .usage(
      '$0 <command> [options]\n\nA lab mail server, a reference SMTP client and a grader for SMTP-client assignments.',
    )
    .command(
      'demo',
      'the assignment done right: the reference client sends text and an image through STARTTLS and AUTH to the embedded lab server',
      async (y) => (await import('./demo.js')).demoOptions(y),
      async (args) => (await import('./demo.js')).demo(args),
    )
    .command(
      'serve',
      'run the lab SMTP server: records every byte, real TLS (STARTTLS and implicit), AUTH, durable mailbox',
      async (y) => (await import('./serve.js')).serveOptions(y),
      async (args) => (await import('./serve.js')).serve(args),
    )
    .command(
      'send',
      'send a mail with the reference client over a raw socket, showing every step',
      async (y) => (await import('./send.js')).sendOptions(y),
      async (args) => (await import('./send.js')).send(args),
    )
    .command(
      'explain <code..>',
      'explain a reply code (535) or enhanced status code (5.7.8): meaning, RFC, what a client should do next',
      async (y) => (await import('./explain.js')).explainOptions(y),
      async (args) => (await import('./explain.js')).explain(args),
    )
    .command(
      'scenarios',
      'list the built-in lab scenarios: id, title and lesson',
      async (y) => (await import('./scenarios.js')).scenariosOptions(y),
      async (args) => (await import('./scenarios.js')).scenarios(args),
    )
    .command(
      'checks',
      'list every check id: its title, what it judges and its tier',
      async (y) => (await import('./checks.js')).checksOptions(y),
      async (args) => (await import('./checks.js')).checks(args),
    )
    .command(
      'lab <scenario>',
      'run the lab server under a scenario: point your own client at it, see every reply explained and the checks judged',
      async (y) => (await import('./lab.js')).labOptions(y),
      async (args) => (await import('./lab.js')).lab(args),
    )
    .command(
      'grade',
      'grade any client command against scenarios: score, wire evidence and hints (text, JSON, Gradescope, JUnit, TAP)',
      async (y) => (await import('./grade.js')).gradeOptions(y),
      async (args) => (await import('./grade.js')).grade(args),
    )
    .command(
      'grade-all',
      'grade every student folder of a class in parallel: progress, summary table, scores.csv, one report each',
      async (y) => (await import('./grade-all.js')).gradeAllOptions(y),
      async (args) => (await import('./grade-all.js')).gradeAll(args),
    )
    .command(
      'merge <shards..>',
      'combine the out-dirs of grade-all --shard K/N runs into one scores.csv, summary.txt, batch.json',
      async (y) => (await import('./merge.js')).mergeOptions(y),
      async (args) => (await import('./merge.js')).merge(args),
    )
    .command(
      'autograder',
      'build the Gradescope autograder zip in one command: setup.sh, run_autograder and this smtp-lab inside',
      async (y) => (await import('./autograder.js')).autograderOptions(y),
      async (args) => (await import('./autograder.js')).autograder(args),
    )
    .command(
      'record <scenario>',
      "save a known-good client's exchange as a scenario's expected transcript (normalised), for the matches-reference check",
      async (y) => (await import('./record.js')).recordOptions(y),
      async (args) => (await import('./record.js')).record(args),
    )
    .option('lang', {
      type: 'string',
      global: true,
      describe: 'language of messages: en or zh-CN (default: SMTP_LAB_LANG, then the locale)',
    })
    .middleware((args) => refuseLineBreaks(args))
    .middleware(async (args) => {
      await chooseLang(args);
    })
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      process.stderr.write(`smtp-lab: ${message}\nRun 'smtp-lab --help' for usage.\n`);
      process.exit(2);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    // The user's to fix (a bad value, an unknown scenario, a port in use): one line, exit 2.
    const message = usageMessage(err);
    if (message === undefined) throw err;
    process.stderr.write(`smtp-lab: ${message}\n`);
    process.exitCode = 2;
  }
}
