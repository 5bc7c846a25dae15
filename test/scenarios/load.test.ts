import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  builtinScenarioDir,
  listBuiltinScenarios,
  loadBuiltinScenario,
  loadScenarioFile,
  parseScenario,
  resolveScenario,
  ScenarioError,
  UnknownScenarioError,
  type ScenarioIssue,
} from '../../src/scenarios/load.js';
import type { Scenario } from '../../src/scenarios/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const fixture = (name: string): string => path.join(fixtures, name);

/** Line and column (1-based) of the nth occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`fixture has no occurrence ${nth} of ${JSON.stringify(needle)}`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function problems(text: string, source = 'lab.yaml'): ScenarioError {
  try {
    parseScenario(text, source);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError, the scenario was accepted');
}

/** The one problem reported for `field`. */
function issue(text: string, field: string): ScenarioIssue {
  const found = problems(text).errors.filter((e) => e.field === field);
  expect(found, `problems for ${field}: ${JSON.stringify(problems(text).errors)}`).toHaveLength(1);
  return found[0]!;
}

const HEAD = `id: lab
title: A lab
lesson: Something worth learning.
`;
const CHECKS = `checks:
  - { id: greets, points: 1 }
`;
/** A valid scenario with `extra` (top-level YAML) between the head and the checks. */
const withExtra = (extra: string): string => `${HEAD}${extra}${CHECKS}`;

