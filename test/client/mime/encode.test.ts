import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import {
  encodeBase64Stream,
  encodeParameter,
  encodeQuotedPrintable,
  encodeWords,
  foldHeader,
  formatDate,
  unstructuredTokens,
} from '../../../src/client/mime/encode.js';
import { streamToBuffer } from '../../../src/client/mime/index.js';

/** Quoted-printable decoding, written plainly for the test (soft breaks, =XX). */
function decodeQp(text: string): string {
  const bytes: number[] = [];
  const flat = text.replace(/=\r\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=') {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(flat.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('quoted-printable', () => {
  const texts = [
    'plain',
    'a=b',
    `${'é'.repeat(100)}`,
    `${'x'.repeat(75)}=`,
    `${'x'.repeat(74)}é`,
    `${'y'.repeat(76)}`,
    `${'y'.repeat(77)}`,
    'trailing space \r\nand tab\t',
    `${'word '.repeat(40)}\r\n\r\n${'我'.repeat(30)}`,
  ];
  test.each(texts)('%#: lines within 76, no escape split, decodes back', (text) => {
    const encoded = encodeQuotedPrintable(text);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/=(?![0-9A-F]{2}|$)/);
      expect(line).not.toMatch(/[ \t]$/);
    }
    expect(decodeQp(encoded)).toBe(text);
  });
});

describe('base64 stream', () => {
  test('any chunking gives the same lines as encoding the whole', async () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 255));
    const whole = data
      .toString('base64')
      .match(/.{1,76}/g)!
      .join('\r\n');
    for (const size of [1, 2, 3, 56, 57, 58, 100, 4096, 5000]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      const out = await streamToBuffer(encodeBase64Stream(Readable.from(chunks)));
      expect(out.toString('latin1'), `chunks of ${size}`).toBe(whole);
    }
  });

  test('an empty file gives an empty body', async () => {
    expect((await streamToBuffer(encodeBase64Stream(Readable.from([])))).length).toBe(0);
  });
});

describe('encoded words', () => {
  const decodeWord = (word: string): string => {
    const [, mode, payload] = /^=\?UTF-8\?([BQ])\?(.*)\?=$/.exec(word)!;
    const bytes =
      mode === 'B'
        ? Buffer.from(payload!, 'base64')
        : Buffer.from(
            payload!
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return bytes.toString('utf8');
  };

  test.each(['🚀'.repeat(40), '我爱计算机网络'.repeat(10), 'Ünïcødé ümlaut '.repeat(10), '👩‍💻 e\u0301'])(
    'each word at most 75 and whole characters: %#',
    (text) => {
      const words = encodeWords(text);
      for (const word of words) {
        expect(word.length).toBeLessThanOrEqual(75);
        expect(decodeWord(word)).not.toContain('\ufffd');
      }
      expect(words.map(decodeWord).join('')).toBe(text);
    },
  );

  test('folding keeps header lines within 78 and words within 75', () => {
    const header = foldHeader('Subject', unstructuredTokens(`Re: ${'计算机网络 '.repeat(30)}end`), 'subject');
    for (const line of header.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(
      header
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
    expect(header.startsWith('Subject: Re: =?UTF-8?')).toBe(true);
  });

  test('plain ASCII stays readable and folds at spaces', () => {
    const header = foldHeader('Subject', unstructuredTokens('word '.repeat(30).trim()), 'subject');
    expect(header).not.toContain('=?');
    expect(header.replace(/\r\n/g, '')).toBe(`Subject: ${'word '.repeat(30).trim()}`);
  });
});

describe('parameters', () => {
  test('short ASCII: a quoted string, with quotes escaped', () => {
    expect(encodeParameter('filename', 'report "final".pdf')).toEqual(['filename="report \\"final\\".pdf"']);
  });

  test('non-ASCII: RFC 2231, continued when long, every piece within the line', () => {
    const name = '计算机网络实验报告'.repeat(4) + '.pdf';
    const pieces = encodeParameter('filename', name);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0]).toMatch(/^filename\*0\*=UTF-8''/);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(76);
    const joined = pieces.map((p) => p.replace(/^filename\*\d+\*=(UTF-8'')?/, '')).join('');
    expect(decodeURIComponent(joined)).toBe(name);
  });

  test('short non-ASCII: one extended parameter', () => {
    expect(encodeParameter('filename', '图.png')).toEqual(["filename*=UTF-8''%E5%9B%BE.png"]);
  });
});

test('dates are RFC 5322, in UTC', () => {
  expect(formatDate(new Date(Date.UTC(2025, 0, 5, 3, 4, 5)))).toBe('Sun, 05 Jan 2025 03:04:05 +0000');
  expect(formatDate(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe('Fri, 31 Dec 1999 23:59:59 +0000');
});
