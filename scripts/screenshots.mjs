#!/usr/bin/env node
// Makes the READMEs' screenshots from a real run: `smtp-lab lab fragmented-replies` with its
// browser view, the reference client sending the text-and-image message, then a student client that
// reads one recv(1024) per reply. Chromium (headless, Debian's) photographs the inbox and the
// student's conversation with the checks beside it, and the inbox again in Chinese for
// README.zh-CN.md (the page's 中文 switch, ?lang=zh-CN).
//
//   npm run build && node scripts/screenshots.mjs [out-dir]     (default docs/screenshots)
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/smtp-lab.js');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'docs/screenshots'));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: 'ignore' });
    // A student's client may wait forever for a reply it already half-read: 10 s is plenty.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const work = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-screens-'));
const lab = spawn(
  process.execPath,
  [bin, 'lab', 'fragmented-replies', '-p', '0', '--web-port', '0', '-m', work],
  {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let output = '';
lab.stdout.setEncoding('utf8');
// One listener for the whole run: output that arrives between two waits is kept, not dropped.
lab.stdout.on('data', (chunk) => {
  if (process.env.SCREENS_VERBOSE) process.stderr.write(chunk);
  output += chunk;
});
const waitFor = (pattern) =>
  new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(output);
      if (!m) return;
      lab.stdout.off('data', check);
      resolve(m);
    };
    lab.stdout.on('data', check);
    lab.once('exit', () => reject(new Error(`lab exited:\n${output}`)));
    check();
  });

const step = (text) => process.env.SCREENS_VERBOSE && console.error(`screenshots: ${text}`);
let browser;
try {
  await waitFor(/Waiting for your client/);
  const env = Object.fromEntries(
    [...output.matchAll(/^ {2}export (\w+)=(.*)$/gm)].map(([, k, v]) => [k, v.replace(/^'(.*)'$/, '$1')]),
  );
  const url = /See it in the browser: (\S+)/.exec(output)[1];
  // The reference client: text and the picture (the server sends every reply in 5-byte pieces).
  await run(process.execPath, [
    bin,
    'send',
    '--server',
    `127.0.0.1:${env.SMTP_PORT}`,
    '--tls',
    'none',
    '--from',
    env.MAIL_FROM,
    '--to',
    env.RCPT_TO,
    '--subject',
    'I love computer networks! 我爱计算机网络 🚀',
    '--text',
    'Hello from the smtp-lab reference client.\nHere is the picture:\n',
    '--inline',
    path.join(root, 'assets/smtp-lab.png'),
  ]);
  step('sent the image message');
  await waitFor(/Checks for this session/);
  // A student's Python client that reads one recv(1024) per reply: it loses its place.
  await run('/usr/bin/python3', [path.join(root, 'test/fixtures/clients/recv_1024.py')], env);
  step('ran the student client');
  await waitFor(/Checks for this session[\s\S]*Checks for this session/);
  step('judged');

  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1500, height: 900, deviceScaleFactor: 1 });
  await mkdir(outDir, { recursive: true });

  // The inbox, with the reference client's message open.
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#list li.item a');
  await page.click('#list li.item a');
  await page.waitForSelector('iframe.mail-html');
  await new Promise((r) => setTimeout(r, 600));
  await page.screenshot({ path: path.join(outDir, 'inbox.png') });

  // The same inbox in Chinese.
  const zh = new URL(url);
  zh.searchParams.set('lang', 'zh-CN');
  await page.goto(zh.href, { waitUntil: 'load' });
  await page.waitForSelector('#list li.item a');
  await page.click('#list li.item a');
  await page.waitForSelector('iframe.mail-html');
  await new Promise((r) => setTimeout(r, 600));
  await page.screenshot({ path: path.join(outDir, 'inbox.zh-CN.png') });

  // The student's conversation: the pieces, the flags, the checks with their evidence.
  const sessions = await (await fetch(new URL('/api/sessions', url))).json();
  const student = sessions.items[0].id;
  await page.goto(`${url}#/sessions/${student}`, { waitUntil: 'load' });
  await page.waitForSelector('svg.diagram g.row');
  await page.click('a.evidence');
  await new Promise((r) => setTimeout(r, 400));
  // The header stays at the top of the page, not over the picture.
  await page.evaluate(() => {
    for (const e of document.querySelectorAll('.top, .list')) e.style.position = 'static';
  });
  const section = await page.$('.conversation');
  await section.screenshot({ path: path.join(outDir, 'session.png'), captureBeyondViewport: true });
  console.log(`wrote inbox.png, inbox.zh-CN.png and session.png in ${outDir}`);
} finally {
  await browser?.close();
  lab.kill('SIGTERM');
  await new Promise((resolve) => lab.once('exit', resolve));
  await rm(work, { recursive: true, force: true });
}
