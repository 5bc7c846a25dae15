import { describe, expect, it } from 'vitest';
import type { TranscriptEvent, WireEvent } from '../../src/transcript/events.js';
import {
  BODY_HEAD_LINES,
  MAX_ITEMS,
  MAX_KEPT_LINE,
  SessionFramer,
  type Framed,
  type MessageBody,
} from '../../src/transcript/framer.js';
import { everyByte, randomCuts, rechunk } from './helpers.js';

/**
 * The framer's memory is bounded whatever the client sends: a message body is one
 * summary item, not an item per line; a session keeps at most MAX_ITEMS items; and the body
 * bytes it hands on for forwarding are exactly the bytes sent, whatever the chunking.
 */

let t = 0;
const wire = (dir: 'c2s' | 's2c', data: string | Buffer): WireEvent => ({
  type: 'wire',
  t: ++t,
  dir,
  tls: false,
  data: typeof data === 'string' ? Buffer.from(data, 'latin1') : data,
});

function run(events: readonly TranscriptEvent[]): { framer: SessionFramer; out: Framed[] } {
  const framer = new SessionFramer();
  const out: Framed[] = [];
  for (const event of events) out.push(...framer.push(event));
  out.push(...framer.finish());
  return { framer, out };
}

const opening = [wire('s2c', '220 hi\r\n'), wire('c2s', 'DATA\r\n'), wire('s2c', '354 go\r\n')];

describe('a message body is one bounded summary item', () => {
  it('two million empty lines (4 MB) are one item that counts them, keeping only the first lines', () => {
    const lines = 2_000_000;
    const chunk = Buffer.from('\r\n'.repeat(32 * 1024));
    const events = [...opening];
    for (let sent = 0; sent < lines; sent += 32 * 1024) {
      events.push(wire('c2s', chunk.subarray(0, Math.min(32 * 1024, lines - sent) * 2)));
    }
    events.push(wire('c2s', '.\r\n'), wire('s2c', '250 ok\r\n'));
    const { framer } = run(events);
    // Old framing: an item per line, two million of them.
    expect(framer.items.length).toBeLessThan(10);
    const body = framer.items.find((i): i is MessageBody => i.kind === 'body')!;
    expect(body).toMatchObject({ lines, bytes: lines * 2, ended: true, longest: 2 });
    expect(body.head.length).toBe(BODY_HEAD_LINES);
    expect(body.notKept).toBe(lines - BODY_HEAD_LINES);
    expect(body.bareLf.count + body.long.count + body.dotStart.count).toBe(0);
    expect(framer.items.at(-1)).toMatchObject({ kind: 'reply', answers: framer.items.indexOf(body) + 1 });
  });

  it('counts every flagged line and keeps three samples of each, with their line numbers', () => {
    const long = 'x'.repeat(5000);
    const text = Array.from({ length: 3000 }, (_, i) =>
      i % 100 === 7 ? 'bare\n' : i % 100 === 9 ? `${long}\r\n` : i % 100 === 11 ? '.dot\r\n' : 'ok\r\n',
    ).join('');
    const { framer } = run([...opening, wire('c2s', text + '.\r\n')]);
    const body = framer.items.find((i): i is MessageBody => i.kind === 'body')!;
    expect(body.bareLf.count).toBe(30);
    expect(body.bareLf.samples.map((l) => l.n)).toEqual([8, 108, 208]);
    expect(body.long.count).toBe(30);
    expect(body.long.samples[0]).toMatchObject({ n: 10, length: 5002, ending: 'crlf' });
    expect(Buffer.byteLength(body.long.samples[0]!.text)).toBeLessThanOrEqual(MAX_KEPT_LINE);
    expect(body.dotStart.count).toBe(30);
    expect(body.dotStart.samples[0]).toMatchObject({ n: 12, text: '.dot' });
  });

  it('an endless body without LF is counted, not kept: the session end finishes it', () => {
    const piece = Buffer.alloc(64 * 1024, 0x41);
    const events = [...opening];
    for (let i = 0; i < 64; i++) events.push(wire('c2s', piece));
    const { framer } = run(events);
    const body = framer.items.find((i): i is MessageBody => i.kind === 'body')!;
    expect(body).toMatchObject({ lines: 1, bytes: 64 * piece.length, ended: false });
    expect(body.unfinished).toMatchObject({ n: 1, ending: 'none', length: 64 * piece.length });
    expect(body.unfinished!.text.length).toBe(MAX_KEPT_LINE);
  });
});