describe('valid files', () => {
  it('fills every default in a minimal scenario', async () => {
    const s = await loadScenarioFile(fixture('minimal.yaml'));
    expect(s).toEqual<Scenario>({
      id: 'minimal',
      title: "The assignment's exchange",
      lesson:
        'A mail client greets, names the sender and the recipient, sends the message and says goodbye, ' +
        'waiting for each reply before the next command.',
      server: {
        tls: 'starttls',
        requireTls: false,
        auth: 'optional',
        authMechanisms: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
        accounts: [{ user: 'student@smtp-lab.test', pass: 'lab-password' }],
        maxSize: 52_428_800,
        persona: 'default',
        certificate: 'valid',
        hideExtensions: [],
        requireFromHeader: false,
        greylistMs: undefined,
        credentials: 'any',
      },
      rules: [],
      faults: [],
      seed: undefined,
      client: {
        from: 'student@smtp-lab.test',
        to: ['teacher@smtp-lab.test'],
        tls: 'starttls',
        auth: false,
        subject: undefined,
        body: undefined,
        image: undefined,
      },
      checks: [{ id: 'greets', points: 1, tier: 'baseline', hint: undefined }],
      reference: { delivered: 1, failsAt: undefined, code: undefined },
      source: fixture('minimal.yaml'),
    });
  });

  it('maps every server, rule, client, check and reference field', async () => {
    const s = await loadScenarioFile(fixture('everything.yaml'));
    expect(s.server).toEqual({
      tls: 'implicit',
      requireTls: true,
      auth: 'required',
      authMechanisms: ['LOGIN', 'PLAIN'],
      accounts: [
        { user: 'alice@smtp-lab.test', pass: 'auth-code-1' },
        { user: 'bob@smtp-lab.test', pass: 'auth-code-2' },
      ],
      maxSize: 25 * 1024 * 1024,
      persona: 'qq',
      certificate: 'expired',
      hideExtensions: ['PIPELINING', '8BITMIME'],
      requireFromHeader: true,
      greylistMs: 250,
      credentials: 'accounts',
    });
    expect(s.rules).toEqual([
      { when: 'rcpt', match: '^nobody@', nth: undefined, reply: { code: 550, text: '5.1.1 No such user' } },
      {
        when: 'auth',
        match: undefined,
        nth: 1,
        reply: {
          code: 535,
          text: [
            '5.7.8 Username and Password not accepted.',
            '5.7.8 Learn more at https://support.example/auth',
          ],
        },
      },
    ]);
    expect(s.client).toEqual({
      from: 'alice@smtp-lab.test',
      to: ['carol@smtp-lab.test', 'nobody@smtp-lab.test'],
      tls: 'implicit',
      auth: true,
      subject: 'Lab report',
      body: 'Hello,\n.this line starts with a dot.\n',
      image: fixture('images/lab.png'),
    });
    expect(s.checks).toEqual([
      { id: 'auth', points: 2, tier: 'baseline', hint: 'Send the authorization code as the password.' },
      { id: 'handles-rejection', points: 1.5, tier: 'robustness', hint: undefined },
      { id: 'mime-structure', points: 0, tier: 'optional', hint: undefined },
    ]);
    expect(s.reference).toEqual({ delivered: 1, failsAt: 'rcpt', code: 550 });
    expect(s.lesson).toBe(
      'QQ Mail on port 465 speaks TLS from the first byte and wants an authorization code, not the\nweb password.',
    );
  });

  it('maps every trigger and action form exactly', async () => {
    const s = await loadScenarioFile(fixture('faults.yaml'));
    expect(s.seed).toBe(42);
    expect(s.faults).toEqual([
      {
        on: { kind: 'every-reply' },
        do: { kind: 'fragment', size: 3, gapMs: 20 },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'greeting' },
        do: { kind: 'delay', ms: 1500 },
        times: 1,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'command', n: 2 },
        do: { kind: 'throttle', bytesPerSecond: 100 },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'verb', verb: 'EHLO' },
        do: { kind: 'multiline', lines: ['smtp-lab.test', 'PIPELINING', 'SIZE 1000'] },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'reply', code: 250 },
        do: { kind: 'replace', reply: { code: 451, text: '4.3.0 Try again' } },
        times: undefined,
        connections: undefined,
        chance: 0.5,
      },
      {
        on: { kind: 'data-byte', n: 100 },
        do: { kind: 'close', how: 'fin' },
        times: undefined,
        connections: [1],
        chance: undefined,
      },
      {
        on: { kind: 'after', ms: 5000 },
        do: { kind: 'close', how: 'rst' },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'verb', verb: 'RCPT' },
        do: { kind: 'garbage', bytes: 'junk\r\nmore junk' },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'verb', verb: 'DATA' },
        do: { kind: 'swallow' },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
      {
        on: { kind: 'reply', code: 354 },
        do: { kind: 'reply-and-close', reply: { code: 421, text: '4.4.2 Bye' } },
        times: undefined,
        connections: [2, 3],
        chance: undefined,
      },
      {
        on: { kind: 'verb', verb: 'STARTTLS' },
        do: { kind: 'tls-abort' },
        times: undefined,
        connections: undefined,
        chance: undefined,
      },
    ]);
  });

  it('accepts sizes as bytes or with K, M and G', () => {
    const size = (v: string): number =>
      parseScenario(withExtra(`server: { max-size: ${v} }\n`), 'x').server.maxSize;
    expect(size('1000')).toBe(1000);
    expect(size('100K')).toBe(100 * 1024);
    expect(size('25M')).toBe(25 * 1024 * 1024);
    expect(size('"25 MB"')).toBe(25 * 1024 * 1024);
    expect(size('1.5M')).toBe(1.5 * 1024 * 1024);
    expect(size('1G')).toBe(1024 ** 3);
  });

  it('reads every greylist form', () => {
    const grey = (v: string | undefined): number | undefined =>
      parseScenario(withExtra(v === undefined ? '' : `server: { greylist: ${v} }\n`), 'x').server.greylistMs;
    expect(grey(undefined)).toBeUndefined();
    expect(grey('true')).toBe(1000);
    expect(grey('false')).toBeUndefined();
    expect(grey('{ retry-after-ms: 5 }')).toBe(5);
    expect(grey('{}')).toBe(1000);
  });

  it('derives the client defaults from the server and takes a single recipient as a list', () => {
    const s = parseScenario(
      withExtra('server: { tls: implicit, auth: required }\nclient: { to: x@y.test }\n'),
      'x',
    );
    expect(s.client).toMatchObject({ tls: 'implicit', auth: true, to: ['x@y.test'] });
    const off = parseScenario(withExtra('server: { tls: none, auth: off }\n'), 'x');
    expect(off.client).toMatchObject({ tls: 'none', auth: false });
  });

  it('expects nothing delivered when failure is the lesson, unless told otherwise', () => {
    expect(parseScenario(withExtra('reference: { fails-at: rcpt, code: 550 }\n'), 'x').reference).toEqual({
      delivered: 0,
      failsAt: 'rcpt',
      code: 550,
    });
    expect(
      parseScenario(withExtra('reference: { fails-at: data, delivered: 1 }\n'), 'x').reference.delivered,
    ).toBe(1);
  });

  it('upper-cases verbs and EHLO keywords', () => {
    const s = parseScenario(
      withExtra(
        'server: { hide-extensions: [starttls] }\nfaults:\n  - { on: { verb: rcpt }, do: swallow }\n',
      ),
      'x',
    );
    expect(s.server.hideExtensions).toEqual(['STARTTLS']);
    expect(s.faults[0]!.on).toEqual({ kind: 'verb', verb: 'RCPT' });
  });

  it('follows YAML anchors and aliases', () => {
    const s = parseScenario(
      withExtra(
        'rules:\n  - { when: mail, reply: &no { code: 550, text: "5.7.1 No" } }\n  - { when: rcpt, reply: *no }\n',
      ),
      'x',
    );
    expect(s.rules[1]!.reply).toEqual({ code: 550, text: '5.7.1 No' });
  });

  it('keeps the image path as written when parsing text, and uses the source as given', () => {
    const s = parseScenario(withExtra('client: { image: images/nope.png }\n'), 'some/where.yaml');
    expect(s.client.image).toBe('images/nope.png');
    expect(s.source).toBe('some/where.yaml');
  });

  it('parses with a seed and a chance together', () => {
    const s = parseScenario(
      withExtra('seed: 7\nfaults:\n  - { on: every-reply, do: swallow, chance: 1 }\n'),
      'x',
    );
    expect(s.faults[0]!.chance).toBe(1);
  });
});

