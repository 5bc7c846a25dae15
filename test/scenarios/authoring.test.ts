import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtinScenarioDir,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  type ScenarioIssue,
} from '../../src/scenarios/load.js';
import { BASELINE_CHECKS } from '../../src/scenarios/vocabulary.js';

/**
 * What an instructor no longer copies: the baseline checks (`- baseline`, with `except`), the
 * client keys that follow from `server:`, a whole scenario (`extends:`), and `reference:` with
 * `expect:` still read as its old spelling. Each rule with its positioned errors.
 */

const HEAD = 'id: lab\ntitle: A lab\nlesson: Something worth learning.\n';

function load(body: string) {
  return parseScenario(HEAD + body, 'lab.yaml');
}

function problems(body: string): ScenarioIssue[] {
  try {
    load(body);
  } catch (e) {
    if (e instanceof ScenarioError) return e.errors;
    throw e;
  }
  throw new Error('expected a ScenarioError, the scenario was accepted');
}

/** Where `needle` is in the whole file (HEAD + body), 1-based. */
function at(body: string, needle: string): { line: number; column: number } {
  const text = HEAD + body;
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`no ${JSON.stringify(needle)} in the file`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

const ids = (body: string) => load(body).checks.map((c) => `${c.id}:${c.points}`);

describe('checks: the baseline preset', () => {
  it('stands for the baseline checks, one point each, tier baseline, no hint', () => {
    const s = load('checks:\n  - baseline\n');
    expect(s.checks).toEqual(
      BASELINE_CHECKS.map((id) => ({ id, points: 1, tier: 'baseline', hint: undefined })),
    );
  });

  it('is changed in place by an entry with a baseline id; points may be left out', () => {
    const s = load(
      'checks:\n  - baseline\n  - { id: crlf, points: 3 }\n  - { id: exits-cleanly, hint: Exit 0. }\n',
    );
    expect(s.checks.map((c) => `${c.id}:${c.points}`)).toEqual([
      'waits-for-greeting:1',
      'greets:1',
      'crlf:3',
      'waits-for-replies:1',
      'mail-from:1',
      'rcpt-to:1',
      'data:1',
      'data-terminator:1',
      'quit:1',
      'exits-cleanly:1',
    ]);
    expect(s.checks.at(-1)).toEqual({ id: 'exits-cleanly', points: 1, tier: 'baseline', hint: 'Exit 0.' });
  });

  it('places other checks where a session meets them, wherever the file writes them', () => {
    const body = `checks:
  - { id: matches-reference, points: 1 }
  - { id: message-format, points: 2 }
  - baseline
  - { id: auth, points: 4 }
  - { id: starttls, points: 2 }
  - { id: handles-rejection, points: 3 }
`;
    expect(ids(body)).toEqual([
      'waits-for-greeting:1',
      'greets:1',
      'crlf:1',
      'waits-for-replies:1',
      // Before mail-from, in the file's order.
      'auth:4',
      'starttls:2',
      'mail-from:1',
      'rcpt-to:1',
      'handles-rejection:3',
      'data:1',
      'message-format:2',
      'data-terminator:1',
      'quit:1',
      'exits-cleanly:1',
      // No place in a session: last.
      'matches-reference:1',
    ]);
  });

  it('leaves out what except names; a check placed before one left out goes before the next kept', () => {
    const body = `checks:
  - baseline: { except: [mail-from, rcpt-to, data, data-terminator] }
  - { id: handles-rejection, points: 2 }
  - { id: exits-cleanly, points: 3 }
`;
    expect(ids(body)).toEqual([
      'waits-for-greeting:1',
      'greets:1',
      'crlf:1',
      'waits-for-replies:1',
      'handles-rejection:2',
      'quit:1',
      'exits-cleanly:3',
    ]);
  });

  it('without the preset, the list is exactly what the file gives, in its order', () => {
    expect(ids('checks:\n  - { id: quit, points: 2 }\n  - { id: greets, points: 1 }\n')).toEqual([
      'quit:2',
      'greets:1',
    ]);
  });

  it.each([
    [
      'a second baseline',
      'checks:\n  - baseline\n  - { id: auth, points: 1 }\n  - "baseline"\n',
      'checks[2]',
      '"baseline"',
      'already in this list',
    ],
    [
      'a misspelt preset',
      'checks:\n  - baselin\n',
      'checks[0]',
      'baselin',
      '"baselin" is not a check, did you mean "baseline"?',
    ],
    [
      'a check the preset does not hold, in except',
      'checks:\n  - baseline: { except: [auth] }\n',
      'checks[0].baseline.except[0]',
      'auth]',
      '"auth" is not in baseline',
    ],
    [
      'an unknown key in the preset',
      'checks:\n  - baseline: { without: [quit] }\n',
      'checks[0].baseline.without',
      'without',
      'unknown key "without"',
    ],
    [
      'a check left out and given',
      'checks:\n  - baseline: { except: [quit] }\n  - { id: quit, points: 2 }\n',
      'checks[1].id',
      'quit, points',
      '"quit" is left out of baseline on line 5',
    ],
    [
      'a check outside the preset without points',
      'checks:\n  - baseline\n  - { id: auth }\n',
      'checks[1].points',
      '{ id: auth }',
      'missing (expected a number from 0 to',
    ],
    [
      'a preset check with bad points',
      'checks:\n  - baseline\n  - { id: quit, points: lots }\n',
      'checks[1].points',
      'lots',
      'not a number',
    ],
  ])('%s is a positioned error', (_what, body, field, needle, message) => {
    const found = problems(body);
    expect(found, JSON.stringify(found)).toHaveLength(1);
    expect(found[0]).toMatchObject({ field, ...at(body, needle) });
    expect(found[0]!.message).toContain(message);
  });
});

describe('client: what follows from server: is derived', () => {
  it('tls and auth from what the server offers and requires; from the first account; to the lab recipient', () => {
    const s = load(`server:
  tls: implicit
  auth: required
  accounts: [{ user: me@qq.test, pass: secret }]
checks:
  - baseline
`);
    expect(s.client).toMatchObject({
      tls: 'implicit',
      auth: true,
      from: 'me@qq.test',
      to: ['teacher@smtp-lab.test'],
    });
  });

  it('the built-in account when the file lists none; what the file says wins', () => {
    expect(load('server: { tls: none }\nchecks: [baseline]\n').client).toMatchObject({
      tls: 'none',
      auth: false,
      from: 'student@smtp-lab.test',
    });
    const s = load(
      'server: { tls: none, auth: required }\nclient: { from: x@y.test, auth: false }\nchecks: [baseline]\n',
    );
    expect(s.client).toMatchObject({ from: 'x@y.test', auth: false });
  });
});

describe('reference: what the reference client does', () => {
  it('is read from reference:, and from expect:, its old spelling, the same way', () => {
    const now = load('checks: [baseline]\nreference: { fails-at: rcpt, code: 550 }\n');
    const old = load('checks: [baseline]\nexpect: { fails-at: rcpt, code: 550 }\n');
    expect(now.reference).toEqual({ delivered: 0, failsAt: 'rcpt', code: 550 });
    expect(old.reference).toEqual(now.reference);
  });

  it('both spellings in one file is a positioned error at expect', () => {
    const body = 'checks: [baseline]\nreference: { delivered: 1 }\nexpect: { delivered: 1 }\n';
    const found = problems(body);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ field: 'expect', ...at(body, 'expect:') });
    expect(found[0]!.message).toContain('old spelling of reference');
  });
});

