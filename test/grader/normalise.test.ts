import { describe, expect, it } from 'vitest';
import {
  diffLines,
  flatten,
  makeReference,
  normaliseSession,
  parseReference,
  ReferenceFileError,
  referenceProblemText,
  REFERENCE_FORMAT,
} from '../../src/grader/normalise.js';
import { messages } from '../../src/i18n/messages.js';
import type { TranscriptEvent } from '../../src/transcript/events.js';
import { frameEvents } from '../../src/transcript/framer.js';

/** A session as the proxy records it: `S:` server chunks, `C:` client chunks, `N:` notes. */
function session(...steps: string[]): TranscriptEvent[] {
  let tls = false;
  return steps.map((step, t) => {
    const [kind, text] = [step.slice(0, 2), step.slice(2)];
    if (kind === 'N:') {
      // The proxy's notes carry their kind; the normaliser reads it, not the text.
      if (text.startsWith('TLS started')) tls = true;
      const failed = text.startsWith('TLS handshake');
      const kind = text.startsWith('TLS started') ? 'tls-started' : failed ? 'tls-failed' : 'info';
      return { type: 'note', t, level: failed ? 'error' : 'info', text, kind };
    }
    return { type: 'wire', t, dir: kind === 'C:' ? 'c2s' : 's2c', tls, data: Buffer.from(text) };
  });
}

function normalised(...steps: string[]): string[] {
  return normaliseSession(frameEvents(session(...steps))).map((l) => l.text);
}

const EHLO_REPLY =
  '250-mx.example.com Hello [10.1.2.3]\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250 8BITMIME\r\n';

