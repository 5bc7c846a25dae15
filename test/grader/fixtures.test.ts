import { afterAll, describe, expect, it } from 'vitest';
import { check, expectEvidence, expectFailures, expectNote, js, py, Runs, verdicts } from './helpers.js';

/**
 * Each broken student client (test/fixtures/clients/) under the scenario that exposes its bug:
 * exactly the checks it should lose fail, everything else passes, and the evidence points at
 * the offending transcript line with a hint. Real sockets, real Python and Node processes.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

/** A client that hangs is killed after this long: the tests do not wait 20 s for it. */
const HANG_MS = 3000;

describe.concurrent('broken clients lose exactly the checks of their bug', () => {
  it('no wait for the greeting: waits-for-greeting, evidence at the early EHLO', async () => {
    const report = await runs.grade('plain', py('no_greeting_wait.py'));
    expectFailures(report, ['waits-for-greeting']);
    expectEvidence(report, 'waits-for-greeting', 'EHLO student.example', 'before the greeting');
  });

  it('no wait for the greeting, under the built-in early-talker scenario', async () => {
    const report = await runs.grade('builtin:early-talker', py('no_greeting_wait.py'));
    expect(verdicts(report).failed).toContain('waits-for-greeting');
    expectEvidence(report, 'waits-for-greeting', 'EHLO student.example', 'before the greeting');
  });

  it('the skeleton style (recv(1024) per reply, HELO Alice, no headers) passes the baseline', async () => {
    const basic = await runs.grade('builtin:basic', py('recv_1024.py'));
    expectFailures(basic, []);
    expect(basic.score).toBe(basic.maxScore);
    // Where headers are asked for, it loses exactly that.
    const plain = await runs.grade('plain', py('recv_1024.py'));
    expectFailures(plain, ['message-format']);
    expectNote(plain, 'message-format', 'no From: header');
    expectNote(plain, 'message-format', 'no empty line between the headers and the body');
  });

  it('the skeleton style loses the robustness line when the EHLO reply comes in pieces', async () => {
    const report = await runs.grade('split-ehlo', py('recv_1024.py'));
    expectFailures(report, ['reads-whole-replies']);
    expect(check(report, 'reads-whole-replies').tier).toBe('robustness');
    expectEvidence(report, 'reads-whole-replies', 'MAIL FROM:<student@smtp-lab.test>', 'still arriving');
  });

  it('the skeleton style sends HELO while the greeting is still arriving', async () => {
    const report = await runs.grade('split-greeting', py('recv_1024.py'));
    expectFailures(report, ['reads-whole-replies']);
    expectEvidence(report, 'reads-whole-replies', 'HELO Alice', 'greeting was still arriving');
  });

  it('the skeleton style under the built-in fragmented-replies: the robustness line fails', async () => {
    const report = await runs.grade('builtin:fragmented-replies', py('recv_1024.py'));
    expect(verdicts(report).failed).toContain('reads-whole-replies');
    expect(check(report, 'reads-whole-replies').hint).toBeTruthy();
  });

  it('bare LF line endings (Node): crlf, evidence at the first command', async () => {
    const report = await runs.grade('plain', js('bare_lf.mjs'));
    expectFailures(report, ['crlf']);
    expectEvidence(report, 'crlf', 'EHLO student.example', 'bare LF');
  });

  it('a "\\n.\\n" terminator: the client hangs, is killed, and the report says why', async () => {
    const report = await runs.grade('plain', py('lf_dot_terminator.py'), { timeoutMs: HANG_MS });
    expect(report.client.timedOut).toBe(true);
    expectFailures(report, ['crlf', 'message-format', 'data-terminator', 'quit', 'exits-cleanly']);
    expectEvidence(report, 'data-terminator', '.', 'still waiting for <CRLF>.<CRLF>');
    expectNote(report, 'exits-cleanly', 'killed after the time limit');
    expectNote(report, 'message-format', 'no message was stored');
  });

  it('no dot-stuffing: a lone "." ends the message early', async () => {
    const report = await runs.grade('dots', py('no_dot_stuffing.py'));
    expectFailures(report, ['dot-stuffing', 'exits-cleanly']);
    expectEvidence(report, 'dot-stuffing', '.this line starts with a dot', 'not doubled');
  });

  it('DATA after every RCPT was refused: handles-rejection', async () => {
    const report = await runs.grade('rcpt-refused', py('data_after_refusal.py'));
    expectFailures(report, ['handles-rejection']);
    expectEvidence(report, 'handles-rejection', 'DATA', 'no recipient was accepted');
  });

  it('no QUIT (Node): quit', async () => {
    const report = await runs.grade('plain', js('no_quit.mjs'));
    expectFailures(report, ['quit']);
    expectNote(report, 'quit', 'QUIT was never sent');
  });

  it('QUIT without reading the 221: quit, evidence at QUIT', async () => {
    const report = await runs.grade('plain', py('quit_no_read.py'));
    expectFailures(report, ['quit']);
    expectEvidence(report, 'quit', 'QUIT', 'closed before the 221');
  });

  it('no EHLO after STARTTLS: refused from then on', async () => {
    const report = await runs.grade('tls-login', py('no_ehlo_after_starttls.py'));
    expectFailures(report, [
      'ehlo-after-starttls',
      'auth',
      'mail-from',
      'rcpt-to',
      'data',
      'message-format',
      'data-terminator',
      'exits-cleanly',
    ]);
    expectEvidence(report, 'ehlo-after-starttls', 'AUTH LOGIN', 'not EHLO');
    expect(report.client.stderr).toContain('503');
  });

  it('certificate not verified: verifies-certificate, evidence at the first command inside TLS', async () => {
    const report = await runs.grade('bad-cert', py('unverified_cert.py'));
    expectFailures(report, ['verifies-certificate', 'exits-cleanly']);
    expectEvidence(report, 'verifies-certificate', 'EHLO student.example', 'could not verify');
    expectNote(report, 'exits-cleanly', 'expected non-zero');
  });

  it('certificate not verified, under the built-in untrusted-certificate scenario', async () => {
    const report = await runs.grade('builtin:untrusted-certificate', py('unverified_cert.py'));
    expectFailures(report, ['verifies-certificate', 'exits-cleanly']);
  });

  it('a plaintext client never saw the certificate: no points for refusing it', async () => {
    const report = await runs.grade('bad-cert', py('recv_1024.py'));
    expectFailures(report, ['verifies-certificate', 'exits-cleanly']);
    expectNote(report, 'verifies-certificate', 'never started TLS');
  });

  it('the password sent unencoded in AUTH LOGIN: auth alone fails, the note says base64', async () => {
    const report = await runs.grade('tls-login', py('auth_plain_password.py'));
    // Any credentials are accepted (the dialogue is judged): one mistake costs its own points.
    expectFailures(report, ['auth']);
    expectNote(report, 'auth', 'not base64');
    expectEvidence(report, 'auth', 'AUTH LOGIN');
  });

  it('base64 image not wrapped: line-length, the evidence line clipped', async () => {
    const report = await runs.grade('mime', py('image_not_wrapped.py'));
    expectFailures(report, ['line-length']);
    expectEvidence(report, 'line-length', 'iVBORw0KGgo', 'octets');
    expectNote(report, 'line-length', 'wrap at 76');
    for (const e of check(report, 'line-length').evidence) expect(e.text.length).toBeLessThan(400);
  });

  it('missing closing MIME boundary: mime-structure', async () => {
    const report = await runs.grade('mime', py('no_closing_boundary.py'));
    expectFailures(report, ['mime-structure']);
    expectNote(report, 'mime-structure', 'never closed');
  });

  it('a crash right after MAIL FROM: everything after it, and the exit status', async () => {
    const report = await runs.grade('plain', py('crash_midway.py'));
    expectFailures(report, ['rcpt-to', 'data', 'message-format', 'data-terminator', 'quit', 'exits-cleanly']);
    expect(report.client.exitCode).toBe(1);
    expect(report.client.stderr).toContain('Traceback');
    expectEvidence(report, 'quit', 'MAIL FROM:<student@smtp-lab.test>');
    expectNote(report, 'exits-cleanly', 'exit status 1');
  });

  it('a silent hang: killed at the time limit, no points at all', async () => {
    const report = await runs.grade('plain', py('silent_hang.py'), { timeoutMs: HANG_MS });
    expect(report.client.timedOut).toBe(true);
    // Killed by the runner's timer (timedOut), never before it; no upper wall-clock bound, which
    // a loaded machine breaks: a runner that never kills fails this test by its own timeout.
    expect(report.client.durationMs).toBeGreaterThanOrEqual(HANG_MS - 50);
    expectFailures(
      report,
      report.checks.map((c) => c.id),
    );
    expect(report.score).toBe(0);
    expectNote(report, 'exits-cleanly', 'killed after the time limit');
    expectNote(report, 'greets', 'sent no command');
  });
});
