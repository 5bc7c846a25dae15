// npm run bench -- web: the browser view. Time to first paint of the inbox and of a 200-line
// conversation (Debian's chromium, headless), API response times and the server's memory with
// 10,000 messages against an empty mailbox; MailDev's figures side by side where it can be
// installed from npm (BENCH_MAILDEV=0 skips it). Everything on 127.0.0.1.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { sendMail } from '../dist/client/index.js';
import { startLabServer } from '../dist/server/index.js';
import { startWebServer } from '../dist/web/index.js';
import { maildevBin, startMaildev } from './maildev.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const MESSAGES = env('BENCH_WEB_MESSAGES', 10_000);
const SAMPLES = env('BENCH_WEB_SAMPLES', 30);
const PAINTS = env('BENCH_WEB_PAINTS', 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = (text) => process.stderr.write(`web bench: ${text}\n`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

/** GET, resolving with the time to the last byte (ms) and the body. */
function timedGet(port, urlPath) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ ms: performance.now() - t0, status: res.statusCode, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

async function timeRoute(port, urlPath) {
  const first = await timedGet(port, urlPath);
  if (first.status !== 200) throw new Error(`${urlPath}: ${first.status}`);
  const times = [];
  for (let i = 0; i < SAMPLES; i++) times.push((await timedGet(port, urlPath)).ms);
  return { first: first.ms, median: median(times), p90: p90(times) };
}

function rssKiB(pid) {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  return {
    rss: Number(/^VmRSS:\s+(\d+)/m.exec(status)[1]),
    hwm: Number(/^VmHWM:\s+(\d+)/m.exec(status)[1]),
  };
}

// ---------- the seed: one real run of the lab server ----------

/** A real mailbox: the reference client's text message, and a 200-line conversation. */
async function seed() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-bench-web-seed-'));
  const server = await startLabServer({ mailbox: dir, port: 0 });
  const sessions = [];
  server.on('session', (s) => sessions.push(s));
  try {
    await sendMail({
      host: '127.0.0.1',
      port: server.port,
      tls: 'none',
      helo: 'bench',
      from: 'student@smtp-lab.test',
      recipients: ['teacher@smtp-lab.test'],
      message:
        'From: student@smtp-lab.test\r\nTo: teacher@smtp-lab.test\r\nSubject: I love computer networks!\r\n\r\nHello.\r\n',
    });
    // 200 lines: the greeting, EHLO, then 99 NOOPs and their replies, each after the last.
    const socket = net.connect(server.port, '127.0.0.1');
    let buffered = '';
    let waiting;
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      waiting?.();
    });
    /** Resolves once `n` final reply lines have arrived in all. */
    const replies = (n) =>
      new Promise((resolve) => {
        waiting = () => {
          if ((buffered.match(/^\d{3} /gm) ?? []).length >= n) resolve();
        };
        waiting();
      });
    let owed = 1;
    await replies(owed);
    socket.write('EHLO bench\r\n');
    await replies(++owed);
    for (let i = 0; i < 98; i++) {
      socket.write('NOOP\r\n');
      await replies(++owed);
    }
    socket.end('QUIT\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    await Promise.all(sessions.map((s) => s.ended));
  } finally {
    await server.stop();
  }
  const message = sessions[0].messages[0];
  return {
    dir,
    eml: await readFile(message.emlPath),
    record: JSON.parse(await readFile(message.jsonPath, 'utf8')),
    messageSession: await readFile(sessions[0].transcriptPath, 'utf8'),
    longSession: { id: sessions[1].id, text: await readFile(sessions[1].transcriptPath, 'utf8') },
  };
}

/** A mailbox of `n` messages (copies of the seed with their own ids and sessions). */
async function fill(seeded, n) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-bench-web-'));
  const sessions = path.join(dir, 'sessions');
  await mkdir(sessions);
  const oldSession = seeded.record.sessionId;
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, async () => {
        const sessionId = randomBytes(6).toString('hex');
        const id = `${sessionId}-1`;
        await writeFile(path.join(dir, `${id}.eml`), seeded.eml);
        await writeFile(
          path.join(dir, `${id}.json`),
          JSON.stringify({ ...seeded.record, id, sessionId, receivedAt: new Date().toISOString() }, null, 2) +
            '\n',
        );
        await writeFile(
          path.join(sessions, `${sessionId}.jsonl`),
          seeded.messageSession.split(oldSession).join(sessionId),
        );
      }),
    );
  }
  await writeFile(path.join(sessions, `${seeded.longSession.id}.jsonl`), seeded.longSession.text);
  return dir;
}

