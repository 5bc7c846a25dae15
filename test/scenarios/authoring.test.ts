import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenarios/load.js';
import { BASELINE_CHECKS } from '../../src/scenarios/vocabulary.js';

/**
 * What an instructor no longer copies: the baseline checks (`- baseline`, with `except`), the
 * client keys that follow from `server:`, and `reference:` with `expect:` still read as its old
 * spelling. Each rule with its positioned errors.
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