describe('extends: a scenario built on another', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smtp-lab-extends-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes `<id>.yaml` in the folder and returns its path. */
  async function file(id: string, body: string): Promise<string> {
    const at = path.join(dir, `${id}.yaml`);
    await writeFile(at, `id: ${id}\ntitle: ${id}\nlesson: Something worth learning.\n${body}`);
    return at;
  }

  async function refused(at: string): Promise<ScenarioError> {
    const e: unknown = await loadScenarioFile(at).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${String(e)}`);
    return e;
  }

  it('takes what the file does not write; server keys merge, lists and reference are replaced', async () => {
    await file(
      'parent',
      `server: { tls: implicit, auth: required, persona: qq, accounts: [{ user: a@qq.test, pass: x }] }
rules:
  - { when: rcpt, match: '^nobody@', reply: { code: 550, text: no } }
seed: 7
faults:
  - { on: greeting, do: { delay-ms: 10 }, chance: 0.5 }
client: { subject: Hello, body: Hi. }
checks:
  - baseline
  - { id: auth, points: 3, hint: Log in. }
reference: { fails-at: rcpt, code: 550 }
`,
    );
    const parent = await loadScenarioFile(path.join(dir, 'parent.yaml'));
    const child = await loadScenarioFile(
      await file(
        'child',
        `extends: parent
server: { tls: starttls, max-size: 1K }
rules:
  - { when: mail, reply: { code: 451, text: later } }
checks:
  - { id: crlf, points: 2 }
  - { id: message-format, points: 1 }
`,
      ),
    );
    expect(child.id).toBe('child');
    // server: the child's keys over the parent's; persona and credentials stay the parent's.
    expect(child.server).toEqual({ ...parent.server, tls: 'starttls', maxSize: 1024 });
    expect(child.server.credentials).toBe('accounts');
    // client: the parent's, but tls follows the server key the child wrote.
    expect(child.client).toEqual({ ...parent.client, tls: 'starttls' });
    expect(child.client).toMatchObject({ from: 'a@qq.test', auth: true, subject: 'Hello' });
    // Lists the child writes replace the parent's; the rest (faults, seed, reference) are kept.
    expect(child.rules).toEqual([
      { when: 'mail', match: undefined, nth: undefined, reply: { code: 451, text: 'later' } },
    ]);
    expect(child.faults).toEqual(parent.faults);
    expect(child.seed).toBe(7);
    expect(child.reference).toEqual(parent.reference);
    // checks: the parent's, changed in place by id, others placed in session order.
    expect(child.checks.map((c) => `${c.id}:${c.points}`)).toEqual([
      'waits-for-greeting:1',
      'greets:1',
      'crlf:2',
      'waits-for-replies:1',
      'auth:3',
      'mail-from:1',
      'rcpt-to:1',
      'data:1',
      'message-format:1',
      'data-terminator:1',
      'quit:1',
      'exits-cleanly:1',
    ]);
    expect(child.checks.find((c) => c.id === 'auth')?.hint).toBe('Log in.');
  });

  it('a server key the child does not write keeps the parent’s value, greylist included', async () => {
    await file('grey', 'server: { tls: none, greylist: { retry-after-ms: 5 } }\nchecks: [baseline]\n');
    const kept = await loadScenarioFile(await file('grey-child', 'extends: grey\nserver: { auth: off }\n'));
    expect(kept.server).toMatchObject({ tls: 'none', auth: 'off', greylistMs: 5 });
    expect(kept.client).toMatchObject({ tls: 'none', auth: false });
    const off = await loadScenarioFile(
      await file('grey-off', 'extends: grey\nserver: { greylist: false }\n'),
    );
    expect(off.server.greylistMs).toBeUndefined();
  });

  it('a server key that contradicts one inherited is a positioned error at the child’s key', async () => {
    await file('tls-only', 'server: { tls: starttls, require-tls: true }\nchecks: [baseline]\n');
    const e = await refused(await file('no-tls', 'extends: tls-only\nserver: { tls: none }\n'));
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ field: 'server.tls', line: 5, column: 16 });
    expect(e.errors[0]!.message).toContain('the scenario extended requires TLS');
  });

  it('a built-in scenario by its id, when no file of that name is next to this one', async () => {
    const basic = await loadScenarioFile(path.join(builtinScenarioDir(), 'basic.yaml'));
    const s = await loadScenarioFile(await file('my-basic', 'extends: basic\n'));
    expect(s.server).toEqual(basic.server);
    expect(s.checks).toEqual(basic.checks);
    expect(s.client).toEqual(basic.client);
  });

  it('an unknown parent is a positioned error with the closest ids', async () => {
    const at = await file('orphan', 'extends: basik\nchecks: [baseline]\n');
    const e = await refused(at);
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ field: 'extends', line: 4, column: 10 });
    expect(e.errors[0]!.message).toContain(
      'no scenario "basik" next to this file or built in, did you mean "basic"?',
    );
  });

  it('a cycle is a positioned error naming the files around it', async () => {
    const ping = await file('ping', 'extends: pong\n');
    const e = await refused(await file('pong', 'extends: ping\n'));
    // Loading pong loads ping, whose extends closes the cycle: the problem is there.
    expect(e.file).toBe(ping);
    expect(e.errors[0]).toMatchObject({ field: 'extends', line: 4, column: 10 });
    expect(e.errors[0]!.message).toContain(
      '"pong" is already being extended: pong -> ping -> pong (expected no cycle)',
    );
    const self = await refused(await file('itself', 'extends: itself\n'));
    expect(self.errors[0]!.message).toContain('itself -> itself');
  });

  it('the parent’s own problems are reported in the parent, with its lines', async () => {
    const bad = await file('bad-parent', 'server: { tls: ssl }\nchecks: [baseline]\n');
    const e = await refused(await file('good-child', 'extends: bad-parent\n'));
    expect(e.file).toBe(bad);
    expect(e.errors[0]).toMatchObject({ field: 'server.tls', line: 4 });
  });

  it('baseline in a file that extends another is a positioned error; text alone cannot extend', async () => {
    await file('base-one', 'checks: [baseline]\n');
    const e = await refused(await file('with-preset', 'extends: base-one\nchecks:\n  - baseline\n'));
    expect(e.errors[0]).toMatchObject({ field: 'checks[0]', line: 6, column: 5 });
    expect(e.errors[0]!.message).toContain('in a file that extends another');
    expect(problems('extends: basic\n').find((p) => p.field === 'extends')).toMatchObject({
      line: 4,
      column: 10,
      message: expect.stringContaining('only a file can extend'),
    });
  });
});
