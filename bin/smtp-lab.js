#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli (built by `npm run build`, which `npm ci` runs via prepare).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// A reader that stopped reading (`smtp-lab checks | head`) ends the command quietly, as SIGPIPE
// ends a C tool: no stack trace, and 141 (128 + SIGPIPE) so a pipeline's status stays honest.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}
// `smtp-lab --help` is printed from the text the build saved from the real parser, in the language
// SMTP_LAB_LANG or the locale asks for: loading the parser (yargs) is most of a cold start.
// SMTP_LAB_NO_HELP_CACHE=1 asks the parser itself.
if (args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !process.env.SMTP_LAB_NO_HELP_CACHE) {
  try {
    const { resolveLang } = await import('../dist/i18n/lang.js');
    const lang = resolveLang(undefined, process.env);
    const file = lang === 'en' ? 'help.txt' : `help.${lang}.txt`;
    process.stdout.write(readFileSync(new URL(`../dist/cli/${file}`, import.meta.url)));
    process.exit(0);
  } catch {
    // no saved help (a build without the help step), or a SMTP_LAB_LANG that is not a language:
    // fall through to the parser, which says so
  }
}
import('../dist/cli/main.js')
  .then((cli) => cli.main(args))
  .catch((err) => {
    process.stderr.write(`smtp-lab: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  });
