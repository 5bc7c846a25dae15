import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { MASK } from '../../src/transcript/framer.js';
import { eventLine, sessionLine } from '../../src/transcript/jsonl.js';
import {
  buildSessionView,
  MAX_SESSION_FILE,
  readSessionFile,
  readSessionView,
  type SessionView,
} from '../../src/web/session-view.js';
import { renderDiagram, rowAnchor, rowForLine } from '../../assets/web/diagram.js';
import { PASS, USER, sharedCa, withLabServer, type Lab } from '../helpers/lab-server.js';
import { send } from './helpers.js';

async function viewOf(lab: Lab, index = 0): Promise<SessionView> {
  await lab.sessionsEnded();
  const session = lab.sessions[index]!;
  return readSessionView(session.transcriptPath!);
}

/** Every byte and every text a view would show, decoded, in one string. */
function everythingShown(view: SessionView): string {
  return view.rows
    .flatMap((r) => [
      r.text,
      Buffer.from(r.b64, 'base64').toString('latin1'),
      ...(r.pieces ?? []).map((p) => Buffer.from(p.b64, 'base64').toString('latin1')),
    ])
    .join('\n');
}

describe('session view (diagram rows from the transcript file on disk)', () => {
  it('draws a fragmented reply as its pieces: each write, in order, together exactly the reply', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withLabServer(serverOptionsFor(scenario), async (lab) => {
      await send(lab);
      const view = await viewOf(lab);
      const replies = view.rows.filter((r) => r.kind === 'reply');
      expect(replies.map((r) => r.code)).toEqual([220, 250, 250, 250, 354, 250, 221]);
      for (const reply of replies) {
        const bytes = Buffer.from(reply.b64, 'base64');
        expect(reply.pieces!.length).toBe(Math.ceil(bytes.length / 5));
        expect(Buffer.concat(reply.pieces!.map((p) => Buffer.from(p.b64, 'base64')))).toEqual(bytes);
        const times = reply.pieces!.map((p) => p.t);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(reply.flags.map((f) => f.kind)).toContain('fragmented');
      }
      // The scenario's fault is drawn where it was applied.
      expect(view.rows.some((r) => r.kind === 'fault' && /split into 5-byte pieces/.test(r.text))).toBe(true);
      expect(view.live).toBe(false);
    });
  });

  it('puts rows in time order: a greeting in pieces starts above the HELO that overtook it', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withLabServer(serverOptionsFor(scenario), async (lab) => {
      // A student who reads one recv(1024) of the greeting (its first 5-byte piece) and goes on.
      const socket = net.connect(lab.server.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('data', resolve));
      socket.write('HELO Alice\r\n');
      // Wait for the greeting's end and HELO's 250 (all in pieces), then leave.
      let seen = '';
      await new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          seen += chunk.toString('latin1');
          if (/\r\n250[ -][^\n]*\n/.test(seen)) resolve();
        });
      });
      socket.end('QUIT\r\n');
      await new Promise((resolve) => socket.once('close', resolve));
      const view = await viewOf(lab);
      const times = view.rows.map((r) => r.t);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(view.rows.map((r) => r.n)).toEqual(view.rows.map((_, i) => i));
      const greeting = view.rows.find((r) => r.code === 220)!;
      const helo = view.rows.find((r) => /^HELO/.test(r.text))!;
      expect(greeting.pieces!.length).toBeGreaterThan(2);
      // The framer completes the greeting only after HELO was sent; the view orders by arrival.
      expect(greeting.pieces![0]!.t).toBeLessThan(helo.t);
      expect(greeting.pieces!.at(-1)!.t).toBeGreaterThan(helo.t);
      expect(greeting.n).toBeLessThan(helo.n);
      // HELO says which reply it overtook and after which piece.
      const after = greeting.pieces!.filter((p) => p.t <= helo.t).length;
      expect(helo.overtook).toEqual({ n: greeting.n, after, of: greeting.pieces!.length });
      expect(helo.flags.find((f) => f.kind === 'early')?.text).toBe(
        `sent before the reply was complete: the 220 reply had arrived in ${after} of ${greeting.pieces!.length} pieces`,
      );
      // Evidence lines still find their row though lines are no longer in row order.
      for (const row of view.rows) expect(rowForLine(view, row.line)?.line).toBe(row.line);
      // The picture: HELO's arrow is drawn between the greeting's piece `after` and the next one.
      const svg = renderDiagram(view);
      const group = (n: number) => {
        const start = svg.indexOf(`id="${rowAnchor(view.id, n)}"`);
        return svg.slice(start, svg.indexOf('</g>', svg.indexOf('</title>', start)));
      };
      const arrowYs = (markup: string, cls: string) =>
        [...markup.matchAll(new RegExp(`<line class="arrow ${cls}[^"]*"[^>]* y1="([\\d.]+)"`, 'g'))].map(
          (m) => Number(m[1]),
        );
      const pieceYs = arrowYs(group(greeting.n), 's2c piece');
      expect(pieceYs).toHaveLength(greeting.pieces!.length);
      const [heloY] = arrowYs(group(helo.n), 'c2s');
      expect(heloY).toBeGreaterThan(pieceYs[after - 1]!);
      expect(heloY).toBeLessThan(pieceYs[after]!);
    });
  });

  it('masks credentials (AUTH LOGIN and PLAIN) in every text, byte and piece it shows; draws the TLS upgrade', async () => {
    await withLabServer({ auth: 'required', requireTls: true }, async (lab) => {
      const ca = (await sharedCa()).caCert;
      for (const mechanism of ['LOGIN', 'PLAIN'] as const) {
        await send(lab, {
          tls: 'starttls',
          tlsSettings: { ca },
          auth: { user: USER, password: PASS, mechanism },
        });
      }
      for (const index of [0, 1]) {
        const view = await viewOf(lab, index);
        const shown = everythingShown(view);
        for (const secret of [
          PASS,
          Buffer.from(PASS).toString('base64'),
          Buffer.from(`\0${USER}\0${PASS}`).toString('base64'),
        ]) {
          expect(shown).not.toContain(secret);
        }
        expect(shown).toContain(MASK);
        expect(view.rows.some((r) => r.flags.some((f) => f.kind === 'secret'))).toBe(true);
        const tls = view.rows.findIndex((r) => r.kind === 'tls');
        expect(tls).toBeGreaterThan(0);
        expect(
          view.rows
            .slice(tls + 1)
            .filter((r) => r.dir !== 'info')
            .every((r) => r.tls),
        ).toBe(true);
      }
    });
  });

  it('flags what the transcript knows: sent before the reply, bare LF, plaintext after STARTTLS', async () => {
    await withLabServer({}, async (lab) => {
      const socket = net.connect(lab.server.port, '127.0.0.1');
      const replies: string[] = [];
      let buffered = '';
      /** Waits for `count` final reply lines with this code (replies may share a chunk). */
      const reply = (code: string, count = 1) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if ((buffered.match(new RegExp(`(^|\\n)${code} `, 'g')) ?? []).length >= count) {
              buffered = '';
              socket.off('data', onData);
              resolve();
            }
          };
          const onData = (chunk: Buffer) => {
            buffered += chunk.toString('latin1');
            replies.push(chunk.toString('latin1'));
            check();
          };
          socket.on('data', onData);
          check();
        });
      await new Promise((resolve) => socket.once('connect', resolve));
      await reply('220');
      socket.write('EHLO student-laptop\r\n');
      await reply('250');
      // RCPT goes out in the same write as MAIL: before MAIL's reply (and MAIL ends with LF alone).
      socket.write('MAIL FROM:<a@example.test>\nRCPT TO:<b@example.test>\r\n');
      await reply('250', 2);
      // Plaintext behind STARTTLS in the same write, where TLS should start: the server ignores it.
      socket.write('STARTTLS\r\nRSET\r\n');
      await reply('220');
      socket.end();
      await new Promise((resolve) => socket.once('close', resolve));
      const view = await viewOf(lab);
      const flagsOf = (pattern: RegExp) =>
        view.rows.find((r) => pattern.test(r.text))?.flags.map((f) => f.kind);
      expect(flagsOf(/^EHLO/)).toEqual([]);
      expect(flagsOf(/^RCPT TO/)).toContain('early');
      expect(flagsOf(/^MAIL FROM/)).toContain('bare-lf');
      expect(flagsOf(/^RSET/)).toContain('plaintext-after-starttls');
      // Exact bytes: the bare LF is there as sent.
      const mail = view.rows.find((r) => /^MAIL FROM/.test(r.text))!;
      expect(Buffer.from(mail.b64, 'base64').toString()).toBe('MAIL FROM:<a@example.test>\n');
    });
  });

  it('summarises a long message body into one row and still counts every byte', async () => {
    await withLabServer({}, async (lab) => {
      const body = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\r\n');
      await send(lab, { message: `Subject: long\r\n\r\n${body}\r\n` });
      const view = await viewOf(lab);
      const more = view.rows.find((r) => r.kind === 'data-more')!;
      expect(more.text).toMatch(/more body lines/);
      const dataRows = view.rows.filter((r) => r.kind === 'data');
      const total = [...dataRows, more].reduce((n, r) => n + r.bytes, 0);
      expect(total).toBe(Buffer.byteLength(`Subject: long\r\n\r\n${body}\r\n`));
      expect(view.rows.length).toBeLessThan(40);
    });
  });

  it('reads the file as a stream: the same rows as the whole transcript, and a half-written last line is left out', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withLabServer(serverOptionsFor(scenario), async (lab) => {
      const body = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\r\n');
      await send(lab, { message: `Subject: long\r\n\r\n${body}\r\n` });
      await lab.sessionsEnded();
      const file = lab.sessions[0]!.transcriptPath!;
      const whole = await readSessionFile(file);
      const streamed = await readSessionView(file);
      expect(streamed).toEqual(buildSessionView(whole.meta, whole.events));
      expect(streamed.rows.filter((r) => r.kind === 'reply').every((r) => r.pieces!.length > 1)).toBe(true);
      // The server is still writing: its last line is cut in the middle.
      const text = await readFile(file, 'utf8');
      const lines = text.trimEnd().split('\n');
      const partial = path.join(path.dirname(file), 'partial.jsonl');
      await writeFile(partial, [...lines.slice(0, -1), lines.at(-1)!.slice(0, 10)].join('\n'));
      const cut = await readSessionView(partial);
      const events = whole.events.slice(0, -1);
      expect(cut).toEqual(buildSessionView(whole.meta, events));
      await expect(readSessionView(path.join(path.dirname(file), 'missing.jsonl'))).rejects.toThrow();
    });
  });

  it('reads a transcript past the old 16 MB whole-file limit to its end (a 20 MB message body)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-session-view-'));
    try {
      const file = path.join(dir, 'big.jsonl');
      const out = createWriteStream(file);
      let t = 0;
      const wire = (dir: 'c2s' | 's2c', text: string) =>
        eventLine({ type: 'wire', t: (t += 0.5), dir, tls: false, data: Buffer.from(text) }) + '\n';
      out.write(sessionLine({ id: 'big', startedAt: new Date(0).toISOString() }) + '\n');
      for (const [c, s] of [
        ['', '220 lab ESMTP\r\n'],
        ['EHLO a\r\n', '250 ok\r\n'],
        ['MAIL FROM:<a@example.test>\r\n', '250 ok\r\n'],
        ['RCPT TO:<b@example.test>\r\n', '250 ok\r\n'],
        ['DATA\r\n', '354 go\r\n'],
      ] as const) {
        if (c) out.write(wire('c2s', c));
        out.write(wire('s2c', s));
      }
      const chunk = `${'x'.repeat(998)}\r\n`.repeat(10);
      for (let i = 0; i < 2000; i++) {
        if (!out.write(wire('c2s', chunk)))
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      out.write(wire('c2s', '.\r\n') + wire('s2c', '250 stored\r\n'));
      out.write(wire('c2s', 'QUIT\r\n') + wire('s2c', '221 bye\r\n'));
      out.write(
        eventLine({
          type: 'note',
          t: (t += 1),
          level: 'info',
          text: 'client connection closed',
          kind: 'client-closed',
        }) + '\n',
      );
      await new Promise<void>((resolve) => out.end(() => resolve()));
      expect((await stat(file)).size).toBeGreaterThan(MAX_SESSION_FILE);
      const view = await readSessionView(file);
      expect(view.truncatedBytes).toBeUndefined();
      expect(view.live).toBe(false);
      expect(view.rows.filter((r) => r.kind === 'reply').map((r) => r.code)).toEqual([
        220, 250, 250, 250, 354, 250, 221,
      ]);
      const more = view.rows.find((r) => r.kind === 'data-more')!;
      expect(more.text).toMatch(/^… 199\d\d more body lines/);
      expect(view.rows.length).toBeLessThan(40);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
