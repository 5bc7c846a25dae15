import { describe, expect, it } from 'vitest';
import { HookReply } from '../../src/server/hook-reply.js';

// What smtp-server reads of an error a hook rejects with: `responseCode` and `message`.
describe('HookReply, the one way a hook makes smtp-server answer', () => {
  it.each([
    {
      code: 535,
      text: '5.7.8 Authentication credentials invalid',
      message: '5.7.8 Authentication credentials invalid',
    },
    // smtp-server writes the message on one line: a multi-line text is joined with spaces.
    { code: 550, text: ['5.7.1 first', 'second'], message: '5.7.1 first second' },
  ])('$code carries its code and a one-line text', ({ code, text, message }) => {
    const reply = new HookReply(code, text);
    expect(reply).toBeInstanceOf(Error);
    expect({ responseCode: reply.responseCode, message: reply.message }).toEqual({
      responseCode: code,
      message,
    });
  });

  it('makes the reply a scenario rule asks for', () => {
    const reply = HookReply.of({ code: 451, text: ['4.7.1 Greylisted', 'try again'] });
    expect({ responseCode: reply.responseCode, message: reply.message }).toEqual({
      responseCode: 451,
      message: '4.7.1 Greylisted try again',
    });
  });
});
