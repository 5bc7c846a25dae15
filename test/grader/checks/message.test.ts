import { describe, it } from 'vitest';
import { dialogue, expectRow, stored, type Row } from './helpers.js';

/** Message checks pinned by framed transcripts and stored messages. */

const HEADERS = 'From: <a@b.c>\r\nTo: <d@e.f>\r\nSubject: hi\r\n\r\n';

const TABLE: Record<string, Row[]> = {
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
  'data-terminator': [{ name: '<CRLF>.<CRLF>', sessions: [dialogue()], want: 'pass' }],
};

describe('message checks: framed transcript and stored message -> verdict', () => {
  for (const [id, rows] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const row of rows) it(row.name, () => expectRow(id as Parameters<typeof expectRow>[0], row));
    });
  }
});
