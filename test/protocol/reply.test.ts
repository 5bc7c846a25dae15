import { describe, expect, it } from 'vitest';
import { SmtpProtocolError } from '../../src/protocol/errors.js';
import {
  ReplyParser,
  enhancedCode,
  formatReply,
  replyMatches,
  type Reply,
} from '../../src/protocol/reply.js';

const b = (text: string) => Buffer.from(text, 'latin1');

/** Feeds chunks one by one; returns the replies each push completed. */
function feed(parser: ReplyParser, chunks: string[]): Reply[][] {
  return chunks.map((chunk) => parser.push(b(chunk)));
}

/** A reply as plain data, raw bytes as a latin1 string, for exact comparisons. */
function plain(reply: Reply) {
  return {
    code: reply.code,
    enhanced: reply.enhanced,
    lines: reply.lines,
    raw: reply.raw.toString('latin1'),
  };
}

function protocolError(run: () => unknown): SmtpProtocolError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SmtpProtocolError);
    return err as SmtpProtocolError;
  }
  throw new Error('expected an SmtpProtocolError, nothing was thrown');
}

const EHLO_REPLY =
  '250-mail.example.org Hello client.example [127.0.0.1]\r\n' +
  '250-SIZE 10485760\r\n' +
  '250-8BITMIME\r\n' +
  '250-PIPELINING\r\n' +
  '250-AUTH PLAIN LOGIN\r\n' +
  '250-STARTTLS\r\n' +
  '250 SMTPUTF8\r\n';

describe('ReplyParser fed chunk by chunk', () => {
  it('completes a reply split mid-line only when its line ending arrives', () => {
    const parser = new ReplyParser();
    expect(parser.pending).toBe(false);
    expect(parser.push(b('220 mail.exa'))).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(parser.push(b('mple.org ESMTP'))).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(parser.push(b(' ready\r\n')).map(plain)).toEqual([
      {
        code: 220,
        enhanced: undefined,
        lines: ['mail.example.org ESMTP ready'],
        raw: '220 mail.example.org ESMTP ready\r\n',
      },
    ]);
    expect(parser.pending).toBe(false);
  });

  it('collects a three-line reply that arrives one line per chunk', () => {
    const parser = new ReplyParser();
    const results = feed(parser, ['250-first\r\n', '250-second\r\n', '250 third\r\n']);
    expect(results[0]).toEqual([]);
    expect(results[1]).toEqual([]);
    expect(results[2]!.map(plain)).toEqual([
      {
        code: 250,
        enhanced: undefined,
        lines: ['first', 'second', 'third'],
        raw: '250-first\r\n250-second\r\n250 third\r\n',
      },
    ]);
  });

  it('returns two replies that arrive in one chunk, in order', () => {
    const parser = new ReplyParser();
    const [done] = feed(parser, ['250 2.1.0 Sender ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n']);
    expect(done!.map(plain)).toEqual([
      { code: 250, enhanced: '2.1.0', lines: ['2.1.0 Sender ok'], raw: '250 2.1.0 Sender ok\r\n' },
      {
        code: 354,
        enhanced: undefined,
        lines: ['End data with <CR><LF>.<CR><LF>'],
        raw: '354 End data with <CR><LF>.<CR><LF>\r\n',
      },
    ]);
  });

  it('keeps the start of the next reply when a chunk ends inside it', () => {
    const parser = new ReplyParser();
    const [first, second] = feed(parser, ['250 ok\r\n221-by', 'e\r\n221 closing\r\n']);
    expect(first!.map((r) => r.lines)).toEqual([['ok']]);
    expect(second!.map(plain)).toEqual([
      { code: 221, enhanced: undefined, lines: ['bye', 'closing'], raw: '221-bye\r\n221 closing\r\n' },
    ]);
  });

  it('gives the same result for a multi-line EHLO reply fed a byte at a time as in one chunk', () => {
    const whole = new ReplyParser().push(b(EHLO_REPLY));
    const bytewise = new ReplyParser();
    const collected: Reply[] = [];
    for (let i = 0; i < EHLO_REPLY.length; i++) {
      const done = bytewise.push(b(EHLO_REPLY[i]!));
      // Only the very last byte can complete the reply.
      expect(done.length).toBe(i === EHLO_REPLY.length - 1 ? 1 : 0);
      collected.push(...done);
    }
    expect(collected.map(plain)).toEqual(whole.map(plain));
    expect(whole).toHaveLength(1);
    expect(whole[0]!.lines).toEqual([
      'mail.example.org Hello client.example [127.0.0.1]',
      'SIZE 10485760',
      '8BITMIME',
      'PIPELINING',
      'AUTH PLAIN LOGIN',
      'STARTTLS',
      'SMTPUTF8',
    ]);
    expect(whole[0]!.raw.toString('latin1')).toBe(EHLO_REPLY);
  });

  it('splits a CR and its LF across chunks without losing the line', () => {
    const parser = new ReplyParser();
    const results = feed(parser, ['250 ok\r', '\n']);
    expect(results[0]).toEqual([]);
    expect(results[1]!.map(plain)).toEqual([
      { code: 250, enhanced: undefined, lines: ['ok'], raw: '250 ok\r\n' },
    ]);
  });
});

