import { c, dialogue, ex, GREETING, note, s, type Row } from './helpers.js';

/**
 * The session checks' rows (transcripts and what each must give), shared by session.test.ts and by
 * test/i18n/checks.test.ts, which judges the same rows in both languages.
 */

const closed = note('client connection closed', 'info', 'client-closed');

export const TABLE: Record<string, Row[]> = {
  'waits-for-greeting': [
    { name: 'the assignment, in order', sessions: [dialogue()], want: 'pass' },
    {
      name: 'EHLO before any greeting byte',
      sessions: [[c('EHLO me\r\n'), GREETING, s('250 ok\r\n')]],
      want: 'fail',
      says: 'before the greeting had arrived',
    },
    { name: 'nothing sent', sessions: [[GREETING, closed]], want: 'fail', says: 'sent nothing' },
  ],
  greets: [
    { name: 'EHLO with a name', sessions: [dialogue()], want: 'pass' },
    {
      name: 'lowercase helo: a note, not a failure',
      sessions: [[GREETING, ...ex('helo me\r\n', '250 ok\r\n')]],
      want: 'pass',
      says: 'upper case',
    },
    {
      name: 'lowercase helo under --strict',
      sessions: [[GREETING, ...ex('helo me\r\n', '250 ok\r\n')]],
      strict: true,
      want: 'fail',
    },
    {
      name: 'MAIL first',
      sessions: [[GREETING, ...ex('MAIL FROM:<a@b.c>\r\n', '503 no\r\n')]],
      want: 'fail',
      says: '503',
    },
  ],
  crlf: [
    { name: 'every line CRLF', sessions: [dialogue()], want: 'pass' },
    {
      name: 'bare LF',
      sessions: [[GREETING, ...ex('EHLO me\n', '250 ok\r\n')]],
      want: 'fail',
      says: 'bare LF',
    },
    {
      name: 'three commands glued into one line',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>RCPT TO:<d@e.f>DATA\r\n', '501 5.5.4 bad\r\n'),
        ],
      ],
      want: 'fail',
      says: '"RCPT TO:" glued',
    },
    {
      name: 'a message left unfinished when the client hung: data-terminator judges it, not crlf',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          ...ex('DATA\r\n', '354 go\r\n'),
          c('Subject: x\r\n\r\nhello\r\n.'),
          closed,
        ],
      ],
      want: 'pass',
    },
  ],
  'waits-for-replies': [
    { name: 'one command, one reply', sessions: [dialogue()], want: 'pass' },
    {
      name: 'MAIL and RCPT and DATA in one write without PIPELINING',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          c('MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n'),
          s('250 ok\r\n250 ok\r\n'),
        ],
      ],
      want: 'fail',
      says: 'before any reply to MAIL',
    },
  ],
  'reads-whole-replies': [
    { name: 'whole replies', sessions: [dialogue()], want: 'pass' },
    {
      name: 'EHLO after the first line of a two-piece greeting',
      sessions: [
        [s('220-lab.test hello\r\n'), c('EHLO me\r\n'), s('220 lab.test ready\r\n'), s('250 ok\r\n')],
      ],
      want: 'fail',
      says: 'greeting was still arriving',
    },
    {
      name: 'spoke into a half-sent greeting, then died: the greeting never completed',
      sessions: [[s('220-lab.test please wait\r\n'), c('HELO me\r\n'), closed]],
      want: 'fail',
      says: 'greeting was still arriving',
    },
    {
      name: 'MAIL while the EHLO reply was still arriving',
      sessions: [
        [
          GREETING,
          c('EHLO me\r\n'),
          s('250-lab.test\r\n'),
          c('MAIL FROM:<a@b.c>\r\n'),
          s('250 8BITMIME\r\n'),
          s('250 ok\r\n'),
        ],
      ],
      want: 'fail',
      says: 'reply to EHLO was still arriving',
    },
  ],
  quit: [
    { name: 'QUIT answered 221 before the close', sessions: [dialogue()], want: 'pass' },
    { name: 'never sent', sessions: [dialogue({ quit: false })], want: 'fail', says: 'QUIT was never sent' },
    {
      name: 'closed before the 221',
      sessions: [[GREETING, ...ex('EHLO me\r\n', '250 ok\r\n'), c('QUIT\r\n'), closed, s('221 bye\r\n')]],
      want: 'fail',
      says: 'closed before the 221',
    },
    {
      name: 'QUIT answered 500 (the server was not reading commands as the client thought): no pass',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('QUIT\r\n', '500 5.5.2 Error: command not recognized\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'answered 500, not 221',
    },
    {
      name: 'QUIT written into an unfinished message',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          ...ex('DATA\r\n', '354 go\r\n'),
          c('hello\n.\nQUIT\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'QUIT was sent inside the unfinished message',
    },
    {
      name: 'DATA and "." in one write: an empty message, the body read as commands, QUIT still answered 221',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          c('DATA\r\n.\r\n'),
          s('354 go\r\n'),
          s('250 queued\r\n'),
          c('hello\r\n'),
          s('500 5.5.2 Error: command not recognized\r\n'),
          ...ex('QUIT\r\n', '221 bye\r\n'),
          closed,
        ],
      ],
      want: 'pass',
    },
  ],
};
