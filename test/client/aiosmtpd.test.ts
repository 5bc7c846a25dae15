import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpClientReplyError, exitCodeFor, sendMail, type SendMailOptions } from '../../src/client/index.js';
import { buildMessage } from '../../src/client/mime/index.js';
import { renderTranscript } from '../../src/transcript/render.js';
import { redactTranscript } from '../../src/transcript/redact.js';
import { toJsonl } from '../../src/transcript/jsonl.js';
import { makeCa, removeDir, startAiosmtpd, tempDir, type AiosmtpdServer } from './helpers.js';

/**
 * The reference client against Python's aiosmtpd, a real server nobody here wrote: STARTTLS with
 * AUTH only after TLS, implicit TLS, AUTH PLAIN and LOGIN, a wrong password. The message
 * aiosmtpd stored (after its own un-stuffing) must be the message the client was given.
 */

const USER = 'student@lab.example';
const PASSWORD = 'correct horse battery staple';

let dir: string;
let ca: Awaited<ReturnType<typeof makeCa>>;
let starttls: AiosmtpdServer;
let implicit: AiosmtpdServer;
let imageFile: string;

beforeAll(async () => {
  dir = await tempDir();
  ca = await makeCa(dir);
  const common = { certFile: ca.certFile, keyFile: ca.keyFile, user: USER, password: PASSWORD };
  const [a, b] = await Promise.all([tempDir('aiosmtpd-starttls-'), tempDir('aiosmtpd-implicit-')]);
  [starttls, implicit] = await Promise.all([
    startAiosmtpd({ ...common, mode: 'starttls', maildir: a }),
    startAiosmtpd({ ...common, mode: 'implicit', maildir: b }),
  ]);
  // A tiny PNG: signature, IHDR, and some bytes that include CR, LF and "." to stress the encoding.
  imageFile = path.join(dir, 'pixel.png');
  await writeFile(
    imageFile,
    Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      Buffer.from('\r\n.\r\n..\n.\r', 'latin1'),
      Buffer.alloc(3000, 7),
    ]),
  );
});

afterAll(async () => {
  await Promise.all([starttls?.stop(), implicit?.stop()]);
  await Promise.all([
    removeDir(dir),
    starttls && removeDir(starttls.maildir),
    implicit && removeDir(implicit.maildir),
  ]);
});

function base(port: number, overrides: Partial<SendMailOptions> = {}): SendMailOptions {
  return {
    host: '127.0.0.1',
    port,
    tls: 'starttls',
    tlsSettings: { ca: ca.caCert },
    auth: { user: USER, password: PASSWORD },
    from: USER,
    recipients: ['friend@example.com'],
    message: '',
    timeout: 10_000,
    ...overrides,
  };
}

async function labMessage() {
  return buildMessage({
    from: { address: USER, name: '学生 Student' },
    to: ['friend@example.com'],
    cc: ['copy@example.com'],
    bcc: ['hidden@example.com'],
    subject: 'I love computer networks! 😀 计算机网络',
    text: 'Hello.\n.\n.a line that starts with a dot\n' + 'z'.repeat(998) + '\nBye.\n',
    html: '<p>Hello <img src="cid:pixel.png"></p>',
    inlineImages: [imageFile],
    date: new Date('2026-01-02T03:04:05Z'),
    messageId: 'fixed@lab.example',
    boundary: 'fixed',
  });
}

describe('aiosmtpd (a real server nobody here wrote)', () => {
  it('STARTTLS + AUTH PLAIN: aiosmtpd receives exactly the message that was built', async () => {
    const message = await labMessage();
    const expected = await message.toBuffer();
    const result = await sendMail(
      base(starttls.port, {
        from: message.envelope.from,
        recipients: message.envelope.to,
        message: () => message.stream(),
      }),
    );
    expect(result.tls?.authorized).toBe(true);
    expect(result.auth?.mechanism).toBe('PLAIN');
    expect(result.accepted).toEqual(['friend@example.com', 'copy@example.com', 'hidden@example.com']);
    const n = Number(/saved as (\d+)/.exec(result.reply.lines[0] ?? '')?.[1]);
    const received = await starttls.message(n);
    expect(received.envelope).toEqual({
      mail_from: USER,
      rcpt_tos: ['friend@example.com', 'copy@example.com', 'hidden@example.com'],
      auth_user: USER,
      tls: true,
    });
    // aiosmtpd keeps the content bytes after un-stuffing: the very bytes the builder produced.
    expect(received.content.toString('latin1')).toBe(expected.toString('latin1'));
    expect(received.content.toString()).not.toContain('hidden@example.com');
    // AUTH happened inside TLS; aiosmtpd did not offer AUTH before STARTTLS.
    const shown = renderTranscript(result.transcript);
    expect(shown).toMatch(/ ~> AUTH PLAIN \*{8}/);
    expect(shown).not.toMatch(/<- {2}250-AUTH/);
  });

  it('STARTTLS + AUTH LOGIN (forced)', async () => {
    const result = await sendMail(
      base(starttls.port, {
        auth: { user: USER, password: PASSWORD, mechanism: 'LOGIN' },
        message: 'Subject: login\r\n\r\nvia AUTH LOGIN\r\n',
      }),
    );
    expect(result.auth?.mechanism).toBe('LOGIN');
    const n = Number(/saved as (\d+)/.exec(result.reply.lines[0] ?? '')?.[1]);
    expect((await starttls.message(n)).content.toString()).toBe('Subject: login\r\n\r\nvia AUTH LOGIN\r\n');
  });

  it('implicit TLS + AUTH PLAIN', async () => {
    const result = await sendMail(
      base(implicit.port, { tls: 'implicit', message: 'Subject: implicit\n\n.dot first\n' }),
    );
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    const n = Number(/saved as (\d+)/.exec(result.reply.lines[0] ?? '')?.[1]);
    const received = await implicit.message(n);
    expect(received.content.toString()).toBe('Subject: implicit\r\n\r\n.dot first\r\n');
    expect(received.envelope.auth_user).toBe(USER);
  });

  it('a wrong password gets 535: a typed AUTH error, exit code 28, and the password nowhere', async () => {
    const wrong = 'not-the-password-42';
    const before = await starttls.count();
    let error: unknown;
    const transcript = (await import('../../src/transcript/events.js')).Transcript;
    const record = new transcript({ id: 'wrong', startedAt: new Date().toISOString() });
    try {
      await sendMail(
        base(starttls.port, { auth: { user: USER, password: wrong }, message: 'x', transcript: record }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SmtpClientReplyError);
    const replyError = error as SmtpClientReplyError;
    expect(replyError.replyCode).toBe(535);
    expect(replyError.enhanced).toBe('5.7.8');
    expect(replyError.phase).toBe('auth');
    expect(exitCodeFor(error)).toBe(28);
    expect(replyError.message).not.toContain(wrong);
    expect(replyError.command).toBe('AUTH PLAIN ********');
    // Nothing was delivered; QUIT was still sent and answered.
    expect(await starttls.count()).toBe(before);
    expect(record.bytes('c2s').toString()).toMatch(/QUIT\r\n$/);
    expect(record.bytes('s2c').toString()).toMatch(/221[^\n]*\r\n$/);
    const token = Buffer.from(`\0${USER}\0${wrong}`).toString('base64');
    expect(renderTranscript(record)).not.toContain(token);
    expect(toJsonl(redactTranscript(record))).not.toContain(token);
  });
});
