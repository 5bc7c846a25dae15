import { c, dialogue, ex, GREETING, note, stored, type Row } from './helpers.js';

/**
 * The message checks' rows (transcripts and what each must give), shared by message.test.ts and by
 * test/i18n/checks.test.ts, which judges the same rows in both languages.
 */

const HEADERS = 'From: <a@b.c>\r\nTo: <d@e.f>\r\nSubject: hi\r\n\r\n';
const MIME =
  'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n' +
  '--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n';
const closed = note('client connection closed', 'info', 'client-closed');
const open354 = [
  GREETING,
  ...ex('EHLO me\r\n', '250 ok\r\n'),
  ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
  ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
  ...ex('DATA\r\n', '354 go\r\n'),
];

export const TABLE: Record<string, Row[]> = {
  'dot-stuffing': [
    {
      name: 'its own body, stuffed: the stored line starts with a dot',
      sessions: [dialogue({ body: ['Subject: x', '', 'my own words', '..and a dot'] })],
      messages: [stored('Subject: x\r\n\r\nmy own words\r\n.and a dot\r\n')],
      want: 'pass',
    },
    {
      name: 'MAIL_BODY, not stuffed: the line reached the server as ".x"',
      sessions: [dialogue({ body: ['Subject: x', '', '.this line starts with a dot'] })],
      messages: [stored('Subject: x\r\n\r\nthis line starts with a dot\r\n')],
      scenario: 'client: { body: ".this line starts with a dot" }\n',
      want: 'fail',
      says: 'was not doubled',
    },
    {
      name: 'no line starting with a dot: told to send MAIL_BODY',
      sessions: [dialogue({ body: ['Subject: x', '', 'plain words'] })],
      messages: [stored('Subject: x\r\n\r\nplain words\r\n')],
      scenario: 'client: { body: ".dots" }\n',
      want: 'fail',
      says: 'send MAIL_BODY as the body',
    },
    {
      name: 'a base64 body: its dot lines needed no stuffing',
      sessions: [dialogue({ body: ['Content-Transfer-Encoding: base64', '', 'LmRvdAo='] })],
      messages: [stored('Content-Transfer-Encoding: base64\r\n\r\nLmRvdAo=\r\n')],
      want: 'pass',
      says: 'transfer-encoded',
    },
    { name: 'no body sent', sessions: [[]], want: 'fail', says: 'no message body was sent' },
  ],
  'message-format': [
    {
      name: 'headers, blank line, body',
      sessions: [dialogue()],
      messages: [stored(`${HEADERS}hello\r\n`)],
      want: 'pass',
    },
    {
      name: "SUBJECT: with no blank line (the publisher's own solution)",
      sessions: [dialogue()],
      messages: [stored('SUBJECT: hi\r\nhello\r\n')],
      want: 'fail',
      says: 'no empty line',
    },
  ],
  'data-terminator': [
    { name: '<CRLF>.<CRLF>', sessions: [dialogue()], want: 'pass' },
    {
      name: '"\\n.\\n": the server still waits',
      sessions: [[...open354, c('hello\n.\n'), closed]],
      want: 'fail',
      says: 'a bare LF: the server is still waiting',
    },
    {
      name: 'never ended',
      sessions: [[...open354, c('hello\r\n'), closed]],
      want: 'fail',
      says: 'never ended',
    },
  ],
  'mime-structure': [
    { name: 'multipart with text and image', sessions: [dialogue()], messages: [stored(MIME)], want: 'pass' },
    {
      name: 'boundary never closed',
      sessions: [dialogue()],
      messages: [stored(MIME.replace('--b1--', ''))],
      want: 'fail',
      says: 'never closed',
    },
    {
      name: 'not multipart',
      sessions: [dialogue()],
      messages: [stored(`${HEADERS}hello\r\n`)],
      want: 'fail',
      says: 'not multipart',
    },
  ],
  'line-length': [
    { name: 'base64 at 76', sessions: [dialogue()], messages: [stored(MIME)], want: 'pass' },
    {
      name: 'a base64 line of 100 characters',
      sessions: [dialogue()],
      messages: [stored(MIME.replace('iVBORw0KGgo=', 'A'.repeat(100)))],
      want: 'fail',
      says: 'a base64 line of 100 characters',
    },
    {
      name: 'a body line over 998 octets on the wire',
      sessions: [dialogue({ body: ['Subject: x', '', 'x'.repeat(1200)] })],
      want: 'fail',
      says: '1200 octets',
    },
  ],
  'header-encoding': [
    {
      name: 'RFC 2047',
      sessions: [dialogue()],
      messages: [stored('Subject: =?UTF-8?B?5L2g5aW9?=\r\n\r\nx\r\n')],
      want: 'pass',
    },
    {
      name: 'raw UTF-8 in Subject',
      sessions: [dialogue()],
      messages: [stored('Subject: 你好\r\n\r\nx\r\n')],
      want: 'fail',
      says: 'raw 8-bit text',
    },
  ],
};
