import { c, ex, GREETING, note, s, type Row } from './helpers.js';

/**
 * The security checks' rows (transcripts and what each must give), shared by security.test.ts and by
 * test/i18n/checks.test.ts, which judges the same rows in both languages.
 */

const closed = note('client connection closed', 'info', 'client-closed');
const started = note('TLS started: TLSv1.3', 'info', 'tls-started');
/** Reworded on purpose: checks read the kind, never the text. */
const startedReworded = note('handshake done, now encrypted', 'info', 'tls-started');
const ehlo = ex('EHLO me\r\n', '250-lab.test\r\n250 STARTTLS\r\n');
const login = [
  ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n', true),
  ...ex('YWxpY2VAcXEuY29t\r\n', '334 UGFzc3dvcmQ6\r\n', true),
  ...ex('c2VjcmV0\r\n', '235 2.7.0 Authentication successful\r\n', true),
];

export const TABLE: Record<string, Row[]> = {
  auth: [
    {
      name: 'AUTH LOGIN with its own account, any credentials accepted: says which',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 AUTH LOGIN\r\n'),
          ...login.map((st) => ({ ...st, tls: false })),
          closed,
        ],
      ],
      want: 'pass',
      says: 'any user name and password are accepted here',
    },
    {
      name: 'the account matters (provider persona): says which',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 AUTH LOGIN\r\n'),
          ...login.map((st) => ({ ...st, tls: false })),
          closed,
        ],
      ],
      scenario: 'server: { persona: qq }\n',
      want: 'pass',
      says: "only the scenario's SMTP_USER and SMTP_PASS",
    },
    {
      name: 'user and password pipelined before the 334s',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 AUTH LOGIN\r\n'),
          c('AUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\n'),
          s('334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'sent before the 334 asking for it arrived',
    },
    {
      name: 'password not base64',
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 AUTH LOGIN\r\n'),
          ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n'),
          ...ex('YWxpY2U=\r\n', '334 UGFzc3dvcmQ6\r\n'),
          ...ex('my password!\r\n', '535 5.7.8 no\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'not base64',
    },
  ],
  starttls: [
    {
      name: 'STARTTLS then a handshake',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '220 go\r\n'),
          startedReworded,
          ...ex('EHLO me\r\n', '250 ok\r\n', true),
          closed,
        ],
      ],
      want: 'pass',
    },
    {
      name: 'STARTTLS answered 502 under tls: none',
      sessions: [[GREETING, ...ehlo, ...ex('STARTTLS\r\n', '502 5.5.1 STARTTLS not available\r\n'), closed]],
      want: 'fail',
      says: 'no TLS handshake followed || <-  502',
    },
  ],
  'ehlo-after-starttls': [
    {
      name: 'EHLO inside TLS',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '220 go\r\n'),
          started,
          ...ex('EHLO me\r\n', '250 ok\r\n', true),
          closed,
        ],
      ],
      want: 'pass',
    },
    {
      name: 'HELO inside TLS: not EHLO, as the title says',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '220 go\r\n'),
          started,
          ...ex('HELO me\r\n', '250 ok\r\n', true),
          closed,
        ],
      ],
      want: 'fail',
      says: 'HELO, not EHLO',
    },
    {
      name: 'implicit TLS: no STARTTLS to follow',
      sessions: [[{ ...GREETING, tls: true }, ...ex('HELO me\r\n', '250 ok\r\n', true), closed]],
      implicitTls: true,
      want: 'fail',
      says: 'no command was sent inside TLS after STARTTLS',
    },
  ],
  'refuses-downgrade': [
    {
      name: 'STARTTLS refused: QUIT, nothing in plaintext',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '454 4.7.0 TLS not available\r\n'),
          ...ex('QUIT\r\n', '221 bye\r\n'),
          closed,
        ],
      ],
      want: 'pass',
    },
    {
      name: 'STARTTLS refused, then AUTH in plaintext',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '454 4.7.0 TLS not available\r\n'),
          ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n'),
          closed,
        ],
      ],
      want: 'fail',
      says: 'sent in plaintext',
    },
  ],
  'verifies-certificate': [
    {
      name: 'handshake refused by the client',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '220 go\r\n'),
          note('the client closed the connection before the handshake completed', 'error', 'tls-failed'),
          closed,
        ],
      ],
      want: 'pass',
    },
    {
      name: 'went on inside TLS',
      sessions: [
        [
          GREETING,
          ...ehlo,
          ...ex('STARTTLS\r\n', '220 go\r\n'),
          started,
          ...ex('EHLO me\r\n', '250 ok\r\n', true),
          closed,
        ],
      ],
      want: 'fail',
      says: 'could not verify',
    },
    {
      name: 'never started TLS',
      sessions: [[GREETING, ...ehlo, closed]],
      want: 'fail',
      says: 'never started TLS',
    },
    { name: 'implicit TLS refused at once', sessions: [[closed]], implicitTls: true, want: 'pass' },
  ],
};
