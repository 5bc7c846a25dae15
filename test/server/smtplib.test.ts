import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  PASS,
  USER,
  expectStored,
  mailboxFiles,
  sampleMessage,
  withLabServer,
} from '../helpers/lab-server.js';
import { smtplibSend } from '../helpers/peers.js';

const FROM = 'alice@example.test';
const TO = ['bob@example.test', 'carol@example.test'];

describe('Python smtplib against the lab server', () => {
  it('delivers in plaintext without AUTH', async () => {
    await withLabServer({}, async (lab) => {
      const sent = sampleMessage('plain');
      const result = await smtplibSend({
        port: lab.server.port,
        tls: 'none',
        from: FROM,
        to: TO,
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'none',
        auth: null,
        helo: 'student.example',
      });
    });
  });

  it('stores the message fully byte-exact when trace headers are off', async () => {
    await withLabServer({ traceHeaders: false }, async (lab) => {
      const sent = sampleMessage('no trace');
      const result = await smtplibSend({
        port: lab.server.port,
        tls: 'none',
        from: FROM,
        to: TO,
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'none',
        auth: null,
        traced: false,
      });
    });
  });

  it('STARTTLS verifying the lab CA, then smtplib login() picks CRAM-MD5', async () => {
    await withLabServer({}, async (lab) => {
      const sent = sampleMessage('starttls');
      const result = await smtplibSend({
        port: lab.server.port,
        tls: 'starttls',
        cafile: lab.server.caFile,
        auth: 'default',
        user: USER,
        password: PASS,
        from: FROM,
        to: TO,
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      const transcript = await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'starttls',
        auth: { user: USER, mechanism: 'CRAM-MD5' },
      });
      // The part after STARTTLS travelled inside TLS and is recorded in plaintext.
      const first = transcript.events.find((e) => e.type === 'wire' && e.dir === 'c2s' && e.tls);
      expect(first?.type === 'wire' && first.data.toString()).toMatch(/^ehlo student\.example\r\n/i);
    });
  });

  it('implicit TLS (SMTP_SSL) with AUTH LOGIN forced', async () => {
    await withLabServer({ tlsPort: 0 }, async (lab) => {
      const sent = sampleMessage('implicit');
      const result = await smtplibSend({
        port: lab.server.tlsPort!,
        tls: 'implicit',
        cafile: lab.server.caFile,
        auth: 'LOGIN',
        user: USER,
        password: PASS,
        from: FROM,
        to: TO,
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'implicit',
        auth: { user: USER, mechanism: 'LOGIN' },
      });
      expect(lab.sessions[0]!.tlsMode).toBe('implicit');
    });
  });

  it('STARTTLS with AUTH PLAIN forced', async () => {
    await withLabServer({ auth: 'required' }, async (lab) => {
      const sent = sampleMessage('plain auth');
      const result = await smtplibSend({
        port: lab.server.port,
        tls: 'starttls',
        cafile: lab.server.caFile,
        auth: 'PLAIN',
        user: USER,
        password: PASS,
        from: FROM,
        to: ['bob@example.test'],
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: ['bob@example.test'],
        tls: 'starttls',
        auth: { user: USER, mechanism: 'PLAIN' },
      });
    });
  });

  it('a wrong password gets 535 and nothing is stored', async () => {
    await withLabServer({}, async (lab) => {
      for (const auth of ['LOGIN', 'PLAIN', 'default'] as const) {
        const result = await smtplibSend({
          port: lab.server.port,
          tls: 'starttls',
          cafile: lab.server.caFile,
          auth,
          user: USER,
          password: 'not-the-password',
          from: FROM,
          to: TO,
          message: sampleMessage('refused'),
        });
        expect(result, auth).toMatchObject({ ok: false, error: 'SMTPAuthenticationError', code: 535 });
      }
      await lab.sessionsEnded();
      expect(lab.messages).toEqual([]);
      expect(await mailboxFiles(lab)).toEqual(['ca.pem']);
      expect(await readdir(lab.server.sessionsDir)).toHaveLength(3);
    });
  });
});