describe('ReplyParser line forms', () => {
  it.each([
    { name: 'bare code with CRLF', wire: '250\r\n', code: 250, lines: [''] },
    { name: 'bare code with LF', wire: '250\n', code: 250, lines: [''] },
    { name: 'code and space only', wire: '250 \r\n', code: 250, lines: [''] },
    { name: 'bare-LF multi-line', wire: '250-a\n250-b\n250 c\n', code: 250, lines: ['a', 'b', 'c'] },
    { name: 'mixed endings', wire: '250-a\r\n250 b\n', code: 250, lines: ['a', 'b'] },
    { name: 'empty continuation', wire: '220-\r\n220 hi\r\n', code: 220, lines: ['', 'hi'] },
    { name: 'text keeps inner spaces', wire: '550  two  spaces \r\n', code: 550, lines: [' two  spaces '] },
  ])('$name', ({ wire, code, lines }) => {
    const parser = new ReplyParser();
    const done = parser.push(b(wire));
    expect(done.map(plain)).toEqual([{ code, enhanced: undefined, lines, raw: wire }]);
    expect(parser.pending).toBe(false);
  });

  it('does not treat a bare CR as a line ending', () => {
    const parser = new ReplyParser();
    expect(parser.push(b('250 a\r250 b'))).toEqual([]);
    expect(parser.pending).toBe(true);
    expect(parser.push(b('\r\n')).map((r) => r.lines)).toEqual([['a\r250 b']]);
  });

  it('decodes UTF-8 text and keeps the raw bytes', () => {
    const wire = Buffer.from('250 Grüße\r\n', 'utf8');
    const [reply] = new ReplyParser().push(wire);
    expect(reply!.lines).toEqual(['Grüße']);
    expect(reply!.raw.toString('latin1')).toBe(wire.toString('latin1'));
  });

  it('reports the bytes of an unfinished reply', () => {
    const parser = new ReplyParser();
    parser.push(b('250-one\r\n250-tw'));
    expect(parser.pending).toBe(true);
    expect(parser.pendingBytes().toString('latin1')).toBe('250-one\r\n250-tw');
  });

  it('does not let a caller mutate its input into a completed reply', () => {
    const parser = new ReplyParser();
    const chunk = b('250 ok\r\n');
    const [reply] = parser.push(chunk);
    chunk.fill(0x58);
    expect(reply!.raw.toString('latin1')).toBe('250 ok\r\n');
  });
});