describe('errors cite file, line, column and field', () => {
  // Each case: YAML added to a valid scenario, the field reported, the text where it is written
  // (the error must point at its first character) and a part of the message.
  const cases: Array<[string, string, string, string]> = [
    ['seed: 1.5\n', 'seed', '1.5', 'not an integer'],
    ['colour: blue\n', 'colour', 'colour', 'unknown key'],
    ['server: { tls: TLS }\n', 'server.tls', 'TLS', 'none, starttls, implicit'],
    ['server: { tls: none, require-tls: true }\n', 'server.require-tls', 'true', 'no TLS'],
    ['server: { require-tls: "yes" }\n', 'server.require-tls', '"yes"', 'true or false'],
    ['server: { auth: maybe }\n', 'server.auth', 'maybe', 'required, optional, off'],
    ['server: { accounts: a@b.test }\n', 'server.accounts', 'a@b.test', 'not a list'],
    ['server: { accounts: [] }\n', 'server.accounts', '[]', 'at least one account'],
    ['server: { accounts: [{ user: a@b.test }] }\n', 'server.accounts[0].pass', '{ user', 'missing'],
    [
      'server: { accounts: [{ user: a@b.test, password: x }] }\n',
      'server.accounts[0].password',
      'password',
      'unknown key',
    ],
    ['server: { max-size: lots }\n', 'server.max-size', 'lots', 'like 25M'],
    ['server: { max-size: 0 }\n', 'server.max-size', '0', 'out of range'],
    ['server: { persona: outlook }\n', 'server.persona', 'outlook', 'default, qq, gmail'],
    ['server: { certificate: self-signed }\n', 'server.certificate', 'self-signed', 'untrusted'],
    ['server: { hide-extensions: STARTTLS }\n', 'server.hide-extensions', 'STARTTLS', 'not a list'],
    ['server: { hide-extensions: ["SIZE 10"] }\n', 'server.hide-extensions[0]', '"SIZE 10"', 'EHLO keyword'],
    ['server: { require-from-header: 1 }\n', 'server.require-from-header', '1', 'true or false'],
    ['server: { greylist: 1000 }\n', 'server.greylist', '1000', 'retry-after-ms'],
    ['server: { greylist: { retry-after-ms: -1 } }\n', 'server.greylist.retry-after-ms', '-1', 'from 0 to'],
    ['rules: { when: rcpt }\n', 'rules', '{ when', 'not a list'],
    ['rules:\n  - { when: helo, reply: { code: 550, text: x } }\n', 'rules[0].when', 'helo', 'mail, rcpt'],
    [
      'rules:\n  - { when: rcpt, match: "[a-", reply: { code: 550, text: x } }\n',
      'rules[0].match',
      '"[a-',
      'regular expression',
    ],
    ['rules:\n  - { when: rcpt, nth: 0, reply: { code: 550, text: x } }\n', 'rules[0].nth', '0,', '>= 1'],
    ['rules:\n  - { when: rcpt }\n', 'rules[0].reply', '{ when', 'missing'],
    [
      'rules:\n  - { when: rcpt, reply: { code: 600, text: x } }\n',
      'rules[0].reply.code',
      '600',
      '200 to 599',
    ],
    [
      'rules:\n  - { when: rcpt, reply: { code: 199, text: x } }\n',
      'rules[0].reply.code',
      '199',
      '200 to 599',
    ],
    ['rules:\n  - { when: rcpt, reply: { code: 550 } }\n', 'rules[0].reply.text', '{ code', 'missing'],
    [
      'rules:\n  - { when: rcpt, reply: { code: 550, text: "a\\r\\nb" } }\n',
      'rules[0].reply.text',
      '"a',
      'line break',
    ],
    [
      'rules:\n  - { when: rcpt, reply: { code: 550, text: [ok, 5] } }\n',
      'rules[0].reply.text[1]',
      '5]',
      'not a string',
    ],
    ['faults:\n  - { do: swallow }\n', 'faults[0].on', '{ do', 'missing'],
    ['faults:\n  - { on: greeting }\n', 'faults[0].do', '{ on', 'missing'],
    ['faults:\n  - { on: connect, do: swallow }\n', 'faults[0].on', 'connect', 'not a trigger'],
    ['faults:\n  - { on: { command: 0 }, do: swallow }\n', 'faults[0].on.command', '0 }', '>= 1'],
    [
      'faults:\n  - { on: { verb: "MAIL FROM" }, do: swallow }\n',
      'faults[0].on.verb',
      '"MAIL FROM"',
      'command verb',
    ],
    ['faults:\n  - { on: { reply: 700 }, do: swallow }\n', 'faults[0].on.reply', '700', '200 to 599'],
    ['faults:\n  - { on: { data-byte: -5 }, do: swallow }\n', 'faults[0].on.data-byte', '-5', '>= 0'],
    [
      'faults:\n  - { on: { after-ms: soon }, do: swallow }\n',
      'faults[0].on.after-ms',
      'soon',
      'milliseconds',
    ],
    [
      'faults:\n  - { on: { verb: EHLO, reply: 250 }, do: swallow }\n',
      'faults[0].on.reply',
      'reply:',
      'one key',
    ],
    ['faults:\n  - { on: greeting, do: explode }\n', 'faults[0].do', 'explode', 'not an action'],
    [
      'faults:\n  - { on: greeting, do: { delay-ms: 1.5 } }\n',
      'faults[0].do.delay-ms',
      '1.5',
      'not an integer',
    ],
    ['faults:\n  - { on: greeting, do: { fragment: 3 } }\n', 'faults[0].do.fragment', '3 }', 'not a mapping'],
    [
      'faults:\n  - { on: greeting, do: { fragment: { gap-ms: 5 } } }\n',
      'faults[0].do.fragment.size',
      '{ gap-ms',
      'missing',
    ],
    [
      'faults:\n  - { on: greeting, do: { fragment: { size: 0, gap-ms: 5 } } }\n',
      'faults[0].do.fragment.size',
      '0,',
      '>= 1',
    ],
    [
      'faults:\n  - { on: greeting, do: { fragment: { size: 3, gap-ms: x } } }\n',
      'faults[0].do.fragment.gap-ms',
      'x }',
      'not a number',
    ],
    [
      'faults:\n  - { on: greeting, do: { throttle: 0 } }\n',
      'faults[0].do.throttle',
      '0 }',
      'bytes per second',
    ],
    [
      'faults:\n  - { on: greeting, do: { replace: { code: 55, text: x } } }\n',
      'faults[0].do.replace.code',
      '55',
      '200 to 599',
    ],
    [
      'faults:\n  - { on: greeting, do: { multiline: [] } }\n',
      'faults[0].do.multiline',
      '[]',
      'non-empty list',
    ],
    [
      'faults:\n  - { on: greeting, do: { garbage: "" } }\n',
      'faults[0].do.garbage',
      '""',
      'non-empty string',
    ],
    ['faults:\n  - { on: greeting, do: { close: reset } }\n', 'faults[0].do.close', 'reset', 'fin, rst'],
    [
      'faults:\n  - { on: greeting, do: { reply-and-close: { code: 421 } } }\n',
      'faults[0].do.reply-and-close.text',
      '{ code',
      'missing',
    ],
    ['faults:\n  - { on: greeting, do: swallow, times: 0 }\n', 'faults[0].times', '0 }', '>= 1'],
    [
      'faults:\n  - { on: greeting, do: swallow, connections: 1 }\n',
      'faults[0].connections',
      '1 }',
      'not a list',
    ],
    [
      'faults:\n  - { on: greeting, do: swallow, connections: [1, 0] }\n',
      'faults[0].connections[1]',
      '0]',
      '>= 1',
    ],
    ['seed: 1\nfaults:\n  - { on: greeting, do: swallow, chance: 0 }\n', 'faults[0].chance', '0 }', '> 0'],
    ['seed: 1\nfaults:\n  - { on: greeting, do: swallow, chance: 1.5 }\n', 'faults[0].chance', '1.5', '<= 1'],
    ['faults:\n  - { on: greeting, do: swallow, chance: 0.5 }\n', 'faults[0].chance', '0.5', 'needs a seed'],
    ['client: { from: 5 }\n', 'client.from', '5 }', 'not a string'],
    ['client: { to: [] }\n', 'client.to', '[]', 'non-empty list'],
    ['client: { to: [a@b.test, { x: 1 }] }\n', 'client.to[1]', '{ x', 'not a string'],
    ['client: { tls: ssl }\n', 'client.tls', 'ssl', 'implicit'],
    ['client: { auth: required }\n', 'client.auth', 'required', 'true or false'],
    ['client: { subject: [a] }\n', 'client.subject', '[a]', 'not a string'],
    ['client: { body: { text: x } }\n', 'client.body', '{ text', 'not a string'],
    ['client: { image: "" }\n', 'client.image', '""', 'relative to the scenario file'],
    ['reference: { delivered: -1 }\n', 'reference.delivered', '-1', '>= 0'],
    ['reference: { fails-at: sending }\n', 'reference.fails-at', 'sending', 'connect, greeting'],
    ['reference: { code: "550" }\n', 'reference.code', '"550"', '200 to 599'],
    ['reference: 1\n', 'reference', '1\n', 'not a mapping'],
    // The old spelling is read the same way, and its problems are placed under its own name.
    ['expect: { delivered: -1 }\n', 'expect.delivered', '-1', '>= 0'],
  ];
  it.each(cases)('%j -> %s', (extra, field, needle, part) => {
    const text = withExtra(extra);
    const found = issue(text, field);
    expect(found.message).toContain(part);
    expect({ line: found.line, column: found.column }).toEqual(at(text, needle));
  });

  const checkCases: Array<[string, string, string, string]> = [
    ['checks: []\n', 'checks', '[]', 'non-empty list'],
    ['checks: greets\n', 'checks', 'greets', 'not a list'],
    ['checks:\n  - { points: 1 }\n', 'checks[0].id', '{ points', 'missing'],
    ['checks:\n  - { id: Greets, points: 1 }\n', 'checks[0].id', 'Greets', 'kebab-case'],
    ['checks:\n  - { id: greets }\n', 'checks[0].points', '{ id', 'missing'],
    ['checks:\n  - { id: greets, points: -2 }\n', 'checks[0].points', '-2', 'from 0 to 1000'],
    [
      'checks:\n  - { id: greets, points: 1, tier: bonus }\n',
      'checks[0].tier',
      'bonus',
      'baseline, robustness, optional',
    ],
    ['checks:\n  - { id: greets, points: 1, hint: [a] }\n', 'checks[0].hint', '[a]', 'not a string'],
    ['checks:\n  - { id: greets, points: 1, weight: 2 }\n', 'checks[0].weight', 'weight', 'unknown key'],
  ];
  it.each(checkCases)('%j -> %s', (checks, field, needle, part) => {
    const text = `${HEAD}${checks}`;
    const found = issue(text, field);
    expect(found.message).toContain(part);
    expect({ line: found.line, column: found.column }).toEqual(at(text, needle));
  });

  it('reports an AUTH mechanism the lab server does not offer, and an empty list', () => {
    const text = withExtra('server:\n  auth-mechanisms: [PLAIN, XOAUTH2]\n');
    expect(issue(text, 'server.auth-mechanisms[1]')).toMatchObject({
      ...at(text, 'XOAUTH2'),
      message: expect.stringContaining('"XOAUTH2" is not offered by the lab server'),
    });
    const empty = withExtra('server: { auth-mechanisms: [] }\n');
    expect(issue(empty, 'server.auth-mechanisms').message).toContain('use auth: off for no AUTH');
  });

  it('reports an id that is not kebab-case at the id', () => {
    const text = `id: Fragmented_Replies\ntitle: t\nlesson: l\n${CHECKS}`;
    expect(issue(text, 'id')).toMatchObject({
      ...at(text, 'Fragmented_Replies'),
      message: expect.stringContaining('is not kebab-case'),
    });
  });

  it('reports a missing required key at the mapping that lacks it', () => {
    const text = '# a comment first\nid: lab\nlesson: x\nchecks: [{ id: greets, points: 1 }]\n';
    const found = issue(text, 'title');
    expect(found.message).toMatch(/^missing \(expected a non-empty string\)$/);
    expect(found).toMatchObject(at(text, 'id: lab'));
  });

  it('names the top-level keys that are missing from an empty mapping', () => {
    const e = problems('{}\n');
    expect(e.errors.map((x) => x.field)).toEqual(['id', 'title', 'lesson', 'checks']);
  });

  it('reports an empty lesson, and a lesson that is not a string', () => {
    expect(issue(`id: lab\ntitle: t\nlesson: "  "\n${CHECKS}`, 'lesson').message).toContain('is empty');
    const text = `id: lab\ntitle: t\nlesson:\n${CHECKS}`;
    const found = issue(text, 'lesson');
    expect(found.message).toContain('nothing is not a string');
    expect(found).toMatchObject(at(text, 'lesson:'));
  });

  it('formats the message as FILE:LINE:COL: FIELD: what (expected)', () => {
    const text = withExtra(
      'faults:\n  - on: every-reply\n    do: { fragment: { size: three, gap-ms: 20 } }\n',
    );
    const e = problems(text, 'scenarios/lab.yaml');
    const { line, column } = at(text, 'three');
    expect(e.message).toBe(
      `scenarios/lab.yaml:${line}:${column}: faults[0].do.fragment.size: "three" is not a number (expected an integer >= 1)`,
    );
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'ScenarioError',
      code: 'ERR_SCENARIO',
      file: 'scenarios/lab.yaml',
      line,
      column,
      field: 'faults[0].do.fragment.size',
    });
  });

  it('suggests the key that was meant', () => {
    const text = withExtra(
      'server: { requireTls: true }\nfaults:\n  - { on: greeting, do: { fragmnt: { size: 3 } } }\n',
    );
    expect(issue(text, 'server.requireTls').message).toContain('did you mean "require-tls"?');
    const fragment = issue(text, 'faults[0].do.fragmnt');
    expect(fragment.message).toContain('did you mean "fragment"?');
    expect(fragment).toMatchObject(at(text, 'fragmnt'));
    expect(issue(withExtra('faults:\n  - { on: greting, do: swallow }\n'), 'faults[0].on').message).toContain(
      'did you mean "greeting"?',
    );
    expect(issue(withExtra('server: { tls: startls }\n'), 'server.tls').message).toContain(
      'did you mean "starttls"?',
    );
  });

  it('refuses an unknown check id at load time, with "did you mean"', () => {
    const text = `${HEAD}checks:\n  - { id: quit, points: 1 }\n  - { id: mail-form, points: 1 }\n`;
    const found = issue(text, 'checks[1].id');
    expect(found).toMatchObject(at(text, 'mail-form'));
    expect(found.message).toContain('unknown check id "mail-form", did you mean "mail-from"?');
    expect(found.message).toContain('smtp-lab checks');
  });

  it('credentials: any for the default persona, the accounts for a provider persona, as written otherwise', () => {
    expect(parseScenario(withExtra('server: { auth: required }\n'), 'x').server.credentials).toBe('any');
    expect(parseScenario(withExtra('server: { persona: qq }\n'), 'x').server.credentials).toBe('accounts');
    expect(parseScenario(withExtra('server: { credentials: accounts }\n'), 'x').server.credentials).toBe(
      'accounts',
    );
    expect(issue(withExtra('server: { credentials: some }\n'), 'server.credentials').message).toContain(
      'any',
    );
  });

  it('compare: exchange, envelope or message for matches-reference (absent: the check uses exchange)', () => {
    expect(parseScenario(withExtra(''), 'x').compare).toBeUndefined();
    expect(parseScenario(withExtra('compare: envelope\n'), 'x').compare).toBe('envelope');
    expect(issue(withExtra('compare: everything\n'), 'compare').message).toContain('exchange');
  });

  it('reports a duplicate check id at its second use, naming the first line', () => {
    const text = `${HEAD}checks:\n  - { id: quit, points: 1 }\n  - { id: crlf, points: 1 }\n  - { id: quit, points: 2 }\n`;
    const found = issue(text, 'checks[2].id');
    expect(found).toMatchObject(at(text, 'quit', 2));
    expect(found.message).toContain(`first used on line ${at(text, 'quit').line}`);
  });

  it('reports a duplicate key with its path', () => {
    const text = withExtra('server:\n  tls: none\n  auth: off\n  tls: implicit\n');
    const found = issue(text, 'server.tls');
    expect(found).toMatchObject(at(text, 'tls: implicit'));
    expect(found.message).toContain(`first written on line ${at(text, 'tls: none').line}`);
  });

  it('reports every problem in a file, in source order, the first on the first line', () => {
    const text = [
      'id: Lab',
      'title: ok',
      'lesson: ok',
      'server: { persona: hotmail }',
      'faults:',
      '  - on: { verb: EHLO }',
      '    do: { fragment: { size: 0, gap-ms: 5 } }',
      '    chance: 0.5',
      'checks:',
      '  - { id: greets, points: 1 }',
      '  - { id: greets, points: one }',
      '',
    ].join('\n');
    const e = problems(text, 'many.yaml');
    const where = (needle: string, nth = 1): string => {
      const p = at(text, needle, nth);
      return `${p.line}:${p.column}`;
    };
    const expected = [
      ['id', where('Lab')],
      ['server.persona', where('hotmail')],
      ['faults[0].do.fragment.size', where('0,')],
      ['faults[0].chance', where('0.5')],
      ['checks[1].id', where('greets', 2)],
      ['checks[1].points', where('one')],
    ];
    expect(e.errors.map((x) => [x.field, `${x.line}:${x.column}`])).toEqual(expected);
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`many.yaml:${where('Lab')}: id: ${e.errors[0]!.message}`);
    expect(e.line).toBe(e.errors[0]!.line);
    lines.forEach((l, i) => {
      const x = e.errors[i]!;
      expect(l).toBe(`many.yaml:${x.line}:${x.column}: ${x.field}: ${x.message}`);
    });
  });

  it('counts lines the same in a file with CRLF line endings', () => {
    const text = withExtra('server: { persona: yahoo }\n').replace(/\n/g, '\r\n');
    expect(issue(text, 'server.persona')).toMatchObject(at(text, 'yahoo'));
  });

  it('reports a file that is empty, or not a mapping', () => {
    expect(problems('# nothing here\n').errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        field: '',
        message: expect.stringContaining('the file is empty'),
      }),
    ]);
    expect(problems('- id: lab\n').errors[0]).toMatchObject({
      line: 1,
      column: 1,
      message: expect.stringContaining('not a mapping'),
    });
  });

  it('reports an alias to an anchor that does not exist', () => {
    const text = withExtra('server: { tls: *nope }\n');
    expect(issue(text, 'server.tls')).toMatchObject({
      ...at(text, '*nope'),
      message: expect.stringContaining('unknown alias'),
    });
  });
});

