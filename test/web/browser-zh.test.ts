import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { en as webEn } from '../../src/i18n/areas/web.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { startWebServer, type WebServer } from '../../src/web/index.js';
import { withLabServer, type Lab } from '../helpers/lab-server.js';
import { send, sendImageMessage } from './helpers.js';

/**
 * The browser view in Chinese, in Debian's chromium (headless): every label of the page in
 * Chinese, the 中文 / English switch, and a layout that CJK text does not break.
 */

// Functions passed to page.evaluate run in the browser: `document` is the page's, not Node's.
declare const document: any;
declare const location: any;
declare const getComputedStyle: any;

const CJK = /[\u4e00-\u9fff]/;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(width = 1300): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** A lab server and its browser view in `lang`, both on 127.0.0.1 port 0. */
async function withWebIn<T>(
  lang: 'en' | 'zh-CN',
  options: Parameters<typeof withLabServer>[0],
  fn: (lab: Lab, web: WebServer) => Promise<T>,
): Promise<T> {
  return withLabServer(options, async (lab) => {
    const web = await startWebServer({ lab: lab.server, port: 0, lang });
    try {
      return await fn(lab, web);
    } finally {
      await web.close();
    }
  });
}

/**
 * The labelled elements of the page (words of ours, not the mail's content, not protocol bytes):
 * selector and text of each one shown.
 */
const LABELS = [
  '#nav-inbox',
  '#nav-sessions',
  '#status',
  '#list .item .meta',
  '.mail-head dt',
  '.envelope > span:last-of-type b',
  '.envelope > a',
  '.tabs button',
  '.message h3',
  '.conversation h2',
  '.session-head',
  '.row-detail .dim',
  'svg.diagram .lane-title',
  '.welcome h1',
  '.welcome p',
].join(', ');

async function labels(page: Page): Promise<string[]> {
  return page.$$eval(LABELS, (els) =>
    els.filter((e) => e.getClientRects().length > 0).map((e) => (e.textContent ?? '').trim()),
  );
}