describe('ReplyParser errors', () => {
  it.each([
    {
      name: 'code changes mid-reply',
      wire: '250-one\r\n251 two\r\n',
      error: 'reply code changed from 250 to 251 within one reply',
    },
    {
      name: 'code changes class mid-reply',
      wire: '250-one\r\n550 two\r\n',
      error: 'reply code changed from 250 to 550 within one reply',
    },
    { name: 'garbage line', wire: 'hello there\r\n', error: 'malformed reply line' },
    { name: 'empty line', wire: '\r\n', error: 'malformed reply line' },
    { name: 'two-digit code', wire: '25 ok\r\n', error: 'malformed reply line' },
    { name: 'four-digit code', wire: '2500 ok\r\n', error: 'malformed reply line' },
    { name: 'code with a tab separator', wire: '250\tok\r\n', error: 'malformed reply line' },
    { name: 'class 1 code', wire: '150 ok\r\n', error: 'malformed reply line' },
    { name: 'class 6 code', wire: '650 ok\r\n', error: 'malformed reply line' },
    {
      name: 'garbage after a continuation',
      wire: '250-one\r\nHTTP/1.1 400\r\n',
      error: 'malformed reply line',
    },
  ])('$name -> SmtpProtocolError', ({ wire, error }) => {
    const err = protocolError(() => new ReplyParser().push(b(wire)));
    expect(err.code).toBe('ERR_SMTP_PROTOCOL');
    expect(err.shortMessage).toBe(error);
  });

  it('names the offending line in the error', () => {
    const err = protocolError(() => new ReplyParser().push(b('250-one\r\n251 two\r\n')));
    expect(err.line).toBe('251 two');
    expect(err.message).toBe('reply code changed from 250 to 251 within one reply: "251 two"');
  });

  it('detects a code change when the lines arrive in separate chunks', () => {
    const parser = new ReplyParser();
    expect(parser.push(b('250-one\r\n'))).toEqual([]);
    const err = protocolError(() => parser.push(b('354 two\r\n')));
    expect(err.shortMessage).toBe('reply code changed from 250 to 354 within one reply');
  });

  it('accepts a line exactly at the length cap and rejects one octet more', () => {
    const atCap = '250 ' + 'x'.repeat(16); // 20 octets
    expect(new ReplyParser({ maxLineLength: 20 }).push(b(atCap + '\r\n'))).toHaveLength(1);
    const err = protocolError(() => new ReplyParser({ maxLineLength: 20 }).push(b(atCap + 'x\r\n')));
    expect(err.shortMessage).toBe('reply line longer than 20 octets');
  });

  it('measures the line cap in octets, not characters', () => {
    // 4 + 10 * 2 = 24 octets of UTF-8, but only 14 characters.
    const wire = Buffer.from('250 ' + 'é'.repeat(10) + '\r\n', 'utf8');
    const err = protocolError(() => new ReplyParser({ maxLineLength: 20 }).push(wire));
    expect(err.shortMessage).toBe('reply line longer than 20 octets');
  });

  it('rejects an over-long line that never sends a line feed instead of buffering it', () => {
    const parser = new ReplyParser({ maxLineLength: 64 });
    let thrown: unknown;
    let fed = 0;
    // A peer that streams "250 xxxx..." forever without a line ending.
    for (let i = 0; i < 1000 && thrown === undefined; i++) {
      try {
        parser.push(b(i === 0 ? '250 ' : 'xxxxxxxx'));
        fed += i === 0 ? 4 : 8;
      } catch (err) {
        thrown = err;
      }
    }
    expect(thrown).toBeInstanceOf(SmtpProtocolError);
    expect((thrown as SmtpProtocolError).shortMessage).toBe('reply line longer than 64 octets');
    // It gave up within a line or two of the cap, not after a thousand chunks.
    expect(fed).toBeLessThanOrEqual(64 + 8);
  });

  it('rejects an over-long line that arrives in one chunk without a line feed', () => {
    const err = protocolError(() =>
      new ReplyParser({ maxLineLength: 100 }).push(b('250 ' + 'y'.repeat(500))),
    );
    expect(err.shortMessage).toBe('reply line longer than 100 octets');
  });

  it('enforces the default cap of 4096 octets', () => {
    expect(new ReplyParser().push(b('250 ' + 'z'.repeat(4092) + '\r\n'))).toHaveLength(1);
    const err = protocolError(() => new ReplyParser().push(b('250 ' + 'z'.repeat(4093) + '\r\n')));
    expect(err.shortMessage).toBe('reply line longer than 4096 octets');
  });

  it('accepts a reply with exactly the most lines allowed and rejects one more line', () => {
    const reply = (n: number) =>
      Array.from({ length: n }, (_, i) => `250${i === n - 1 ? ' ' : '-'}line ${i}\r\n`).join('');
    const [ok] = new ReplyParser({ maxLines: 5 }).push(b(reply(5)));
    expect(ok!.lines).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    const err = protocolError(() => new ReplyParser({ maxLines: 5 }).push(b(reply(6))));
    expect(err.shortMessage).toBe('reply has more than 5 lines');
  });

  it('rejects an endless continuation before its final line arrives', () => {
    const parser = new ReplyParser({ maxLines: 10 });
    let thrownAt = -1;
    for (let i = 0; i < 100 && thrownAt === -1; i++) {
      try {
        parser.push(b(`250-more ${i}\r\n`));
      } catch (err) {
        expect(err).toBeInstanceOf(SmtpProtocolError);
        thrownAt = i;
      }
    }
    expect(thrownAt).toBe(10);
  });

  it('enforces the default of 200 lines', () => {
    const lines = Array.from({ length: 201 }, (_, i) => `250${i === 200 ? ' ' : '-'}x\r\n`).join('');
    const err = protocolError(() => new ReplyParser().push(b(lines)));
    expect(err.shortMessage).toBe('reply has more than 200 lines');
  });
});

