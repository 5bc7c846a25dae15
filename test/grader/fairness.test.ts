import { afterAll, describe, expect, it } from 'vitest';
import { formatReports } from '../../src/grader/formats.js';
import {
  check,
  expectEvidence,
  expectFailures,
  expectNote,
  explain,
  fullMarks,
  js,
  py,
  Runs,
  verdicts,
} from './helpers.js';

/**
 * Verdicts that hold on real student work. Each case is a student client (Python or
 * Node, test/fixtures/clients/) graded for real; each failed on the grader before this issue.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

const transcriptText = (report: Awaited<ReturnType<Runs['grade']>>) =>
  report.transcript.sessions.flatMap((s) => s.lines).join('\n');

describe.concurrent('judge the form the assignment asks for, not our own values', () => {
  it('its own hard-coded addresses, subject and body: full marks under basic (Python)', async () => {
    const report = await runs.grade('builtin:basic', py('own_addresses.py'));
    fullMarks(report);
    expect(transcriptText(report)).toContain('MAIL FROM:<1234567@qq.com>');
  });

  it('its own hard-coded addresses: full marks under basic (Node)', async () => {
    const report = await runs.grade('builtin:basic', js('own_addresses.mjs'));
    fullMarks(report);
    expect(transcriptText(report)).toContain('RCPT TO:<li.si@163.com>');
  });

  it('dot-stuffing judged from the wire and the stored message: its own body, stuffed, passes', async () => {
    const report = await runs.grade('builtin:dot-stuffing', py('own_addresses.py'));
    fullMarks(report);
    expect(transcriptText(report)).toContain('-> ..A line that starts with a dot.');
  });

  it('its own account and authorization code: the AUTH dialogue is judged, and the report says so', async () => {
    const report = await runs.grade('builtin:auth-login', py('own_addresses.py'));
    fullMarks(report);
    expectNote(report, 'auth', 'any user name and password are accepted here');
  });

  it('uses-given-addresses, where a course adds it, is the one check its own addresses lose', async () => {
    const report = await runs.grade('given', py('own_addresses.py'));
    expectFailures(report, ['uses-given-addresses']);
    expectNote(report, 'uses-given-addresses', 'MAIL FROM:<1234567@qq.com>, but MAIL_FROM is');
  });

  it('rcpt-rejected refuses its own recipient: the rejection happens, is handled, and nothing is stored', async () => {
    const report = await runs.grade('builtin:rcpt-rejected', py('own_addresses.py'));
    fullMarks(report);
    expect(transcriptText(report)).toMatch(/RCPT TO:<my\.friend@163\.com>\n<- +550/);
    expect(report.client.exitCode).toBe(1);
  });

  it('sender-rejected refuses its own sender', async () => {
    const report = await runs.grade('builtin:sender-rejected', js('own_addresses.mjs'));
    expect(transcriptText(report)).toMatch(/MAIL FROM:<zhang\.san@qq\.com>\n<- +553/);
    expect(check(report, 'handles-rejection').passed, explain(report)).toBe(true);
  });

  it('handles-rejection gives no points where the client never reached the refused step', async () => {
    const report = await runs.grade('builtin:rcpt-rejected', py('one_recv_dies.py'));
    expect(check(report, 'handles-rejection').passed).toBe(false);
    expectNote(report, 'handles-rejection', 'it never reached the step this scenario refuses');
  });

  it('tls: none answers STARTTLS 502: no TLS session under basic, and the plaintext mail goes on (Node)', async () => {
    const report = await runs.grade('builtin:basic', js('starttls_anyway.mjs'));
    const text = transcriptText(report);
    expect(text).toMatch(/-> STARTTLS\n<- +502/);
    expect(text).not.toContain('TLS started');
    expect(report.client.stdout).toContain('STARTTLS -> 502');
    expect(verdicts(report).failed, explain(report)).toEqual([]);
  });
});

describe.concurrent('evidence shows both sides', () => {
  it('the DATA a client sent after its only RCPT was refused, and the 503 it got, in every format', async () => {
    const report = await runs.grade('rcpt-refused', py('data_after_refusal.py'));
    const evidence = check(report, 'handles-rejection').evidence.find((e) => e.text.includes('DATA'));
    expect(evidence?.reply?.text, explain(report)).toMatch(/^<- +503/);
    const session = report.transcript.sessions.find((s) => s.id === evidence!.session)!;
    expect(session.lines[evidence!.reply!.line - 1]).toContain('503');
    for (const format of ['text', 'tap', 'junit'] as const) {
      const text = formatReports([report], format);
      expect(text, format).toContain('DATA although no recipient was accepted');
      expect(text, format).toMatch(/503/);
    }
  });
});

describe.concurrent('one mistake costs its own points', () => {
  it('MAIL FROM without brackets: mail-from alone, the hint names the difference', async () => {
    const report = await runs.grade('builtin:basic', py('no_brackets.py'));
    expectFailures(report, ['mail-from']);
    expectEvidence(
      report,
      'mail-from',
      'MAIL FROM: student@smtp-lab.test',
      'must be "FROM:<student@smtp-lab.test>"',
    );
    // Accepted as Postfix accepts it: the message went through.
    expect(transcriptText(report)).toMatch(/MAIL FROM: student@smtp-lab\.test\n<- +250/);
  });

  it('the skeleton under fragmented-replies: the robustness line fails, the echoes are reported, not scored', async () => {
    const report = await runs.grade('builtin:fragmented-replies', py('recv_1024.py'));
    const scored = report.checks.filter((c) => c.applicable && !c.passed).map((c) => c.id);
    expect(scored, explain(report)).toEqual(['reads-whole-replies']);
    for (const c of report.checks.filter((c) => !c.applicable)) {
      expect(c.notes[0]).toContain('not scored: the client lost track of the replies');
    }
    expect(report.checks.some((c) => !c.applicable)).toBe(true);
    expect(formatReports([report], 'text')).toContain('not scored: the client lost track of the replies');
  });

  it('reads-whole-replies fails a client that spoke into the multi-line greeting and died', async () => {
    const report = await runs.grade('builtin:multiline-ehlo', py('one_recv_dies.py'));
    expect(check(report, 'reads-whole-replies').passed, explain(report)).toBe(false);
    expectEvidence(report, 'reads-whole-replies', 'HELO Alice', 'greeting was still arriving');
    expect(report.client.stderr).toContain('Traceback');
  });

  it('early-talker fails a client that sends before the last greeting line', async () => {
    const report = await runs.grade('builtin:early-talker', py('one_recv_dies.py'));
    expect(check(report, 'reads-whole-replies').passed, explain(report)).toBe(false);
    expectEvidence(report, 'reads-whole-replies', 'HELO Alice', 'greeting was still arriving');
  });

  it('ehlo-after-starttls requires EHLO: HELO inside TLS fails it', async () => {
    const report = await runs.grade('tls-login', py('helo_after_starttls.py'));
    expect(check(report, 'ehlo-after-starttls').passed, explain(report)).toBe(false);
    expectEvidence(report, 'ehlo-after-starttls', 'HELO student.example', 'HELO, not EHLO');
  });

  it('every scenario judges how the process ended: a crash after MAIL FROM says where it was', async () => {
    const report = await runs.grade('builtin:basic', py('crash_midway.py'));
    expect(check(report, 'exits-cleanly').passed, explain(report)).toBe(false);
    expectEvidence(report, 'exits-cleanly', 'MAIL FROM:<student@smtp-lab.test>', 'before it ended');
  });
});
