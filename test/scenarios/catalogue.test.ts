import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SmtpClientError, SmtpClientReplyError, phaseOf } from '../../src/client/index.js';
import { CHECK_IDS } from '../../src/grader/checks.js';
import { PHASES, builtinScenarioDir, listBuiltinScenarios } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { sharedCa } from '../helpers/lab-server.js';
import { maskRun } from './mask.js';
import { runReference, type ReferenceRun } from './reference.js';

/**
 * The built-in catalogue: every file loads and is a lesson, and the reference client, run twice
 * under every scenario, passes where success is the lesson and fails the documented way where
 * failure is, with the same transcript both times once times, ids and dates are masked.
 */

/** Public contract: instructors put these ids in course configurations. */
const REQUIRED_IDS = [
  'basic',
  'headers',
  'auth-login',
  'auth-plain',
  'starttls',
  'implicit-tls',
  'mime-image',
  'multiline-ehlo',
  'fragmented-replies',
  'slow-greeting',
  'early-talker',
  'rcpt-rejected',
  'some-rcpt-rejected',
  'sender-rejected',
  'greylisting',
  'auth-failed',
  'service-unavailable',
  'message-too-big',
  'disconnect-mid-data',
  'dot-stuffing',
  'utf8-subject',
  'untrusted-certificate',
  'starttls-stripped',
  'qq',
  'gmail',
];

const catalogue: Scenario[] = await listBuiltinScenarios();
const byId = new Map(catalogue.map((s) => [s.id, s]));
const scenario = (id: string): Scenario => {
  const found = byId.get(id);
  if (!found) throw new Error(`no built-in scenario ${id}`);
  return found;
};

