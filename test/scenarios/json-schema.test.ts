import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema } from '../../src/scenarios/json-schema.js';
import { builtinScenarioDir, parseScenario, ScenarioError } from '../../src/scenarios/load.js';

/**
 * scenarios/scenario.schema.json: generated from the loader's word lists by `npm run build`
 * (scripts/gen-schema.mjs), shipped with the package, named by every built-in file for
 * yaml-language-server. A maintained validator (ajv, strict) compiles it and accepts every file
 * the loader accepts here; files the loader refuses for a word or a key it refuses too.
 */

const dir = builtinScenarioDir();
const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const shipped = JSON.parse(await readFile(path.join(dir, 'scenario.schema.json'), 'utf8')) as object;
// Strict, but a `not: { required }` (reference or its old spelling expect) names keys defined above it.
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
const validate = ajv.compile(scenarioJsonSchema());
const builtins = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();

function errors(text: string): string[] {
  return validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('the scenario JSON Schema', () => {
  it('is current: the shipped file is what the loader’s word lists give (npm run build writes it)', () => {
    expect(shipped).toEqual(scenarioJsonSchema());
  });

  it('ships with the package: scenarios/ is in package.json files', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('scenarios');
  });

  it('is draft-07, what yaml-language-server reads', () => {
    expect(shipped).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' });
  });

  it.each(builtins)('accepts the built-in %s', async (name) => {
    const text = await readFile(path.join(dir, name), 'utf8');
    expect(errors(text)).toEqual([]);
  });

  it.each(['everything.yaml', 'faults.yaml', 'minimal.yaml'])(
    'accepts the loader’s fixture %s',
    async (name) => {
      const text = await readFile(path.join(fixtures, name), 'utf8');
      parseScenario(text, name);
      expect(errors(text)).toEqual([]);
    },
  );

  const HEAD = 'id: lab\ntitle: A lab\nlesson: Something worth learning.\n';
  it('accepts a file that extends another without checks of its own, as the loader does', () => {
    expect(errors(`${HEAD}extends: basic\nserver: { max-size: 1G }\n`)).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', 'chekcs: []\nchecks: [baseline]\n', ''],
    ['a TLS offer the server does not have', 'server: { tls: ssl }\nchecks: [baseline]\n', '/server/tls'],
    ['an unknown persona', 'server: { persona: outlook }\nchecks: [baseline]\n', '/server/persona'],
    ['a check id not in the rubric', 'checks:\n  - { id: greeting, points: 1 }\n', '/checks/0'],
    [
      'a preset leaving out a check it does not hold',
      'checks:\n  - baseline: { except: [auth] }\n',
      '/checks/0',
    ],
    [
      'a trigger with two keys',
      'faults:\n  - { on: { command: 1, verb: EHLO }, do: swallow }\nchecks: [baseline]\n',
      '/faults/0/on',
    ],
    [
      'an unknown action word',
      'faults:\n  - { on: greeting, do: explode }\nchecks: [baseline]\n',
      '/faults/0/do',
    ],
    ['a size without a number', 'server: { max-size: lots }\nchecks: [baseline]\n', '/server/max-size'],
    ['a reply code out of range', 'reference: { code: 700 }\nchecks: [baseline]\n', '/reference/code'],
    ['neither checks nor extends', 'server: { tls: none }\n', ''],
    ['both reference and its old spelling expect', 'reference: {}\nexpect: {}\nchecks: [baseline]\n', ''],
  ])('refuses %s, as the loader does', (_what, body, where) => {
    const text = HEAD + body;
    expect(() => parseScenario(text, 'lab.yaml')).toThrow(ScenarioError);
    const found = errors(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((e) => e.startsWith(`${where} `) || e.startsWith(`${where}/`))).toBe(true);
  });
});
