import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPassword } from '../../src/client/credentials.js';
import { SmtpArgumentError } from '../../src/client/errors.js';
import { buildMessage, MimeError } from '../../src/client/mime/index.js';
import { problemText } from '../../src/client/problem.js';
import { refuseBreaks } from '../../src/client/session.js';
import { sendMail } from '../../src/client/send.js';
import { messages } from '../../src/i18n/messages.js';

/**
 * The client's and the MIME builder's argument errors carry a typed problem: their message is the
 * English it always was (written out here by hand), and send says the same problem in zh-CN.
 */
async function caught(fn: () => unknown): Promise<SmtpArgumentError | MimeError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof SmtpArgumentError || error instanceof MimeError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

const base = { from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't' };

const CASES: Array<[string, () => unknown, string, string]> = [
  [
    'a From that is not an address',
    () => buildMessage({ ...base, from: 'bad' }),
    'from.address: not an address: "bad"',
    'from.address：不是地址："bad"',
  ],
  [
    'a CR or LF in the subject',
    () => buildMessage({ ...base, subject: 'x\r\nBcc: evil@example.com' }),
    'subject: contains a CR or LF, which would inject a header line',
    'subject：含有 CR 或 LF，会注入一条首部行',
  ],
  [
    'a header the builder writes itself',
    () => buildMessage({ ...base, headers: { Subject: 'x' } }),
    'headers.Subject: is written by the builder from its own option',
    'headers.Subject：这个首部由构建器根据它自己的选项写出',
  ],
  [
    'a bad Message-ID',
    () => buildMessage({ ...base, messageId: 'no at sign' }),
    'messageId: not a Message-ID: "no at sign"',
    'messageId：不是 Message-ID："no at sign"',
  ],
  [
    'a line break in a command argument',
    () => refuseBreaks('helo', 'me\r\nQUIT'),
    'helo: contains CR, LF or NUL, which would inject a command or header; refused',
    'helo：含有 CR、LF 或 NUL，会注入一条命令或首部行；已拒绝',
  ],
  [
    'no password and no terminal',
    () => readPassword({ env: {}, input: new PassThrough() as unknown as NodeJS.ReadStream }),
    'password: no password: set SMTP_PASS in the environment, or run in a terminal to be asked (it is never taken from the command line)',
    'password：没有密码：请在环境变量 SMTP_PASS 中设置，或在终端中运行以便输入（密码从不从命令行读取）',
  ],
  [
    'no recipient',
    () =>
      sendMail({ host: '127.0.0.1', port: 9, from: 'a@example.com', recipients: [], message: 'x' } as never),
    'recipients: no recipient given',
    'recipients：没有给出收件人',
  ],
];

describe('argument errors: English message as before, the same problem in zh-CN', () => {
  it.each(CASES)('%s', async (_name, fn, en, zh) => {
    const error = await caught(fn);
    expect(error.message).toBe(en);
    expect(error.shortMessage).toBe(en);
    expect(problemText(error.problem, messages('en'))).toBe(en);
    expect(problemText(error.problem, messages('zh-CN'))).toBe(zh);
  });
});