describe('YAML syntax errors', () => {
  it('cite the file and the line of the broken YAML', async () => {
    // Written at test time: a broken .yaml in the repository would break `prettier --check .`.
    const dir = await mkdtemp(path.join(tmpdir(), 'smtp-lab-scenario-'));
    try {
      const file = path.join(dir, 'syntax.yaml');
      const text = `${HEAD.replace('lab', 'syntax')}server:\n  persona: qq\nlesson-2: Remember: quote a colon.\n${CHECKS}`;
      await writeFile(file, text);
      const e = await loadScenarioFile(file).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ScenarioError);
      const se = e as ScenarioError;
      expect(se.file).toBe(file);
      expect(se.field).toBe('');
      expect({ line: se.line, column: se.column }).toEqual(at(text, 'Remember: quote'));
      expect(se.message.split('\n')[0]).toBe(
        `${file}:${se.line}:${se.column}: YAML syntax error: Nested mappings are not allowed in compact mappings (valid YAML)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('report an unclosed flow mapping where the parser notices it, not before the bracket', () => {
    const text = `${HEAD}checks:\n  - { id: greets, points: 1\n  - { id: quit, points: 1 }\n`;
    const e = problems(text);
    expect(e.errors.length).toBeGreaterThan(0);
    expect(e.line).toBeGreaterThanOrEqual(at(text, '{ id: greets').line);
    expect(e.message).toContain('YAML syntax error');
  });

  it('report tabs used as indentation', () => {
    const text = withExtra('server:\n\ttls: none\n');
    expect(problems(text).errors[0]).toMatchObject({ line: at(text, '\ttls').line, column: 1, field: '' });
  });

  it('report a second document in the file', () => {
    const text = `${withExtra('')}---\nid: other\n`;
    expect(problems(text).errors[0]).toMatchObject({
      line: at(text, '---').line,
      message: expect.stringContaining('multiple documents'),
    });
  });
});

describe('files', () => {
  it('requires the id to be the file name', async () => {
    const file = fixture('bad/wrong-name.yaml');
    const text = readFileSync(file, 'utf8');
    await expect(loadScenarioFile(file)).rejects.toMatchObject({
      file,
      field: 'id',
      ...at(text, 'right-name'),
      errors: [expect.objectContaining({ message: expect.stringContaining('"wrong-name"') })],
    });
    // Text has no file name to match.
    expect(parseScenario(text, 'anything.yaml').id).toBe('right-name');
  });

  it('resolves the image relative to the scenario file, not the working directory', async () => {
    const s = await loadScenarioFile(path.relative(process.cwd(), fixture('nested/relative-image.yaml')));
    expect(s.client.image).toBe(fixture('images/lab.png'));
    expect(path.isAbsolute(s.client.image!)).toBe(true);
    expect(existsSync(s.client.image!)).toBe(true);
  });

  it('reports an image that does not exist at its line', async () => {
    const file = fixture('bad/missing-image.yaml');
    const text = readFileSync(file, 'utf8');
    await expect(loadScenarioFile(file)).rejects.toMatchObject({
      field: 'client.image',
      ...at(text, 'images/nope.png'),
      message: expect.stringContaining(path.join(fixtures, 'bad/images/nope.png')),
    });
  });

  it('reports file problems together with the schema problems', async () => {
    const file = fixture('bad/many-problems.yaml');
    const text = readFileSync(file, 'utf8');
    const e = await loadScenarioFile(file).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).errors.map((x) => [x.field, x.line])).toEqual([
      ['id', at(text, 'not-this-name').line],
      ['server.tls', at(text, 'startls').line],
      ['client.image', at(text, 'missing.png').line],
    ]);
  });
});

describe('built-in scenarios', () => {
  it('live in scenarios/ at the package root', () => {
    const root = path.resolve(here, '../..');
    expect(path.resolve(builtinScenarioDir())).toBe(path.join(root, 'scenarios'));
  });

  it('lists every *.yaml in the folder, sorted by id, with the id as source', async () => {
    const all = await listBuiltinScenarios(fixtures);
    expect(all.map((s) => [s.id, s.source])).toEqual([
      ['everything', 'everything'],
      ['faults', 'faults'],
      ['minimal', 'minimal'],
    ]);
    expect(all[0]!.client.image).toBe(fixture('images/lab.png'));
  });

  it('loads one by id', async () => {
    const s = await loadBuiltinScenario('faults', fixtures);
    expect(s.id).toBe('faults');
    expect(s.source).toBe('faults');
  });

  it('resolves an id or a path', async () => {
    expect((await resolveScenario('minimal', fixtures)).source).toBe('minimal');
    const rel = path.relative(process.cwd(), fixture('minimal.yaml'));
    expect((await resolveScenario(rel, '/nonexistent')).source).toBe(rel);
  });

  it('names the closest ids for an unknown id', async () => {
    const e = await resolveScenario('fault', fixtures).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UnknownScenarioError);
    expect((e as UnknownScenarioError).suggestions[0]).toBe('faults');
    expect((e as UnknownScenarioError).message).toBe(
      'unknown scenario "fault" (closest: faults; or give the path of a .yaml file)',
    );
    const far = await loadBuiltinScenario('zzz', fixtures).catch((err: unknown) => err);
    expect((far as Error).message).toContain('built-in: everything, faults, minimal');
  });
});