// ---------- smtp-lab's browser view ----------

async function startWeb(dir) {
  const child = fork(path.join(here, 'web-server.js'), [dir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--expose-gc'],
  });
  const { port, url } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`web server exited with ${code}`)));
  });
  return {
    port,
    url,
    pid: child.pid,
    /** Collects garbage in the server, then reads its memory: what it keeps, not what it left. */
    memory: async () => {
      const { usage } = await new Promise((resolve) => {
        child.once('message', resolve);
        child.send('gc');
      });
      return { ...rssKiB(child.pid), usage };
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send('stop');
      }),
  };
}

/** Navigation start to first contentful paint, and to `ready` (the content shown), in ms. */
async function paint(browser, url, ready) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(ready, { timeout: 30_000, polling: 'raf' });
    return await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      ready: performance.now(),
    }));
  } finally {
    await page.close();
  }
}

async function paints(browser, url, ready) {
  const runs = [];
  for (let i = 0; i < PAINTS; i++) runs.push(await paint(browser, url, ready));
  return { fcp: median(runs.map((r) => r.fcp)), ready: median(runs.map((r) => r.ready)) };
}

/**
 * One run of the browser view over a mailbox. Every run does the same work in the same order, so
 * that memory compares what a mailbox costs, not which code ran: first the message and session
 * routes and the session's paint (over the first message and the 200-line session), then the
 * list routes and the inbox's paint. `empty`: the mailbox holds only that one message and the
 * sessions, removed after the first part: the list figures and the memory are an empty mailbox's
 * (its message and session figures, from a one-message mailbox, are not reported).
 */
async function measureLab(browser, dir, sessionId, { empty = false } = {}) {
  const web = await startWeb(dir);
  try {
    const first = JSON.parse((await timedGet(web.port, '/api/messages?limit=1')).body.toString()).items[0];
    const routes = {};
    routes['one message, parsed'] = await timeRoute(web.port, `/api/messages/${first.id}`);
    routes['its HTML part'] = await timeRoute(web.port, `/api/messages/${first.id}/html`);
    routes['200-line session'] = await timeRoute(web.port, `/api/sessions/${sessionId}`);
    const rows = JSON.parse((await timedGet(web.port, `/api/sessions/${sessionId}`)).body.toString()).rows
      .length;
    if (rows < 200) throw new Error(`the long session has ${rows} rows, not 200`);
    let session = await paints(
      browser,
      `${web.url}#/sessions/${sessionId}`,
      () => document.querySelectorAll('svg.diagram g.row').length >= 200,
    );
    if (empty) {
      for (const name of Object.keys(routes)) delete routes[name];
      session = undefined;
      await rm(dir, { recursive: true, force: true });
      await mkdir(path.join(dir, 'sessions'), { recursive: true });
    }
    const list = JSON.parse((await timedGet(web.port, '/api/messages?limit=50')).body.toString());
    if (empty && list.total !== 0) throw new Error(`the emptied mailbox lists ${list.total} messages`);
    routes['messages, first page'] = await timeRoute(web.port, '/api/messages?limit=50');
    routes['messages, last page'] = await timeRoute(
      web.port,
      `/api/messages?offset=${Math.max(0, list.total - 50)}&limit=50`,
    );
    const inbox = await paints(browser, web.url, () =>
      Boolean(document.querySelector('#list li.item, #list .empty')),
    );
    return { total: list.total, routes, inbox, session, memory: await web.memory() };
  } finally {
    await web.stop();
  }
}

/**
 * From the 250 the client reads to the message in the open inbox: a lab server and its browser
 * view (in this process), the inbox open in chromium, `n` messages sent one after the other.
 */
