import { describe, expect, it } from 'vitest';
import { Transcript } from '../../src/transcript/events.js';
import {
  MAX_KEPT_LINE,
  SessionFramer,
  type ClientLine,
  type ServerReply,
} from '../../src/transcript/framer.js';
import {
  c,
  described,
  describeItems,
  everyByte,
  frame,
  merge,
  note,
  randomCuts,
  rechunk,
  s,
  transcriptOf,
  type Step,
} from './helpers.js';

const USER = 'alice';
const PASSWORD = 'Tr0ub4dor&3';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const USER_B64 = b64(USER);
const PW_B64 = b64(PASSWORD);
const PLAIN_B64 = b64(`\0${USER}\0${PASSWORD}`);

const GREETING = s('220 mail.example ESMTP\r\n');
const EHLO = c('EHLO client.example\r\n');
const EHLO_OK = s('250-mail.example\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n');
const EHLO_LINES = '["mail.example","PIPELINING","AUTH PLAIN LOGIN","STARTTLS"]';

interface Case {
  name: string;
  steps: Step[];
  want: string[];
}

/** Sessions whose framing must not depend on how the bytes were chunked. */
const SESSIONS: Case[] = [
  {
    name: 'a plain session with a message',
    steps: [
      GREETING,
      EHLO,
      EHLO_OK,
      c('MAIL FROM:<a@example.org>\r\n'),
      s('250 2.1.0 Ok\r\n'),
      c('RCPT TO:<b@example.org>\r\n'),
      s('250 2.1.5 Ok\r\n'),
      c('DATA\r\n'),
      s('354 End data with <CR><LF>.<CR><LF>\r\n'),
      c('Subject: hi\r\n\r\nbody\r\n..leading dot\r\n.\r\n'),
      s('250 2.0.0 queued as 1\r\n'),
      c('QUIT\r\n'),
      s('221 2.0.0 Bye\r\n'),
    ],
    want: [
      '<- 220 ["mail.example ESMTP"] answers=greeting',
      '-> "EHLO client.example" crlf command',
      `<- 250 ${EHLO_LINES} answers=1`,
      '-> "MAIL FROM:<a@example.org>" crlf command',
      '<- 250 ["2.1.0 Ok"] answers=3',
      '-> "RCPT TO:<b@example.org>" crlf command',
      '<- 250 ["2.1.5 Ok"] answers=5',
      '-> "DATA" crlf command',
      '<- 354 ["End data with <CR><LF>.<CR><LF>"] answers=7',
      '-> "Subject: hi" crlf data',
      '-> "" crlf data',
      '-> "body" crlf data',
      '-> "..leading dot" crlf data',
      '-> "." crlf data dataEnd',
      '<- 250 ["2.0.0 queued as 1"] answers=13',
      '-> "QUIT" crlf command',
      '<- 221 ["2.0.0 Bye"] answers=15',
    ],
  },
  {
    name: 'pipelined envelope: every line after the first is early',
    steps: [
      GREETING,
      EHLO,
      EHLO_OK,
      c('MAIL FROM:<a>\r\nRCPT TO:<b>\r\nRCPT TO:<c>\r\nDATA\r\n'),
      s('250 ok\r\n250 ok\r\n550 no such user\r\n354 go\r\n'),
      c('body\r\n.\r\nQUIT\r\n'),
      s('250 queued\r\n221 bye\r\n'),
    ],
    want: [
      '<- 220 ["mail.example ESMTP"] answers=greeting',
      '-> "EHLO client.example" crlf command',
      `<- 250 ${EHLO_LINES} answers=1`,
      '-> "MAIL FROM:<a>" crlf command',
      '-> "RCPT TO:<b>" crlf command early',
      '-> "RCPT TO:<c>" crlf command early',
      '-> "DATA" crlf command early',
      '<- 250 ["ok"] answers=3',
      '<- 250 ["ok"] answers=4',
      '<- 550 ["no such user"] answers=5',
      '<- 354 ["go"] answers=6',
      '-> "body" crlf data',
      '-> "." crlf data dataEnd',
      '-> "QUIT" crlf command early',
      '<- 250 ["queued"] answers=12',
      '<- 221 ["bye"] answers=13',
    ],
  },
  {
    name: 'a client that talks before the greeting',
    steps: [c('EHLO x\r\n'), s('220 hi\r\n'), s('250 ok\r\n')],
    want: ['-> "EHLO x" crlf command early', '<- 220 ["hi"] answers=greeting', '<- 250 ["ok"] answers=0'],
  },
  {
    name: 'a client that sends after the first line of a multi-line reply',
    steps: [
      s('220 hi\r\n'),
      c('EHLO x\r\n'),
      s('250-hi\r\n'),
      c('MAIL FROM:<a>\r\n'),
      s('250 PIPELINING\r\n'),
      s('250 ok\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO x" crlf command',
      '-> "MAIL FROM:<a>" crlf command early',
      '<- 250 ["hi","PIPELINING"] answers=1',
      '<- 250 ["ok"] answers=2',
    ],
  },
  {
    // smtp-server ends a line only at LF; a CR elsewhere stays inside the line (flagged bareCr).
    name: 'line endings: bare LF, bare CR inside a line, CRLF, unterminated',
    steps: [s('220 hi\r\n'), c('EHLO a\nMAIL FROM:<a>\rRCPT TO:<b>\r\nQUIT')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO a" lf command',
      '-> "MAIL FROM:<a>\\rRCPT TO:<b>" crlf command bareCr early',
      '-> "QUIT" none command early',
    ],
  },
  {
    name: 'a CR that ends the session leaves an unterminated line ending in CR, owed no reply',
    steps: [s('220 hi\r\n'), c('QUIT\r')],
    want: ['<- 220 ["hi"] answers=greeting', '-> "QUIT" cr command'],
  },
  {
    name: 'a CR before CRLF is a bare CR inside the line; the line is one command',
    steps: [s('220 hi\r\n'), c('NOOP\r\r\n'), s('250 ok\r\n')],
    want: ['<- 220 ["hi"] answers=greeting', '-> "NOOP\\r" crlf command bareCr', '<- 250 ["ok"] answers=1'],
  },
  {
    name: 'DATA body: commands inside are text, LF.LF does not end it, dot-stuffing stays',
    steps: [
      s('220 hi\r\n'),
      c('DATA\r\n'),
      s('354 go\r\n'),
      c('STARTTLS\r\nline\n.\nmore\r\n..\r\n..stuffed\r\nAUTH PLAIN AAAA\r\n.\r\n'),
      s('250 queued\r\n'),
      c('QUIT\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '<- 354 ["go"] answers=1',
      '-> "STARTTLS" crlf data',
      '-> "line" lf data',
      '-> "." lf data',
      '-> "more" crlf data',
      '-> ".." crlf data',
      '-> "..stuffed" crlf data',
      '-> "AUTH PLAIN AAAA" crlf data',
      '-> "." crlf data dataEnd',
      '<- 250 ["queued"] answers=10',
      '-> "QUIT" crlf command',
    ],
  },
  {
    name: 'DATA: "." with CRLF after a bare-LF line does not end it, as smtp-server requires CRLF.CRLF',
    steps: [
      s('220 hi\r\n'),
      c('DATA\r\n'),
      s('354 go\r\n'),
      c('a\n.\r\nQUIT\r\n.\n.\r\n'),
      s('250 queued\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '<- 354 ["go"] answers=1',
      '-> "a" lf data',
      '-> "." crlf data',
      '-> "QUIT" crlf data',
      '-> "." lf data',
      '-> "." crlf data',
      '<- 250 ["queued"] answers=undefined',
    ],
  },
  {
    name: 'DATA: an empty message ends at once',
    steps: [s('220 hi\r\n'), c('DATA\r\n'), s('354 go\r\n'), c('.\r\n'), s('250 ok\r\n')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '<- 354 ["go"] answers=1',
      '-> "." crlf data dataEnd',
      '<- 250 ["ok"] answers=3',
    ],
  },
  {
    name: 'DATA refused with 503: the next line is a command',
    steps: [
      s('220 hi\r\n'),
      c('DATA\r\n'),
      s('503 5.5.1 Error: need RCPT command\r\n'),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '<- 503 ["5.5.1 Error: need RCPT command"] answers=1',
      '-> "QUIT" crlf command',
      '<- 221 ["bye"] answers=3',
    ],
  },
  {
    name: 'a body pipelined behind DATA that gets 554 is read as commands',
    steps: [
      s('220 hi\r\n'),
      c('MAIL FROM:<a>\r\n'),
      s('250 ok\r\n'),
      c('DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n'),
      s('554 5.5.1 no valid recipients\r\n'),
      s('500 a\r\n500 b\r\n500 c\r\n500 d\r\n'),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "MAIL FROM:<a>" crlf command',
      '<- 250 ["ok"] answers=1',
      '-> "DATA" crlf command',
      '-> "Subject: x" crlf command early',
      '-> "" crlf command early',
      '-> "body" crlf command early',
      '-> "." crlf command early',
      '<- 554 ["5.5.1 no valid recipients"] answers=3',
      '<- 500 ["a"] answers=4',
      '<- 500 ["b"] answers=5',
      '<- 500 ["c"] answers=6',
      '<- 500 ["d"] answers=7',
      '-> "QUIT" crlf command',
      '<- 221 ["bye"] answers=13',
    ],
  },
  {
    name: 'a body pipelined before the 354 is held, then read as data',
    steps: [
      s('220 hi\r\n'),
      c('DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n'),
      s('354 go\r\n'),
      s('250 queued\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '-> "Subject: x" crlf data early',
      '-> "" crlf data early',
      '-> "body" crlf data early',
      '-> "." crlf data early dataEnd',
      '-> "QUIT" crlf command early',
      '<- 354 ["go"] answers=1',
      '<- 250 ["queued"] answers=5',
      '<- 221 ["bye"] answers=6',
    ],
  },
  {
    name: 'lines pipelined behind a refused DATA that contain another DATA wait for its reply',
    steps: [
      s('220 hi\r\n'),
      c('DATA\r\nRSET\r\nDATA\r\nSubject: x\r\n.\r\n'),
      s('503 no\r\n250 reset\r\n354 go\r\n'),
      s('250 queued\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "DATA" crlf command',
      '-> "RSET" crlf command early',
      '-> "DATA" crlf command early',
      '<- 503 ["no"] answers=1',
      '<- 250 ["reset"] answers=2',
      '-> "Subject: x" crlf data early',
      '-> "." crlf data early dataEnd',
      '<- 354 ["go"] answers=3',
      '<- 250 ["queued"] answers=7',
    ],
  },
  {
    name: 'STARTTLS answered 220, then plaintext before TLS is injected',
    steps: [
      GREETING,
      EHLO,
      EHLO_OK,
      c('STARTTLS\r\n'),
      s('220 2.0.0 Ready to start TLS\r\n'),
      c('EHLO client.example\r\n'),
      c('EHLO client.example\r\n', true),
      s('250-mail.example\r\n250 AUTH PLAIN LOGIN\r\n', true),
      c('QUIT\r\n', true),
      s('221 bye\r\n', true),
    ],
    want: [
      '<- 220 ["mail.example ESMTP"] answers=greeting',
      '-> "EHLO client.example" crlf command',
      `<- 250 ${EHLO_LINES} answers=1`,
      '-> "STARTTLS" crlf command',
      '<- 220 ["2.0.0 Ready to start TLS"] answers=3',
      '-> "EHLO client.example" crlf command injected',
      '~> "EHLO client.example" crlf command',
      '<~ 250 ["mail.example","AUTH PLAIN LOGIN"] answers=6',
      '~> "QUIT" crlf command',
      '<~ 221 ["bye"] answers=8',
    ],
  },
  {
    name: 'plaintext pipelined behind STARTTLS is held, then injected when the 220 comes',
    steps: [
      s('220 hi\r\n'),
      c('STARTTLS\r\nEHLO x\r\n'),
      s('220 go ahead\r\n'),
      c('EHLO x\r\n', true),
      s('250 hi\r\n', true),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "STARTTLS" crlf command',
      '-> "EHLO x" crlf command early injected',
      '<- 220 ["go ahead"] answers=1',
      '~> "EHLO x" crlf command',
      '<~ 250 ["hi"] answers=4',
    ],
  },
  {
    name: 'STARTTLS answered 454: the following lines are commands',
    steps: [
      s('220 hi\r\n'),
      c('STARTTLS\r\nMAIL FROM:<a>\r\n'),
      s('454 4.7.0 TLS not available\r\n'),
      s('250 ok\r\n'),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "STARTTLS" crlf command',
      '-> "MAIL FROM:<a>" crlf command early',
      '<- 454 ["4.7.0 TLS not available"] answers=1',
      '<- 250 ["ok"] answers=2',
      '-> "QUIT" crlf command',
      '<- 221 ["bye"] answers=5',
    ],
  },
  {
    name: 'AUTH LOGIN step by step',
    steps: [
      s('220 hi\r\n'),
      c('AUTH LOGIN\r\n'),
      s('334 VXNlcm5hbWU6\r\n'),
      c(`${USER_B64}\r\n`),
      s('334 UGFzc3dvcmQ6\r\n'),
      c(`${PW_B64}\r\n`),
      s('235 2.7.0 Authentication successful\r\n'),
      c('MAIL FROM:<alice@example.org>\r\n'),
      s('250 ok\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH LOGIN" crlf command',
      '<- 334 ["VXNlcm5hbWU6"] answers=1',
      `-> "${USER_B64}" crlf auth (user "alice")`,
      '<- 334 ["UGFzc3dvcmQ6"] answers=3',
      `-> "${PW_B64}" crlf auth secret=password@0 (password, hidden)`,
      '<- 235 ["2.7.0 Authentication successful"] answers=5',
      '-> "MAIL FROM:<alice@example.org>" crlf command',
      '<- 250 ["ok"] answers=7',
    ],
  },
  {
    name: 'AUTH LOGIN with an initial response',
    steps: [
      s('220 hi\r\n'),
      c(`AUTH LOGIN ${USER_B64}\r\n`),
      s('334 UGFzc3dvcmQ6\r\n'),
      c(`${PW_B64}\r\n`),
      s('535 5.7.8 Authentication credentials invalid\r\n'),
      c('QUIT\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      `-> "AUTH LOGIN ${USER_B64}" crlf command (user "alice")`,
      '<- 334 ["UGFzc3dvcmQ6"] answers=1',
      `-> "${PW_B64}" crlf auth secret=password@0 (password, hidden)`,
      '<- 535 ["5.7.8 Authentication credentials invalid"] answers=3',
      '-> "QUIT" crlf command',
    ],
  },
  {
    name: 'AUTH PLAIN with an initial response',
    steps: [
      s('220 hi\r\n'),
      c(`AUTH PLAIN ${PLAIN_B64}\r\n`),
      s('235 ok\r\n'),
      c('MAIL FROM:<a>\r\n'),
      s('250 ok\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      `-> "AUTH PLAIN ${PLAIN_B64}" crlf command secret=credentials@11 (authzid "", user "alice", password ********)`,
      '<- 235 ["ok"] answers=1',
      '-> "MAIL FROM:<a>" crlf command',
      '<- 250 ["ok"] answers=3',
    ],
  },
  {
    name: 'AUTH PLAIN with the credentials after 334',
    steps: [
      s('220 hi\r\n'),
      c('auth plain\r\n'),
      s('334 \r\n'),
      c(`${PLAIN_B64}\r\n`),
      s('235 ok\r\n'),
      c('QUIT\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "auth plain" crlf command',
      '<- 334 [""] answers=1',
      `-> "${PLAIN_B64}" crlf auth secret=credentials@0 (authzid "", user "alice", password ********)`,
      '<- 235 ["ok"] answers=3',
      '-> "QUIT" crlf command',
    ],
  },
  {
    name: 'AUTH LOGIN credentials pipelined before the 334 are held, then read as AUTH lines',
    steps: [
      s('220 hi\r\n'),
      c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`),
      s('334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH LOGIN" crlf command',
      `-> "${USER_B64}" crlf auth early (user "alice")`,
      `-> "${PW_B64}" crlf auth early secret=password@0 (password, hidden)`,
      '<- 334 ["VXNlcm5hbWU6"] answers=1',
      '<- 334 ["UGFzc3dvcmQ6"] answers=2',
      '<- 235 ["ok"] answers=3',
    ],
  },
  {
    name: 'credentials pipelined behind an AUTH that gets 504 stay masked',
    steps: [
      s('220 hi\r\n'),
      c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`),
      s('504 5.5.4 Unrecognized authentication type\r\n'),
      s('500 5.5.2 Error: command not recognized\r\n500 5.5.2 Error: command not recognized\r\n'),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH LOGIN" crlf command',
      `-> "${USER_B64}" crlf auth early (user "alice")`,
      `-> "${PW_B64}" crlf auth early secret=password@0 (password, hidden)`,
      '<- 504 ["5.5.4 Unrecognized authentication type"] answers=1',
      '<- 500 ["5.5.2 Error: command not recognized"] answers=2',
      '<- 500 ["5.5.2 Error: command not recognized"] answers=3',
      '-> "QUIT" crlf command',
      '<- 221 ["bye"] answers=7',
    ],
  },
  {
    name: 'PLAIN credentials pipelined behind an AUTH PLAIN that gets 504 stay masked',
    steps: [s('220 hi\r\n'), c(`AUTH PLAIN\r\n${PLAIN_B64}\r\n`), s('504 no\r\n500 what\r\n')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH PLAIN" crlf command',
      `-> "${PLAIN_B64}" crlf auth early secret=credentials@0 (authzid "", user "alice", password ********)`,
      '<- 504 ["no"] answers=1',
      '<- 500 ["what"] answers=2',
    ],
  },
  {
    name: 'AUTH cancelled with "*"',
    steps: [
      s('220 hi\r\n'),
      c('AUTH LOGIN\r\n'),
      s('334 VXNlcm5hbWU6\r\n'),
      c('*\r\n'),
      s('501 cancelled\r\n'),
      c('QUIT\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH LOGIN" crlf command',
      '<- 334 ["VXNlcm5hbWU6"] answers=1',
      '-> "*" crlf auth (authentication cancelled)',
      '<- 501 ["cancelled"] answers=3',
      '-> "QUIT" crlf command',
    ],
  },
  {
    name: 'server garbage, then the framer continues with the next good reply',
    steps: [
      s('220 hi\r\n'),
      c('EHLO x\r\n'),
      s('HTTP/1.1 400 Bad Request\r\n250 ok\r\n'),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO x" crlf command',
      '!! "HTTP/1.1 400 Bad Request\\r\\n" malformed reply line',
      '<- 250 ["ok"] answers=1',
      '-> "QUIT" crlf command',
      '<- 221 ["bye"] answers=4',
    ],
  },
  {
    name: 'garbage inside a multi-line reply takes the lines read so far with it',
    steps: [s('220 hi\r\n'), c('EHLO x\r\n'), s('250-a\r\nxx\r\n250 ok\r\n')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO x" crlf command',
      '!! "250-a\\r\\nxx\\r\\n" malformed reply line',
      '<- 250 ["ok"] answers=1',
    ],
  },
  {
    name: 'a reply whose code changes is garbage',
    steps: [s('220 hi\r\n'), c('EHLO x\r\n'), s('250-a\r\n550 b\r\n250 ok\r\n')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO x" crlf command',
      '!! "250-a\\r\\n550 b\\r\\n" reply code changed from 250 to 550 within one reply',
      '<- 250 ["ok"] answers=1',
    ],
  },
  {
    name: 'a reply cut off by the end of the session is garbage',
    steps: [s('220 hi\r\n'), c('EHLO x\r\n'), s('250-a\r\n250 b')],
    want: [
      '<- 220 ["hi"] answers=greeting',
      '-> "EHLO x" crlf command',
      '!! "250-a\\r\\n250 b" the connection closed before the reply was complete',
    ],
  },
  {
    name: 'notes keep their place',
    steps: [
      note('connected'),
      s('220 hi\r\n'),
      c('STARTTLS\r\n'),
      s('220 go\r\n'),
      note('TLS handshake failed', 'error'),
    ],
    want: [
      '== info connected',
      '<- 220 ["hi"] answers=greeting',
      '-> "STARTTLS" crlf command',
      '<- 220 ["go"] answers=2',
      '== error TLS handshake failed',
    ],
  },
];

describe('SessionFramer framing is independent of chunking', () => {
  const chunkings: Array<[string, (steps: Step[]) => ReturnType<typeof transcriptOf>['events']]> = [
    ['whole', (steps) => transcriptOf(steps).events],
    ['every byte', (steps) => rechunk(transcriptOf(steps).events, everyByte)],
    ['merged runs', (steps) => merge(transcriptOf(steps).events)],
    ...[1, 2, 3, 42, 2026].map(
      (seed) =>
        [
          `random split, seed ${seed}`,
          (steps: Step[]) => rechunk(transcriptOf(steps).events, randomCuts(seed)),
        ] as [string, (steps: Step[]) => ReturnType<typeof transcriptOf>['events']],
    ),
  ];
  for (const { name, steps, want } of SESSIONS) {
    describe(name, () => {
      it.each(chunkings)('%s', (_label, chunk) => {
        expect(described(chunk(steps))).toEqual(want);
      });
    });
  }

  it('random splitting really splits (the chunkings differ from the whole)', () => {
    const steps = SESSIONS[0]!.steps;
    const whole = transcriptOf(steps).events.length;
    expect(rechunk(transcriptOf(steps).events, randomCuts(1)).length).toBeGreaterThan(whole);
    expect(rechunk(transcriptOf(steps).events, everyByte).length).toBeGreaterThan(whole * 5);
  });
});

const lines = (items: ReturnType<typeof frame>) => items.filter((i): i is ClientLine => i.kind === 'line');
const replies = (items: ReturnType<typeof frame>) =>
  items.filter((i): i is ServerReply => i.kind === 'reply');

describe('SessionFramer client lines', () => {
  it('joins a CR at the end of one chunk and the LF that starts the next into one CRLF line', () => {
    const items = frame([s('220 hi\r\n'), c('EHLO x\r'), c('\nQUIT\r\n')]);
    const [ehlo, quit] = lines(items);
    expect(ehlo).toMatchObject({ text: 'EHLO x', ending: 'crlf', t: 20 });
    expect(ehlo!.raw.toString('latin1')).toBe('EHLO x\r\n');
    expect(ehlo!.spans).toEqual([
      { event: 1, start: 0, end: 7 },
      { event: 2, start: 0, end: 1 },
    ]);
    expect(quit).toMatchObject({ text: 'QUIT', ending: 'crlf', t: 30, early: true });
    expect(quit!.spans).toEqual([{ event: 2, start: 1, end: 7 }]);
  });

  it('keeps the exact bytes and the time of the first byte of a line split over chunks', () => {
    const items = frame([s('220 hi\r\n'), c('MAIL FR'), c('OM:<a@exa'), c('mple.org>\r\n')]);
    const [mail] = lines(items);
    expect(mail!.t).toBe(20);
    expect(mail!.raw.toString('latin1')).toBe('MAIL FROM:<a@example.org>\r\n');
    expect(mail!.command).toEqual({ verb: 'MAIL', args: 'FROM:<a@example.org>', upperCase: true });
    expect(mail!.spans).toEqual([
      { event: 1, start: 0, end: 7 },
      { event: 2, start: 0, end: 9 },
      { event: 3, start: 0, end: 11 },
    ]);
  });

  it('decodes line text as UTF-8 and keeps raw bytes', () => {
    const items = frame([s('220 hi\r\n'), c(Buffer.from('MAIL FROM:<jörg@例え.jp> SMTPUTF8\r\n', 'utf8'))]);
    const [mail] = lines(items);
    expect(mail!.text).toBe('MAIL FROM:<jörg@例え.jp> SMTPUTF8');
    expect(mail!.raw.toString('latin1')).toBe(
      Buffer.from('MAIL FROM:<jörg@例え.jp> SMTPUTF8\r\n', 'utf8').toString('latin1'),
    );
  });

  it('text drops the line ending only: CRLF two bytes, bare LF one, a bare CR inside none, unterminated none', () => {
    const items = lines(frame([c('A\rB\nC\r\nD')]));
    expect(items.map((l) => [l.text, l.raw.toString('latin1'), l.ending, Boolean(l.bareCr)])).toEqual([
      ['A\rB', 'A\rB\n', 'lf', true],
      ['C', 'C\r\n', 'crlf', false],
      ['D', 'D', 'none', false],
    ]);
  });

  it('cuts a line that never ends into pieces instead of holding it without bound', () => {
    const long = 'X'.repeat(200 * 1024);
    const items = lines(frame([s('220 hi\r\n'), c(long), c(long), c('\r\n'), s('500 too long\r\n')]));
    expect(items.map((l) => l.ending).at(-1)).toBe('crlf');
    expect(items.slice(0, -1).every((l) => l.ending === 'none')).toBe(true);
    // Every byte is accounted for; a kept piece holds at most MAX_KEPT_LINE of them.
    expect(items.reduce((n, l) => n + (l.clipped ?? l.raw.length), 0)).toBe(2 * long.length + 2);
    expect(items.every((l) => l.raw.length <= MAX_KEPT_LINE)).toBe(true);
    // Only the complete line is owed the reply.
    const replies = frame([s('220 hi\r\n'), c(long), c('\r\n'), s('500 too long\r\n')]).filter(
      (i) => i.kind === 'reply',
    );
    expect(replies.map((r) => r.kind === 'reply' && r.answers)).toEqual(['greeting', 2]);
  });
});

describe('SessionFramer follows the server (smtp-server, verified on the wire)', () => {
  it('DATA and "." in one write: an empty message, then the body read as commands, each owed a reply', () => {
    const items = described([
      s('220 lab\r\n'),
      c('DATA\r\n.\r\n'),
      s('354 go\r\n'),
      s('250 queued\r\n'),
      c('hello\r\n.\r\nQUIT\r\n'),
      s('500 5.5.2 Error: command not recognized\r\n500 5.5.2 Error: command not recognized\r\n221 bye\r\n'),
    ]);
    expect(items).toEqual([
      '<- 220 ["lab"] answers=greeting',
      '-> "DATA" crlf command',
      '-> "." crlf data early dataEnd',
      '<- 354 ["go"] answers=1',
      '<- 250 ["queued"] answers=2',
      '-> "hello" crlf command',
      '-> "." crlf command early',
      '-> "QUIT" crlf command early',
      '<- 500 ["5.5.2 Error: command not recognized"] answers=5',
      '<- 500 ["5.5.2 Error: command not recognized"] answers=6',
      '<- 221 ["bye"] answers=7',
    ]);
  });
});

describe('SessionFramer server replies', () => {
  it('counts the chunks that carried each reply', () => {
    const items = frame([
      s('22'),
      s('0 hi\r\n'),
      c('EHLO x\r\n'),
      s('250-a\r\n'),
      c('NOOP\r\n'),
      s('250-b\r\n250 c\r\n250 noop'),
      s(' ok\r\n221 '),
      s('bye\r\n'),
      s('250 one\r\n250 two\r\n'),
    ]);
    expect(
      replies(items).map((r) => [r.reply.code, r.reply.lines, r.chunks, r.t, r.tEnd, r.answers]),
    ).toEqual([
      [220, ['hi'], 2, 10, 20, 'greeting'],
      [250, ['a', 'b', 'c'], 2, 40, 60, 1],
      [250, ['noop ok'], 2, 60, 70, 2],
      [221, ['bye'], 2, 70, 80, undefined],
      [250, ['one'], 1, 90, 90, undefined],
      [250, ['two'], 1, 90, 90, undefined],
    ]);
  });

  it('counts the chunk of a reply that follows garbage in the same chunk', () => {
    const items = frame([s('220 hi\r\n'), c('EHLO x\r\n'), s('garbage\r\n250 ok\r\n')]);
    expect(items.map((i) => i.kind)).toEqual(['reply', 'line', 'garbage', 'reply']);
    expect(replies(items)[1]).toMatchObject({ chunks: 1, answers: 1, t: 30, tEnd: 30 });
  });

  it('links each reply to the greeting or to the command it answers', () => {
    const items = frame([
      s('220 hi\r\n'),
      c('EHLO x\r\nMAIL FROM:<a>\r\n'),
      s('250 hello\r\n250 ok\r\n'),
      c('RCPT TO:<b>\r\n'),
      s('550 no\r\n'),
      s('421 shutting down\r\n'),
    ]);
    const answered = replies(items).map((r) => {
      const target = typeof r.answers === 'number' ? items[r.answers] : undefined;
      return [
        r.reply.code,
        r.answers === 'greeting' ? 'greeting' : target?.kind === 'line' ? target.text : r.answers,
      ];
    });
    expect(answered).toEqual([
      [220, 'greeting'],
      [250, 'EHLO x'],
      [250, 'MAIL FROM:<a>'],
      [550, 'RCPT TO:<b>'],
      [421, undefined],
    ]);
  });

  it('keeps the raw bytes of a reply exactly, bare LF and all', () => {
    const items = frame([s('220-a\n220 b\r\n')]);
    expect(replies(items)[0]!.reply.raw.toString('latin1')).toBe('220-a\n220 b\r\n');
  });

  it('turns an over-long reply line without a line feed into garbage instead of buffering it', () => {
    const framer = new SessionFramer();
    const transcript = transcriptOf([s('220 ' + 'x'.repeat(3000)), s('y'.repeat(3000))]);
    framer.push(transcript.events[0]!);
    const out = framer.push(transcript.events[1]!);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'garbage', error: 'reply line too long', t: 10 });
    expect(out[0]!.kind === 'garbage' && out[0]!.raw.length).toBe(6004);
  });
});

describe('SessionFramer live use', () => {
  it('push returns what each event completed; held lines come out with the reply that decides them', () => {
    const transcript = transcriptOf([
      s('220 hi\r\n'),
      c('DATA\r\nbody\r\n'),
      c('.\r\n'),
      s('354 go\r\n'),
      s('250 queued\r\n'),
    ]);
    const framer = new SessionFramer();
    const out = transcript.events.map((event) => describeItems(framer.push(event)));
    expect(out).toEqual([
      ['<- 220 ["hi"] answers=greeting'],
      ['-> "DATA" crlf command'],
      [],
      ['-> "body" crlf data early', '-> "." crlf data early dataEnd', '<- 354 ["go"] answers=1'],
      ['<- 250 ["queued"] answers=3'],
    ]);
    expect(framer.finish()).toEqual([]);
  });

  it('reports DATA mode and a pending TLS upgrade', () => {
    const transcript = transcriptOf([
      s('220 hi\r\n'),
      c('DATA\r\n'),
      s('354 go\r\n'),
      c('.\r\n'),
      c('STARTTLS\r\n'),
      s('250 ok\r\n'),
      s('220 go\r\n'),
      c('EHLO x\r\n', true),
    ]);
    const framer = new SessionFramer();
    const states = transcript.events.map((event) => {
      framer.push(event);
      return [framer.inData, framer.awaitingTls];
    });
    expect(states).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [false, false],
      [false, true],
      [false, true],
      [false, true],
      [false, false],
    ]);
  });

  it('finish flushes an unterminated line, held lines and a partial reply once', () => {
    const framer = new SessionFramer();
    for (const event of transcriptOf([s('220 hi\r\n'), c('DATA\r\nSubject: x\r\nbod'), s('35')]).events) {
      framer.push(event);
    }
    expect(describeItems(framer.finish(99))).toEqual([
      '-> "Subject: x" crlf command early',
      '-> "bod" none command early',
      '!! "35" the connection closed before the reply was complete',
    ]);
    expect(framer.finish(100)).toEqual([]);
  });
});

describe('SessionFramer secrets', () => {
  it('masks credentials pipelined behind an AUTH the server never answered', () => {
    const items = described([
      s('220 hi\r\n'),
      c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`),
      note('connection closed'),
    ]);
    expect(items).toEqual([
      '<- 220 ["hi"] answers=greeting',
      '-> "AUTH LOGIN" crlf command',
      '== info connection closed',
      `-> "${USER_B64}" crlf auth early (user "alice")`,
      `-> "${PW_B64}" crlf auth early secret=password@0 (password, hidden)`,
    ]);
  });

  it('masks AUTH sent in plaintext after STARTTLS was accepted (the client never started TLS)', () => {
    const items = described([
      s('220 hi\r\n'),
      c('STARTTLS\r\n'),
      s('220 ready\r\n'),
      c('AUTH LOGIN\r\n'),
      c(`${USER_B64}\r\n`),
      c(`${PW_B64}\r\n`),
      c(`AUTH PLAIN ${PLAIN_B64}\r\n`),
    ]);
    expect(items).toEqual([
      '<- 220 ["hi"] answers=greeting',
      '-> "STARTTLS" crlf command',
      '<- 220 ["ready"] answers=1',
      '-> "AUTH LOGIN" crlf command injected',
      `-> "${USER_B64}" crlf auth injected (user "alice")`,
      `-> "${PW_B64}" crlf auth injected secret=password@0 (password, hidden)`,
      // LOGIN sends two lines of credentials; the next line is a command again.
      `-> "AUTH PLAIN ${PLAIN_B64}" crlf command injected secret=credentials@11 (authzid "", user "alice", password ********)`,
    ]);
  });

  it('keeps every plaintext line secret until TLS after an AUTH pipelined behind STARTTLS', () => {
    // The AUTH was held with the STARTTLS reply pending, so its exchange is not followed line by
    // line: whatever plaintext comes until TLS is taken for credentials (found by a differential
    // fuzz of the framer's state rewrite against the old one).
    const items = described([
      s('220 hi\r\n'),
      c(`STARTTLS\r\nAUTH LOGIN\r\n`),
      s('220 ready\r\n'),
      c(`${USER_B64}\r\n`),
      c(`${PW_B64}\r\n`),
      c('RSET\r\n'),
      c('EHLO x\r\n', true),
    ]);
    expect(items.slice(2)).toEqual([
      '-> "AUTH LOGIN" crlf command early injected',
      '<- 220 ["ready"] answers=1',
      `-> "${USER_B64}" crlf auth injected secret=token@0 (AUTH response, hidden)`,
      `-> "${PW_B64}" crlf auth injected secret=token@0 (AUTH response, hidden)`,
      '-> "RSET" crlf auth injected secret=token@0 (AUTH response, hidden)',
      '~> "EHLO x" crlf command',
    ]);
  });

  it('masks a plaintext AUTH PLAIN initial response after STARTTLS', () => {
    const items = described([
      s('220 hi\r\n'),
      c('STARTTLS\r\n'),
      s('220 ready\r\n'),
      c(`AUTH PLAIN ${PLAIN_B64}\r\n`),
    ]);
    expect(items.at(-1)).toBe(
      `-> "AUTH PLAIN ${PLAIN_B64}" crlf command injected secret=credentials@11 (authzid "", user "alice", password ********)`,
    );
  });

  it('reads AUTH normally again once TLS has started', () => {
    const items = described([
      s('220 hi\r\n'),
      c('STARTTLS\r\n'),
      s('220 ready\r\n'),
      c('AUTH PLAIN\r\n'),
      c('EHLO x\r\n', true),
      s('250 hi\r\n', true),
      c('MAIL FROM:<a>\r\n', true),
    ]);
    expect(items.slice(3)).toEqual([
      '-> "AUTH PLAIN" crlf command injected',
      '~> "EHLO x" crlf command',
      '<~ 250 ["hi"] answers=4',
      '~> "MAIL FROM:<a>" crlf command',
    ]);
  });

  it.each([
    { line: `AUTH PLAIN ${PLAIN_B64}`, from: 11 },
    { line: `AUTH PLAIN ${PLAIN_B64} `, from: 11 },
    { line: `AUTH PLAIN ${PLAIN_B64}  extra`, from: 11 },
    { line: `auth xoauth2 ${PLAIN_B64}`, from: 13 },
    { line: `AUTH  PLAIN ${PLAIN_B64}`, from: 6 },
  ])('masks an initial response from where it starts: $line', ({ line, from }) => {
    const [auth] = lines(frame([s('220 hi\r\n'), c(`${line}\r\n`)]));
    expect(auth!.secret?.from).toBe(from);
    expect(line.slice(auth!.secret!.from)).toContain(PLAIN_B64);
  });

  it.each([
    {
      name: 'AUTH LOGIN, credentials and the envelope all pipelined before the 334',
      steps: [
        s('220 hi\r\n'),
        c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\nMAIL FROM:<a>\r\nQUIT\r\n`),
        s('334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n250 ok\r\n221 bye\r\n'),
      ],
      want: [
        '<- 220 ["hi"] answers=greeting',
        '-> "AUTH LOGIN" crlf command',
        `-> "${USER_B64}" crlf auth early (user "alice")`,
        `-> "${PW_B64}" crlf auth early secret=password@0 (password, hidden)`,
        '-> "MAIL FROM:<a>" crlf command early',
        '-> "QUIT" crlf command early',
        '<- 334 ["VXNlcm5hbWU6"] answers=1',
        '<- 334 ["UGFzc3dvcmQ6"] answers=2',
        '<- 235 ["ok"] answers=3',
        '<- 250 ["ok"] answers=4',
        '<- 221 ["bye"] answers=5',
      ],
    },
    {
      name: 'AUTH PLAIN with an initial response and MAIL pipelined behind it',
      steps: [s('220 hi\r\n'), c(`AUTH PLAIN ${PLAIN_B64}\r\nMAIL FROM:<a>\r\n`), s('235 ok\r\n250 ok\r\n')],
      want: [
        '<- 220 ["hi"] answers=greeting',
        `-> "AUTH PLAIN ${PLAIN_B64}" crlf command secret=credentials@11 (authzid "", user "alice", password ********)`,
        '-> "MAIL FROM:<a>" crlf command early',
        '<- 235 ["ok"] answers=1',
        '<- 250 ["ok"] answers=2',
      ],
    },
    {
      name: 'AUTH PLAIN refused with 504: the credentials stay masked, the next command is a command',
      steps: [
        s('220 hi\r\n'),
        c(`AUTH PLAIN\r\n${PLAIN_B64}\r\nQUIT\r\n`),
        s('504 no\r\n500 what\r\n221 bye\r\n'),
      ],
      want: [
        '<- 220 ["hi"] answers=greeting',
        '-> "AUTH PLAIN" crlf command',
        `-> "${PLAIN_B64}" crlf auth early secret=credentials@0 (authzid "", user "alice", password ********)`,
        '-> "QUIT" crlf command early',
        '<- 504 ["no"] answers=1',
        '<- 500 ["what"] answers=2',
        '<- 221 ["bye"] answers=3',
      ],
    },
    {
      name: 'a command sent after the password but before the 235',
      steps: [
        s('220 hi\r\n'),
        c('AUTH LOGIN\r\n'),
        s('334 VXNlcm5hbWU6\r\n'),
        c(`${USER_B64}\r\n`),
        s('334 UGFzc3dvcmQ6\r\n'),
        c(`${PW_B64}\r\nMAIL FROM:<a>\r\n`),
        s('235 ok\r\n250 ok\r\n'),
      ],
      want: [
        '<- 220 ["hi"] answers=greeting',
        '-> "AUTH LOGIN" crlf command',
        '<- 334 ["VXNlcm5hbWU6"] answers=1',
        `-> "${USER_B64}" crlf auth (user "alice")`,
        '<- 334 ["UGFzc3dvcmQ6"] answers=3',
        `-> "${PW_B64}" crlf auth secret=password@0 (password, hidden)`,
        '-> "MAIL FROM:<a>" crlf command early',
        '<- 235 ["ok"] answers=5',
        '<- 250 ["ok"] answers=6',
      ],
    },
    {
      name: 'a mechanism with no fixed number of lines: everything until the final reply is masked',
      steps: [
        s('220 hi\r\n'),
        c('AUTH XOAUTH2\r\ndG9rZW4=\r\nc2Vjb25k\r\n'),
        s('334 \r\n334 \r\n235 ok\r\n'),
        c('QUIT\r\n'),
      ],
      want: [
        '<- 220 ["hi"] answers=greeting',
        '-> "AUTH XOAUTH2" crlf command',
        '-> "dG9rZW4=" crlf auth early secret=token@0 (XOAUTH2 response, hidden)',
        '-> "c2Vjb25k" crlf auth early secret=token@0 (XOAUTH2 response, hidden)',
        '<- 334 [""] answers=1',
        '<- 334 [""] answers=2',
        '<- 235 ["ok"] answers=3',
        '-> "QUIT" crlf command',
      ],
    },
  ])('pipelining after AUTH: $name', ({ steps, want }) => {
    expect(described(steps)).toEqual(want);
    expect(described(rechunk(transcriptOf(steps).events, everyByte))).toEqual(want);
  });

  it('treats "=" as an empty initial response with nothing to mask', () => {
    const [auth] = lines(frame([s('220 hi\r\n'), c('AUTH PLAIN =\r\n')]));
    expect(auth!.secret).toBeUndefined();
  });

  it('masks a token mechanism and a CRAM-MD5 digest', () => {
    const cram = b64('alice 0123456789abcdef0123456789abcdef');
    expect(
      described([
        s('220 hi\r\n'),
        c('AUTH XOAUTH2\r\n'),
        s('334 \r\n'),
        c('dG9rZW4=\r\n'),
        s('235 ok\r\n'),
        c('AUTH CRAM-MD5\r\n'),
        s('334 PDEyMzQ+\r\n'),
        c(`${cram}\r\n`),
        s('235 ok\r\n'),
      ]).filter((d) => d.includes(' auth')),
    ).toEqual([
      '-> "dG9rZW4=" crlf auth secret=token@0 (XOAUTH2 response, hidden)',
      // The digest of a known challenge can be attacked offline: masked like a password.
      `-> "${cram}" crlf auth secret=token@0 (user "alice", HMAC-MD5 digest hidden)`,
    ]);
  });
});

describe('Transcript', () => {
  it('copies the bytes it records and concatenates one side', () => {
    const transcript = new Transcript({ id: 'x', startedAt: '2026-01-01T00:00:00Z' });
    const data = Buffer.from('EHLO x\r\n');
    transcript.wire('c2s', false, data);
    data.fill(0);
    transcript.wire('s2c', false, Buffer.from('250 ok\r\n'));
    transcript.wire('c2s', true, Buffer.from('QUIT\r\n'));
    transcript.note('info', 'closed');
    expect(transcript.bytes('c2s').toString()).toBe('EHLO x\r\nQUIT\r\n');
    expect(transcript.bytes('s2c').toString()).toBe('250 ok\r\n');
    expect(transcript.events.map((e) => e.type)).toEqual(['wire', 'wire', 'wire', 'note']);
    const times = transcript.events.map((e) => e.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('SessionFramer secrets after a refused AUTH (the client sends its credentials anyway)', () => {
  const OWN_PLAIN_B64 = b64(`${USER}\0${USER}\0${PASSWORD}`);
  it.each([
    ['500 with AUTH off', '500 5.5.1 Error: command not recognized'],
    ['503 before EHLO', '503 Error: send HELO/EHLO first'],
    ['538 before STARTTLS', '538 Error: Must issue a STARTTLS command first'],
    ['535', '535 5.7.8 Authentication credentials invalid'],
  ])('AUTH LOGIN answered %s: the password line is masked, the next command is not', (_name, reply) => {
    const items = described([
      s('220 hi\r\n'),
      c('AUTH LOGIN\r\n'),
      s(`${reply}\r\n`),
      c(`${USER_B64}\r\n`),
      s(`${reply}\r\n`),
      c(`${PW_B64}\r\n`),
      s(`${reply}\r\n`),
      c('QUIT\r\n'),
      s('221 bye\r\n'),
    ]);
    expect(items.filter((i) => i.startsWith('->'))).toEqual([
      '-> "AUTH LOGIN" crlf command',
      `-> "${USER_B64}" crlf auth (user "alice")`,
      `-> "${PW_B64}" crlf auth secret=password@0 (password, hidden)`,
      '-> "QUIT" crlf command',
    ]);
  });

  it('AUTH PLAIN refused, credentials on their own line: masked, inside TLS too', () => {
    const items = described([
      s('220 hi\r\n'),
      c('EHLO me\r\n'),
      s('250 hi\r\n'),
      c('STARTTLS\r\n'),
      s('220 go ahead\r\n'),
      c('AUTH PLAIN\r\n', true),
      s('503 Error: send HELO/EHLO first\r\n', true),
      c(`${OWN_PLAIN_B64}\r\n`, true),
      s('500 Error: command not recognized\r\n', true),
      c('QUIT\r\n', true),
    ]);
    expect(items.filter((i) => i.startsWith('~>'))).toEqual([
      '~> "AUTH PLAIN" crlf command',
      `~> "${OWN_PLAIN_B64}" crlf auth secret=credentials@0 (authzid "alice", user "alice", password ********)`,
      '~> "QUIT" crlf command',
    ]);
  });

  it('a client that reads the refusal and goes on with MAIL FROM is shown as it was', () => {
    const items = described([
      s('220 hi\r\n'),
      c('AUTH LOGIN\r\n'),
      s('500 Error: command not recognized\r\n'),
      c('MAIL FROM:<a@example.org>\r\n'),
      s('250 ok\r\n'),
    ]);
    expect(items).toContain('-> "MAIL FROM:<a@example.org>" crlf command');
  });
});