describe('body bytes are handed on exactly, whatever the chunking', () => {
  const body =
    'Subject: x\r\n\r\n..stuffed\r\n.\n.\r\nafter a bare LF the dot above is body\r\n.\r' +
    '\r\nx\r\n.\r\r\n.x\r\n\r\n';
  const session = [...opening, wire('c2s', body + '.\r\nQUIT\r\n'), wire('s2c', '250 queued\r\n221 bye\r\n')];
  const chunkings: Array<[string, (e: WireEvent) => number[]]> = [
    ['whole', () => []],
    ['every byte', everyByte],
    ...[1, 2, 3, 4, 5, 6, 7].map((seed): [string, (e: WireEvent) => number[]] => [
      `random ${seed}`,
      randomCuts(seed),
    ]),
  ];
  it.each(chunkings)('%s', (_name, cuts) => {
    const { framer, out } = run(rechunk(session, cuts));
    const forwarded = Buffer.concat(out.flatMap((f) => (f.kind === 'body-bytes' ? [f.raw] : []))).toString(
      'latin1',
    );
    expect(forwarded).toBe(body);
    const lines = framer.items.filter((i) => i.kind === 'line');
    expect(lines.map((l) => l.kind === 'line' && [l.text, Boolean(l.dataEnd)])).toEqual([
      ['DATA', false],
      ['.', true],
      ['QUIT', false],
    ]);
    const summary = framer.items.find((i): i is MessageBody => i.kind === 'body')!;
    expect(summary.bytes).toBe(body.length);
    expect(summary.loneDot.count).toBe(4);
    expect(summary.loneDot.samples.map((l) => l.n)).toEqual([4, 5, 7]);
    expect(summary.bareCr.samples.map((l) => l.n)).toEqual([7, 9]);
  });
});

describe('lines read in place count as lines that span chunks', () => {
  // The in-place scan finds LF and CR with a short byte loop before Buffer.indexOf: lines shorter
  // and longer than that loop, with a CR at every place, must count as the per-byte path does.
  const lines: string[] = [];
  for (let length = 0; length <= 80; length++) {
    lines.push('a'.repeat(length) + '\r\n', 'b'.repeat(length) + '\n');
    for (let cr = 0; cr < length; cr += 7)
      lines.push('c'.repeat(cr) + '\r' + 'c'.repeat(length - cr) + '\r\n');
  }
  const text = lines.join('');
  const summary = (cuts: (e: WireEvent) => number[]) => {
    const { framer } = run(rechunk([...opening, wire('c2s', text + '.\r\n')], cuts));
    const body = framer.items.find((i): i is MessageBody => i.kind === 'body')!;
    return [body.lines, body.bytes, body.longest, body.bareCr.count, body.bareLf.count, body.ended];
  };
  it('whole and byte by byte give the same counts', () => {
    const whole = summary(() => []);
    expect(whole).toEqual(summary(everyByte));
    expect(whole[0]).toBe(lines.length);
    expect(whole[3]).toBe(lines.filter((l) => l.includes('\r') && l.indexOf('\r') < l.length - 2).length);
    expect(whole[4]).toBe(81);
  });
});

describe('a session keeps at most MAX_ITEMS items', () => {
  it('NOOPs past the limit are returned by push (live view, proxy) but not kept', () => {
    const framer = new SessionFramer();
    framer.push(wire('s2c', '220 hi\r\n'));
    let returned = 0;
    const noops = Buffer.from('NOOP\r\n'.repeat(1000));
    const oks = Buffer.from('250 ok\r\n'.repeat(1000));
    for (let i = 0; i < 8; i++) {
      returned += framer.push(wire('c2s', noops)).length;
      returned += framer.push(wire('s2c', oks)).length;
    }
    expect(returned).toBe(16_000);
    expect(framer.count).toBe(16_001);
    expect(framer.items.length).toBe(MAX_ITEMS + 1);
    expect(framer.items.at(-1)).toMatchObject({ kind: 'note', level: 'error' });
    expect(framer.dropped).toBe(16_001 - MAX_ITEMS);
  });

  it('knows which events carried server bytes without keeping the events', () => {
    const { framer } = run([
      wire('s2c', '220 hi\r\n'),
      wire('c2s', 'EHLO x\r\n'),
      wire('s2c', '250-a\r\n'),
      wire('s2c', '250 b\r\n'),
      wire('c2s', 'QUIT\r\n'),
    ]);
    expect(framer.events).toBe(5);
    expect(framer.serverSentBetween(-1, 1)).toBe(true);
    expect(framer.serverSentBetween(0, 1)).toBe(false);
    expect(framer.serverSentBetween(1, 4)).toBe(true);
    expect(framer.serverSentBetween(3, 4)).toBe(false);
    expect(framer.serverSentBetween(4, 5)).toBe(false);
  });
});
