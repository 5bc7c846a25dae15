import { describe, expect, it } from 'vitest';
import { LiveTranscript } from '../../src/client/live.js';
import { Transcript } from '../../src/transcript/events.js';
import { renderTranscript } from '../../src/transcript/render.js';

/** The live view shows the first body lines, counts the rest, and still frames what follows. */

function session(bodyChunks: string[]): Transcript {
  const transcript = new Transcript({ id: 'live', startedAt: new Date(0).toISOString() });
  const s2c = (text: string) => transcript.wire('s2c', false, Buffer.from(text));
  const c2s = (text: string) => transcript.wire('c2s', false, Buffer.from(text));
  s2c('220 t\r\n');
  c2s('EHLO c\r\n');
  s2c('250 t\r\n');
  c2s('MAIL FROM:<a@b.c>\r\n');
  s2c('250 ok\r\n');
  c2s('RCPT TO:<d@e.f>\r\n');
  s2c('250 ok\r\n');
  c2s('DATA\r\n');
  s2c('354 go\r\n');
  for (const chunk of bodyChunks) c2s(chunk);
  c2s('.\r\n');
  s2c('250 queued\r\n');
  c2s('QUIT\r\n');
  s2c('221 bye\r\n');
  return transcript;
}

function live(transcript: Transcript, bodyLines: number): string[] {
  const lines: string[] = [];
  const view = new LiveTranscript((line) => lines.push(line), { bodyLines });
  for (const event of transcript.events) view.push(event);
  view.finish();
  return lines;
}

describe('LiveTranscript', () => {
  it('shows the first N body lines, then how many bytes were not shown, then the "." and the rest', () => {
    const body = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}\r\n`).join('');
    // Chunks that split lines (and a CRLF) in odd places.
    const chunks = [body.slice(0, 7), body.slice(7, 101), body.slice(101, 500), body.slice(500)];
    const lines = live(session(chunks), 10);
    const shownBody = lines.filter((line) => line.startsWith(' -> line'));
    expect(shownBody).toHaveLength(10);
    expect(shownBody[9]).toBe(' -> line 009');
    const notShown = body.length - 10 * 'line 000\r\n'.length;
    expect(lines).toContain(`=== (message body continues: ${notShown} more bytes not shown)`);
    const tail = lines.slice(lines.indexOf(' -> .'));
    expect(tail).toEqual([' -> .', '<-  250 queued', ' -> QUIT', '<-  221 bye']);
  });

  it('a short body is shown whole, exactly like the full rendering', () => {
    const transcript = session(['Subject: x\r\n\r\n', '..dot\r\nend\r\n']);
    expect(live(transcript, 40).join('\n') + '\n').toBe(renderTranscript(transcript));
  });

  it('a limit reached exactly at the end of a chunk', () => {
    const lines = live(session(['a\r\nb\r\n', 'c\r\nd\r\n']), 2);
    expect(lines.filter((line) => /^ -> [a-d]$/.test(line))).toEqual([' -> a', ' -> b']);
    expect(lines).toContain('=== (message body continues: 6 more bytes not shown)');
    expect(lines.at(-1)).toBe('<-  221 bye');
  });
});