describe('normaliseSession', () => {
  it('keeps reply codes, not wording; EHLO keywords as a sorted set', () => {
    const a = normalised(
      'S:220 smtp.example.com ESMTP Postfix\r\n',
      'C:EHLO laptop.local\r\n',
      `S:${EHLO_REPLY}`,
      'C:QUIT\r\n',
      'S:221 2.0.0 Bye\r\n',
    );
    expect(a).toEqual([
      '<- 220',
      '-> EHLO <host>',
      '<- 250 EHLO 8BITMIME PIPELINING SIZE',
      '-> QUIT',
      '<- 221',
    ]);
    // Another server's wording, another host name, keywords in another order and with other values.
    const b = normalised(
      'S:220 other.example ready\r\n',
      'C:EHLO [127.0.0.1]\r\n',
      'S:250-other.example\r\n250-8BITMIME\r\n250-SIZE 1000\r\n250 PIPELINING\r\n',
      'C:QUIT\r\n',
      'S:221 see you\r\n',
    );
    expect(b).toEqual(a);
  });

  it('upper-cases verbs, masks SIZE= values and AUTH credentials', () => {
    const lines = normalised(
      'S:220 hi\r\n',
      'C:ehlo me\r\n',
      'S:250-hi\r\n250 AUTH LOGIN PLAIN\r\n',
      'C:AUTH LOGIN\r\n',
      'S:334 VXNlcm5hbWU6\r\n',
      'C:c3R1ZGVudEBleGFtcGxl\r\n',
      'S:334 UGFzc3dvcmQ6\r\n',
      'C:c2VjcmV0\r\n',
      'S:235 2.7.0 ok\r\n',
      'C:MAIL FROM:<a@b.test> SIZE=1234 BODY=8BITMIME\r\n',
      'S:250 ok\r\n',
    );
    expect(lines).toEqual([
      '<- 220',
      '-> EHLO <host>',
      '<- 250 EHLO AUTH',
      '-> AUTH LOGIN',
      '<- 334',
      '-> <credentials>',
      '<- 334',
      '-> <credentials>',
      '<- 235',
      '-> MAIL FROM:<a@b.test> SIZE=<n> BODY=8BITMIME',
      '<- 250',
    ]);
    expect(lines.join('\n')).not.toContain('c2VjcmV0');
  });

  it('masks an AUTH PLAIN initial response', () => {
    const lines = normalised('S:220 hi\r\n', 'C:AUTH PLAIN AHVzZXIAc2VjcmV0\r\n', 'S:235 ok\r\n');
    expect(lines).toEqual(['<- 220', '-> AUTH PLAIN <credentials>', '<- 235']);
  });

  it('masks dates, Message-IDs, boundaries and long hex ids in the message; keeps the rest', () => {
    const message = (date: string, id: string, boundary: string, hex: string) =>
      normalised(
        'S:220 hi\r\n',
        'C:DATA\r\n',
        'S:354 go\r\n',
        `C:Date: ${date}\r\nMessage-ID: <${id}@laptop.local>\r\nSubject: Lab\r\n` +
          `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n` +
          `X-Trace: ${hex}\r\n\r\nHello\r\n--${boundary}--\r\n.\r\n`,
        'S:250 queued as 1234\r\n',
      );
    const a = message(
      'Mon, 1 Jan 2024 10:00:00 +0000',
      '1700000000.123',
      '===============123456==',
      'a'.repeat(20),
    );
    const b = message(
      'Sat, 28 Nov 2026 06:53:14 +0800',
      '179584879484.32587',
      '=_smtp_lab_ff00',
      'b1'.repeat(10),
    );
    expect(b).toEqual(a);
    expect(a).toEqual([
      '<- 220',
      '-> DATA',
      '<- 354',
      '-> Date: <date>',
      '-> Message-ID: <message-id>',
      '-> Subject: Lab',
      '-> Content-Type: multipart/mixed; boundary="<boundary>"',
      '-> ',
      '-> --<boundary>',
      '-> X-Trace: <id>',
      '-> ',
      '-> Hello',
      '-> --<boundary>--',
      '-> .',
      '<- 250',
    ]);
  });

  it('names nested boundaries apart (the first <boundary>, then <boundary-2>...), longest match first', () => {
    const lines = normalised(
      'S:220 hi\r\n',
      'C:DATA\r\n',
      'S:354 go\r\n',
      'C:Content-Type: multipart/mixed; boundary="outer"\r\n\r\n--outer\r\n' +
        'Content-Type: multipart/alternative;\r\n boundary="outer-inner"\r\n\r\n--outer-inner\r\n',
    );
    expect(lines).toContain('-> --<boundary>');
    expect(lines).toContain('-> --<boundary-2>');
    expect(lines).toContain('->  boundary="<boundary-2>"');
  });

  it('says when a line does not end in CRLF, and when TLS starts or fails', () => {
    expect(normalised('S:220 hi\r\n', 'C:HELO x\n', 'S:250 ok\r\n')).toEqual([
      '<- 220',
      '-> HELO <host>  [bare LF]',
      '<- 250',
    ]);
    expect(
      normalised(
        'S:220 hi\r\n',
        'C:STARTTLS\r\n',
        'S:220 go ahead\r\n',
        'N:TLS started: TLSv1.3 TLS_AES_256_GCM_SHA384',
        'C:EHLO x\r\n',
        'S:250 hi\r\n',
      ),
    ).toEqual([
      '<- 220',
      '-> STARTTLS',
      '<- 220',
      '=== TLS started',
      '~> EHLO <host>',
      '<~ 250 EHLO (no keywords)',
    ]);
    expect(normalised('S:220 hi\r\n', 'N:TLS handshake with the client failed: alert 48')).toEqual([
      '<- 220',
      '*** TLS handshake failed',
    ]);
  });

  it('points every line at the framed item it comes from', () => {
    const items = frameEvents(
      session('S:220 hi\r\n', 'N:connection from 1.2.3.4:5', 'C:QUIT\r\n', 'S:221 bye\r\n'),
    );
    for (const line of normaliseSession(items)) {
      const item = items[line.item]!;
      expect(item.kind === 'reply' || item.kind === 'line').toBe(true);
    }
  });
});