describe('browser view in chromium, in Chinese', () => {
  it('a zh-CN server: every label in Chinese, no English label left, <html lang> and dates in zh-CN', async () => {
    await withWebIn('zh-CN', {}, async (lab, web) => {
      await sendImageMessage(lab);
      await lab.sessionsEnded();
      const id = lab.messages[0]!.id;
      const { page, errors } = await openPage();
      await page.goto(web.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('status')?.textContent === '● 实时');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      expect(await page.title()).toBe('smtp-lab 实验邮箱');
      const welcome = await labels(page);
      expect(welcome).toContain('收件箱');

      await page.goto(`${web.url}#/messages/${id}`, { waitUntil: 'load' });
      await page.waitForSelector('svg.diagram g.row');
      const shown = await labels(page);
      expect(shown.length).toBeGreaterThan(15);
      const notChinese = shown.filter((text) => !CJK.test(text));
      expect(notChinese).toEqual([]);
      // The tabs, the head of the mail, the diagram's lanes: the catalogue's words.
      expect(await page.$$eval('.tabs button', (b) => b.map((e) => e.textContent))).toEqual([
        '邮件',
        'MIME 结构',
        '首部',
        '原始报文',
      ]);
      expect(await page.$$eval('svg.diagram .lane-title', (t) => t.map((e) => e.textContent))).toEqual([
        '客户端',
        '实验服务器',
      ]);
      // No English label anywhere in what the page shows (the mail and the wire may be English).
      const text = await page.evaluate(() => document.body.innerText as string);
      const english = Object.entries(webEn)
        .filter(([, value]) => !/\{/.test(value) && / /.test(value))
        .map(([, value]) => value)
        .filter((value) => text.includes(value));
      expect(english).toEqual([]);
      expect(text).not.toContain('web.');
      // A date written the Chinese way (e.g. 2026/12/6 09:40:00 or 上午9:40:00).
      expect(await page.$eval('.session-head', (e) => e.textContent)).toMatch(
        /开始于 \d{4}\/\d{1,2}\/\d{1,2}/,
      );

      // A click on a reply: its details in Chinese; the raw source tab's note and the tree too.
      await page.click('svg.diagram g.row.k-reply');
      expect(await page.$eval('#row-detail .detail-head', (e) => e.textContent)).toMatch(
        /^服务器应答 \d{3}，位于 \+[\d.]+ m?s · \d+ 字节 · 会话记录第 \d+ 行$/,
      );
      await page.click('.tabs button[data-tab="raw"]');
      await page.waitForFunction(() => document.getElementById('raw')?.textContent?.includes('Subject'));
      expect(await page.$eval('.tab[data-tab="raw"] .dim', (e) => e.textContent)).toMatch(CJK);
      await page.click('.tabs button[data-tab="tree"]');
      expect(await page.$eval('.tree .part .dim', (e) => e.textContent)).toMatch(/^整封邮件 · /);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('the switch: English and back, on the same message; an English server with ?lang=zh-CN', async () => {
    await withWebIn('zh-CN', {}, async (lab, web) => {
      await send(lab);
      const id = lab.messages[0]!.id;
      const { page, errors } = await openPage();
      await page.goto(`${web.url}#/messages/${id}`, { waitUntil: 'load' });
      await page.waitForSelector('.mail-head dt');
      expect(await page.$eval('#lang-zh-CN', (a) => a.getAttribute('aria-current'))).toBe('true');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#lang-en')]);
      await page.waitForSelector('.mail-head dt');
      expect(
        await page.evaluate(() => [document.documentElement.lang, location.search, location.hash]),
      ).toEqual(['en', '?lang=en', `#/messages/${id}`]);
      expect(await page.$$eval('.mail-head dt', (d) => d.map((e) => e.textContent))).toEqual([
        'From',
        'To',
        'Date',
      ]);
      expect(await page.$eval('#nav-inbox', (e) => e.firstChild.textContent.trim())).toBe('Inbox');
      expect(await page.$eval('#lang-en', (a) => a.getAttribute('aria-current'))).toBe('true');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#lang-zh-CN')]);
      await page.waitForSelector('.mail-head dt');
      expect(await page.$$eval('.mail-head dt', (d) => d.map((e) => e.textContent))).toEqual([
        '发件人',
        '收件人',
        '日期',
      ]);
      expect(errors).toEqual([]);
      await page.close();
    });
    await withWebIn('en', {}, async (_lab, web) => {
      const { page } = await openPage();
      await page.goto(`${web.url}?lang=zh-CN`, { waitUntil: 'load' });
      await page.waitForSelector('.welcome h1');
      expect(await page.$eval('.welcome h1', (e) => e.textContent)).toBe('收件箱');
      // The empty states and the conversations' welcome, in Chinese too.
      await page.waitForSelector('#list .empty');
      expect(await page.$eval('#list .empty', (e) => e.textContent)).toMatch(/^还没有邮件/);
      await page.goto(`${web.url}?lang=zh-CN#/sessions`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('.welcome h1')?.textContent === '会话');
      expect(await page.$eval('#list .empty', (e) => e.textContent)).toMatch(/^还没有会话/);
      await page.goto(web.url, { waitUntil: 'load' });
      await page.waitForSelector('.welcome h1');
      expect(await page.$eval('.welcome h1', (e) => e.textContent)).toBe('Inbox');
      await page.close();
    });
  });

  it('CJK does not break the layout: long Chinese lines wrap, nothing overflows, the header stays one line', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withWebIn('zh-CN', serverOptionsFor(scenario), async (lab, web) => {
      const long = '我爱计算机网络'.repeat(16);
      await send(lab, {
        message: `Subject: =?UTF-8?B?${Buffer.from(long).toString('base64')}?=\r\n\r\n${long}\r\n`,
      });
      await lab.sessionsEnded();
      const id = lab.messages[0]!.id;
      // A narrow window: the list and the message share 1000 px.
      const { page, errors } = await openPage(1000);
      await page.goto(`${web.url}#/messages/${id}`, { waitUntil: 'load' });
      await page.waitForSelector('svg.diagram g.row');
      const overflow = await page.evaluate(() =>
        ['.top', '#list', '#detail', '.mail-head', '.envelope', '.tabs', '.session-head', '#list .item']
          .map((s) => document.querySelector(s))
          .filter(Boolean)
          .filter((e: any) => e.scrollWidth > e.clientWidth + 1)
          .map((e: any) => e.className || e.id),
      );
      expect(overflow).toEqual([]);
      // The long subject wraps inside the message: several lines, its right edge inside the pane.
      const subject = await page.$eval('.mail-subject', (e) => {
        const r = e.getBoundingClientRect();
        const pane = document.getElementById('detail').getBoundingClientRect();
        return {
          lines: Math.round(r.height / parseFloat(getComputedStyle(e).lineHeight)),
          inside: r.right <= pane.right,
        };
      });
      expect(subject.inside).toBe(true);
      expect(subject.lines).toBeGreaterThan(1);
      // The header: brand, nav, status and the switch on one line.
      const top = await page.$eval('.top', (e) => e.getBoundingClientRect().height);
      expect(top).toBeLessThan(60);
      // The diagram's Chinese labels fit their lanes: each lane title inside its box.
      const lanes = await page.$$eval('svg.diagram .lane-title', (ts) =>
        ts.map((t: any) => t.getComputedTextLength()),
      );
      for (const w of lanes) expect(w).toBeLessThan(120);
      // The server's notes on the diagram (recorded in English) in Chinese, the fault's details too.
      const notes = () => page.$$eval('svg.diagram text.note', (ts) => ts.map((t: any) => t.textContent));
      const zhNotes = await notes();
      expect(zhNotes).toContain('⚡ 故障：拆成每片 5 字节的分片，间隔 8 毫秒（触发条件：每条应答）');
      expect(zhNotes).toContain('客户端连接已关闭');
      for (const note of zhNotes) expect(note).toMatch(CJK);
      // The header table of the Headers tab aligns: one row per header, names in one column.
      await page.click('.tabs button[data-tab="headers"]');
      const columns = await page.$$eval('table.headers th', (ths) => [
        ...new Set(ths.map((th) => Math.round(th.getBoundingClientRect().left))),
      ]);
      expect(columns).toHaveLength(1);
      // The same session on the English page: the notes as recorded.
      await page.goto(`${web.url}?lang=en#/messages/${id}`, { waitUntil: 'load' });
      await page.waitForSelector('svg.diagram text.note');
      const enNotes = await notes();
      expect(enNotes).toContain('⚡ fault: split into 5-byte pieces, 8 ms apart (on every reply)');
      expect(enNotes).toContain('client connection closed');
      expect(enNotes.filter((note) => CJK.test(note))).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
