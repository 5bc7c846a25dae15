import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { esc } from '../../assets/web/diagram.js';
import { DEFAULT_LANG, messages, parseLang, type Lang } from '../i18n/index.js';
import type { LabServer, LabSession, StoredMessage } from '../server/index.js';
import { redactTranscript } from '../transcript/redact.js';
import { Transcript } from '../transcript/events.js';
import { eventToJson } from '../transcript/jsonl.js';
import { messageAttachment, messageHtml, parseMessage } from './message-view.js';
import { readSessionFile, readSessionView } from './session-view.js';
import { MailboxReader, validId } from './store.js';
import { API_DOC } from './api-doc.js';
import { scriptJson, webText } from './text.js';

/**
 * The browser view's HTTP server (Hono on Node's http server): the UI's static files from the
 * package, the JSON API under /api/ that the UI itself uses, and one server-sent-events stream
 * that says when a message arrived or a session changed. Everything shown is read from the
 * mailbox folder on disk; the lab server's events only say when to read again.
 *
 * The page speaks the server's language (the command's --lang, SMTP_LAB_LANG or locale) unless its
 * address says otherwise (`/?lang=en`, `/?lang=zh-CN`: the switch at the top right): the words come
 * from the message catalogue, written into index.html as it is served.
 */

export const DEFAULT_WEB_PORT = 2580;

/** The UI's files, shipped in the package (assets/web), served as they are: no build step. */
const UI_DIR = fileURLToPath(new URL('../../assets/web/', import.meta.url));
const UI_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'diagram.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The UI's own pages: scripts and styles from this server only, student HTML only in a sandbox. */
const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** Student HTML: no script, nothing from anywhere (cid: images arrive inlined as data: URLs). */
export const MESSAGE_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'self'; sandbox";
/** Image types an attachment may be shown inline as (never SVG: it can carry script). */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface WebServerOptions {
  /** The running lab server: its events make the view live; its folder is what is shown. */
  lab?: Pick<LabServer, 'on' | 'off' | 'mailbox' | 'sessionsDir'>;
  /** Or only a folder (no live updates). */
  mailbox?: string;
  sessionsDir?: string;
  host?: string;
  /** 0 picks a free port. Default DEFAULT_WEB_PORT. */
  port?: number;
  /** The page's language when its address does not name one (`?lang=`). Default English. */
  lang?: Lang;
}