describe('diffLines', () => {
  it('is empty for equal lists', () => {
    expect(diffLines(['a', 'b'], ['a', 'b'])).toEqual([]);
  });

  it('shows a change with context, reference first, in a unified hunk', () => {
    const expected = [
      '<- 220',
      '-> EHLO <host>',
      '<- 250',
      '-> MAIL FROM:<a@b>',
      '<- 250',
      '-> QUIT',
      '<- 221',
    ];
    const actual = [
      '<- 220',
      '-> HELO <host>',
      '<- 250',
      '-> MAIL FROM:<a@b>',
      '<- 250',
      '-> QUIT',
      '<- 221',
    ];
    expect(diffLines(expected, actual, { labels: ['expected', 'this run'] })).toEqual([
      '--- expected',
      '+++ this run',
      '@@ -1,4 +1,4 @@',
      '  <- 220',
      '- -> EHLO <host>',
      '+ -> HELO <host>',
      '  <- 250',
      '  -> MAIL FROM:<a@b>',
    ]);
  });

  it('shows missing and extra lines, separate hunks when far apart', () => {
    const expected = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const actual = ['1', '3', '4', '5', '6', '7', '8', '9', '10', '11'];
    const diff = diffLines(expected, actual, { context: 1 });
    expect(diff).toEqual([
      '--- expected',
      '+++ actual',
      '@@ -1,3 +1,2 @@',
      '  1',
      '- 2',
      '  3',
      '@@ -10,1 +9,2 @@',
      '  10',
      '+ 11',
    ]);
  });

  it('handles one side empty', () => {
    expect(diffLines([], ['a'])).toEqual(['--- expected', '+++ actual', '@@ -0,0 +1,1 @@', '+ a']);
    expect(diffLines(['a'], [])).toEqual(['--- expected', '+++ actual', '@@ -1,1 +0,0 @@', '- a']);
  });

  it('is correct on long inputs that differ in one line', () => {
    // No wall-clock bound (speed is measured in bench/, not asserted): at 50,000 lines a table of
    // every pair (O(N·M), 2.5·10^9 cells) cannot finish, so passing within the unit project's
    // 5 s test timeout is the evidence that the work follows the differences, not the lengths.
    const expected = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    const actual = [...expected];
    actual[25_000] = 'changed';
    const diff = diffLines(expected, actual);
    expect(diff.filter((l) => /^[-+] /.test(l))).toEqual(['- line 25000', '+ changed']);
  });
});

describe('reference files', () => {
  it('round-trip through JSON and flatten with session markers', () => {
    const items = frameEvents(session('S:220 hi\r\n', 'C:QUIT\r\n', 'S:221 bye\r\n'));
    const reference = makeReference('basic', [{ items }, { items }], 'python3 c.py');
    const parsed = parseReference(JSON.stringify(reference), 'basic.expected.json');
    expect(parsed).toEqual(reference);
    expect(parsed.format).toBe(REFERENCE_FORMAT);
    expect(flatten(parsed.sessions)).toEqual([
      '=== session 1',
      '<- 220',
      '-> QUIT',
      '<- 221',
      '=== session 2',
      '<- 220',
      '-> QUIT',
      '<- 221',
    ]);
  });

  it.each([
    ['not json', 'not JSON'],
    ['{"sessions": []}', 'not an expected transcript'],
    [`{"format": "${REFERENCE_FORMAT}", "version": 2, "scenario": "x", "sessions": []}`, 'version 2'],
    [
      `{"format": "${REFERENCE_FORMAT}", "version": 1, "scenario": "x", "sessions": [{"lines": [1]}]}`,
      '"sessions"',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseReference(text, 'f.json')).toThrow(message);
    expect(() => parseReference(text, 'f.json')).toThrow('f.json');
  });

  it.each([
    [
      '{"sessions": []}',
      'f.json: not an expected transcript (no "format": "smtp-lab expected transcript")',
      'f.json：不是预期会话记录（没有 "format": "smtp-lab expected transcript"）',
    ],
    [
      `{"format": "${REFERENCE_FORMAT}", "version": 1, "scenario": 3, "sessions": []}`,
      'f.json: "scenario" must be a string',
      'f.json："scenario" 必须是字符串',
    ],
    [
      `{"format": "${REFERENCE_FORMAT}", "version": 1, "scenario": "x"}`,
      'f.json: "sessions" must be a list of {"lines": [strings]}',
      'f.json："sessions" 必须是由 {"lines": [strings]} 组成的列表',
    ],
  ])('says what is wrong with %s in English (as before) and in zh-CN', (text, en, zh) => {
    let error: unknown;
    try {
      parseReference(text, 'f.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReferenceFileError);
    const { file, problem, message } = error as ReferenceFileError;
    expect(message).toBe(en);
    expect(referenceProblemText(file, problem, messages('en'))).toBe(en);
    expect(referenceProblemText(file, problem, messages('zh-CN'))).toBe(zh);
  });
});
