import http from 'node:http';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/transcript/redact.js';
import os from 'node:os';
import { MESSAGE_CSP, startWebServer, type WebServer } from '../../src/web/index.js';
import { allowedHosts } from '../../src/web/server.js';
import { PASS, USER, sharedCa } from '../helpers/lab-server.js';
import { get, getJson, send, sendImageMessage, withWeb } from './helpers.js';

/** Reads server-sent events until `until` returns true for one of them. */
function sseUntil(
  web: WebServer,
  until: (event: { event: string; data: any }) => boolean,
  opened: () => void,
): Promise<Array<{ event: string; data: any }>> {
  return new Promise((resolve, reject) => {
    const seen: Array<{ event: string; data: any }> = [];
    const req = http.get(
      { host: '127.0.0.1', port: web.port, path: '/api/stream', headers: { Host: `127.0.0.1:${web.port}` } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
            seen.push({ event, data });
            if (event === 'hello') opened();
            if (until({ event, data })) {
              req.destroy();
              resolve(seen);
            }
          }
        });
      },
    );
    req.on('error', (err) => (seen.length ? undefined : reject(err)));
  });
}

describe('web server: JSON API from disk, live stream, security', () => {
  it('says when a message arrived (SSE), after it is on disk and listed; a session end too', async () => {
    await withWeb({}, async (lab, web) => {
      let sent: Promise<unknown> | undefined;
      const events = await sseUntil(
        web,
        (e) => e.event === 'session-end',
        () => (sent ??= send(lab)),
      );
      await sent;
      const message = events.find((e) => e.event === 'message')!;
      expect(message.data.id).toBe(lab.messages[0]!.id);
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['hello', 'session', 'message', 'session-end']),
      );
      const list = await getJson(web, '/api/messages');
      expect(list.items.map((m: { id: string }) => m.id)).toEqual([lab.messages[0]!.id]);
    });
  });

  it('a running session is live: its changes are announced, its rows readable before it ends', async () => {
    await withWeb({}, async (lab, web) => {
      const socket = net.connect(lab.server.port, '127.0.0.1');
      const session = await lab.nextSession();
      await new Promise((resolve) => socket.once('data', resolve)); // the greeting
      // Say EHLO once the stream is open; the announcement comes once the line is on disk.
      await sseUntil(
        web,
        (e) => e.event === 'session-change' && e.data.id === session.id,
        () => socket.write('EHLO live-student\r\n'),
      );
      const live = await getJson(web, `/api/sessions/${session.id}`);
      expect(live.live).toBe(true);
      expect(live.rows.map((r: { text: string }) => r.text)).toContain('EHLO live-student');
      expect((await getJson(web, '/api/sessions')).items[0]).toMatchObject({ id: session.id, live: true });
      socket.end('QUIT\r\n');
      await session.ended;
      const ended = await getJson(web, `/api/sessions/${session.id}`);
      expect(ended.live).toBe(false);
      expect(ended.rows.at(-1).text).toMatch(/closed/);
    });
  });

  it('pages newest first, reads everything from disk, and survives a restart', async () => {
    await withWeb({}, async (lab, web) => {
      for (const n of [1, 2, 3]) await send(lab, { message: `Subject: number ${n}\r\n\r\nbody\r\n` });
      const first = await getJson(web, '/api/messages?limit=2');
      expect(first.total).toBe(3);
      expect(first.items.map((m: { subject: string }) => m.subject)).toEqual(['number 3', 'number 2']);
      const second = await getJson(web, '/api/messages?offset=2&limit=2');
      expect(second.items.map((m: { subject: string }) => m.subject)).toEqual(['number 1']);
      await lab.sessionsEnded();
      const sessions = await getJson(web, '/api/sessions');
      expect(sessions.total).toBe(3);

      // A new web server over the same folder, no lab server: the same mailbox.
      await web.close();
      const again = await startWebServer({
        mailbox: lab.server.mailbox,
        sessionsDir: lab.server.sessionsDir,
        port: 0,
      });
      try {
        const list = await getJson(again, '/api/messages?limit=10');
        expect(list.items.map((m: { subject: string }) => m.subject)).toEqual([
          'number 3',
          'number 2',
          'number 1',
        ]);
        const id = list.items[0].id;
        const raw = await get(again, `/api/messages/${id}/raw`);
        expect(raw.body.toString('latin1')).toBe(
          (await readFile(lab.messages[2]!.emlPath)).toString('latin1'),
        );
        expect(raw.headers['content-type']).toMatch(/^text\/plain/);
        const view = await getJson(again, `/api/sessions/${lab.messages[2]!.sessionId}`);
        expect(view.rows.some((r: { text: string }) => r.text === 'Subject: number 3')).toBe(true);
      } finally {
        await again.close();
      }
    });
  });

  it('refuses a foreign Host header (DNS rebinding), sends no CORS headers, serves student HTML under a no-script CSP', async () => {
    await withWeb({}, async (lab, web) => {
      await sendImageMessage(lab);
      const id = lab.messages[0]!.id;
      for (const host of ['evil.example', `evil.example:${web.port}`, `127.0.0.1.nip.io:${web.port}`]) {
        const res = await get(web, '/api/messages', { Host: host });
        expect(res.status, host).toBe(421);
        expect(res.body.toString()).not.toContain(id);
      }
      expect((await get(web, '/api/messages', { Host: `localhost:${web.port}` })).status).toBe(200);

      const res = await get(web, `/api/messages/${id}`, { Origin: 'http://evil.example' });
      expect(res.status).toBe(200);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);

      const html = await get(web, `/api/messages/${id}/html`);
      expect(html.headers['content-security-policy']).toBe(MESSAGE_CSP);
      expect(MESSAGE_CSP).toMatch(/default-src 'none'/);
      expect(MESSAGE_CSP).not.toMatch(/script-src/);
      expect(MESSAGE_CSP).toMatch(/img-src data:;/);
      expect(MESSAGE_CSP).toMatch(/sandbox$/);

      const download = await get(web, `/api/messages/${id}/attachments/0`);
      expect(download.headers['content-type']).toBe('application/octet-stream');
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="smtp-lab.png"/);
      const inline = await get(web, `/api/messages/${id}/attachments/0?inline`);
      expect(inline.headers['content-type']).toBe('image/png');
      expect(inline.body.subarray(1, 4).toString()).toBe('PNG');

      for (const bad of ['..%2F..%2Fetc%2Fpasswd', '.hidden', 'a%00b']) {
        expect((await get(web, `/api/messages/${bad}`)).status, bad).toBe(404);
        expect((await get(web, `/api/sessions/${bad}`)).status, bad).toBe(404);
      }
      expect((await get(web, '/ui/..%2F..%2Fpackage.json')).status).toBe(404);
    });
  });

  it('on every interface (--host 0.0.0.0) it answers to each address of this machine, and only those', () => {
    const allowed = allowedHosts('0.0.0.0', 2580);
    const some = Object.values(os.networkInterfaces()).flat()[0]!;
    expect(allowed.has(`${some.family === 'IPv6' ? `[${some.address}]` : some.address}:2580`)).toBe(true);
    expect(allowed.has(`${os.hostname()}:2580`.toLowerCase())).toBe(true);
    expect(allowed.has('localhost:2580')).toBe(true);
    expect(allowed.has('evil.example:2580')).toBe(false);
    expect(allowed.has('localhost:2581')).toBe(false);
    expect(allowedHosts('127.0.0.1', 2580)).toEqual(
      new Set(['127.0.0.1:2580', 'localhost:2580', '[::1]:2580']),
    );
  });

  it('never shows a credential: not in the diagram rows, not in the events', async () => {
    await withWeb({ auth: 'required' }, async (lab, web) => {
      const ca = (await sharedCa()).caCert;
      await send(lab, {
        tls: 'starttls',
        tlsSettings: { ca },
        auth: { user: USER, password: PASS, mechanism: 'PLAIN' },
      });
      await send(lab, {
        tls: 'starttls',
        tlsSettings: { ca },
        auth: { user: USER, password: PASS, mechanism: 'LOGIN' },
      });
      await lab.sessionsEnded();
      const forms = secretForms(USER, PASS);
      for (const session of lab.sessions) {
        for (const path of [`/api/sessions/${session.id}`, `/api/sessions/${session.id}/events`]) {
          const body = (await get(web, path)).body.toString('utf8');
          // Rows and events carry bytes as base64 too: decode every string that could be base64.
          const decoded = [...body.matchAll(/"(?:b64|text)":"([^"]*)"/g)].map((m) =>
            Buffer.from(m[1]!, 'base64').toString('latin1'),
          );
          for (const form of forms) {
            expect(body, path).not.toContain(form);
            for (const d of decoded) expect(d).not.toContain(PASS);
          }
        }
      }
      // The file on disk keeps the raw events: the API masks them, the file is not changed.
      const raw = await readFile(lab.sessions[1]!.transcriptPath!, 'utf8');
      expect(raw).toContain(Buffer.from(PASS).toString('base64'));
    });
  });
});
