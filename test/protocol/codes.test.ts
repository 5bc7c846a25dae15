import { describe, expect, it } from 'vitest';
import { SmtpLabError } from '../../src/protocol/errors.js';
import {
  ENHANCED_DETAILS,
  ENHANCED_SUBJECTS,
  FIRST_DIGITS,
  NEXT_STEPS,
  REPLY_CODES,
  ReplyCodeSyntaxError,
  SECOND_DIGITS,
  explainCode,
  explainReply,
} from '../../src/protocol/codes.js';
import { formatExplanation } from '../../src/cli/explain-format.js';

/** The basic codes the catalogue promises (RFC 5321 §4.2.2/§4.2.3, RFC 3207, RFC 4954, RFC 7504). */
const REQUIRED_CODES = [
  211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 454, 455, 500, 501, 502, 503, 504,
  521, 523, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556,
];

const REF = /^RFC \d{4}/;

function syntaxError(run: () => unknown): ReplyCodeSyntaxError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ReplyCodeSyntaxError);
    expect(err).toBeInstanceOf(SmtpLabError);
    return err as ReplyCodeSyntaxError;
  }
  throw new Error('expected a ReplyCodeSyntaxError, nothing was thrown');
}

describe('reply-code catalogue', () => {
  it('holds every required code exactly once, in numeric order', () => {
    const codes = REPLY_CODES.map((entry) => entry.code);
    expect(codes).toEqual(REQUIRED_CODES);
  });

  it.each(REPLY_CODES.map((entry) => [entry.code, entry] as const))(
    '%i has a name, meaning, where it appears, a next step and a ref',
    (code, entry) => {
      expect(entry.name.length).toBeGreaterThan(3);
      expect(entry.meaning.length).toBeGreaterThan(10);
      expect(entry.appears.length).toBeGreaterThan(3);
      expect(entry.contexts.length).toBeGreaterThan(0);
      expect(Object.keys(NEXT_STEPS)).toContain(entry.next);
      expect(entry.advice.length).toBeGreaterThan(10);
      expect(entry.ref).toMatch(REF);
      const explained = explainReply(code);
      expect(explained.reply?.known).toBe(true);
      expect(explained.reply?.name).toBe(entry.name);
      expect(explained.next).toBe(entry.next);
      expect(explained.refs).toContain(entry.ref);
    },
  );

  it('every code class matches its next step family', () => {
    for (const entry of REPLY_CODES) {
      const first = Math.floor(entry.code / 100);
      if (first === 2 || first === 3) expect(entry.next, String(entry.code)).toBe('continue');
      if (first === 4) expect(entry.next, String(entry.code)).toBe('retry-later');
      if (first === 5) expect(entry.next, String(entry.code)).not.toBe('continue');
    }
  });

  it('explains the digits per RFC 5321 §4.2.1', () => {
    expect(FIRST_DIGITS.map((d) => [d.digit, d.name])).toEqual([
      [1, 'positive preliminary'],
      [2, 'positive completion'],
      [3, 'positive intermediate'],
      [4, 'transient negative completion'],
      [5, 'permanent negative completion'],
    ]);
    expect(SECOND_DIGITS.find((d) => d.digit === 0)?.name).toBe('syntax');
    expect(SECOND_DIGITS.find((d) => d.digit === 1)?.name).toBe('information');
    expect(SECOND_DIGITS.find((d) => d.digit === 2)?.name).toBe('connections');
    expect(SECOND_DIGITS.find((d) => d.digit === 5)?.name).toBe('mail system');
    const digits = explainReply(421).reply!.digits;
    expect([digits.first.value, digits.second.value, digits.third.value]).toEqual([4, 2, 1]);
    expect(digits.second.name).toBe('connections');
    expect(digits.first.ref).toBe('RFC 5321 §4.2.1');
  });
});