export interface WebServer {
  url: string;
  host: string;
  port: number;
  /** Shows the checks' verdicts beside the diagrams of the sessions they judged (lab). */
  publishChecks(results: readonly ShownCheck[], sessionIds: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * A check verdict as the browser view shows it (sent as JSON as it is). The grader's CheckResult is
 * one; the web view sits below the grader and does not import it.
 */
export interface ShownCheck {
  id: string;
  passed: boolean;
  applicable: boolean;
}

type Update =
  | { type: 'message'; id: string; sessionId: string }
  | { type: 'session'; id: string }
  | { type: 'session-change'; id: string }
  | { type: 'session-end'; id: string }
  | { type: 'checks' };

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const mailboxDir = options.lab?.mailbox ?? options.mailbox;
  const sessionsDir = options.lab?.sessionsDir ?? options.sessionsDir;
  if (!mailboxDir || !sessionsDir) throw new Error('startWebServer: give lab, or mailbox and sessionsDir');
  const reader = new MailboxReader(mailboxDir, sessionsDir);
  const listeners = new Set<(update: Update) => void>();
  const broadcast = (update: Update) => listeners.forEach((send) => send(update));
  const live = new Set<string>();
  /** The verdicts over each judged session (the last 500 sessions), and the latest ones. */
  const checks = new Map<string, readonly ShownCheck[]>();
  let latest: readonly ShownCheck[] = [];

  // Live: the lab server's events say what changed; the data is read from disk when asked for.
  const onMessage = (m: StoredMessage) => broadcast({ type: 'message', id: m.id, sessionId: m.sessionId });
  const onSession = (session: LabSession) => {
    live.add(session.id);
    broadcast({ type: 'session', id: session.id });
    let timer: NodeJS.Timeout | undefined;
    session.on('item', () => {
      // The transcript file is flushed every 20 ms: say so once it has the item, at most a few
      // times a second (a long DATA emits an item per line).
      timer ??= setTimeout(() => {
        timer = undefined;
        broadcast({ type: 'session-change', id: session.id });
      }, 150);
    });
    session.on('end', () => {
      clearTimeout(timer);
      live.delete(session.id);
      broadcast({ type: 'session-end', id: session.id });
    });
  };
  options.lab?.on('message', onMessage);
  options.lab?.on('session', onSession);

  const app = new Hono();

  // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not read the mailbox.
  let allowed = new Set<string>();
  app.use('*', async (c, next) => {
    if (!allowed.has((c.req.header('host') ?? '').toLowerCase())) {
      return c.text(`${messages(options.lang).t('web.error.foreignHost')}\n`, 421);
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', UI_CSP);
  });

  const serverLang = options.lang ?? DEFAULT_LANG;
  /** The language a request asks for with `?lang=`, else the server's. */
  const langOf = (c: Context): Lang => parseLang(c.req.query('lang') ?? '') ?? serverLang;

  app.get('/', (c) => indexPage(c, langOf(c)));
  app.get('/ui/:file', (c) =>
    c.req.param('file') === 'index.html' ? indexPage(c, langOf(c)) : uiFile(c, c.req.param('file')),
  );
  app.get('/api', (c) => c.json(API_DOC));

  app.get('/api/messages', async (c) => {
    const { offset, limit } = paging(c);
    return c.json(await reader.listMessages(offset, limit));
  });
  app.get('/api/messages/:id', async (c) => {
    const id = c.req.param('id');
    const record = await reader.record(id);
    const eml = record && (await reader.eml(id));
    if (!record || !eml) return notFound(c, 'message');
    return c.json({ record: publicRecord(record), ...(await parseMessage(eml, langOf(c))) });
  });
  app.get('/api/messages/:id/raw', async (c) => {
    const eml = await reader.eml(c.req.param('id'));
    if (!eml) return notFound(c, 'message');
    c.header('Content-Security-Policy', "default-src 'none'; sandbox");
    return c.body(new Uint8Array(eml), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
  app.get('/api/messages/:id/html', async (c) => {
    const eml = await reader.eml(c.req.param('id'));
    if (!eml) return notFound(c, 'message');
    const html = (await messageHtml(eml)) ?? '';
    c.header('Content-Security-Policy', MESSAGE_CSP);
    return c.body(html, 200, { 'Content-Type': 'text/html; charset=utf-8' });
  });
  app.get('/api/messages/:id/attachments/:index', async (c) => {
    const eml = await reader.eml(c.req.param('id'));
    const index = Number(c.req.param('index'));
    const a = eml && Number.isInteger(index) ? await messageAttachment(eml, index) : undefined;
    if (!a) return notFound(c, 'attachment');
    const inline = c.req.query('inline') !== undefined && INLINE_IMAGES.has(a.contentType.toLowerCase());
    const name = (a.filename ?? `part-${index}`).replace(/[^\w.\- ]/g, '_');
    c.header('Content-Security-Policy', "default-src 'none'; sandbox");
    return c.body(new Uint8Array(a.content), 200, {
      'Content-Type': inline ? a.contentType.toLowerCase() : 'application/octet-stream',
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
    });
  });

  app.get('/api/sessions', async (c) => {
    const { offset, limit } = paging(c);
    const page = await reader.listSessions(offset, limit);
    return c.json({ ...page, items: page.items.map((s) => ({ ...s, live: live.has(s.id) })) });
  });
  app.get('/api/sessions/:id', async (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return notFound(c, 'session');
    const view = await readSessionView(reader.sessionPath(id), { live: live.has(id), lang: langOf(c) }).catch(
      () => undefined,
    );
    if (!view) return notFound(c, 'session');
    // In lab, the verdicts that judged this session sit beside its diagram.
    return c.json({ ...view, checks: checks.get(id) ?? [] });
  });
  app.get('/api/sessions/:id/events', async (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return notFound(c, 'session');
    const read = await readSessionFile(reader.sessionPath(id)).catch(() => undefined);
    if (!read) return notFound(c, 'session');
    const transcript = new Transcript(read.meta);
    transcript.events.push(...read.events);
    return c.json({ meta: read.meta, events: redactTranscript(transcript).events.map(eventToJson) });
  });
  app.get('/api/checks', (c) => c.json({ checks: latest }));

  app.get('/api/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: Update[] = [];
      let wake: (() => void) | undefined;
      const send = (update: Update) => {
        queue.push(update);
        wake?.();
      };
      listeners.add(send);
      stream.onAbort(() => {
        listeners.delete(send);
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      while (!stream.aborted && !stream.closed) {
        const update = queue.shift();
        if (update) {
          await stream.writeSSE({ event: update.type, data: JSON.stringify(update) });
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = undefined;
        if (!queue.length && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
      }
      listeners.delete(send);
    }),
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => c.json({ error: String(err.message ?? err) }, 500));

  const server = serve({
    fetch: app.fetch,
    hostname: host,
    port: options.port ?? DEFAULT_WEB_PORT,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    publishChecks(results, sessionIds) {
      latest = results;
      for (const id of sessionIds) {
        checks.delete(id);
        checks.set(id, results);
      }
      while (checks.size > 500) checks.delete(checks.keys().next().value!);
      broadcast({ type: 'checks' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        options.lab?.off('message', onMessage);
        options.lab?.off('session', onSession);
        listeners.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The Host header values this server answers to: its own address (and localhost for loopback);
 * listening on every interface (--host 0.0.0.0), each interface's address and this machine's name.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const bracket = (a: string) => (a.includes(':') ? `[${a}]` : a);
  const names = new Set<string>([bracket(host)]);
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') loopback.forEach((n) => names.add(n));
  if (host === '0.0.0.0' || host === '::') {
    loopback.forEach((n) => names.add(n));
    names.add(os.hostname());
    for (const list of Object.values(os.networkInterfaces())) {
      for (const i of list ?? []) names.add(bracket(i.address));
    }
  }
  return new Set([...names].map((n) => `${n}:${port}`.toLowerCase()));
}

/**
 * index.html in one language: `{{lang}}`, `{{text}}` (every `web.` message, as JSON the page reads)
 * and `{{web.…}}` (one message, escaped) filled in.
 */
async function indexPage(c: Context, lang: Lang) {
  const text = webText(lang);
  const template = await readFile(UI_DIR + 'index.html', 'utf8');
  const html = template.replace(/\{\{([\w.-]+)\}\}/g, (whole, name: string) => {
    if (name === 'lang') return lang;
    if (name === 'text') return scriptJson(text);
    return Object.hasOwn(text, name) ? esc(text[name]) : whole;
  });
  return c.body(html, 200, { 'Content-Type': UI_FILES['index.html']!, 'Content-Language': lang });
}

async function uiFile(c: Context, file: string) {
  const type = UI_FILES[file];
  if (!type) return notFound(c, 'file');
  return c.body(await readFile(UI_DIR + file), 200, { 'Content-Type': type });
}

function paging(c: Context): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(Number(c.req.query('offset') ?? 0)) || 0);
  const limit = Math.min(200, Math.max(1, Math.floor(Number(c.req.query('limit') ?? 50)) || 50));
  return { offset, limit };
}

function notFound(c: Context, what: string) {
  return c.json({ error: `no such ${what}` }, 404);
}

/** The record as the API shows it: without the server's own file paths. */
function publicRecord(record: object): object {
  const { emlPath: _e, jsonPath: _j, ...rest } = record as Record<string, unknown>;
  return rest;
}
