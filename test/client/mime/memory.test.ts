import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildMessage } from '../../../src/client/mime/index.js';
import { tempDir, type TempDir } from './helpers.js';

const SIZE = 25 * 1024 * 1024;
const MiB = 1024 * 1024;

let dir: TempDir;
let path: string;
let fileHash: string;

beforeAll(async () => {
  dir = await tempDir();
  path = `${dir.path}/big.bin`;
  // Written 64 KiB at a time so making the file does not raise the baseline the test measures from.
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  for (let written = 0; written < SIZE; written += 64 * 1024) {
    const chunk = randomBytes(64 * 1024);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fileHash = hash.digest('hex');
});
afterAll(() => dir.remove());

test('a 25 MB attachment streams: memory stays flat and the decoded bytes are the file', async () => {
  const message = await buildMessage({
    from: 'a@example.com',
    to: ['b@example.com'],
    subject: 'big',
    text: 'see attachment',
    attachments: [path],
    boundary: 'big',
    date: new Date(0),
    messageId: 'big@example.com',
  });

  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakArrayBuffers = before.arrayBuffers;

  // Decode the attachment from the stream as it passes, line by line, to check it honestly
  // without keeping the message.
  const decoded = createHash('sha256');
  let pending = '';
  let state: 'headers' | 'attachment-headers' | 'attachment' | 'after' = 'headers';
  let longest = 0;
  let total = 0;
  let chunks = 0;
  for await (const chunk of message.stream()) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    chunks++;
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers);
    const lines = (pending + buffer.toString('latin1')).split('\r\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      longest = Math.max(longest, line.length);
      if (state === 'headers' && line.startsWith('Content-Disposition: attachment'))
        state = 'attachment-headers';
      else if (state === 'attachment-headers' && line === '') state = 'attachment';
      else if (state === 'attachment') {
        if (line.startsWith('--=_big_0')) state = 'after';
        else decoded.update(Buffer.from(line, 'base64'));
      }
    }
  }
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  peakArrayBuffers = Math.max(peakArrayBuffers, after.arrayBuffers);

  const rssGrowth = (peakRss - before.rss) / MiB;
  const arrayBuffersGrowth = (peakArrayBuffers - before.arrayBuffers) / MiB;
  console.log(
    `25 MiB attachment, ${(total / MiB).toFixed(1)} MiB message in ${chunks} chunks: ` +
      `peak RSS growth ${rssGrowth.toFixed(1)} MiB, peak arrayBuffers growth ${arrayBuffersGrowth.toFixed(1)} MiB`,
  );

  expect(state).toBe('after');
  expect(pending).toBe('');
  expect(decoded.digest('hex')).toBe(fileHash);
  expect(longest).toBeLessThanOrEqual(76);
  expect(total).toBeGreaterThan((SIZE * 4) / 3);
  // Held whole, the file (25 MiB) plus its base64 (34 MiB) would already pass 60 MiB.
  expect(rssGrowth).toBeLessThan(60);
  expect(arrayBuffersGrowth).toBeLessThan(20);

  // The control: the same measurement sees a message collected whole (runs last, as RSS rarely
  // shrinks). If this failed, the numbers above would prove nothing.
  const beforeWhole = process.memoryUsage();
  const whole = await message.toBuffer();
  const wholeGrowth = (process.memoryUsage().arrayBuffers - beforeWhole.arrayBuffers) / MiB;
  console.log(`control: toBuffer() of the same message grows arrayBuffers by ${wholeGrowth.toFixed(1)} MiB`);
  expect(whole.length).toBe(total);
  expect(wholeGrowth).toBeGreaterThan(30);
});