describe('enhancedCode', () => {
  it.each([
    { code: 250, text: '2.1.0 Ok', want: '2.1.0' },
    { code: 250, text: '2.0.0', want: '2.0.0' },
    { code: 550, text: '5.7.1 Relaying denied', want: '5.7.1' },
    { code: 451, text: '4.3.0 Try again later', want: '4.3.0' },
    { code: 535, text: '5.7.8 Authentication credentials invalid', want: '5.7.8' },
    { code: 552, text: '5.3.4 Message too big', want: '5.3.4' },
    { code: 250, text: '2.123.456 max digits', want: '2.123.456' },
    { code: 250, text: '5.1.0 mismatched class', want: undefined },
    { code: 550, text: '2.1.0 mismatched class', want: undefined },
    { code: 250, text: 'Ok', want: undefined },
    { code: 250, text: '', want: undefined },
    { code: 250, text: '2.1 Ok', want: undefined },
    { code: 250, text: '2.1.0Ok', want: undefined },
    { code: 250, text: '2.1234.0 too many digits', want: undefined },
    { code: 250, text: '3.1.0 no such class', want: undefined },
    { code: 250, text: ' 2.1.0 leading space', want: undefined },
  ])('($code, $text) -> $want', ({ code, text, want }) => {
    expect(enhancedCode(code, text)).toBe(want);
  });

  it('is taken from the first line of a parsed reply', () => {
    const parser = new ReplyParser();
    expect(parser.push(b('250 2.1.0 Ok\r\n'))[0]!.enhanced).toBe('2.1.0');
    expect(parser.push(b('250 5.1.0 Ok\r\n'))[0]!.enhanced).toBeUndefined();
    expect(parser.push(b('550-5.1.1 No such user\r\n550 5.1.1 see docs\r\n'))[0]!.enhanced).toBe('5.1.1');
    expect(parser.push(b('550-No such user\r\n550 5.1.1 see docs\r\n'))[0]!.enhanced).toBeUndefined();
  });
});

describe('formatReply', () => {
  it.each([
    { code: 250, lines: 'Ok' as string | string[], wire: '250 Ok\r\n' },
    { code: 250, lines: ['Ok'], wire: '250 Ok\r\n' },
    { code: 250, lines: [], wire: '250 \r\n' },
    {
      code: 250,
      lines: ['mail.example', 'PIPELINING', 'SIZE 100'],
      wire: '250-mail.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n',
    },
    { code: 421, lines: '4.4.2 Timeout', wire: '421 4.4.2 Timeout\r\n' },
  ])('formatReply($code, $lines)', ({ code, lines, wire }) => {
    expect(formatReply(code, lines).toString('latin1')).toBe(wire);
  });

  it.each([
    { text: 'two\nlines' as string | string[], wire: '451-two\r\n451 lines\r\n' },
    { text: 'crlf\r\ninside', wire: '451-crlf\r\n451 inside\r\n' },
    { text: 'bare\rcr', wire: '451-bare\r\n451 cr\r\n' },
    { text: ['a', 'b\nc'], wire: '451-a\r\n451-b\r\n451 c\r\n' },
    { text: 'trailing\n', wire: '451-trailing\r\n451 \r\n' },
  ])('never puts a line break inside a reply line: $text', ({ text, wire }) => {
    const bytes = formatReply(451, text);
    expect(bytes.toString('latin1')).toBe(wire);
    expect(new ReplyParser().push(bytes)).toHaveLength(1);
  });

  it.each([
    { code: 220, lines: ['smtp.example ESMTP'] },
    { code: 250, lines: ['mail.example', 'PIPELINING', '8BITMIME', 'AUTH PLAIN LOGIN'] },
    { code: 550, lines: ['5.1.1 <nobody@example.org>: Recipient address rejected'] },
    { code: 354, lines: ['End data with <CR><LF>.<CR><LF>'] },
    { code: 250, lines: ['Grüße aus Köln'] },
    { code: 334, lines: [''] },
  ])('round-trips through ReplyParser: $code $lines', ({ code, lines }) => {
    const wire = formatReply(code, lines);
    const done = new ReplyParser().push(wire);
    expect(done).toHaveLength(1);
    expect(done[0]!.code).toBe(code);
    expect(done[0]!.lines).toEqual(lines);
    expect(done[0]!.raw.toString('latin1')).toBe(wire.toString('latin1'));
  });
});

describe('replyMatches', () => {
  it.each([
    { code: 250, expected: 2 as number | number[], want: true },
    { code: 250, expected: 25, want: true },
    { code: 250, expected: 250, want: true },
    { code: 354, expected: 3, want: true },
    { code: 354, expected: 35, want: true },
    { code: 451, expected: 2, want: false },
    { code: 451, expected: 4, want: true },
    { code: 251, expected: 250, want: false },
    { code: 251, expected: 25, want: true },
    { code: 220, expected: 25, want: false },
    { code: 550, expected: 5, want: true },
    { code: 550, expected: 55, want: true },
    { code: 550, expected: 54, want: false },
    { code: 235, expected: [334, 235], want: true },
    { code: 334, expected: [2, 3], want: true },
    { code: 535, expected: [2, 3], want: false },
    { code: 250, expected: [], want: false },
  ])('replyMatches($code, $expected) is $want', ({ code, expected, want }) => {
    expect(replyMatches(code, expected)).toBe(want);
  });
});
