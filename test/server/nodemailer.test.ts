import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PASS, USER, expectStored, sampleMessage, withLabServer } from '../helpers/lab-server.js';

const FROM = 'alice@example.test';
const TO = ['bob@example.test', 'carol@example.test'];

describe('nodemailer against the lab server', () => {
  it('STARTTLS (requireTLS) verifying the lab CA, AUTH LOGIN, raw message byte-exact', async () => {
    await withLabServer({ auth: 'required', requireTls: true }, async (lab) => {
      const sent = sampleMessage('nodemailer starttls');
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: lab.server.port,
        secure: false,
        requireTLS: true,
        tls: { ca: lab.server.ca.caCert, servername: 'localhost' },
        auth: { user: USER, pass: PASS },
        authMethod: 'LOGIN',
      });
      const info = await transport.sendMail({ envelope: { from: FROM, to: TO }, raw: sent });
      transport.close();
      expect(info.accepted).toEqual(TO);
      expect(info.response).toMatch(/^250 /);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      expect(info.response).toContain(lab.messages[0]!.id);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'starttls',
        auth: { user: USER, mechanism: 'LOGIN' },
      });
    });
  });

  it('implicit TLS (secure: true), AUTH PLAIN, a message nodemailer builds', async () => {
    await withLabServer({ tlsPort: 0 }, async (lab) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: lab.server.tlsPort,
        secure: true,
        tls: { ca: lab.server.ca.caCert, servername: 'localhost' },
        auth: { user: USER, pass: PASS },
        authMethod: 'PLAIN',
      });
      // Build the message first so the exact bytes nodemailer sends are known.
      const mail = { from: FROM, to: TO, subject: 'built by nodemailer', text: '.leading dot\nline two\n' };
      const built = await new Promise<Buffer>((resolve, reject) =>
        nodemailer
          .createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
          .sendMail(mail, (err, info) => (err ? reject(err) : resolve(info.message as Buffer))),
      );
      const info = await transport.sendMail({ envelope: { from: FROM, to: TO }, raw: built });
      transport.close();
      expect(info.accepted).toEqual(TO);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      // nodemailer ends the body with CRLF before the terminator when the message lacks one.
      const sent =
        built.subarray(-2).toString() === '\r\n' ? built : Buffer.concat([built, Buffer.from('\r\n')]);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'implicit',
        auth: { user: USER, mechanism: 'PLAIN' },
      });
    });
  });
  it('twelve concurrent clients: each message is tied to its own session and stored intact', async () => {
    await withLabServer({ tlsPort: 0 }, async (lab) => {
      const sends = Array.from({ length: 12 }, async (_, n) => {
        const implicit = n % 2 === 1;
        const transport = nodemailer.createTransport({
          host: '127.0.0.1',
          port: implicit ? lab.server.tlsPort : lab.server.port,
          secure: implicit,
          tls: { ca: lab.server.ca.caCert, servername: 'localhost' },
          auth: { user: USER, pass: PASS },
        });
        const sent = sampleMessage(`concurrent ${n}`);
        const to = [`rcpt${n}@example.test`];
        const info = await transport.sendMail({ envelope: { from: FROM, to }, raw: sent });
        transport.close();
        return { n, sent, to, implicit, id: /queued as (\S+)/.exec(info.response)?.[1] };
      });
      const results = await Promise.all(sends);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(12);
      expect(new Set(lab.messages.map((m) => m.sessionId)).size).toBe(12);
      for (const { sent, to, implicit, id } of results) {
        const message = lab.messages.find((m) => m.id === id);
        expect(message, id).toBeDefined();
        await expectStored(lab, message!, {
          sent,
          mailFrom: FROM,
          rcptTo: to,
          tls: implicit ? 'implicit' : 'starttls',
          auth: { user: USER, mechanism: expect.any(String) as unknown as string },
        });
      }
    });
  });
});