async function arrival(browser, n) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-bench-web-live-'));
  const server = await startLabServer({ mailbox: dir, port: 0 });
  const web = await startWebServer({ lab: server, port: 0 });
  const page = await browser.newPage();
  const times = [];
  try {
    await page.goto(web.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('status')?.textContent === '● live');
    for (let i = 1; i <= n; i++) {
      await sendMail({
        host: '127.0.0.1',
        port: server.port,
        tls: 'none',
        helo: 'bench',
        from: 'student@smtp-lab.test',
        recipients: ['teacher@smtp-lab.test'],
        message: `Subject: arrival ${i}\r\n\r\nhello\r\n`,
      });
      const t0 = performance.now();
      await page.waitForFunction(
        (count) => document.querySelectorAll('#list li.item').length >= count,
        { polling: 'raf', timeout: 10_000 },
        i,
      );
      times.push(performance.now() - t0);
    }
  } finally {
    await page.close();
    await web.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { median: median(times), p90: p90(times), max: Math.max(...times) };
}

// ---------- MailDev, side by side ----------

async function fillMaildev(port, eml, n) {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
  });
  for (let i = 0; i < n; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, () =>
        transport.sendMail({
          envelope: { from: 'student@smtp-lab.test', to: ['teacher@smtp-lab.test'] },
          raw: eml,
        }),
      ),
    );
  }
  transport.close();
}

async function measureMaildev(browser, bin, eml, n) {
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-bench-maildev-mail-'));
  const md = await startMaildev(bin, mailDir);
  try {
    if (n) await fillMaildev(md.smtp, eml, n);
    const first = JSON.parse((await timedGet(md.web, '/api/email/summary?limit=50')).body.toString());
    const total = first.total ?? n;
    const routes = {
      'messages, first page': await timeRoute(md.web, '/api/email/summary?limit=50'),
      'messages, last page': await timeRoute(
        md.web,
        `/api/email/summary?skip=${Math.max(0, total - 50)}&limit=50`,
      ),
      'all messages (/api/email)': await timeRoute(md.web, '/api/email'),
    };
    const id = (first.items ?? first.emails ?? first.data ?? [])[0]?.id;
    if (id) routes['one message, parsed'] = await timeRoute(md.web, `/api/email/${id}`);
    // Its list is shown once a subject is on the page (an empty inbox: once the page is complete).
    const inbox = await paints(
      browser,
      md.url,
      n
        ? () => document.body.innerText.includes('I love computer networks')
        : () => document.readyState === 'complete',
    );
    return { total, routes, inbox, memory: rssKiB(md.pid) };
  } finally {
    await md.stop();
    await rm(mailDir, { recursive: true, force: true });
  }
}

// ---------- run ----------

