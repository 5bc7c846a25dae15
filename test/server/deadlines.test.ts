import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ReplyParser, type Reply } from '../../src/protocol/reply.js';
import type { LabSession } from '../../src/server/index.js';
import { RawClient, withLabServer, type Lab } from '../helpers/lab-server.js';

/**
 * Deadlines that hold: a TLS handshake has its own deadline and a client stuck in it
 * is dropped with its session released; a session has a deadline however busy the client keeps
 * it; connections are capped per client address and in all, with a 421 as Postfix does.
 */

/** A raw TCP connection that sends nothing by itself; resolves `closed` when the server drops it. */
function silent(port: number): Promise<{ socket: net.Socket; closed: Promise<void>; text: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, closed, text: () => received }));
    socket.once('error', reject);
  });
}

const noted = (session: LabSession, pattern: RegExp) =>
  session.items.some((i) => i.kind === 'note' && pattern.test(i.text));

async function firstReply(socket: net.Socket): Promise<Reply> {
  const parser = new ReplyParser();
  return new Promise((resolve, reject) => {
    socket.on('data', (d: Buffer) => {
      const [reply] = parser.push(d);
      if (reply) resolve(reply);
    });
    socket.once('close', () => reject(new Error('closed without a reply')));
  });
}

describe('TLS handshake deadline', () => {
  it('a silent client on the implicit-TLS port is dropped and its session released', async () => {
    await withLabServer({ tlsPort: 0, idleTimeout: 5_000, tlsHandshakeTimeout: 300 }, async (lab: Lab) => {
      const clients = await Promise.all([1, 2, 3].map(() => silent(lab.server.tlsPort!)));
      // Old code: no deadline while the handshake is pending; these waited for ever.
      await Promise.all(clients.map((c) => c.closed));
      await lab.sessionsEnded();
      expect(lab.sessions).toHaveLength(3);
      for (const session of lab.sessions)
        expect(noted(session, /TLS handshake .*not completed within 0\.3 s/)).toBe(true);
    });
  });

  it("a client that goes silent after STARTTLS's 220 is dropped, never left half-closed", async () => {
    await withLabServer({ idleTimeout: 5_000, tlsHandshakeTimeout: 300 }, async (lab) => {
      const client = await RawClient.connect(lab.server.port);
      expect((await client.reply()).code).toBe(220);
      expect((await client.command('EHLO raw.example')).code).toBe(250);
      expect((await client.command('STARTTLS')).code).toBe(220);
      // No handshake: the server drops the connection (destroy, not a FIN it cannot send in TLS).
      await client.closed();
      await lab.sessionsEnded();
      expect(noted(lab.sessions[0]!, /TLS handshake .*not completed/)).toBe(true);
    });
  });

  it('the handshake deadline is never longer than the idle timeout', async () => {
    await withLabServer({ tlsPort: 0, idleTimeout: 300, tlsHandshakeTimeout: 60_000 }, async (lab) => {
      const client = await silent(lab.server.tlsPort!);
      await client.closed;
      await lab.sessionsEnded();
      expect(noted(lab.sessions[0]!, /not completed within 0\.3 s/)).toBe(true);
    });
  });
});

describe('session deadline', () => {
  it('a client that trickles a command now and then is cut at the session deadline with a 421', async () => {
    await withLabServer({ idleTimeout: 1_000, sessionTimeout: 600 }, async (lab) => {
      const client = await RawClient.connect(lab.server.port);
      expect((await client.reply()).code).toBe(220);
      // Always busy (a NOOP every 100 ms, well inside the idle timeout), never done.
      let last: Reply | undefined;
      for (let i = 0; i < 50; i++) {
        last = await client.command('NOOP').catch(() => undefined);
        if (!last || last.code !== 250) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(last?.code).toBe(421);
      expect(last?.lines.join(' ')).toMatch(/session time limit/);
      await client.closed();
      await lab.sessionsEnded();
      expect(noted(lab.sessions[0]!, /session time limit of 0\.6 s reached/)).toBe(true);
    });
  });
});

describe('connection caps', () => {
  it('past the cap per client address: a 421 at once, no session; a slot freed is usable again', async () => {
    await withLabServer({ maxConnectionsPerClient: 3 }, async (lab) => {
      const held = await Promise.all([1, 2, 3].map(() => RawClient.connect(lab.server.port)));
      for (const c of held) expect((await c.reply()).code).toBe(220);
      const extra = await silent(lab.server.port);
      const refused = await firstReply(extra.socket);
      expect(refused.code).toBe(421);
      expect(refused.lines.join(' ')).toMatch(/too many connections from your address/);
      await extra.closed;
      expect(lab.sessions).toHaveLength(3);
      held[0]!.write('QUIT\r\n');
      await held[0]!.closed();
      await lab.sessions[0]!.ended;
      const again = await RawClient.connect(lab.server.port);
      expect((await again.reply()).code).toBe(220);
      for (const c of [...held.slice(1), again]) c.write('QUIT\r\n');
    });
  });

  it('past the total cap: a 421 at once', async () => {
    await withLabServer({ maxConnections: 2 }, async (lab) => {
      const held = await Promise.all([1, 2].map(() => RawClient.connect(lab.server.port)));
      for (const c of held) expect((await c.reply()).code).toBe(220);
      const extra = await silent(lab.server.port);
      const refused = await firstReply(extra.socket);
      expect(refused.code).toBe(421);
      expect(refused.lines.join(' ')).toMatch(/too many connections, try again later/);
      for (const c of held) c.write('QUIT\r\n');
    });
  });
});

describe('an endless DATA', () => {
  it('is cut past the size limit with a 552 and a close; nothing is stored, no temp file stays', async () => {
    await withLabServer({ maxSize: 1024 }, async (lab) => {
      const client = await RawClient.connect(lab.server.port);
      expect((await client.reply()).code).toBe(220);
      await client.command('EHLO flood.example');
      await client.command('MAIL FROM:<a@example.org>');
      await client.command('RCPT TO:<b@example.org>');
      expect((await client.command('DATA')).code).toBe(354);
      const chunk = Buffer.from(`${'z'.repeat(1022)}\r\n`.repeat(64));
      const closed = client.closed();
      let sent = 0;
      let open = true;
      void closed.then(() => (open = false));
      // Endless as far as the client knows: it stops only when the server closes.
      while (open && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!client.socket.write(chunk)) {
          await Promise.race([new Promise((r) => client.socket.once('drain', r)), closed]);
        }
        await new Promise((r) => setImmediate(r));
      }
      await closed;
      const refused = client.received.at(-1)!;
      expect(refused.code).toBe(552);
      expect(sent).toBeLessThan(40 * 1024 * 1024);
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(0);
      const names = await readdir(lab.server.mailbox);
      expect(names.filter((n) => n.endsWith('.eml') || n.endsWith('.tmp'))).toEqual([]);
    });
  });
});
