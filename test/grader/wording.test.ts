import { afterAll, describe, expect, it } from 'vitest';
import { check, explain, py, Runs } from './helpers.js';

/**
 * Say what happened: a QUIT that went into an unterminated DATA is not "never sent".
 * The client here gives up waiting for the 250 after a bare-LF terminator and sends QUIT, as the
 * skeleton with a socket timeout does.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

describe('quit', () => {
  it('a QUIT sent inside a message that was never ended is named as such', async () => {
    const report = await runs.grade('plain', py('lf_dot_then_quit.py'));
    const quit = check(report, 'quit');
    expect(quit.passed, explain(report)).toBe(false);
    expect(quit.notes.join(' ')).not.toContain('QUIT was never sent');
    expect(quit.notes[0]).toContain('QUIT was sent inside the unfinished message');
    expect(quit.evidence[0]?.text).toMatch(/-> QUIT .*still inside DATA/);
  });
});
