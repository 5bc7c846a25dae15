import { describe, expect, it } from 'vitest';
import { catalogue, format, placeholders, type MessageKey } from '../../src/i18n/index.js';
import { messages } from '../../src/i18n/messages.js';
import { translateClientEvent, translateFailure, translateNote } from '../../src/cli/notes.js';
import type { TranscriptEvent } from '../../src/transcript/events.js';

const en = catalogue('en');
const zh = catalogue('zh-CN');

/** Sample values, one per placeholder: numbers, which every recorded note's values may be. */
function sample(template: string): Record<string, string> {
  return Object.fromEntries(placeholders(template).map((name, i) => [name, String(1025 + i)]));
}

const keys = (prefix: string) => (Object.keys(en) as MessageKey[]).filter((key) => key.startsWith(prefix));

describe('notes recorded in English, shown in zh-CN', () => {
  it.each(keys('server.note.'))('the lab server note %s comes back as its zh-CN sentence', (key) => {
    const params = sample(en[key]);
    const note = {
      kind: 'note' as const,
      t: 1,
      event: 1,
      level: 'info' as const,
      text: format(en[key], params),
    };
    expect(translateNote(note, messages('zh-CN')).text).toBe(format(zh[key], params));
    // English is shown as recorded, the very object.
    expect(translateNote(note, messages('en'))).toBe(note);
  });

  it.each(keys('cli.send.note.'))('the client note %s comes back as its zh-CN sentence', (key) => {
    const params = sample(en[key]);
    const event = { type: 'note', t: 1, level: 'info', text: format(en[key], params) } as TranscriptEvent;
    expect(translateClientEvent(event, messages('zh-CN'))).toMatchObject({ text: format(zh[key], params) });
  });

  it.each(keys('cli.send.failure.'))('the failure %s comes back as its zh-CN sentence', (key) => {
    // A command is upper case, as the client names it (MAIL FROM, AUTH LOGIN); a reply starts with its code.
    const params = {
      ...sample(en[key]),
      command: 'MAIL FROM',
      reply: '550 5.1.1 no such user',
      time: '30 s',
    };
    const text = format(en[key], params);
    expect(translateFailure(text, messages('zh-CN'))).toBe(format(zh[key], params));
    expect(translateFailure(text, messages('en'))).toBe(text);
  });

  it('leaves a note no pattern knows, and every other event, as recorded', () => {
    const note = { kind: 'note' as const, t: 1, event: 1, level: 'info' as const, text: 'something new' };
    expect(translateNote(note, messages('zh-CN'))).toBe(note);
    const event = { type: 'note', t: 1, level: 'info', text: 'something new' } as TranscriptEvent;
    expect(translateClientEvent(event, messages('zh-CN'))).toBe(event);
  });
});
