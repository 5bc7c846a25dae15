import { describe, expect, test } from 'vitest';
import { sniffContentType } from '../../../src/client/mime/index.js';
import { makeJpeg, makePng } from './helpers.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('content types from the first octets', () => {
  const table: [string, Buffer, string, string][] = [
    ['PNG', makePng(2, 2), 'x.dat', 'image/png'],
    ['JPEG', makeJpeg(), 'x.png', 'image/jpeg'],
    ['GIF87a', bytes('GIF87a', [1, 0, 1, 0]), 'x', 'image/gif'],
    ['GIF89a', bytes('GIF89a', [1, 0, 1, 0]), 'x', 'image/gif'],
    ['WebP', bytes('RIFF', [26, 0, 0, 0], 'WEBPVP8 '), 'x', 'image/webp'],
    ['RIFF that is not WebP (WAV)', bytes('RIFF', [26, 0, 0, 0], 'WAVEfmt '), 'x.wav', 'audio/wav'],
    ['PDF', bytes('%PDF-1.7\n'), 'x', 'application/pdf'],
    ['BMP', bytes('BM', [70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0]), 'x', 'image/bmp'],
    ['"BM" text is not a BMP', bytes('BMW owners club\n'), 'notes.txt', 'text/plain'],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x', 'image/svg+xml'],
    [
      'SVG with declaration, comment and doctype',
      bytes(
        [0xef, 0xbb, 0xbf],
        '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg width="1">',
      ),
      'x',
      'image/svg+xml',
    ],
    ['HTML is not SVG', bytes('<!DOCTYPE html><html><svg></svg></html>'), 'page.html', 'text/html'],
    [
      'unknown octets, known extension',
      bytes('hello'),
      'report.DOCX',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['unknown octets, unknown extension', bytes([0, 1, 2, 3]), 'blob.xyz', 'application/octet-stream'],
    ['empty file, no extension', Buffer.alloc(0), 'empty', 'application/octet-stream'],
  ];
  test.each(table)('%s', (_, head, filename, type) => {
    expect(sniffContentType(head, filename)).toBe(type);
  });
});