describe('the built-in catalogue', () => {
  it('has at least 25 scenarios, among them every id of the public contract', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(25);
    expect(REQUIRED_IDS.filter((id) => !byId.has(id))).toEqual([]);
  });

  it('judges how the process ended in every scenario (exits-cleanly)', () => {
    const without = catalogue.filter((s) => !s.checks.some((c) => c.id === 'exits-cleanly')).map((s) => s.id);
    expect(without).toEqual([]);
  });

  it('refuses whatever the client sends in its rejection scenarios (no rule matches only our addresses)', () => {
    for (const id of [
      'rcpt-rejected',
      'some-rcpt-rejected',
      'sender-rejected',
      'message-refused',
      'auth-failed',
    ]) {
      const s = scenario(id);
      expect(s.rules.length, id).toBeGreaterThan(0);
      for (const rule of s.rules) expect(rule.match, id).toBeUndefined();
    }
  });

  it('answers STARTTLS 502 where the scenario offers no TLS, and accepts any account unless a persona says otherwise', () => {
    for (const s of catalogue) {
      expect(serverOptionsFor(s).starttls, s.id).toBe(s.server.tls !== 'none');
      expect(s.server.credentials, s.id).toBe(s.server.persona === 'default' ? 'any' : 'accounts');
    }
  });

  it('uses only known check ids', () => {
    const unknown = catalogue.flatMap((s) =>
      s.checks.filter((c) => !CHECK_IDS.includes(c.id)).map((c) => `${s.id}: ${c.id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('makes every scenario a lesson with a rubric where baseline checks carry most points', () => {
    for (const s of catalogue) {
      const where = `scenario ${s.id}`;
      expect(s.title, where).not.toBe('');
      // About two sentences: a lesson, not a paragraph and not a fragment.
      const sentences = s.lesson.split(/(?<=[.!?])\s+(?=[A-Z"(])/).length;
      expect(sentences, `${where}: ${s.lesson}`).toBeGreaterThanOrEqual(2);
      expect(sentences, `${where}: ${s.lesson}`).toBeLessThanOrEqual(3);
      expect(s.checks.length, where).toBeGreaterThan(0);
      const points = (tier: string) =>
        s.checks.filter((c) => c.tier === tier).reduce((sum, c) => sum + c.points, 0);
      const total = s.checks.reduce((sum, c) => sum + c.points, 0);
      expect(total, where).toBeGreaterThan(0);
      expect(points('baseline'), where).toBeGreaterThanOrEqual(total / 2);
      // Fragmentation is a robustness line, never a baseline one (ARCHITECTURE.md, "Strictness").
      const reads = s.checks.find((c) => c.id === 'reads-whole-replies');
      if (reads) expect(reads.tier, where).not.toBe('baseline');
    }
  });

  it('documents the outcome: nothing delivered where a phase fails, a code only with a phase', () => {
    for (const s of catalogue) {
      const where = `scenario ${s.id}`;
      if (s.reference.failsAt !== undefined) {
        expect(PHASES, where).toContain(s.reference.failsAt);
        expect(s.reference.delivered, where).toBe(0);
        // Reporting the failure is what such a lesson grades.
        expect(
          s.checks.map((c) => c.id),
          where,
        ).toContain('exits-cleanly');
      } else {
        expect(s.reference.code, where).toBeUndefined();
        expect(s.reference.delivered, where).toBeGreaterThan(0);
      }
    }
  });

  it('gives mime-image a small real PNG under scenarios/images/', async () => {
    const s = scenario('mime-image');
    expect(path.dirname(s.client.image!)).toBe(path.join(builtinScenarioDir(), 'images'));
    const png = await readFile(s.client.image!);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
    expect(png.length).toBeLessThan(16 * 1024);
  });

  it('keeps the briefs the ids promise', () => {
    const basic = scenario('basic');
    expect(basic.server.tls).toBe('none');
    expect(basic.client.tls).toBe('none');
    expect(basic.checks.map((c) => c.id)).not.toContain('message-format');
    expect(basic.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'waits-for-greeting',
        'greets',
        'crlf',
        'waits-for-replies',
        'mail-from',
        'rcpt-to',
        'data',
        'data-terminator',
        'quit',
      ]),
    );
    expect(scenario('headers').checks.map((c) => c.id)).toContain('message-format');
    expect(scenario('auth-login').server.authMechanisms).toEqual(['LOGIN']);
    expect(scenario('auth-plain').server.authMechanisms).toEqual(['PLAIN']);
    expect(scenario('starttls').server).toMatchObject({
      tls: 'starttls',
      requireTls: true,
      auth: 'required',
    });
    expect(scenario('implicit-tls').client.tls).toBe('implicit');
    expect(scenario('mime-image').checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['mime-structure', 'image-intact', 'line-length']),
    );
    expect(scenario('fragmented-replies').faults[0]).toMatchObject({
      on: { kind: 'every-reply' },
      do: { kind: 'fragment' },
    });
    expect(scenario('fragmented-replies').checks.find((c) => c.id === 'reads-whole-replies')?.tier).toBe(
      'robustness',
    );
    expect(scenario('some-rcpt-rejected').client.to).toHaveLength(2);
    expect(scenario('greylisting').server.greylistMs).toBe(1000);
    expect(scenario('greylisting').checks.map((c) => c.id)).toContain('handles-temporary-failure');
    expect(scenario('service-unavailable').reference).toMatchObject({ failsAt: 'greeting', code: 421 });
    const dots = scenario('dot-stuffing').client.body!.split('\n');
    expect(dots).toContain('.');
    expect(dots.some((l) => /^\.[^.]/.test(l))).toBe(true);
    expect(scenario('utf8-subject').client.subject).toBe('I love computer networks! 我爱计算机网络 🚀');
    expect(scenario('utf8-subject').checks.map((c) => c.id)).toContain('header-encoding');
    expect(scenario('untrusted-certificate').server.certificate).toBe('untrusted');
    expect(scenario('untrusted-certificate').checks.map((c) => c.id)).toContain('verifies-certificate');
    expect(scenario('starttls-stripped').server.hideExtensions).toContain('STARTTLS');
    expect(scenario('starttls-stripped').client.tls).toBe('starttls');
    expect(scenario('starttls-stripped').checks.map((c) => c.id)).toContain('refuses-downgrade');
    expect(scenario('qq').server).toMatchObject({
      persona: 'qq',
      tls: 'implicit',
      auth: 'required',
      requireFromHeader: true,
    });
    expect(scenario('qq').rules).toContainEqual(
      expect.objectContaining({
        when: 'mail',
        reply: { code: 501, text: 'mail from address must be same as authorization user' },
      }),
    );
    expect(scenario('gmail').server).toMatchObject({
      persona: 'gmail',
      tls: 'starttls',
      requireTls: true,
      auth: 'required',
      requireFromHeader: true,
    });
  });
});

describe('the replay mask', () => {
  const session = (port: number, challenge: string, id: string, boundary: string) =>
    [
      `=== connection from 127.0.0.1:${port} to port ${port + 1}`,
      `<-  334 ${challenge}`,
      '<-  334 VXNlcm5hbWU6',
      ` -> Date: Sat, 28 Nov 2026 0${port % 10}:55:26 +0000`,
      ` ~> Message-ID: <${id}@smtp-lab.test>`,
      ` -> Content-Type: multipart/mixed; boundary="=_smtp-lab_${boundary}_0"`,
      `<~  250 2.0.0 Ok: queued as ${id}-1`,
    ].join('\n');

  it('hides what differs between runs and keeps the rest', () => {
    const a = maskRun(session(40001, 'PDEyMzQ1Ni4xQHNtdHAtbGFiPg==', 'mx01', 'a1b2c3'));
    const b = maskRun(session(51234, 'PDk4NzY1NC4yQHNtdHAtbGFiPg==', 'mx02', 'd4e5f6'));
    expect(b).toBe(a);
    expect(a).toContain('<-  334 VXNlcm5hbWU6');
    expect(a).not.toContain('PDEy');
    expect(maskRun(session(40001, 'x', 'mx01', 'a1'))).not.toBe(maskRun('<-  250 something else'));
  });
});

/** What went wrong in a run, readable in a failed expectation. */
function failedChecks(run: ReferenceRun) {
  return run.checks
    .filter((c) => !c.passed)
    .map((c) => ({ id: c.id, notes: c.notes, evidence: c.evidence.map((e) => e.text) }));
}

function expectDocumentedOutcome(run: ReferenceRun): void {
  const s = run.scenario;
  const transcript = run.rendered.join('\n-----\n');
  expect(run.messages.length, `messages stored\n${transcript}`).toBe(s.reference.delivered);
  if (s.reference.failsAt === undefined) {
    expect(run.error, transcript).toBeUndefined();
  } else {
    expect(run.error, transcript).toBeInstanceOf(Error);
    expect(phaseOf(run.error), String(run.error)).toBe(s.reference.failsAt);
    if (s.reference.code !== undefined) {
      expect(run.error).toBeInstanceOf(SmtpClientReplyError);
      expect((run.error as SmtpClientReplyError).replyCode).toBe(s.reference.code);
    }
  }
  // A correct client passes every check of the rubric, whether the send succeeds or not.
  expect(failedChecks(run), transcript).toEqual([]);
  expect(run.checks.every((c) => c.applicable)).toBe(true);
}

describe.concurrent('every scenario with the reference client, run twice', () => {
  for (const s of catalogue) {
    it(`${s.id}: ${s.reference.failsAt ? `fails at ${s.reference.failsAt}` : 'delivers'}, and replays identically`, async () => {
      const ca = await sharedCa();
      const [first, second] = await Promise.all([runReference(s, ca), runReference(s, ca)]);
      expectDocumentedOutcome(first);
      expectDocumentedOutcome(second);
      expect(first.rendered.length).toBeGreaterThan(0);
      expect(second.rendered.map(maskRun)).toEqual(first.rendered.map(maskRun));
    });
  }
});

describe('where the lesson is that the client must refuse', () => {
  it('the reference client refuses the certificates it cannot verify, before any command inside TLS', async () => {
    const ca = await sharedCa();
    for (const id of ['untrusted-certificate', 'expired-certificate', 'wrong-host-certificate']) {
      const run = await runReference(scenario(id), ca);
      expect(run.error, id).toBeInstanceOf(SmtpClientError);
      expect((run.error as SmtpClientError).code, id).toBe('ERR_TLS_CERT');
      expect(run.rendered.join(''), id).not.toMatch(/^ ~> /m);
      expect(run.rendered.join(''), id).toContain('*** TLS handshake with the client failed');
    }
  });

  it('the reference client stops when STARTTLS is stripped or refused, before AUTH', async () => {
    const ca = await sharedCa();
    const stripped = await runReference(scenario('starttls-stripped'), ca);
    expect((stripped.error as SmtpClientError).code).toBe('ERR_TLS_REQUIRED');
    const refused = await runReference(scenario('starttls-refused'), ca);
    expect((refused.error as SmtpClientReplyError).replyCode).toBe(454);
    for (const run of [stripped, refused]) {
      expect(run.rendered.join('')).not.toMatch(/^ -> (AUTH|MAIL)/m);
      expect(run.rendered.join('')).toMatch(/^ -> QUIT$/m);
    }
  });
});