describe('enhanced status codes', () => {
  it('covers every subject X.0 to X.7 and the RFC 3463 §3 details', () => {
    expect(ENHANCED_SUBJECTS.map((s) => s.subject)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const codes = new Set(ENHANCED_DETAILS.map((d) => d.code));
    const rfc3463 = [
      'X.0.0',
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `X.1.${n}`),
      ...[0, 1, 2, 3, 4].map((n) => `X.2.${n}`),
      ...[0, 1, 2, 3, 4, 5].map((n) => `X.3.${n}`),
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => `X.4.${n}`),
      ...[0, 1, 2, 3, 4, 5].map((n) => `X.5.${n}`),
      ...[0, 1, 2, 3, 4, 5].map((n) => `X.6.${n}`),
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => `X.7.${n}`),
    ];
    for (const code of [...rfc3463, 'X.7.8', 'X.7.9', 'X.7.11']) expect(codes, code).toContain(code);
    expect(codes.size).toBe(ENHANCED_DETAILS.length);
    for (const detail of ENHANCED_DETAILS) {
      expect(detail.name.length, detail.code).toBeGreaterThan(3);
      expect(detail.meaning.length, detail.code).toBeGreaterThan(10);
      expect(detail.ref, detail.code).toMatch(REF);
    }
  });

  it('explains "5.7.8" alone', () => {
    const explained = explainCode('5.7.8');
    expect(explained.query).toBe('5.7.8');
    expect(explained.reply).toBeUndefined();
    expect(explained.enhanced).toMatchObject({
      code: '5.7.8',
      known: true,
      name: 'Authentication credentials invalid',
      ref: 'RFC 4954 §6',
      class: { value: 5, name: 'permanent failure' },
      subject: { value: 7, name: 'security or policy status' },
    });
    expect(explained.next).toBe('give-up');
    expect(explained.refs).toEqual(['RFC 4954 §6', 'RFC 3463 §2']);
    expect(explained.advice).toMatch(/authorization code/);
  });

  it('explains common enhanced codes from RFC 4954: 4.7.0, 5.7.0, 5.7.9, 5.7.11', () => {
    expect(explainCode('4.7.0').next).toBe('retry-later');
    expect(explainCode('5.7.0').enhanced?.name).toBe('Other or undefined security status');
    expect(explainCode('5.7.9')).toMatchObject({
      next: 'fix-command',
      title: 'Authentication mechanism is too weak',
    });
    expect(explainCode('5.7.11').enhanced?.ref).toBe('RFC 4954 §6');
  });

  it('falls back to class and subject for an unlisted detail', () => {
    const explained = explainCode('4.4.99');
    expect(explained.enhanced).toMatchObject({ code: '4.4.99', known: false });
    expect(explained.enhanced?.subject.name).toBe('network and routing status');
    expect(explained.next).toBe('retry-later');
  });
});

