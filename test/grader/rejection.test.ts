import { afterAll, describe, expect, it } from 'vitest';
import { check, expectEvidence, py, Runs } from './helpers.js';

/**
 * handles-rejection after a refused AUTH; the dot-stuffing body comparison through a transfer
 * encoding; checks that give nothing to a client that sent nothing.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

describe('handles-rejection after AUTH', () => {
  it('fails a client that sends MAIL FROM after its password got 535', async () => {
    const report = await runs.grade('builtin:auth-failed', py('ignores_auth_failure.py'));
    expect(check(report, 'handles-rejection').passed).toBe(false);
    expectEvidence(report, 'handles-rejection', 'MAIL FROM:', 'MAIL although AUTH was refused');
  });

  it('passes the correct client, which stops and says QUIT', async () => {
    const report = await runs.grade('builtin:auth-failed', py('correct_client.py'));
    expect(check(report, 'handles-rejection').passed).toBe(true);
    expect(check(report, 'exits-cleanly').passed).toBe(true);
    expect(report.client.exitCode).not.toBe(0);
  });
});

describe('dot-stuffing compares the body as text', () => {
  it('passes a correct client that sends the body base64-encoded', async () => {
    const report = await runs.grade('builtin:dot-stuffing', py('base64_body.py'));
    expect(check(report, 'dot-stuffing').passed, JSON.stringify(check(report, 'dot-stuffing'))).toBe(true);
    expect(report.score).toBe(report.maxScore);
  });
});

describe('a client that sends nothing', () => {
  it('earns nothing for refuses-downgrade, handles-rejection or line-length', async () => {
    const stripped = await runs.grade('builtin:starttls-stripped', py('silent_hang.py'), { timeoutMs: 1500 });
    expect(check(stripped, 'refuses-downgrade').passed).toBe(false);
    expect(check(stripped, 'refuses-downgrade').notes).toContain('the client sent nothing');
    const refused = await runs.grade('builtin:rcpt-rejected', py('silent_hang.py'), { timeoutMs: 1500 });
    expect(check(refused, 'handles-rejection').passed).toBe(false);
    const image = await runs.grade('builtin:mime-image', py('silent_hang.py'), { timeoutMs: 1500 });
    expect(check(image, 'line-length').passed).toBe(false);
  });
});
