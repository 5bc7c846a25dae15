import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/grader/checks.js';
import { displayName } from '../../src/grader/batch.js';
import { formatReports } from '../../src/grader/formats.js';
import { formatChecks } from '../../src/grader/report.js';
import type { GradeReport } from '../../src/grader/report.js';
import { HOSTILE_PAYLOADS, RAW_CONTROL } from '../transcript/helpers.js';

/** The text report quotes the client's bytes in evidence and notes: shown escaped, never raw. */
describe('formatChecks keeps hostile bytes inert', () => {
  it.each(HOSTILE_PAYLOADS)('$name in evidence and notes', ({ text }) => {
    const result: CheckResult = {
      id: 'mail-from',
      title: 'MAIL FROM',
      tier: 'baseline',
      passed: false,
      applicable: true,
      points: 0,
      maxPoints: 1,
      evidence: [{ session: 'abcdef123456', line: 3, text: ` -> MAIL FROM:<${text}>` }],
      notes: [`the client sent ${text}\nsecond line`],
      hint: null,
    };
    const out = formatChecks([result]);
    expect(out).not.toMatch(RAW_CONTROL);
    // Multi-line notes still indent under their check.
    expect(out).toContain(`\n${' '.repeat(11)}second line`);
  });

  it.each(HOSTILE_PAYLOADS)('$name in the text, TAP and JUnit reports', ({ text }) => {
    const report = {
      scenario: 'basic',
      title: 'Basic',
      client: {
        command: 'python3 client.py',
        exitCode: 1,
        signal: null,
        timedOut: false,
        durationMs: 10,
        stdout: `printed ${text}`,
        stderr: `traceback ${text}`,
        stderrTail: `traceback ${text}`,
        truncated: false,
      },
      score: 0,
      maxScore: 1,
      checks: [
        {
          id: 'mail-from',
          title: 'MAIL FROM',
          tier: 'baseline',
          passed: false,
          applicable: true,
          points: 0,
          maxPoints: 1,
          evidence: [{ session: 'abcdef123456', line: 3, text: ` -> MAIL FROM:<${text}>` }],
          notes: [`the client sent ${text}`],
          hint: null,
        },
      ],
      transcript: { sessions: [] },
      // The cause quotes the last line of the client's traceback.
      diagnosis: { kind: 'crashed-before-connecting', text: `it crashed: ValueError: ${text}` },
    } as GradeReport;
    for (const format of ['text', 'junit'] as const) {
      expect(formatReports([report], format), format).not.toMatch(RAW_CONTROL);
    }
    // TAP's YAML strings escape C0, DEL and C1 as \xHH (what prove and tap-parser both read);
    // bidi overrides have no such escape there and stay as they are.
    expect(formatReports([report], 'tap')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('displayName keeps a hostile submission folder name inert', () => {
  it.each(HOSTILE_PAYLOADS)('$name', ({ text }) => {
    expect(displayName(`student-${text}`)).not.toMatch(RAW_CONTROL);
  });

  it('leaves an ordinary name alone', () => {
    expect(displayName('王小明-2024')).toBe('王小明-2024');
  });
});
