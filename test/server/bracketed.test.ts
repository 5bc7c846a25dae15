import { describe, expect, it } from 'vitest';
import { bracketed } from '../../src/server/connection.js';

/**
 * What the proxy hands smtp-server for a MAIL or RCPT line: the brackets an address lacks added,
 * as Postfix accepts it; everything else byte for byte (the transcript keeps the client's line).
 */
describe('bracketed', () => {
  const cases: Array<[string, string]> = [
    ['MAIL FROM: alice@x.org\r\n', 'MAIL FROM:<alice@x.org>\r\n'],
    ['mail from:alice@x.org\n', 'mail from:<alice@x.org>\n'],
    ['RCPT TO: bob@y.org NOTIFY=NEVER\r\n', 'RCPT TO:<bob@y.org> NOTIFY=NEVER\r\n'],
    ['MAIL FROM:<alice@x.org>\r\n', 'MAIL FROM:<alice@x.org>\r\n'],
    ['MAIL FROM: <alice@x.org>\r\n', 'MAIL FROM: <alice@x.org>\r\n'],
    ['MAIL FROM: alice\r\n', 'MAIL FROM: alice\r\n'],
    ['MAIL FROM: a@b c@d\r\n', 'MAIL FROM: a@b c@d\r\n'],
  ];
  for (const [line, backend] of cases) {
    it(JSON.stringify(line), () => expect(bracketed(Buffer.from(line)).toString()).toBe(backend));
  }
});
