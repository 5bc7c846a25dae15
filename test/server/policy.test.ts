import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJsonl } from '../../src/transcript/jsonl.js';
import { MASK, renderItems, renderTranscript } from '../../src/transcript/render.js';
import {
  PASS,
  RawClient,
  USER,
  dotStuffed,
  mailboxFiles,
  sampleMessage,
  storedTranscript,
  withLabServer,
} from '../helpers/lab-server.js';
import { smtplibSend } from '../helpers/peers.js';

const FROM = 'alice@example.test';
const TO = 'bob@example.test';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Connects, reads the greeting and says EHLO; returns the client and the EHLO keywords. */
async function greeted(port: number): Promise<{ client: RawClient; keywords: string[] }> {
  const client = await RawClient.connect(port);
  expect((await client.reply()).code).toBe(220);
  const ehlo = await client.command('EHLO raw.example');
  expect(ehlo.code).toBe(250);
  return { client, keywords: ehlo.lines.slice(1).map((l) => l.toUpperCase()) };
}

describe('what the lab server requires of clients', () => {
  it("auth 'required': MAIL before AUTH gets 530, after AUTH PLAIN it is accepted", async () => {
    await withLabServer({ auth: 'required' }, async (lab) => {
      const { client, keywords } = await greeted(lab.server.port);
      expect(keywords).toContain('AUTH PLAIN LOGIN CRAM-MD5');
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(530);
      expect((await client.command(`AUTH PLAIN ${b64(`\0${USER}\0${PASS}`)}`)).code).toBe(235);
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command('QUIT')).code).toBe(221);
      await client.closed();
    });
  });

  it("auth 'off': no AUTH in the EHLO reply, and AUTH is refused", async () => {
    await withLabServer({ auth: 'off' }, async (lab) => {
      const { client, keywords } = await greeted(lab.server.port);
      expect(keywords.filter((k) => k.startsWith('AUTH'))).toEqual([]);
      expect(keywords).toContain('STARTTLS');
      const auth = await client.command(`AUTH PLAIN ${b64(`\0${USER}\0${PASS}`)}`);
      expect(auth.code).toBeGreaterThanOrEqual(500);
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command('QUIT')).code).toBe(221);
      await client.closed();
    });
  });

  it('requireTls: AUTH in plaintext gets 538 and MAIL 530; after STARTTLS both are accepted', async () => {
    await withLabServer({ requireTls: true }, async (lab) => {
      const { client, keywords } = await greeted(lab.server.port);
      // Like Gmail on 587: AUTH is not offered until TLS is up.
      expect(keywords.some((k) => k.startsWith('AUTH'))).toBe(false);
      expect(keywords).toContain('STARTTLS');
      expect((await client.command(`AUTH PLAIN ${b64(`\0${USER}\0${PASS}`)}`)).code).toBe(538);
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(530);
      expect((await client.command('STARTTLS')).code).toBe(220);
      await client.startTls(lab.server.ca.caCert);
      const ehlo = await client.command('EHLO raw.example');
      expect(ehlo.lines).toContain('AUTH PLAIN LOGIN CRAM-MD5');
      expect((await client.command(`AUTH PLAIN ${b64(`\0${USER}\0${PASS}`)}`)).code).toBe(235);
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command(`RCPT TO:<${TO}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      const sent = sampleMessage('after STARTTLS');
      client.write(Buffer.concat([dotStuffed(sent), Buffer.from('.\r\n')]));
      expect((await client.reply()).code).toBe(250);
      expect((await client.command('QUIT')).code).toBe(221);
      await client.closed();
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      expect(lab.messages[0]).toMatchObject({
        tls: { mode: 'starttls' },
        envelope: { mailFrom: FROM, rcptTo: [TO] },
      });
    });
  });

  it('maxSize: a bigger message gets 552 and nothing is stored; a smaller one in the same session is', async () => {
    const maxSize = 4096;
    await withLabServer({ maxSize }, async (lab) => {
      const { client, keywords } = await greeted(lab.server.port);
      expect(keywords).toContain(`SIZE ${maxSize}`);
      // Declared too big: refused at MAIL.
      expect((await client.command(`MAIL FROM:<${FROM}> SIZE=${maxSize + 1}`)).code).toBe(552);
      // Not declared: refused at the end of DATA.
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command(`RCPT TO:<${TO}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      const big = Buffer.from(`Subject: big\r\n\r\n${`${'y'.repeat(98)}\r\n`.repeat(60)}`);
      expect(big.length).toBeGreaterThan(maxSize);
      client.write(Buffer.concat([big, Buffer.from('.\r\n')]));
      expect((await client.reply()).code).toBe(552);
      expect(lab.messages).toEqual([]);
      expect(await mailboxFiles(lab)).toEqual(['ca.pem']);

      const small = sampleMessage('small enough');
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command(`RCPT TO:<${TO}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      client.write(Buffer.concat([dotStuffed(small), Buffer.from('.\r\n')]));
      expect((await client.reply()).code).toBe(250);
      expect((await client.command('QUIT')).code).toBe(221);
      await client.closed();
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      const id = lab.messages[0]!.id;
      expect(await mailboxFiles(lab)).toEqual(['ca.pem', `${id}.eml`, `${id}.json`].sort());
    });
  });

  it('passwords never appear in a rendered session, live or from the stored transcript', async () => {
    const password = 'S3cret-pa55word!';
    await withLabServer({ accounts: [{ user: USER, pass: password }] }, async (lab) => {
      for (const auth of ['LOGIN', 'PLAIN', 'default'] as const) {
        const result = await smtplibSend({
          port: lab.server.port,
          tls: 'none',
          auth,
          user: USER,
          password,
          from: FROM,
          to: [TO],
          message: sampleMessage(`auth ${auth}`),
        });
        expect(result, auth).toMatchObject({ ok: true });
      }
      await lab.sessionsEnded();
      expect(lab.messages.map((m) => m.auth?.mechanism)).toEqual(['LOGIN', 'PLAIN', 'CRAM-MD5']);
      const secrets = [password, b64(password), b64(`\0${USER}\0${password}`)];
      for (const session of lab.sessions) {
        const file = path.join(lab.server.sessionsDir, `${session.id}.jsonl`);
        const stored = fromJsonl(await readFile(file, 'utf8'), file);
        // Neither the live framing nor a re-framing of the stored file shows a secret.
        for (const rendered of [renderItems(session.items), renderTranscript(stored)]) {
          for (const secret of secrets) expect(rendered).not.toContain(secret);
          expect(rendered).toContain(USER);
        }
      }
      // The LOGIN session's raw bytes do hold the password: the masking above was not vacuous.
      expect((await storedTranscript(lab.sessions[0]!)).bytes('c2s').toString()).toContain(b64(password));
      const [login, plain, cram] = lab.sessions.map((s) => renderItems(s.items));
      expect(login).toContain(MASK);
      expect(plain).toContain(MASK);
      expect(cram).toContain('HMAC-MD5 digest hidden');
    });
  });
});