describe('explainReply / explainCode', () => {
  it('combines 550 with 5.1.1: skip this recipient', () => {
    for (const explained of [
      explainReply(550, '5.1.1'),
      explainCode('550 5.1.1'),
      explainCode(' 550-5.1.1 '),
    ]) {
      expect(explained.query).toBe('550 5.1.1');
      expect(explained.reply).toMatchObject({ code: 550, known: true, name: 'Mailbox unavailable' });
      expect(explained.enhanced).toMatchObject({ code: '5.1.1', name: 'Bad destination mailbox address' });
      expect(explained.title).toBe('Mailbox unavailable: Bad destination mailbox address');
      expect(explained.next).toBe('skip-recipient');
      expect(explained.nextText).toBe('give up on this recipient, continue with the others');
      expect(explained.refs).toEqual(['RFC 5321 §4.2.2, §4.2.3, §3.3', 'RFC 3463 §3.2']);
      expect(explained.notes).toEqual([]);
    }
  });

  it('refines the next step by the command answered', () => {
    expect(explainReply(550, undefined, { context: 'RCPT' }).next).toBe('skip-recipient');
    expect(explainReply(550, '5.7.1', { context: 'end-of-data' }).next).toBe('give-up');
    expect(explainReply(553, undefined, { context: 'MAIL' }).next).toBe('fix-command');
    expect(explainReply(553, undefined, { context: 'RCPT' }).next).toBe('skip-recipient');
  });

  it('explains 535 5.7.8 (Gmail bad credentials)', () => {
    const explained = explainCode('535 5.7.8');
    expect(explained.reply?.name).toBe('Authentication credentials invalid');
    expect(explained.reply?.appears).toMatch(/AUTH/);
    expect(explained.next).toBe('give-up');
    expect(explained.advice).toMatch(/authorization code/);
  });

  it('falls back to the digits for an unknown code: 299', () => {
    const explained = explainReply(299);
    expect(explained.reply).toMatchObject({ code: 299, known: false, ref: 'RFC 5321 §4.2.1' });
    expect(explained.reply?.name).toBe('Unlisted positive completion reply');
    expect(explained.reply?.digits.first.name).toBe('positive completion');
    expect(explained.next).toBe('continue');
    expect(explained.refs).toEqual(['RFC 5321 §4.2.1']);
    expect(explainCode('299')).toEqual(explained);
  });

  it('falls back to digits for other unknown codes', () => {
    expect(explainReply(459).next).toBe('retry-later');
    expect(explainReply(507).next).toBe('fix-command');
    expect(explainReply(599).next).toBe('give-up');
    expect(explainReply(399).next).toBe('continue');
  });

  it('never throws for any integer 200-599, alone or with a same-class enhanced code', () => {
    for (let code = 200; code <= 599; code++) {
      const explained = explainReply(code);
      expect(explained.reply?.code).toBe(code);
      expect(explained.refs.length).toBeGreaterThan(0);
      expect(formatExplanation(explained)).toContain(String(code));
      const cls = Math.floor(code / 100);
      if (cls !== 3) expect(explainReply(code, `${cls}.0.0`).enhanced?.code).toBe(`${cls}.0.0`);
    }
  });

  it('notes an enhanced class that contradicts the reply code', () => {
    const explained = explainCode('250 5.1.1');
    expect(explained.next).toBe('continue');
    expect(explained.notes[0]).toMatch(/does not match reply 250/);
  });

  it.each([
    '',
    '   ',
    'abc',
    '55',
    '5500',
    '199',
    '600',
    '099',
    '5.7',
    '3.1.1',
    '5.1234.1',
    '5.1.1.1',
    '550 abc',
    '550 5.1.1 user unknown',
    '550,5.1.1',
    'X.1.1',
  ])('rejects %j', (input) => {
    const err = syntaxError(() => explainCode(input));
    expect(err.code).toBe('ERR_REPLY_CODE_SYNTAX');
    expect(err.message).toMatch(/is not a reply code/);
  });

  it('rejects out-of-range numbers and malformed enhanced codes in explainReply', () => {
    syntaxError(() => explainReply(199));
    syntaxError(() => explainReply(600));
    syntaxError(() => explainReply(250.5));
    syntaxError(() => explainReply(550, '5.1'));
  });
});

describe('formatExplanation', () => {
  it('shows the code, names, digits, next step and sources without colour', () => {
    const text = formatExplanation(explainCode('535 5.7.8'), { color: false });
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).toMatch(/^535 5\.7\.8 {2}Authentication credentials invalid/);
    expect(text).toContain('Reply 535: Authentication credentials invalid (RFC 4954 §6)');
    expect(text).toContain('5xx permanent negative completion');
    expect(text).toContain('Enhanced 5.7.8');
    expect(text).toContain('Next: give up');
    expect(text).toContain('Sources: RFC 4954 §6');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('colours when asked', () => {
    expect(formatExplanation(explainCode('250'), { color: true })).toMatch(/\x1b\[/);
  });
});
