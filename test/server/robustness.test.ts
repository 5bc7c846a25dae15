import net from 'node:net';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ClientLine, ServerReply } from '../../src/transcript/framer.js';
import {
  RawClient,
  USER,
  PASS,
  dotStuffed,
  expectStored,
  mailboxFiles,
  sampleMessage,
  withLabServer,
} from '../helpers/lab-server.js';
import { smtplibSend } from '../helpers/peers.js';

const FROM = 'alice@example.test';
const TO = ['bob@example.test'];

const lines = (items: readonly unknown[]) =>
  items.filter((i): i is ClientLine => (i as ClientLine).kind === 'line');
const replies = (items: readonly unknown[]) =>
  items.filter((i): i is ServerReply => (i as ServerReply).kind === 'reply');

describe('the lab server under misbehaving clients', () => {
  it('a client that vanishes mid-DATA leaves the acknowledged message intact and no partial file', async () => {
    await withLabServer({}, async (lab) => {
      const first = sampleMessage('first, acknowledged');
      const second = sampleMessage('second, never finished');
      const client = await RawClient.connect(lab.server.port);
      expect((await client.reply()).code).toBe(220);
      expect((await client.command('EHLO raw.example')).code).toBe(250);
      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command(`RCPT TO:<${TO[0]}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      client.write(Buffer.concat([dotStuffed(first), Buffer.from('.\r\n')]));
      const queued = await client.reply();
      expect(queued.code).toBe(250);
      expect(lab.messages).toHaveLength(1); // stored before the 250 went out

      expect((await client.command(`MAIL FROM:<${FROM}>`)).code).toBe(250);
      expect((await client.command(`RCPT TO:<${TO[0]}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      const half = dotStuffed(second).subarray(0, second.length / 2);
      await new Promise<void>((resolve) => client.socket.write(half, () => resolve()));
      client.socket.destroy();

      await lab.sessionsEnded();
      await lab.server.stop(); // waits for the backend to give up the unfinished message
      expect(lab.messages).toHaveLength(1);
      const files = await mailboxFiles(lab);
      expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.'))).toEqual([]);
      expect(files).toEqual(['ca.pem', `${lab.messages[0]!.id}.eml`, `${lab.messages[0]!.id}.json`].sort());
      await expectStored(lab, lab.messages[0]!, {
        sent: first,
        mailFrom: FROM,
        rcptTo: TO,
        tls: 'none',
        auth: null,
      });
    });
  });
});
