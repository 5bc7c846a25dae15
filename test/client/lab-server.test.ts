import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SmtpClientError,
  SmtpClientReplyError,
  exitCodeFor,
  sendMail,
  type AuthMechanism,
  type SendMailOptions,
  type TlsMode,
} from '../../src/client/index.js';
import { buildMessage } from '../../src/client/mime/index.js';
import type { LabServerOptions } from '../../src/server/index.js';
import { PASS, USER, sharedCa, storedTranscript, withLabServer } from '../helpers/lab-server.js';
import { removeDir, tempDir } from './helpers.js';

/**
 * The reference client against the lab server in every TLS and AUTH mode: what the mailbox
 * stored must be the very message the client built, and every refusal a typed error with the
 * right phase.
 */

let dir: string;
let image: string;

beforeAll(async () => {
  dir = await tempDir();
  image = path.join(dir, 'cat.png');
  await writeFile(
    image,
    Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(5000, 0x2e)]),
  );
});

afterAll(async () => {
  await removeDir(dir);
});

async function textAndImage() {
  return buildMessage({
    from: USER,
    to: ['friend@example.com'],
    subject: 'Lab: text and an image 😀',
    text: 'I love computer networks!\n.\n',
    inlineImages: [image],
  });
}

async function options(
  port: number,
  caFile: string,
  overrides: Partial<SendMailOptions> = {},
): Promise<SendMailOptions> {
  return {
    host: '127.0.0.1',
    port,
    tls: 'starttls',
    tlsSettings: { ca: await readFile(caFile) },
    auth: { user: USER, password: PASS },
    from: USER,
    recipients: ['friend@example.com'],
    message: 'Subject: t\r\n\r\nbody\r\n',
    timeout: 10_000,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected sendMail to fail');
}

const base: LabServerOptions = { tlsPort: 0, traceHeaders: false };

describe('the lab server, every TLS and AUTH mode', () => {
  const modes: Array<{ tls: TlsMode; mechanism?: AuthMechanism; auth: boolean }> = [
    { tls: 'starttls', mechanism: 'PLAIN', auth: true },
    { tls: 'starttls', mechanism: 'LOGIN', auth: true },
    { tls: 'implicit', mechanism: 'PLAIN', auth: true },
    { tls: 'implicit', mechanism: 'LOGIN', auth: true },
    { tls: 'none', mechanism: 'PLAIN', auth: true },
    { tls: 'starttls', auth: false },
    { tls: 'none', auth: false },
  ];
  for (const mode of modes) {
    it(`tls ${mode.tls}, ${mode.auth ? `AUTH ${mode.mechanism}` : 'no AUTH'}: the mailbox holds the message as built`, async () => {
      await withLabServer({ ...base, auth: mode.auth ? 'required' : 'optional' }, async (lab) => {
        const message = await textAndImage();
        const expected = await message.toBuffer();
        const port = mode.tls === 'implicit' ? lab.server.tlsPort! : lab.server.port;
        const result = await sendMail(
          await options(port, lab.server.caFile, {
            tls: mode.tls,
            ...(mode.auth
              ? { auth: { user: USER, password: PASS, mechanism: mode.mechanism! } }
              : { auth: undefined }),
            message: () => message.stream(),
          }),
        );
        expect(result.reply.code).toBe(250);
        await lab.sessionsEnded();
        expect(lab.messages).toHaveLength(1);
        const stored = lab.messages[0]!;
        expect(stored.envelope).toEqual({ mailFrom: USER, rcptTo: ['friend@example.com'] });
        expect(stored.tls.mode).toBe(mode.tls);
        expect(stored.auth?.user ?? null).toBe(mode.auth ? USER : null);
        expect(stored.auth?.mechanism.toUpperCase()).toBe(mode.auth ? mode.mechanism : undefined);
        expect((await readFile(stored.emlPath)).toString('latin1')).toBe(expected.toString('latin1'));
      });
    });
  }

  it('AUTH required but not given: MAIL refused, exit 23', async () => {
    await withLabServer({ ...base, auth: 'required' }, async (lab) => {
      const error = await failure(
        sendMail(await options(lab.server.port, lab.server.caFile, { auth: undefined })),
      );
      expect(error).toBeInstanceOf(SmtpClientReplyError);
      expect((error as SmtpClientReplyError).phase).toBe('mail');
      expect((error as SmtpClientReplyError).replyCode).toBe(530);
      expect(exitCodeFor(error)).toBe(23);
    });
  });

  it('a wrong password: 535 and the AUTH exit code', async () => {
    await withLabServer(base, async (lab) => {
      const error = await failure(
        sendMail(
          await options(lab.server.port, lab.server.caFile, { auth: { user: USER, password: 'wrong-one' } }),
        ),
      );
      expect((error as SmtpClientReplyError).replyCode).toBe(535);
      expect(exitCodeFor(error)).toBe(28);
    });
  });

  it('STARTTLS hidden from EHLO while TLS is required: refused before AUTH', async () => {
    await withLabServer({ ...base, hideExtensions: ['STARTTLS'] }, async (lab) => {
      const error = await failure(sendMail(await options(lab.server.port, lab.server.caFile)));
      expect((error as SmtpClientError).code).toBe('ERR_TLS_REQUIRED');
      await lab.sessionsEnded();
      const sent = (await storedTranscript(lab.sessions[0]!)).bytes('c2s').toString();
      expect(sent).not.toContain('AUTH');
      expect(sent).toMatch(/QUIT\r\n$/);
    });
  });

  for (const certificate of ['untrusted', 'expired', 'wrong-host'] as const) {
    it(`a certificate that is ${certificate}: refused (exit 29)`, async () => {
      await withLabServer({ ...base, certificate }, async (lab) => {
        const error = await failure(sendMail(await options(lab.server.port, lab.server.caFile)));
        expect((error as SmtpClientError).code).toBe('ERR_TLS_CERT');
        expect(exitCodeFor(error)).toBe(29);
      });
    });
  }

  it('the lab CA is per run: the system store alone does not trust it', async () => {
    await sharedCa();
    await withLabServer(base, async (lab) => {
      const error = await failure(
        sendMail({ ...(await options(lab.server.port, lab.server.caFile)), tlsSettings: {} }),
      );
      expect((error as SmtpClientError).code).toBe('ERR_TLS_CERT');
    });
  });
});