const fmt = (ms) => (ms === undefined || Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const mb = (kib) => (kib / 1024).toFixed(1);

log(`seeding a real run, then a mailbox of ${MESSAGES} messages`);
const seeded = await seed();
const one = await fill(seeded, 50);
const full = await fill(seeded, MESSAGES);
const empty = await fill(seeded, 1);
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const out = { messages: MESSAGES, samples: SAMPLES, paints: PAINTS };
try {
  log('smtp-lab, empty mailbox');
  out.labEmpty = await measureLab(browser, empty, seeded.longSession.id, { empty: true });
  log('smtp-lab, 50 messages (one page)');
  out.labOne = await measureLab(browser, one, seeded.longSession.id);
  log(`smtp-lab, ${MESSAGES} messages`);
  out.labFull = await measureLab(browser, full, seeded.longSession.id);
  log('smtp-lab, 250 to the open inbox');
  out.arrival = await arrival(browser, env('BENCH_WEB_ARRIVALS', 20));
  if (process.env.BENCH_MAILDEV !== '0') {
    try {
      const { bin, version } = await maildevBin(log);
      out.maildev = { version };
      log(`MailDev ${version}, empty`);
      out.maildev.empty = await measureMaildev(browser, bin, seeded.eml, 0);
      log(`MailDev ${version}, ${MESSAGES} messages (sent over SMTP)`);
      out.maildev.full = await measureMaildev(browser, bin, seeded.eml, MESSAGES);
    } catch (err) {
      out.maildev = { skipped: String(err.message ?? err) };
    }
  }
} finally {
  await browser.close();
  await Promise.all([seeded.dir, one, full, empty].map((d) => rm(d, { recursive: true, force: true })));
}

const lines = [];
const row = (label, ...cells) =>
  lines.push(`${label.padEnd(44)}${cells.map((c) => String(c).padStart(14)).join('')}`);
row('', 'empty', '50 msgs', `${MESSAGES} msgs`);
row('smtp-lab API ms (median / p90)', '', '', '');
for (const name of Object.keys(out.labFull.routes)) {
  const cell = (r) => (r?.routes[name] ? `${fmt(r.routes[name].median)} / ${fmt(r.routes[name].p90)}` : '-');
  row(`  ${name}`, cell(out.labEmpty), cell(out.labOne), cell(out.labFull));
  const first = (r) => (r?.routes[name] ? fmt(r.routes[name].first) : '-');
  row(`    first request after start`, first(out.labEmpty), first(out.labOne), first(out.labFull));
}
const paintCell = (p) => (p ? `${fmt(p.fcp)} / ${fmt(p.ready)}` : '-');
row(
  'smtp-lab inbox: first paint / list shown ms',
  paintCell(out.labEmpty.inbox),
  paintCell(out.labOne.inbox),
  paintCell(out.labFull.inbox),
);
row(
  'smtp-lab 250 -> shown in open inbox ms',
  '',
  '',
  `${fmt(out.arrival.median)} / ${fmt(out.arrival.p90)} / ${fmt(out.arrival.max)}`,
);
lines.push(`${' '.repeat(44)}${' '.repeat(28)}(median / p90 / max)`);
row(
  'smtp-lab 200-line session: paint / drawn ms',
  '-',
  paintCell(out.labOne.session),
  paintCell(out.labFull.session),
);
const memCell = (r) => `${mb(r.memory.rss)} / ${mb(r.memory.hwm)}`;
row(
  'smtp-lab server RSS MB (after gc / peak)',
  memCell(out.labEmpty),
  memCell(out.labOne),
  memCell(out.labFull),
);
row(
  `  growth: ${MESSAGES} msgs vs empty, vs 50 MB`,
  '',
  mb(out.labFull.memory.rss - out.labEmpty.memory.rss),
  mb(out.labFull.memory.rss - out.labOne.memory.rss),
);
// Where the difference is: the V8 heap (what our code keeps), buffers outside it, the rest of RSS.
const usageRow = (label, key) =>
  row(`  ${label}`, ...[out.labEmpty, out.labOne, out.labFull].map((r) => mb(r.memory.usage[key] / 1024)));
usageRow('heap used MB (after gc)', 'heapUsed');
usageRow('heap total MB', 'heapTotal');
usageRow('external + array buffers MB', 'external');
lines.push(`${' '.repeat(44)}(every run first opened one message and the 200-line session)`);
if (out.maildev?.full) {
  const m = out.maildev;
  row(`MailDev ${m.version} API ms (median / p90)`, '', '', '');
  for (const [name, t] of Object.entries(m.full.routes)) {
    const e = m.empty.routes[name];
    row(`  ${name}`, e ? `${fmt(e.median)} / ${fmt(e.p90)}` : '-', '', `${fmt(t.median)} / ${fmt(t.p90)}`);
  }
  row('MailDev inbox: first paint / loaded ms', paintCell(m.empty.inbox), '', paintCell(m.full.inbox));
  row(
    'MailDev server RSS MB (now / peak)',
    `${mb(m.empty.memory.rss)} / ${mb(m.empty.memory.hwm)}`,
    '',
    `${mb(m.full.memory.rss)} / ${mb(m.full.memory.hwm)}`,
  );
  row('  growth: with the mailbox vs empty MB', '', '', mb(m.full.memory.rss - m.empty.memory.rss));
} else if (out.maildev?.skipped) {
  lines.push(`MailDev skipped: ${out.maildev.skipped}`);
}
const resultsPath = path.resolve(process.env.BENCH_WEB_RESULTS ?? path.join(here, 'results-web.json'));
await writeFile(resultsPath, JSON.stringify(out, null, 2) + '\n');
console.log(
  `$ npm run bench -- web   (${os.cpus().length} CPUs, node ${process.version}, ${SAMPLES} samples per route, ${PAINTS} page loads per paint)\n`,
);
console.log(lines.join('\n'));
console.log(`\nresults written to ${path.relative(process.cwd(), resultsPath) || resultsPath}`);
