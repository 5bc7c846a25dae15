import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, placeholders } from '../../src/i18n/messages.js';
import {
  formatIssue,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  scenarioErrorText,
  UnknownScenarioError,
  type ScenarioIssue,
} from '../../src/scenarios/load.js';
import { render, type Phrase, type ScenarioKey } from '../../src/scenarios/phrase.js';

/**
 * The scenario loader's problems in zh-CN. Each problem is a `scenario.` key and its
 * values; English renders exactly as ScenarioError's message (the goldens and load/authoring/bounds
 * tests pin those bytes), Chinese keeps the file, line, column and field and says the rest in Chinese.
 */

const BASE = 'id: bad\ntitle: t\nlesson: l\nchecks: [baseline]\n';

/** A broken file, and the key its first problem must have. */
const CASES: Array<[string, string, ScenarioKey]> = [
  ['an unknown key, with did-you-mean', `${BASE}sever: {}\n`, 'scenario.key.unknownHint'],
  ['an unknown key', `${BASE}x: 1\n`, 'scenario.key.unknown'],
  ['a duplicate key', `${BASE}title: again\n`, 'scenario.key.duplicate'],
  ['YAML syntax', 'id: bad\ntitle: [x\n', 'scenario.yaml.error'],
  ['an empty file', '', 'scenario.file.empty'],
  ['not a mapping at the top', '- a\n- b\n', 'scenario.notMapping'],
  ['an id not in kebab-case', BASE.replace('id: bad', 'id: Bad_Id'), 'scenario.notKebab'],
  ['a missing key', 'id: bad\ntitle: t\nchecks: [baseline]\n', 'scenario.missing'],
  ['not an integer', `${BASE}seed: 1.5\n`, 'scenario.notInteger'],
  ['not a number', `${BASE}seed: many\n`, 'scenario.notNumber'],
  ['not a size', `${BASE}server: {max-size: lots}\n`, 'scenario.size.notASize'],
  ['a size out of range', `${BASE}server: {max-size: 0K}\n`, 'scenario.size.outOfRange'],
  [
    'a word not allowed, with did-you-mean',
    `${BASE}server: {tls: starttlz}\n`,
    'scenario.oneOf.notAllowedHint',
  ],
  [
    'a word not allowed',
    `${BASE}rules: [{when: ehlo, reply: {code: 250, text: ok}}]\n`,
    'scenario.oneOf.notAllowed',
  ],
  ['not a boolean', `${BASE}server: {require-tls: yes please}\n`, 'scenario.notBoolean'],
  ['not a string', BASE.replace('title: t', 'title: [a]'), 'scenario.notString'],
  ['an empty string', BASE.replace('title: t', 'title: " "'), 'scenario.empty'],
  ['not a list', `${BASE}faults: {}\n`, 'scenario.notList'],
  ['an empty list', BASE.replace('checks: [baseline]', 'checks: []'), 'scenario.emptyList'],
  ['a trigger misspelt', `${BASE}faults: [{on: greting, do: close}]\n`, 'scenario.trigger.notHint'],
  [
    'an action with two keys',
    `${BASE}faults: [{on: greeting, do: {delay-ms: 1, close: fin}}]\n`,
    'scenario.action.twoKeys',
  ],
  ['a number out of range', `${BASE}faults: [{on: {command: 0}, do: close}]\n`, 'scenario.outOfRange'],
  [
    'a chance without a seed',
    `${BASE}faults: [{on: greeting, do: swallow, chance: 0.5}]\n`,
    'scenario.fault.needsSeed',
  ],
  [
    'a pattern RE2 refuses',
    `${BASE}rules: [{when: mail, match: "(?=x)", reply: {code: 250, text: ok}}]\n`,
    'scenario.pattern.invalid',
  ],
  [
    'a reply line with a line break',
    `${BASE}rules: [{when: mail, reply: {code: 250, text: "a\\nb"}}]\n`,
    'scenario.reply.lineBreak',
  ],
  [
    'an unknown check id',
    BASE.replace('[baseline]', '[baseline, {id: nope, points: 1}]'),
    'scenario.check.unknown',
  ],
  ['the preset twice', BASE.replace('[baseline]', '[baseline, baseline]'), 'scenario.check.presetTwice'],
  ['an unknown alias', `${BASE}seed: *nope\n`, 'scenario.alias.unknown'],
  ['an empty language mapping', BASE.replace('lesson: l', 'lesson: {}'), 'scenario.localized.empty'],
  [
    'a greylist setting that is none',
    `${BASE}server: {greylist: sometimes}\n`,
    'scenario.server.notGreylist',
  ],
  [
    'require-tls with no TLS',
    `${BASE}server: {tls: none, require-tls: true}\n`,
    'scenario.server.requireTlsNoTls',
  ],
  [
    'an AUTH mechanism the server lacks',
    `${BASE}server: {auth-mechanisms: [PLAIN, NTLM]}\n`,
    'scenario.server.mechanismUnknown',
  ],
  ['extends in text, not a file', `${BASE}extends: basic\n`, 'scenario.extends.notFile'],
];

