import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid RGB PNG of the given size, coloured by a simple pattern (so files differ by size). */
export function makePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 7) & 255, (y * 13) & 255, (x ^ y) & 255], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A valid 1x1 grey baseline JPEG: one quantisation table, one-code DC and AC Huffman tables, and
 * a scan of two bits (DC difference 0, end of block) padded with ones.
 */
export function makeJpeg(): Buffer {
  const huffman = (tableClass: number): number[] => [
    0xff,
    0xc4,
    0x00,
    0x14,
    tableClass,
    1,
    ...Array(15).fill(0),
    0,
  ];
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xdb,
    0x00,
    0x43,
    0x00,
    ...Array(64).fill(1),
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    0x00,
    0x01,
    0x00,
    0x01,
    0x01,
    0x01,
    0x11,
    0x00,
    ...huffman(0x00),
    ...huffman(0x10),
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x00,
    0x3f,
    0x00,
    0x3f,
    0xff,
    0xd9,
  ]);
}

export interface TempDir {
  path: string;
  write(name: string, data: Buffer | string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'smtp-lab-mime-'));
  return {
    path,
    async write(name, data) {
      const file = join(path, name);
      await writeFile(file, data);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Problems with the raw lines of a message: a line not ending in CRLF or longer than 998 octets. */
export function lineProblems(raw: Buffer): string[] {
  const problems: string[] = [];
  let start = 0;
  let n = 0;
  while (start < raw.length) {
    n++;
    const lf = raw.indexOf(0x0a, start);
    const end = lf === -1 ? raw.length : lf + 1;
    const line = raw.subarray(start, end);
    if (lf === -1) problems.push(`line ${n} does not end with a line break`);
    else if (line[line.length - 2] !== 0x0d) problems.push(`line ${n} ends with a bare LF`);
    const cr = line.indexOf(0x0d);
    if (cr !== -1 && cr !== line.length - 2) problems.push(`line ${n} has a bare CR`);
    if (line.length - 2 > 998) problems.push(`line ${n} is ${line.length - 2} octets long`);
    start = end;
  }
  return problems;
}

/** The raw lines of a message as strings, without their CRLF. */
export function rawLines(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  return (text.endsWith('\r\n') ? text.slice(0, -2) : text).split('\r\n');
}
