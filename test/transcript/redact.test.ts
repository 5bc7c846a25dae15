import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/transcript/events.js';
import { maskSecrets, redactTranscript, secretForms } from '../../src/transcript/redact.js';
import { c, everyByte, note, randomCuts, rechunk, s, transcriptOf, type Step } from './helpers.js';
import { Transcript } from '../../src/transcript/events.js';

const PASSWORD = 'Tr0ub4dor&3';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const USER_B64 = b64('alice');
const PW_B64 = b64(PASSWORD);
const PLAIN_B64 = b64(`\0alice\0${PASSWORD}`);
const MASK = '********';

const wireText = (events: readonly TranscriptEvent[]) =>
  events.map((e) => (e.type === 'wire' ? e.data.toString('latin1') : `note:${e.text}`));

function redactedEvents(steps: Step[]): string[] {
  return wireText(redactTranscript(transcriptOf(steps)).events);
}

describe('redactTranscript', () => {
  it('masks an AUTH LOGIN password split across three chunks; every other byte unchanged', () => {
    const steps: Step[] = [
      s('220 hi\r\n'),
      c('AUTH LOGIN\r\n'),
      s('334 VXNlcm5hbWU6\r\n'),
      c(`${USER_B64}\r\n`),
      s('334 UGFzc3dvcmQ6\r\n'),
      c(PW_B64.slice(0, 5)),
      c(PW_B64.slice(5, 10)),
      c(`${PW_B64.slice(10)}\r\n`),
      s('235 ok\r\n'),
      note('done'),
      c('QUIT\r\n'),
    ];
    const original = transcriptOf(steps);
    const before = wireText(original.events);
    const redacted = redactTranscript(original);
    expect(wireText(redacted.events)).toEqual([
      '220 hi\r\n',
      'AUTH LOGIN\r\n',
      '334 VXNlcm5hbWU6\r\n',
      `${USER_B64}\r\n`,
      '334 UGFzc3dvcmQ6\r\n',
      MASK,
      '',
      '\r\n',
      '235 ok\r\n',
      'note:done',
      'QUIT\r\n',
    ]);
    for (const event of redacted.events) {
      if (event.type !== 'wire') continue;
      for (let i = 0; i + 3 <= PW_B64.length; i++) {
        expect(event.data.toString('latin1')).not.toContain(PW_B64.slice(i, i + 4));
      }
    }
    // Times, directions and TLS flags are kept; the original is untouched.
    expect(
      redacted.events.map((e) => [e.type, e.t, e.type === 'wire' ? `${e.dir}/${e.tls}` : e.level]),
    ).toEqual(original.events.map((e) => [e.type, e.t, e.type === 'wire' ? `${e.dir}/${e.tls}` : e.level]));
    expect(wireText(original.events)).toEqual(before);
    expect(redacted.meta).toEqual(original.meta);
  });

  it.each([
    {
      name: 'AUTH PLAIN initial response',
      steps: [s('220 hi\r\n'), c(`AUTH PLAIN ${PLAIN_B64}\r\n`), s('235 ok\r\n')],
      want: ['220 hi\r\n', `AUTH PLAIN ${MASK}\r\n`, '235 ok\r\n'],
    },
    {
      name: 'AUTH PLAIN split around the prefix and the CRLF',
      steps: [
        s('220 hi\r\n'),
        c('AUTH PLA'),
        c(`IN ${PLAIN_B64.slice(0, 3)}`),
        c(`${PLAIN_B64.slice(3)}\r`),
        c('\n'),
      ],
      want: ['220 hi\r\n', 'AUTH PLA', `IN ${MASK}`, '\r', '\n'],
    },
    {
      name: 'AUTH PLAIN after 334 with a bare LF',
      steps: [s('220 hi\r\n'), c('AUTH PLAIN\r\n'), s('334 \r\n'), c(`${PLAIN_B64}\n`), s('235 ok\r\n')],
      want: ['220 hi\r\n', 'AUTH PLAIN\r\n', '334 \r\n', `${MASK}\n`, '235 ok\r\n'],
    },
    {
      name: 'credentials pipelined with the AUTH command in one chunk',
      steps: [
        s('220 hi\r\n'),
        c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\nQUIT\r\n`),
        s('334 VXNlcm5hbWU6\r\n'),
      ],
      want: ['220 hi\r\n', `AUTH LOGIN\r\n${USER_B64}\r\n${MASK}\r\nQUIT\r\n`, '334 VXNlcm5hbWU6\r\n'],
    },
    {
      name: 'credentials pipelined behind an AUTH refused with 504',
      steps: [s('220 hi\r\n'), c(`AUTH PLAIN\r\n${PLAIN_B64}\r\n`), s('504 no\r\n')],
      want: ['220 hi\r\n', `AUTH PLAIN\r\n${MASK}\r\n`, '504 no\r\n'],
    },
    {
      name: 'credentials behind an AUTH never answered, the password unterminated',
      steps: [s('220 hi\r\n'), c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}`)],
      want: ['220 hi\r\n', `AUTH LOGIN\r\n${USER_B64}\r\n${MASK}`],
    },
    {
      name: 'plaintext AUTH after STARTTLS was accepted',
      steps: [s('220 hi\r\n'), c('STARTTLS\r\n'), s('220 go\r\n'), c(`AUTH PLAIN ${PLAIN_B64}\r\n`)],
      want: ['220 hi\r\n', 'STARTTLS\r\n', '220 go\r\n', `AUTH PLAIN ${MASK}\r\n`],
    },
    {
      name: 'a session without secrets',
      steps: [s('220 hi\r\n'), c('EHLO x\r\nQUIT\r\n'), s('250 ok\r\n221 bye\r\n')],
      want: ['220 hi\r\n', 'EHLO x\r\nQUIT\r\n', '250 ok\r\n221 bye\r\n'],
    },
  ])('$name', ({ steps, want }) => {
    expect(redactedEvents(steps)).toEqual(want);
  });

  it('masks the same bytes whatever the chunking', () => {
    const steps: Step[] = [
      s('220 hi\r\n'),
      c('EHLO x\r\n'),
      s('250 AUTH PLAIN LOGIN\r\n'),
      c('AUTH LOGIN\r\n'),
      s('334 VXNlcm5hbWU6\r\n'),
      c(`${USER_B64}\r\n`),
      s('334 UGFzc3dvcmQ6\r\n'),
      c(`${PW_B64}\r\n`),
      s('535 no\r\n'),
      c(`AUTH PLAIN ${PLAIN_B64}\r\nMAIL FROM:<a>\r\n`),
      s('235 ok\r\n250 ok\r\n'),
    ];
    const want =
      `EHLO x\r\nAUTH LOGIN\r\n${USER_B64}\r\n${MASK}\r\n` + `AUTH PLAIN ${MASK}\r\nMAIL FROM:<a>\r\n`;
    const chunkings = [everyByte, randomCuts(7), randomCuts(8), randomCuts(9)];
    for (const cuts of chunkings) {
      const transcript = new Transcript(transcriptOf(steps).meta, 0);
      transcript.events.push(...rechunk(transcriptOf(steps).events, cuts));
      const redacted = redactTranscript(transcript);
      const client = redacted.bytes('c2s').toString('latin1');
      // The mask appears once per secret, however many chunks the secret spanned.
      expect(client).toBe(want);
      expect(redacted.bytes('s2c').toString('latin1')).toBe(transcript.bytes('s2c').toString('latin1'));
    }
  });
});

describe('secretForms and maskSecrets', () => {
  it('mask the password as typed, JSON-escaped and in every base64 form AUTH puts on the wire', () => {
    const user = 'alice@example.test';
    const pass = 'pa"ss\\word';
    const forms = secretForms(user, pass);
    const text = [
      pass,
      JSON.stringify({ pass }),
      Buffer.from(pass).toString('base64'),
      Buffer.from(`\0${user}\0${pass}`).toString('base64'),
      Buffer.from(`${user}\0${user}\0${pass}`).toString('base64'),
    ].join(' | ');
    const masked = maskSecrets(text, forms);
    for (const form of forms) expect(masked).not.toContain(form);
    expect(masked.split('********').length - 1).toBe(5);
    expect(masked).toContain(' | ');
  });

  it('leave forms shorter than three characters alone', () => {
    expect(secretForms('u', 'ab').includes('ab')).toBe(false);
  });
});
