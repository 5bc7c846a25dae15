import { describe, expect, it } from 'vitest';
import { PASS, USER, expectStored, run, sampleMessage, withLabServer } from '../helpers/lab-server.js';
import { withFile } from '../helpers/peers.js';

const FROM = 'alice@example.test';
const TO = 'bob@example.test';

/**
 * swaks always writes CRLF before the final ".", so it is given the message without its last
 * CRLF: what it puts on the wire between 354 and the terminator is then exactly `sent`. (It also
 * takes a last line "." in its data for the terminator, so its messages do not end with one.)
 */
async function swaks(sent: Buffer, args: string[]) {
  return withFile(sent.subarray(0, sent.length - 2), (file) =>
    run('swaks', ['--from', FROM, '--to', TO, '--data', `@${file}`, '--timeout', '20', ...args]),
  );
}

async function curl(sent: Buffer, url: string, args: string[]) {
  return withFile(sent, (file) =>
    run('curl', [
      '-sS',
      '--max-time',
      '20',
      url,
      '--mail-from',
      FROM,
      '--mail-rcpt',
      TO,
      '--upload-file',
      file,
      ...args,
    ]),
  );
}

describe('swaks against the lab server', () => {
  it('STARTTLS verifying the lab CA, AUTH LOGIN', async () => {
    await withLabServer({}, async (lab) => {
      const sent = sampleMessage('swaks starttls', { lastLineDot: false });
      const result = await swaks(sent, [
        '--server',
        `127.0.0.1:${lab.server.port}`,
        '-tls',
        '--tls-verify',
        '--tls-ca-path',
        lab.server.caFile,
        '--auth',
        'LOGIN',
        '--auth-user',
        USER,
        '--auth-password',
        PASS,
      ]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: [TO],
        tls: 'starttls',
        auth: { user: USER, mechanism: 'LOGIN' },
      });
    });
  });

  it('implicit TLS (--tlsc), AUTH PLAIN', async () => {
    await withLabServer({ tlsPort: 0 }, async (lab) => {
      const sent = sampleMessage('swaks implicit', { lastLineDot: false });
      const result = await swaks(sent, [
        '--server',
        `127.0.0.1:${lab.server.tlsPort}`,
        '--tlsc',
        '--tls-verify',
        '--tls-ca-path',
        lab.server.caFile,
        '--auth',
        'PLAIN',
        '--auth-user',
        USER,
        '--auth-password',
        PASS,
      ]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: [TO],
        tls: 'implicit',
        auth: { user: USER, mechanism: 'PLAIN' },
      });
    });
  });
});

describe('curl against the lab server', () => {
  it('STARTTLS (--ssl-reqd) verifying the lab CA, curl picks CRAM-MD5', async () => {
    await withLabServer({}, async (lab) => {
      const sent = sampleMessage('curl starttls');
      const result = await curl(sent, `smtp://127.0.0.1:${lab.server.port}`, [
        '--ssl-reqd',
        '--cacert',
        lab.server.caFile,
        '--user',
        `${USER}:${PASS}`,
      ]);
      expect(result.code, result.stderr).toBe(0);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: [TO],
        tls: 'starttls',
        auth: { user: USER, mechanism: 'CRAM-MD5' },
      });
    });
  });

  it('implicit TLS (smtps://) with AUTH LOGIN forced', async () => {
    await withLabServer({ tlsPort: 0 }, async (lab) => {
      const sent = sampleMessage('curl implicit');
      const result = await curl(sent, `smtps://127.0.0.1:${lab.server.tlsPort}`, [
        '--cacert',
        lab.server.caFile,
        '--user',
        `${USER}:${PASS}`,
        '--login-options',
        'AUTH=LOGIN',
      ]);
      expect(result.code, result.stderr).toBe(0);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: [TO],
        tls: 'implicit',
        auth: { user: USER, mechanism: 'LOGIN' },
      });
    });
  });

  it('refuses a lab server it cannot verify without --cacert, and the server serves the next client', async () => {
    await withLabServer({}, async (lab) => {
      const sent = sampleMessage('curl after a failed handshake');
      const refused = await curl(sent, `smtp://127.0.0.1:${lab.server.port}`, ['--ssl-reqd']);
      expect(refused.code).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
      const ok = await curl(sent, `smtp://127.0.0.1:${lab.server.port}`, [
        '--ssl-reqd',
        '--cacert',
        lab.server.caFile,
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      expect(lab.messages[0]!.sessionId).toBe(lab.sessions[1]!.id);
      await expectStored(lab, lab.messages[0]!, {
        sent,
        mailFrom: FROM,
        rcptTo: [TO],
        tls: 'starttls',
        auth: null,
      });
    });
  });
});
