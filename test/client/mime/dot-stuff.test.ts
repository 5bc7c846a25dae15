import { seededRandom } from '../../../src/server/faults.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import { buildMessage, streamToBuffer, createDotStuffer } from '../../../src/client/mime/index.js';

/** Runs the chunks through a fresh stuffer, one write per chunk, and returns the output as text. */
async function stuff(chunks: (string | Buffer)[]): Promise<string> {
  const stuffer = createDotStuffer();
  const out = streamToBuffer(stuffer);
  await pipeline(
    Readable.from(
      chunks.map((c) => Buffer.from(c)),
      { objectMode: true },
    ),
    stuffer,
  );
  return (await out).toString('latin1');
}

/** What the stuffer must produce, written the obvious way on the whole input at once. */
function reference(input: string): string {
  if (input === '') return '';
  let out = input.replace(/\r\n|\r|\n/g, '\r\n').replace(/(^|\r\n)\./g, '$1..');
  if (!out.endsWith('\r\n')) out += '\r\n';
  return out;
}

/** The fault engine's seeded generator, so the random cases replay the same way every run. */
const prng = seededRandom;

describe('DotStuffer', () => {
  const table: [string, string[], string][] = [
    ['leaves CRLF text alone', ['a\r\nb\r\n'], 'a\r\nb\r\n'],
    ['stuffs a dot that starts the message', ['.hidden\r\n'], '..hidden\r\n'],
    ['stuffs a line that is a lone dot', ['a\r\n.\r\nb\r\n'], 'a\r\n..\r\nb\r\n'],
    ['leaves a dot inside a line', ['a.b .c\r\n'], 'a.b .c\r\n'],
    ['turns bare LF into CRLF', ['a\nb\n'], 'a\r\nb\r\n'],
    ['turns bare CR into CRLF', ['a\rb\r'], 'a\r\nb\r\n'],
    ['LF CR is two line breaks', ['a\n\rb'], 'a\r\n\r\nb\r\n'],
    ['ends the output with CRLF', ['no newline'], 'no newline\r\n'],
    ['empty input gives nothing', [], ''],
    ['empty chunks change nothing', ['', 'a', '', '\r\n', ''], 'a\r\n'],
    ['a dot after a bare LF', ['x\n.y'], 'x\r\n..y\r\n'],
    ['a dot after a bare CR', ['x\r.y'], 'x\r\n..y\r\n'],
    // Chunk boundaries
    [
      'a dot at the start of a chunk after a CRLF that ended the previous one',
      ['abc\r\n', '.def\r\n'],
      'abc\r\n..def\r\n',
    ],
    ['CR at the end of a chunk, LF at the start of the next: one CRLF', ['abc\r', '\ndef'], 'abc\r\ndef\r\n'],
    ['CR at the end of a chunk, dot at the start of the next', ['abc\r', '.def'], 'abc\r\n..def\r\n'],
    ['CR, LF and dot in three chunks', ['abc\r', '\n', '.'], 'abc\r\n..\r\n'],
    ['CR ending the input', ['abc\r'], 'abc\r\n'],
    ['CR then CRLF across chunks', ['abc\r', '\r\n'], 'abc\r\n\r\n'],
    ['one octet per chunk', Array.from('a\r\n.\r\n.b\nc'), 'a\r\n..\r\n..b\r\nc\r\n'],
  ];
  test.each(table)('%s', async (_, chunks, expected) => {
    expect(await stuff(chunks)).toBe(expected);
  });

  test('any split of any mix of dots and line breaks gives the same bytes as the whole (200 seeded cases)', async () => {
    const random = prng(20250304);
    const alphabet = ['.', '.', '\r', '\n', '\r\n', 'a', 'b', ' '];
    for (let n = 0; n < 200; n++) {
      let input = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) input += alphabet[Math.floor(random() * alphabet.length)];
      const chunks: string[] = [];
      for (let at = 0; at < input.length;) {
        const size = Math.floor(random() * 5);
        chunks.push(input.slice(at, at + size));
        at += size;
      }
      expect(await stuff(chunks), JSON.stringify(chunks)).toBe(reference(input));
    }
  });

  test('a built message piped through it: only dots at line starts change', async () => {
    const message = await buildMessage({
      from: 'a@example.com',
      to: ['b@example.com'],
      subject: 'dots',
      text: '.\n..\nline\n. leading dot\n',
      date: new Date(0),
      messageId: 'x@example.com',
    });
    const raw = (await message.toBuffer()).toString('latin1');
    const stuffed = (await streamToBuffer(message.stream().pipe(createDotStuffer()))).toString('latin1');
    expect(stuffed).toBe(raw.replace(/(^|\r\n)\./g, '$1..'));
    expect(stuffed).toContain('\r\n..\r\n...\r\nline\r\n.. leading dot\r\n');
    expect(stuffed.endsWith('\r\n')).toBe(true);
  });
});
