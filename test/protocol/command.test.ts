import { describe, expect, it } from 'vitest';
import { hasLineBreak, parseCommand } from '../../src/protocol/command.js';
import { SmtpLabError, SmtpProtocolError, SmtpReplyError } from '../../src/protocol/errors.js';
import type { Reply } from '../../src/protocol/reply.js';

describe('parseCommand', () => {
  it.each([
    { line: 'EHLO client.example', verb: 'EHLO', args: 'client.example', upperCase: true },
    { line: 'ehlo client.example', verb: 'EHLO', args: 'client.example', upperCase: false },
    { line: 'Mail FROM:<a@example.org>', verb: 'MAIL', args: 'FROM:<a@example.org>', upperCase: false },
    {
      line: 'MAIL FROM: <a@example.org> SIZE=10',
      verb: 'MAIL',
      args: 'FROM: <a@example.org> SIZE=10',
      upperCase: true,
    },
    { line: 'DATA', verb: 'DATA', args: '', upperCase: true },
    { line: 'QUIT ', verb: 'QUIT', args: '', upperCase: true },
    { line: 'RCPT  TO:<b@example.org>', verb: 'RCPT', args: ' TO:<b@example.org>', upperCase: true },
    { line: 'X-CUSTOM arg', verb: 'X-CUSTOM', args: 'arg', upperCase: true },
    {
      line: 'AUTH PLAIN AGFsaWNlAHNlY3JldA==',
      verb: 'AUTH',
      args: 'PLAIN AGFsaWNlAHNlY3JldA==',
      upperCase: true,
    },
    { line: '', verb: '', args: '', upperCase: false },
    { line: ' EHLO x', verb: '', args: ' EHLO x', upperCase: false },
    { line: 'EHLO\tx', verb: '', args: 'EHLO\tx', upperCase: false },
    { line: '1234', verb: '', args: '1234', upperCase: false },
    { line: 'dXNlcg==', verb: '', args: 'dXNlcg==', upperCase: false },
  ])('parseCommand($line)', ({ line, verb, args, upperCase }) => {
    expect(parseCommand(line)).toEqual({ verb, args, upperCase });
  });
});

describe('hasLineBreak', () => {
  it.each([
    { text: 'alice@example.org', want: false },
    { text: '', want: false },
    { text: 'a\tb', want: false },
    { text: 'a\r\nRCPT TO:<x>', want: true },
    { text: 'a\nb', want: true },
    { text: 'a\rb', want: true },
    { text: '\n', want: true },
  ])('hasLineBreak($text) is $want', ({ text, want }) => {
    expect(hasLineBreak(text)).toBe(want);
  });
});

function reply(code: number, lines: string[], enhanced?: string): Reply {
  return {
    code,
    enhanced,
    lines,
    raw: Buffer.from(lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('')),
  };
}

describe('errors', () => {
  it('SmtpProtocolError carries a stable code, a short message and a truncated line', () => {
    const long = 'x'.repeat(100);
    const err = new SmtpProtocolError('malformed reply line', long);
    expect(err).toBeInstanceOf(SmtpLabError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SmtpProtocolError');
    expect(err.code).toBe('ERR_SMTP_PROTOCOL');
    expect(err.shortMessage).toBe('malformed reply line');
    expect(err.line).toBe('x'.repeat(80) + '...');
    expect(err.message).toBe(`malformed reply line: "${'x'.repeat(80)}..."`);
  });

  it.each([
    { code: 451, temporary: true },
    { code: 421, temporary: true },
    { code: 499, temporary: true },
    { code: 550, temporary: false },
    { code: 354, temporary: false },
    { code: 500, temporary: false },
  ])('SmtpReplyError for $code is temporary: $temporary', ({ code, temporary }) => {
    expect(new SmtpReplyError(reply(code, ['no']), 'MAIL FROM').temporary).toBe(temporary);
  });

  it('SmtpReplyError carries the reply, the command and the enhanced code', () => {
    const r = reply(535, ['5.7.8 Authentication credentials invalid', 'see https://example.org'], '5.7.8');
    const err = new SmtpReplyError(r, 'AUTH PLAIN ********', { code: 'ERR_AUTH' });
    expect(err).toBeInstanceOf(SmtpLabError);
    expect(err.name).toBe('SmtpReplyError');
    expect(err.code).toBe('ERR_AUTH');
    expect(err.reply).toBe(r);
    expect(err.replyCode).toBe(535);
    expect(err.enhanced).toBe('5.7.8');
    expect(err.command).toBe('AUTH PLAIN ********');
    expect(err.message).toBe(
      'AUTH PLAIN ********: server replied 535 5.7.8 Authentication credentials invalid / see https://example.org',
    );
    expect(err.shortMessage).toBe(
      'AUTH PLAIN ******** refused: 535 5.7.8 Authentication credentials invalid',
    );
    expect(new SmtpReplyError(r, 'AUTH').code).toBe('ERR_SMTP_REPLY');
  });

  it('SmtpLabError keeps its cause', () => {
    const cause = new Error('socket hang up');
    const err = new SmtpLabError('ERR_X', 'long message', { cause, shortMessage: 'short' });
    expect(err.cause).toBe(cause);
    expect(err.shortMessage).toBe('short');
    expect(new SmtpLabError('ERR_X', 'only').shortMessage).toBe('only');
    expect('cause' in new SmtpLabError('ERR_X', 'only')).toBe(false);
  });
});
