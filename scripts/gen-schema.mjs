// Build step: writes scenarios/scenario.schema.json, the JSON Schema an instructor's editor
// (yaml-language-server) reads to complete and check a scenario file, from the compiled
// src/scenarios/json-schema.ts: the same word lists the loader reads, so it cannot drift from
// them. test/scenarios/json-schema.test.ts fails when the shipped file is not current.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const { scenarioJsonSchema } = await import('../dist/scenarios/json-schema.js');
const out = fileURLToPath(new URL('../scenarios/scenario.schema.json', import.meta.url));
let text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
try {
  // Formatted as `npm run lint` wants it; prettier is a devDependency, absent in an installed package.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(out)) ?? {};
  text = await prettier.format(text, { ...options, filepath: out });
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
const old = await readFile(out, 'utf8').catch(() => '');
if (old !== text) await writeFile(out, text);
