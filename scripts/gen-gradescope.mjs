// Writes docs/gradescope/setup.sh and run_autograder: what `smtp-lab autograder` puts in its zip
// for the example assignment (src/cli/autograder.ts DOCS_EXAMPLE). Run after `npm run build`;
// test/cli/install.test.ts fails when the checked-in files drift from the generator.
import { chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCS_EXAMPLE, runAutograderScript, setupScript } from '../dist/cli/autograder.js';

const dir = fileURLToPath(new URL('../docs/gradescope/', import.meta.url));
for (const [name, text] of [
  ['setup.sh', setupScript(DOCS_EXAMPLE)],
  ['run_autograder', runAutograderScript(DOCS_EXAMPLE)],
]) {
  writeFileSync(dir + name, text);
  chmodSync(dir + name, 0o755);
}
