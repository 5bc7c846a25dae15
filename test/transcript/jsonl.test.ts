import { describe, expect, it } from 'vitest';
import { Transcript, type SessionMeta, type TranscriptEvent } from '../../src/transcript/events.js';
import { eventToJson, fromJsonl, toJsonl } from '../../src/transcript/jsonl.js';

const META = {
  id: 'sess-1',
  startedAt: '2026-01-01T00:00:00.000Z',
  peer: '127.0.0.1:50123',
  localPort: 2525,
  implicitTls: false,
};

function transcriptWith(events: TranscriptEvent[], meta: SessionMeta = META): Transcript {
  const transcript = new Transcript(meta, 0);
  transcript.events.push(...events);
  return transcript;
}

const wire = (t: number, dir: 'c2s' | 's2c', tls: boolean, data: Buffer): TranscriptEvent => ({
  type: 'wire',
  t,
  dir,
  tls,
  data,
});

const BINARY = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x0d, 0x0a, 0x1b, 0x5b]);

describe('eventToJson chooses text or b64', () => {
  it.each([
    { name: 'ASCII with CRLF', data: Buffer.from('EHLO x\r\n'), form: 'text' },
    { name: 'TAB, bare CR and bare LF', data: Buffer.from('a\tb\rc\n'), form: 'text' },
    { name: 'UTF-8', data: Buffer.from('Subject: Grüße 例え\r\n', 'utf8'), form: 'text' },
    { name: 'empty', data: Buffer.alloc(0), form: 'text' },
    { name: 'NUL', data: Buffer.from('a\0b'), form: 'b64' },
    { name: 'ESC', data: Buffer.from('\x1b[31m'), form: 'b64' },
    { name: 'DEL', data: Buffer.from('a\x7f'), form: 'b64' },
    { name: 'invalid UTF-8', data: Buffer.from([0x41, 0xff, 0x42]), form: 'b64' },
    { name: 'a UTF-8 sequence cut short', data: Buffer.from('é', 'utf8').subarray(0, 1), form: 'b64' },
    { name: 'a real U+FFFD', data: Buffer.from('\ufffd', 'utf8'), form: 'b64' },
    { name: 'a TLS record', data: Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]), form: 'b64' },
  ])('$name -> $form', ({ data, form }) => {
    const json = eventToJson(wire(1, 'c2s', false, data));
    if (form === 'text') {
      expect(json).toEqual({ type: 'wire', t: 1, dir: 'c2s', tls: false, text: data.toString('utf8') });
    } else {
      expect(json).toEqual({ type: 'wire', t: 1, dir: 'c2s', tls: false, b64: data.toString('base64') });
    }
  });
});

describe('toJsonl / fromJsonl', () => {
  const events: TranscriptEvent[] = [
    { type: 'note', t: 0, level: 'info', text: 'connected from 127.0.0.1' },
    wire(0.5, 's2c', false, Buffer.from('220 mail.example ESMTP\r\n')),
    wire(1.25, 'c2s', false, Buffer.from('EHLO a\nMAIL FROM:<jörg@example.org>\r')),
    wire(2, 'c2s', false, BINARY),
    wire(3.125, 'c2s', true, Buffer.from('Subject: Grüße\r\n\r\n\u2028line\r\n.\r\n', 'utf8')),
    wire(4, 's2c', true, Buffer.alloc(0)),
    { type: 'note', t: 5, level: 'error', text: 'TLS "handshake" failed\nsecond line' },
  ];

  it('writes a session line, then one line per event, each ending in LF', () => {
    const text = toJsonl(transcriptWith(events));
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(events.length + 2);
    expect(JSON.parse(lines[0]!)).toEqual({ type: 'session', ...META });
    expect(JSON.parse(lines[1]!)).toEqual({
      type: 'note',
      t: 0,
      level: 'info',
      text: 'connected from 127.0.0.1',
    });
    expect(JSON.parse(lines[2]!)).toEqual({
      type: 'wire',
      t: 0.5,
      dir: 's2c',
      tls: false,
      text: '220 mail.example ESMTP\r\n',
    });
    expect(JSON.parse(lines[4]!)).toEqual({
      type: 'wire',
      t: 2,
      dir: 'c2s',
      tls: false,
      b64: 'AAF/gP/+DQobWw==',
    });
  });

  it("keeps a note's typed kind (code reads the kind, never the text) and refuses an unknown one", () => {
    const noted: TranscriptEvent[] = [
      { type: 'note', t: 1, level: 'info', text: 'TLS started: TLSv1.3', kind: 'tls-started' },
      { type: 'note', t: 2, level: 'info', text: 'reworded, still a close', kind: 'client-closed' },
      { type: 'note', t: 3, level: 'info', text: 'no kind: written before kinds existed' },
    ];
    const text = toJsonl(transcriptWith(noted));
    expect(JSON.parse(text.split('\n')[1]!)).toMatchObject({ kind: 'tls-started' });
    expect(fromJsonl(text, 'x.jsonl').events).toEqual(noted);
    const bad = text.replace('"client-closed"', '"client-went-away"');
    expect(() => fromJsonl(bad, 'x.jsonl')).toThrow(/x\.jsonl:3: kind must be one of/);
  });

  it('round-trips text and binary events byte for byte', () => {
    const back = fromJsonl(toJsonl(transcriptWith(events)), 'x.jsonl');
    expect(back.meta).toEqual(META);
    expect(back.events).toHaveLength(events.length);
    back.events.forEach((event, i) => {
      const want = events[i]!;
      expect(event.type).toBe(want.type);
      expect(event.t).toBe(want.t);
      if (event.type === 'wire' && want.type === 'wire') {
        expect([event.dir, event.tls]).toEqual([want.dir, want.tls]);
        expect(Buffer.isBuffer(event.data)).toBe(true);
        expect(event.data.toString('latin1')).toBe(want.data.toString('latin1'));
      } else {
        expect(event).toEqual(want);
      }
    });
    expect(back.bytes('c2s').toString('latin1')).toBe(
      Buffer.concat([events[2], events[3], events[4]].map((e) => (e as { data: Buffer }).data)).toString(
        'latin1',
      ),
    );
  });

  it('round-trips every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const back = fromJsonl(toJsonl(transcriptWith([wire(1, 'c2s', false, all)])));
    const event = back.events[0]!;
    expect(event.type).toBe('wire');
    // Hex: every byte value visible in a failure's diff, the control bytes too.
    expect(event.type === 'wire' && event.data.toString('hex')).toBe(all.toString('hex'));
  });

  it('round-trips a minimal session (only id and startedAt) with no events', () => {
    const meta = { id: 'm', startedAt: '2026-02-02T00:00:00Z' };
    const text = toJsonl(transcriptWith([], meta));
    expect(text).toBe('{"type":"session","id":"m","startedAt":"2026-02-02T00:00:00Z"}\n');
    const back = fromJsonl(text);
    expect(back.meta).toEqual(meta);
    expect(back.events).toEqual([]);
  });

  it('reads CRLF files and skips blank lines; a missing tls means false', () => {
    const text = [
      '{"type":"session","id":"a","startedAt":"2026-01-01T00:00:00Z"}',
      '',
      '{"type":"wire","t":1,"dir":"c2s","text":"QUIT\\r\\n"}',
      '   ',
      '',
    ].join('\r\n');
    const back = fromJsonl(text);
    expect(back.events).toHaveLength(1);
    const event = back.events[0]!;
    expect(event.type === 'wire' && [event.tls, event.data.toString('latin1')]).toEqual([false, 'QUIT\r\n']);
  });
});

