// Build step: saves the top-level `smtp-lab --help` text next to the compiled CLI, so that
// bin/smtp-lab.js can print it without loading yargs (most of a cold start). Generated from the
// real parser on every build, so it cannot drift from it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/smtp-lab.js', import.meta.url));
const out = fileURLToPath(new URL('../dist/cli/help.txt', import.meta.url));
const run = spawnSync(process.execPath, [bin, '--help'], {
  encoding: 'utf8',
  env: { ...process.env, SMTP_LAB_NO_HELP_CACHE: '1' },
});
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  process.exit(run.status ?? 1);
}
writeFileSync(out, run.stdout);
