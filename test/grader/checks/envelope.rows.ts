import { c, dialogue, ex, GREETING, note, s, stored, type Row } from './helpers.js';

/**
 * The envelope checks' rows (transcripts and what each must give), shared by envelope.test.ts and by
 * test/i18n/checks.test.ts, which judges the same rows in both languages.
 */

const closed = note('client connection closed', 'info', 'client-closed');
const upTo = (mail: string, reply = '250 ok\r\n') => [
  GREETING,
  ...ex('EHLO me\r\n', '250 ok\r\n'),
  ...ex(`${mail}\r\n`, reply),
];

export const TABLE: Record<string, Row[]> = {
  'mail-from': [
    {
      name: "the student's own address, in brackets",
      sessions: [dialogue({ mail: 'MAIL FROM:<alice@qq.com>' })],
      want: 'pass',
    },
    { name: 'the null reverse-path', sessions: [dialogue({ mail: 'MAIL FROM:<>' })], want: 'pass' },
    {
      name: 'with a SIZE parameter',
      sessions: [dialogue({ mail: 'MAIL FROM:<alice@qq.com> SIZE=120' })],
      want: 'pass',
    },
    {
      name: 'a space after the colon: a note in baseline',
      sessions: [dialogue({ mail: 'MAIL FROM: <alice@qq.com>' })],
      want: 'pass',
      says: 'a space after the colon',
    },
    {
      name: 'a space after the colon, --strict',
      sessions: [dialogue({ mail: 'MAIL FROM: <alice@qq.com>' })],
      strict: true,
      want: 'fail',
    },
    {
      name: 'a trailing space before CRLF: a note in baseline',
      sessions: [dialogue({ mail: 'MAIL FROM:<alice@qq.com> ' })],
      want: 'pass',
      says: 'a space before the line end',
    },
    {
      name: 'a trailing space before CRLF, --strict',
      sessions: [dialogue({ mail: 'MAIL FROM:<alice@qq.com> ' })],
      strict: true,
      want: 'fail',
      says: 'a space before the line end',
    },
    {
      name: 'no brackets: the hint names the actual difference',
      sessions: [dialogue({ mail: 'MAIL FROM: alice@x.org' })],
      want: 'fail',
      says: '"FROM:alice@x.org" must be "FROM:<alice@x.org>"',
    },
    {
      name: 'no domain',
      sessions: [dialogue({ mail: 'MAIL FROM:<alice>' })],
      want: 'fail',
      says: 'no @domain',
    },
    {
      name: 'never sent',
      sessions: [[GREETING, ...ex('EHLO me\r\n', '250 ok\r\n'), closed]],
      want: 'fail',
      says: 'no MAIL command',
    },
    {
      name: 'evidence shows both sides: the line and the 501 it got',
      sessions: [upTo('MAIL FROM:alice', '501 5.1.7 Bad sender address syntax\r\n')],
      want: 'fail',
      says: '|| <-  501 5.1.7 Bad sender address syntax',
    },
  ],
  'rcpt-to': [
    { name: 'own recipient', sessions: [dialogue({ rcpt: ['RCPT TO:<bob@163.com>'] })], want: 'pass' },
    {
      name: 'two recipients',
      sessions: [dialogue({ rcpt: ['RCPT TO:<bob@163.com>', 'RCPT TO:<carol@x.org>'] })],
      want: 'pass',
    },
    {
      name: 'Postmaster without a domain',
      sessions: [dialogue({ rcpt: ['RCPT TO:<Postmaster>'] })],
      want: 'pass',
    },
    {
      name: 'lowercase verb: a note',
      sessions: [dialogue({ rcpt: ['rcpt to:<bob@163.com>'] })],
      want: 'pass',
      says: 'upper case',
    },
    {
      name: 'no brackets',
      sessions: [dialogue({ rcpt: ['RCPT TO:bob@163.com'] })],
      want: 'fail',
      says: '"TO:bob@163.com" must be "TO:<bob@163.com>"',
    },
    {
      name: 'an empty recipient',
      sessions: [dialogue({ rcpt: ['RCPT TO:<>'] })],
      want: 'fail',
      says: 'an empty recipient',
    },
  ],
  'uses-given-addresses': [
    {
      name: "the scenario's MAIL_FROM and RCPT_TO",
      sessions: [
        dialogue({ mail: 'MAIL FROM:<Student@smtp-lab.test>', rcpt: ['RCPT TO:<friend@smtp-lab.test>'] }),
      ],
      want: 'pass',
    },
    {
      name: 'its own addresses',
      sessions: [dialogue()],
      want: 'fail',
      says: 'MAIL_FROM is student@smtp-lab.test',
    },
  ],
  data: [
    { name: 'body after the 354', sessions: [dialogue()], want: 'pass' },
    {
      name: 'body before the 354',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          c('DATA\r\nhello\r\n.\r\n'),
          s('354 go\r\n'),
          s('250 ok\r\n'),
        ],
      ],
      want: 'fail',
      says: 'before the 354',
    },
  ],
  'handles-temporary-failure': [
    {
      name: 'greylisted, retried in a new session, delivered',
      sessions: [
        [
          ...upTo('MAIL FROM:<a@b.c>'),
          ...ex('RCPT TO:<d@e.f>\r\n', '451 4.7.1 Greylisted\r\n'),
          ...ex('QUIT\r\n', '221 bye\r\n'),
          closed,
        ],
        dialogue({ mail: 'MAIL FROM:<a@b.c>', rcpt: ['RCPT TO:<d@e.f>'] }),
      ],
      messages: [stored('Subject: x\r\n\r\nhello\r\n')],
      want: 'pass',
    },
    {
      name: 'greylisted and given up',
      sessions: [
        [
          ...upTo('MAIL FROM:<a@b.c>'),
          ...ex('RCPT TO:<d@e.f>\r\n', '451 4.7.1 Greylisted\r\n'),
          ...ex('QUIT\r\n', '221 bye\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'never retried to success',
    },
  ],
  'handles-rejection': [
    {
      name: 'QUIT after the only RCPT was refused',
      sessions: [
        [
          ...upTo('MAIL FROM:<a@b.c>'),
          ...ex('RCPT TO:<d@e.f>\r\n', '550 5.1.1 no such user\r\n'),
          ...ex('QUIT\r\n', '221 bye\r\n'),
          closed,
        ],
      ],
      want: 'pass',
    },
    {
      name: 'DATA after the only RCPT was refused: the DATA and the 503 it got',
      sessions: [
        [
          ...upTo('MAIL FROM:<a@b.c>'),
          ...ex('RCPT TO:<d@e.f>\r\n', '550 5.1.1 no such user\r\n'),
          ...ex('DATA\r\n', '503 5.5.1 Error: need RCPT command\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: '<- DATA although no recipient was accepted || <-  503',
    },
    {
      name: 'nothing was refused: the client never reached the refused step, no points',
      sessions: [dialogue()],
      want: 'fail',
      says: 'nothing this client sent was refused',
    },
    {
      name: 'MAIL after AUTH was refused',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n', '535 5.7.8 no\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '530 auth first\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'MAIL although AUTH was refused',
    },
    {
      name: 'a command after the server closed with 421',
      sessions: [
        [...upTo('MAIL FROM:<a@b.c>', '421 4.3.2 shutting down\r\n'), c('RCPT TO:<d@e.f>\r\n'), closed],
      ],
      want: 'fail',
      says: 'after the server closed the session with 421',
    },
  ],
};
