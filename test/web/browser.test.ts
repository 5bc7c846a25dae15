import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { gradeScenarios } from '../../src/cli/grade.js';
import { formatReports } from '../../src/grader/formats.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { PASS, PYTHON } from '../helpers/lab-server.js';
import { send, withWeb } from './helpers.js';

/**
 * The browser view in Debian's chromium, headless (puppeteer-core pointed at the system browser):
 * one browser for the whole file, one page per test.
 */

// Functions passed to page.evaluate run in the browser: `document` is the page's, not Node's.
declare const document: any;

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const CORRECT_CLIENT = fileURLToPath(new URL('../fixtures/clients/correct_client.py', import.meta.url));

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A page that records every request it makes and every script error and dialog. */
async function openPage(): Promise<{ page: Page; requests: string[]; finished: string[]; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1300, height: 900 });
  const requests: string[] = [];
  const finished: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfinished', (r) => finished.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, requests, finished, errors };
}

/** A TCP listener that counts connections: where hostile mail tries to fetch from. */
async function trap(): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('browser view in chromium', () => {
  it('smtp-lab demo: the printed link shows the text, the picture (natural size > 0) and the conversation', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-web-demo-'));
    const child = spawn(process.execPath, [BIN, 'demo', '-m', dir, '--web-port', '0'], {
      env: { ...process.env, NO_COLOR: '1', SMTP_PASS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const link = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const m = /see it in your browser: (http:\/\/127\.0\.0\.1:\d+\/#\/messages\/[\w-]+)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        void exited.then(() => reject(new Error(`demo exited:\n${stdout}`)));
      });
      const { page, errors } = await openPage();
      await page.goto(link, { waitUntil: 'load' });
      await page.waitForSelector('iframe.mail-html');
      const frame = await (await page.$('iframe.mail-html'))!.contentFrame();
      await frame.waitForFunction(
        () => document.images.length > 0 && [...document.images].every((i) => i.complete),
      );
      const sizes = await frame.evaluate(() =>
        [...document.images].map((i) => [i.naturalWidth, i.naturalHeight]),
      );
      expect(sizes.length).toBe(1);
      expect(sizes[0]![0]).toBeGreaterThan(0);
      expect(sizes[0]![1]).toBeGreaterThan(0);
      expect(await frame.evaluate(() => document.body.innerText)).toContain(
        'Hello from the smtp-lab reference client.',
      );
      // The frame is sized to its content: all of it shown, no large empty area under it.
      const content = await frame.evaluate(() =>
        Math.ceil(
          Math.max(...[...document.body.querySelectorAll('*')].map((e) => e.getBoundingClientRect().bottom)),
        ),
      );
      await page.waitForFunction(
        (h) => (document.querySelector('iframe.mail-html')?.clientHeight ?? 0) >= h,
        {},
        content,
      );
      const shown = await page.$eval('iframe.mail-html', (f) => f.clientHeight);
      expect(shown).toBeLessThanOrEqual(content + 160);
      expect(await page.$eval('.mail-subject', (e) => e.textContent)).toBe(
        'I love computer networks! 我爱计算机网络 🚀',
      );
      expect(await page.$eval('.mail-text', (e) => e.textContent)).toContain(
        'Hello from the smtp-lab reference client.',
      );
      // The conversation that carried it, with the TLS upgrade and the password masked.
      await page.waitForSelector('svg.diagram g.row');
      const rows = await page.$$eval('svg.diagram g.row', (gs) => gs.map((g) => g.textContent ?? ''));
      expect(rows.some((r) => r.includes('STARTTLS'))).toBe(true);
      expect(rows.some((r) => r.includes('TLS started'))).toBe(true);
      expect(rows.some((r) => r.includes('AUTH LOGIN'))).toBe(true);
      expect(rows.some((r) => r.includes('250 2.0.0 Ok: queued as'))).toBe(true);
      expect(await page.content()).not.toContain('lab-password');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an arriving message updates the open inbox by itself', async () => {
    await withWeb({}, async (lab, web) => {
      const { page, errors } = await openPage();
      await page.goto(web.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('status')?.textContent === '● live');
      expect(await page.$$('#list li.item')).toHaveLength(0);
      await send(lab, { message: 'Subject: =?UTF-8?B?5L2g5aW9?= it arrived\r\n\r\nhi\r\n' });
      await page.waitForFunction(() => document.querySelectorAll('#list li.item').length === 1, {
        timeout: 10_000,
      });
      expect(await page.$eval('#list li.item .subject', (e) => e.textContent)).toBe('你好 it arrived');
      expect(await page.$eval('#count', (e) => e.textContent)).toBe('1');
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('hostile mail: its <script> runs nothing and its remote <img> (and every other reference) fetches nothing', async () => {
    const remote = await trap();
    try {
      await withWeb({}, async (lab, web) => {
        const at = `http://127.0.0.1:${remote.port}`;
        const html = [
          `<script>document.title = 'pwned'; parent.document.title = 'pwned'; fetch('${at}/script');</script>`,
          `<img src="${at}/remote.png" onerror="fetch('${at}/onerror')">`,
          `<link rel="stylesheet" href="${at}/style.css"><style>body { background: url(${at}/bg.png) }</style>`,
          `<iframe src="${at}/frame"></iframe>`,
          `<object data="${at}/object"></object>`,
          `<form action="${at}/form"><button id="b">go</button></form>`,
          '<p id="visible">hello from a hostile mail</p>',
        ].join('\n');
        const subject = `<img src="${at}/subject.png" onerror="alert(1)">`;
        await send(lab, {
          message:
            `Subject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n` +
            html.replace(/\n/g, '\r\n') +
            '\r\n',
        });
        const id = lab.messages[0]!.id;
        const { page, finished, errors } = await openPage();
        await page.goto(`${web.url}#/messages/${id}`, { waitUntil: 'load' });
        await page.waitForSelector('iframe.mail-html');
        const frame = await (await page.$('iframe.mail-html'))!.contentFrame();
        await frame.waitForSelector('#visible');
        // Let anything that could run or load do so.
        await page.waitForNetworkIdle({ idleTime: 300, timeout: 5000 }).catch(() => undefined);
        // Not a connection (not even one opened ahead), not a request completed.
        expect(remote.hits()).toBe(0);
        expect(finished.filter((u) => u.includes(`:${remote.port}`))).toEqual([]);
        expect(await page.title()).toBe('smtp-lab');
        expect(await frame.evaluate(() => document.title)).not.toBe('pwned');
        expect(errors).toEqual([]);
        // The subject is shown as the text it is, not as markup.
        expect(await page.$eval('.mail-subject', (e) => e.textContent)).toBe(subject);
        expect(await page.$$('.mail-subject img')).toHaveLength(0);
        // Raw source: the same bytes as text, never HTML.
        await page.click('.tabs button[data-tab="raw"]');
        await page.waitForFunction(() => document.getElementById('raw')?.textContent?.includes('<script>'));
        expect(await page.$$('#raw script, #raw img, #raw iframe')).toHaveLength(0);
        expect(remote.hits()).toBe(0);
        await page.close();
      });
    } finally {
      await remote.close();
    }
  });

  it('a session with fragmented replies is drawn with its pieces; a click shows them byte for byte', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withWeb(serverOptionsFor(scenario), async (lab, web) => {
      await send(lab);
      await lab.sessionsEnded();
      const { page, errors } = await openPage();
      await page.goto(`${web.url}#/sessions/${lab.sessions[0]!.id}`, { waitUntil: 'load' });
      await page.waitForSelector('svg.diagram g.row.k-reply');
      const pieces = await page.$$eval('svg.diagram g.k-reply', (gs) =>
        gs.map((g) => g.querySelectorAll('line.arrow.piece').length),
      );
      expect(pieces).toHaveLength(7);
      // 220 greeting of ~80 bytes in 5-byte pieces.
      expect(pieces[0]).toBeGreaterThan(10);
      expect(pieces.every((n) => n > 1)).toBe(true);
      expect(await page.$$('svg.diagram g.k-fault')).not.toHaveLength(0);
      await page.click('svg.diagram g.k-reply');
      const detail = await page.$eval('#row-detail', (e) => e.textContent ?? '');
      expect(detail).toContain(`Arrived in ${pieces[0]} pieces`);
      expect(detail).toContain('piece 1 at +');
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('the HTML report opens from file:// with no network: diagram, checks, hints, evidence, client output', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-web-report-'));
    try {
      const scenarios = await Promise.all(
        ['auth-login', 'fragmented-replies'].map((id) => resolveScenario(id)),
      );
      const reports = await gradeScenarios(scenarios, [PYTHON, CORRECT_CLIENT], {
        timeoutMs: 20_000,
        strict: false,
        workDir: path.join(dir, 'work'),
      });
      const file = path.join(dir, 'report.html');
      const html = formatReports(reports, 'html');
      await writeFile(file, html);
      expect(html).not.toContain(PASS);
      const { page, requests, errors } = await openPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(await page.$$('svg.diagram')).toHaveLength(reports.flatMap((r) => r.transcript.sessions).length);
      expect(await page.$$('li.check')).toHaveLength(reports.reduce((n, r) => n + r.checks.length, 0));
      expect(await page.$$eval('pre.client-output', (p) => p.length)).toBeGreaterThan(0);
      // Click a line: its exact bytes appear, with line endings visible.
      await page.click('svg.diagram g.row.k-command');
      const detail = await page.$eval('.row-detail', (e) => e.textContent ?? '');
      expect(detail).toContain('client command');
      expect(await page.$$eval('.row-detail .eol[data-eol="CRLF"]', (e) => e.length)).toBeGreaterThan(0);
      expect(await page.content()).not.toContain(PASS);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