describe('fromJsonl errors name the source and the line', () => {
  const session = '{"type":"session","id":"a","startedAt":"2026-01-01T00:00:00Z"}';
  it.each([
    {
      lines: [session, '{"type":"wire","t":1,"dir":"c2s","text":"x"', ''],
      error: /^run\/t\.jsonl:2: not JSON \(/,
    },
    {
      lines: [session, '', '{"type":"wire","t":1,"dir":"up","text":"x"}'],
      error: 'run/t.jsonl:3: dir must be c2s or s2c',
    },
    {
      lines: [session, '{"type":"wire","t":1,"dir":"c2s"}'],
      error: 'run/t.jsonl:2: a wire event needs text or b64',
    },
    {
      lines: [session, '{"type":"wire","t":1,"dir":"c2s","b64":"@@@@"}'],
      error: 'run/t.jsonl:2: b64 is not base64',
    },
    {
      lines: [
        session,
        '{"type":"wire","t":1,"dir":"c2s","b64":"QUJD"}',
        '{"type":"wire","t":1,"dir":"c2s","b64":"QU JD"}',
      ],
      error: 'run/t.jsonl:3: b64 is not base64',
    },
    {
      lines: [session, '{"type":"wire","t":1,"dir":"c2s","text":42}'],
      error: 'run/t.jsonl:2: text must be a string',
    },
    {
      lines: [session, '{"type":"wire","dir":"c2s","text":"x"}'],
      error: 'run/t.jsonl:2: t must be a number',
    },
    {
      lines: [session, '{"type":"note","t":"1","level":"info","text":"x"}'],
      error: 'run/t.jsonl:2: t must be a number',
    },
    {
      lines: [session, '{"type":"note","t":1,"level":"warn","text":"x"}'],
      error: 'run/t.jsonl:2: level must be info or error',
    },
    { lines: [session, '{"type":"note","t":1,"level":"info"}'], error: 'run/t.jsonl:2: a note needs text' },
    { lines: [session, '{"type":"tls","t":1}'], error: 'run/t.jsonl:2: unknown type "tls"' },
    { lines: [session, '{"t":1}'], error: 'run/t.jsonl:2: unknown type undefined' },
    { lines: [session, 'null'], error: 'run/t.jsonl:2: expected a JSON object' },
    { lines: [session, '[1,2]'], error: 'run/t.jsonl:2: expected a JSON object' },
    { lines: [session, '"wire"'], error: 'run/t.jsonl:2: expected a JSON object' },
    { lines: ['{"type":"session","id":"a"}'], error: 'run/t.jsonl:1: a session line needs id and startedAt' },
    { lines: ['{"type":"wire","t":1,"dir":"c2s","text":"x"}'], error: 'run/t.jsonl: no session line' },
    { lines: [''], error: 'run/t.jsonl: no session line' },
  ])('$error', ({ lines, error }) => {
    expect(() => fromJsonl(lines.join('\n'), 'run/t.jsonl')).toThrow(error);
  });

  it('defaults the source name to "transcript"', () => {
    expect(() => fromJsonl('x')).toThrow(/^transcript:1: not JSON/);
  });
});
