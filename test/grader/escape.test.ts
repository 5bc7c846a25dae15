import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/grader/checks.js';
import { displayName } from '../../src/grader/batch.js';
import { formatChecks } from '../../src/grader/report.js';
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
});

describe('displayName keeps a hostile submission folder name inert', () => {
  it.each(HOSTILE_PAYLOADS)('$name', ({ text }) => {
    expect(displayName(`student-${text}`)).not.toMatch(RAW_CONTROL);
  });

  it('leaves an ordinary name alone', () => {
    expect(displayName('王小明-2024')).toBe('王小明-2024');
  });
});
