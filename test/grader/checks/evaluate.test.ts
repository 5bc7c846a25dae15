import { describe, expect, it } from 'vitest';
import { CHECK_IDS, CHECKS, evaluateChecks, type RunEvidence } from '../../../src/grader/checks.js';
import { makeReference, parseReference, ReferenceFileError } from '../../../src/grader/normalise.js';
import type { CheckId } from '../../../src/scenarios/check-ids.js';
import {
  dialogue,
  DESYNCED,
  ex,
  expectRow,
  GREETING,
  note,
  scenarioWith,
  sessionOf,
  type Step,
} from './helpers.js';

/** The registry, exits-cleanly, matches-reference, and what a desync does to the score. */

describe('the registry', () => {
  it('has one entry per check id, each with a title, what it judges, a tier and a hint', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...CHECK_IDS].sort());
    for (const id of CHECK_IDS) {
      const def = CHECKS[id];
      expect(def.id).toBe(id);
      expect(def.title.length, id).toBeGreaterThan(5);
      expect(def.judges.length, id).toBeGreaterThan(10);
      expect(def.hint.length, id).toBeGreaterThan(10);
      expect(['baseline', 'robustness', 'optional']).toContain(def.tier);
    }
  });
});

describe('exits-cleanly', () => {
  const crashed = [
    GREETING,
    ...ex('EHLO me\r\n', '250 ok\r\n'),
    ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
    note('closed', 'info', 'client-closed'),
  ];
  it('a crash after MAIL FROM says where the client was', () =>
    expectRow('exits-cleanly', {
      name: 'crash',
      sessions: [crashed],
      client: { exitCode: 1, timedOut: false },
      want: 'fail',
      says: 'MAIL FROM:<a@b.c>  <- the last line the client sent',
    }));
  it('killed at the time limit', () =>
    expectRow('exits-cleanly', {
      name: 'killed',
      sessions: [crashed],
      client: { exitCode: null, timedOut: true },
      want: 'fail',
      says: 'killed after the time limit',
    }));
  it('no process (lab): not judged', () =>
    expectRow('exits-cleanly', { name: 'lab', sessions: [dialogue()], want: 'not judged' }));
  it('exit 0 after a delivery', () =>
    expectRow('exits-cleanly', {
      name: 'ok',
      sessions: [dialogue()],
      client: { exitCode: 0, timedOut: false },
      want: 'pass',
    }));
});

describe('after a desync, a robustness scenario reports the echoes and does not score them', () => {
  const ids: CheckId[] = [
    'waits-for-greeting',
    'greets',
    'crlf',
    'waits-for-replies',
    'reads-whole-replies',
    'quit',
  ];

  it('reads-whole-replies fails and scores; quit and waits-for-replies are reported, not scored', () => {
    const scenario = scenarioWith(ids, '', { 'reads-whole-replies': 'robustness' });
    const results = evaluateChecks({ scenario, sessions: [sessionOf(DESYNCED)], messages: [] });
    const by = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(by['reads-whole-replies']).toMatchObject({ passed: false, applicable: true, maxPoints: 1 });
    for (const id of ['quit', 'waits-for-replies'] as const) {
      expect(by[id], id).toMatchObject({ passed: false, applicable: false, maxPoints: 0 });
      expect(by[id]!.notes[0]).toContain('not scored: the client lost track of the replies');
    }
    expect(by.greets).toMatchObject({ passed: true, applicable: true });
  });

  it('in a baseline-only scenario the same failures are scored', () => {
    const scenario = scenarioWith(ids.filter((id) => id !== 'reads-whole-replies'));
    const results = evaluateChecks({ scenario, sessions: [sessionOf(DESYNCED)], messages: [] });
    expect(results.find((r) => r.id === 'quit')).toMatchObject({ passed: false, applicable: true });
  });
});

describe('matches-reference compares what the lesson is about', () => {
  const reference = makeReference('table', [
    sessionOf(
      dialogue({
        mail: 'MAIL FROM:<student@smtp-lab.test>',
        body: ['From: <student@smtp-lab.test>', 'Subject: Lab', '', 'hello'],
      }),
    ),
  ]);
  const judgeWith = (steps: Step[], compare?: string): ReturnType<typeof evaluateChecks>[number] => {
    const evidence: RunEvidence = {
      scenario: scenarioWith(['matches-reference'], compare ? `compare: ${compare}\n` : ''),
      sessions: [sessionOf(steps)],
      messages: [],
      reference: { file: 'ref.json', transcript: reference },
    };
    return evaluateChecks(evidence)[0]!;
  };
  const own = dialogue({
    mail: 'MAIL FROM:<alice@qq.com>',
    body: ['From: alice@qq.com', 'Subject: my own', '', 'my words'],
  });

  it('by default, its own addresses, headers and body still match the exchange', () => {
    const result = judgeWith(own);
    expect(result.passed).toBe(true);
    expect(result.notes.join('\n')).toContain(
      'also differs in the envelope addresses and the message (headers and body): not compared here (compare: exchange)',
    );
  });
  it('compare: envelope names the addresses as the part that differs', () => {
    const result = judgeWith(own, 'envelope');
    expect(result.passed).toBe(false);
    expect(result.notes[0]).toContain('in the envelope addresses');
    expect(result.notes[1]).toContain('- -> MAIL FROM:<student@smtp-lab.test>');
  });
  it('compare: message names the message when only it differs', () => {
    const sameEnvelope = dialogue({
      mail: 'MAIL FROM:<student@smtp-lab.test>',
      body: ['Subject: other', '', 'x'],
    });
    const result = judgeWith(sameEnvelope, 'message');
    expect(result.passed).toBe(false);
    expect(result.notes[0]).toContain('in the message (headers and body)');
  });
  it("a reference that cannot be used is said in the report's language, its file name and JSON as written", () => {
    let problem;
    try {
      parseReference('{"format": "smtp-lab expected transcript", "version": 2}', 'ref.json');
    } catch (e) {
      problem = e as ReferenceFileError;
    }
    expect(problem).toBeInstanceOf(ReferenceFileError);
    const evidence: RunEvidence = {
      scenario: scenarioWith(['matches-reference']),
      sessions: [sessionOf(own)],
      messages: [],
      reference: { file: 'ref.json', error: problem!.message, problem: problem!.problem },
    };
    const en = evaluateChecks(evidence)[0]!;
    const zh = evaluateChecks(evidence, { lang: 'zh-CN' })[0]!;
    expect(en.notes).toEqual([
      'the expected transcript cannot be used: ref.json: version 2 is not supported (expected 1)',
    ]);
    expect(zh.notes).toEqual(['预期会话记录无法使用：ref.json：不支持版本 2（应为 1）']);
    expect({ ...zh, notes: [], title: '', hint: '' }).toEqual({ ...en, notes: [], title: '', hint: '' });
  });
  it('a different exchange fails in every mode (no QUIT)', () => {
    const result = judgeWith(dialogue({ quit: false }));
    expect(result.passed).toBe(false);
    expect(result.notes[0]).toContain('the exchange');
    expect(result.notes[1]).toContain('- -> QUIT');
  });
});
