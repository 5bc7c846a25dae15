// Build step: saves the top-level `smtp-lab --help` text, in each language, next to the compiled
// CLI (help.txt in English, help.<lang>.txt otherwise), so that bin/smtp-lab.js can print it
// without loading yargs (most of a cold start). Generated from the real parser on every build, so
// it cannot drift from it; the language is set explicitly, whatever the builder's locale.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/smtp-lab.js', import.meta.url));
for (const lang of ['en', 'zh-CN']) {
  const out = fileURLToPath(
    new URL(`../dist/cli/${lang === 'en' ? 'help' : `help.${lang}`}.txt`, import.meta.url),
  );
  const run = spawnSync(process.execPath, [bin, '--help'], {
    encoding: 'utf8',
    env: { ...process.env, SMTP_LAB_NO_HELP_CACHE: '1', SMTP_LAB_LANG: lang },
  });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(run.status ?? 1);
  }
  writeFileSync(out, run.stdout);
}
