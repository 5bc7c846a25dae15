import { describe, expect, it } from 'vitest';
import { formatReply, type Reply } from '../../src/protocol/reply.js';
import type { OutgoingReply } from '../../src/server/faults.js';
import { personaReply, personaText } from '../../src/server/personas.js';
import type { Persona } from '../../src/scenarios/types.js';

/**
 * Personas (src/server/personas.ts) as a table: the backend's reply in, the bytes the client sees
 * out, compared as strings. No server: test/scenarios/personas.test.ts drives them over sockets.
 */

function reply(code: number, lines: string[]): Reply {
  return { code, enhanced: undefined, lines, raw: formatReply(code, lines) };
}

const ID = 'a1b2c3d4e5f6-20020a05600c1234sm1234567wmq.0';
const EHLO = reply(250, [
  'lab.test Nice to meet you',
  'PIPELINING',
  '8BITMIME',
  'STARTTLS',
  'AUTH PLAIN LOGIN',
]);

describe('personaReply', () => {
  const rows: Array<{
    name: string;
    persona: Persona;
    in: Reply;
    ctx: OutgoingReply;
    hide?: string[];
    out: string;
  }> = [
    {
      name: 'default: the backend reply unchanged',
      persona: 'default',
      in: reply(250, ['Accepted']),
      ctx: { verb: 'MAIL', n: 2, code: 250 },
      out: '250 Accepted\r\n',
    },
    {
      name: 'default hiding STARTTLS: the keyword is gone, the rest kept',
      persona: 'default',
      in: EHLO,
      ctx: { verb: 'EHLO', n: 1, code: 250 },
      hide: ['starttls'],
      out: '250-lab.test Nice to meet you\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n',
    },
    {
      name: 'qq greeting',
      persona: 'qq',
      in: reply(220, ['lab.test ESMTP']),
      ctx: { verb: 'GREETING', n: 0, code: 220 },
      out: '220 newxmesmtplogicsvrsza9.qq.com XMail Esmtp QQ Mail Server.\r\n',
    },
    {
      name: 'qq EHLO: its name, the backend keywords',
      persona: 'qq',
      in: EHLO,
      ctx: { verb: 'EHLO', n: 1, code: 250 },
      out: '250-newxmesmtplogicsvrsza9.qq.com-127.0.0.1-12345678\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n',
    },
    {
      name: 'HELO gets the name only',
      persona: 'gmail',
      in: EHLO,
      ctx: { verb: 'HELO', n: 1, code: 250 },
      out: '250 smtp.gmail.com at your service, [127.0.0.1]\r\n',
    },
    {
      name: 'gmail turns 538 to AUTH before TLS into 530',
      persona: 'gmail',
      in: reply(538, ['Error: Must issue a STARTTLS command first']),
      ctx: { verb: 'AUTH', n: 2, code: 538 },
      out: `530 5.7.0 Must issue a STARTTLS command first. ${ID} - gsmtp\r\n`,
    },
    {
      name: 'gmail 530 to MAIL inside TLS about AUTH: the two-line text',
      persona: 'gmail',
      in: reply(530, ['Error: authentication Required']),
      ctx: { verb: 'MAIL', n: 3, code: 530, tls: true },
      out: `530-5.7.0 Authentication Required. For more information, go to\r\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError ${ID} - gsmtp\r\n`,
    },
    {
      name: 'a reply the persona has no words for: unchanged',
      persona: 'qq',
      in: reply(452, ['Insufficient storage']),
      ctx: { verb: 'RCPT', n: 3, code: 452 },
      out: '452 Insufficient storage\r\n',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(personaReply(row.persona, row.in, row.ctx, row.hide).toString('utf8')).toBe(row.out);
    });
  }
});

describe('personaText', () => {
  it('the words for a refusal the lab makes itself, or none', () => {
    expect(personaText('default', '.', 550)).toBeUndefined();
    expect(personaText('qq', 'QUIT', 221)).toBe('Bye.');
    expect(personaText('qq', 'NOOP', 250)).toBeUndefined();
  });
});