function problems(text: string): ScenarioError {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
  throw new Error('the file loaded');
}

/** Every key a phrase reaches, itself and the phrases in its values. */
function keysOf(text: Phrase | string | number | undefined): string[] {
  if (text === undefined || typeof text !== 'object') return [];
  return [text.key, ...Object.values(text.params).flatMap(keysOf)];
}

const HAN = /\p{Script=Han}/u;

describe('the loader speaks the command language', () => {
  it.each(CASES)('%s: the same place, English as before, Chinese after the field', (_name, text, key) => {
    const err = problems(text);
    const first: ScenarioIssue = err.errors[0]!;
    expect(typeof first.text === 'object' ? first.text.key : first.text).toBe(key);
    // English: the line of ScenarioError's message, byte for byte.
    expect(formatIssue('bad.yaml', first)).toBe(err.message.split('\n')[0]);
    expect(render(first.text!, 'en')).toBe(first.message);
    // Chinese: the same file:line:col: field: prefix, then a Chinese sentence with every value filled.
    const place = `bad.yaml:${first.line}:${first.column}: ${first.field === '' ? '' : `${first.field}: `}`;
    const zh = formatIssue('bad.yaml', first, 'zh-CN');
    expect(zh.startsWith(place), zh).toBe(true);
    const said = zh.slice(place.length);
    expect(said, zh).toMatch(HAN);
    expect(said, zh).not.toMatch(/\{[A-Za-z][A-Za-z0-9]*\}/);
    expect(said, zh).not.toMatch(/\(expected|is not|did you mean|unknown key/);
    // Every phrase inside (what was expected, did-you-mean, how a value is named) is Chinese too.
    for (const inner of keysOf(first.text)) {
      expect(catalogue('zh-CN')[inner as ScenarioKey], inner).toBeDefined();
    }
  });

  it('ScenarioError.render(lang) gives every problem a line; the message stays English for library users', () => {
    const err = problems(`${BASE}sever: {}\nseed: many\n`);
    expect(err.errors).toHaveLength(2);
    const zh = err.render('zh-CN').split('\n');
    expect(zh).toHaveLength(2);
    expect(zh[0]).toBe(
      'bad.yaml:5:1: sever: 未知的键 "sever"，是不是想写 "server"？（应为以下之一：id, title, lesson, extends, server, rules, faults, seed, client, checks, reference, expect, expected-transcript, compare）',
    );
    expect(zh[1]).toBe('bad.yaml:6:7: seed: "many" 不是数字（应为整数）');
    expect(err.render('en')).toBe(err.message);
    expect(err.message).toContain('seed: "many" is not a number (expected an integer)');
    expect(scenarioErrorText(err, 'zh-CN')).toBe(err.render('zh-CN'));
  });

  it("keeps the YAML parser's own words inside the Chinese sentence", () => {
    const zh = problems('id: bad\ntitle: [x\n').render('zh-CN');
    expect(zh).toMatch(/^bad\.yaml:3:1: YAML 语法错误：Flow sequence .*（应为合法的 YAML）$/);
  });

  it('sets an ASCII value apart from Chinese with one space, a Chinese one not, nor from full-width punctuation', () => {
    const zh = problems(BASE.replace('id: bad', 'id: Bad_Id')).render('zh-CN');
    expect(zh).toContain('"Bad_Id" 不是 kebab-case 形式（应为 kebab-case 形式的 id：');
    const range = problems(`${BASE}rules: [{when: mail, reply: {code: 700, text: x}}]\n`).render('zh-CN');
    expect(range).toContain('700 超出范围（应为 200 到 599 之间的响应码）');
    // A value named in Chinese sits against the Chinese beside it: no space.
    const list = problems(BASE.replace('title: t', 'title: [a]')).render('zh-CN');
    expect(list).toBe('bad.yaml:2:8: title: 一个列表不是字符串（应为非空字符串，或 {en: ..., zh-CN: ...}）');
  });

  it('an unknown scenario id, in both languages', () => {
    const err = new UnknownScenarioError('basik', ['basic', 'qq']);
    expect(err.message).toBe('unknown scenario "basik" (closest: basic; or give the path of a .yaml file)');
    expect(err.render('zh-CN')).toBe('没有场景 "basik"（最接近的：basic；也可以给出 .yaml 文件的路径）');
    const none = new UnknownScenarioError('zzzzzz', ['basic', 'qq']);
    expect(none.message).toBe(
      'unknown scenario "zzzzzz" (built-in: basic, qq; or give the path of a .yaml file)',
    );
    expect(scenarioErrorText(none, 'zh-CN')).toBe(
      '没有场景 "zzzzzz"（内置场景：basic, qq；也可以给出 .yaml 文件的路径）',
    );
  });
});

describe('problems only a file has (extends, files it names), in zh-CN', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smtp-lab-errors-lang-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(id: string, body: string): Promise<ScenarioError> {
    const file = path.join(dir, `${id}.yaml`);
    await writeFile(file, `id: ${id}\ntitle: t\nlesson: l\n${body}`);
    return loadScenarioFile(file).then(
      () => {
        throw new Error(`${id} loaded`);
      },
      (err: unknown) => {
        if (err instanceof ScenarioError) return err;
        throw err;
      },
    );
  }

  it('an extends that names no scenario, with did-you-mean; a cycle; a missing image', async () => {
    const missing = await load('child', 'extends: basik\n');
    expect(missing.message).toContain(
      'extends: no scenario "basik" next to this file or built in, did you mean "basic"? (expected the id of a scenario to build on)',
    );
    expect(missing.render('zh-CN')).toContain(
      'extends: 这个文件旁边和内置场景中都没有场景 "basik"，是不是想写 "basic"？（应为要扩展的场景的 id）',
    );
    await load('loop-b', 'extends: loop-a\n').catch(() => undefined);
    const cycle = await load('loop-a', 'extends: loop-b\n');
    expect(cycle.render('zh-CN')).toMatch(
      /extends: "loop-a" 已经在扩展链中：loop-a -> loop-b -> loop-a（扩展不能成环）/,
    );
    const image = await load('pic', 'checks: [baseline]\nclient: {image: nothere.png}\n');
    expect(image.render('zh-CN')).toContain(
      `client.image: ${path.join(dir, 'nothere.png')} 处没有文件（应为相对于场景文件的文件路径）`,
    );
    for (const err of [missing, cycle, image]) {
      expect(
        err
          .render('zh-CN')
          .split('\n')
          .map((l) => l.split(': ')[0]),
      ).toEqual(err.message.split('\n').map((l) => l.split(': ')[0]));
    }
  });
});

describe('the scenario. messages', () => {
  const keys = Object.keys(catalogue('en')).filter((k): k is ScenarioKey => k.startsWith('scenario.'));

  it.each(keys)('%s renders in both languages with every value it names', (key) => {
    const names = placeholders(catalogue('en')[key]);
    const params = Object.fromEntries(names.map((n) => [n, `<${n}>`]));
    for (const lang of ['en', 'zh-CN'] as const) {
      const out = render({ key, params }, lang);
      for (const n of names) expect(out, `${lang}: ${out}`).toContain(`<${n}>`);
      expect(out).not.toMatch(/\{[A-Za-z][A-Za-z0-9]*\}/);
    }
  });
});
