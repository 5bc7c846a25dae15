#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli (built by `npm run build`, which `npm ci` runs via prepare).
import('../dist/cli/main.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .catch((err) => {
    process.stderr.write(`smtp-lab: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  });
