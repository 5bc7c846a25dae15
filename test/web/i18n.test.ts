import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderChecks, renderDiagram, rowDetails, tr } from '../../assets/web/diagram.js';
import { catalogue } from '../../src/i18n/index.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { mimeTree } from '../../src/web/message-view.js';
import { type SessionView } from '../../src/web/session-view.js';
import { diagramText, webText } from '../../src/web/text.js';
import { startWebServer } from '../../src/web/index.js';
import { withLabServer } from '../helpers/lab-server.js';
import { get, getJson, send, withWeb } from './helpers.js';

/**
 * The browser view in two languages, without a browser: the words the server hands the page, the
 * page's language (server default, ?lang=), the diagram drawn in Chinese, and the rows' flags and
 * the MIME tree's problems said in Chinese with every machine-read field unchanged.
 */

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const CJK = /[\u4e00-\u9fff]/;

/** The text of an HTML fragment: tags dropped, entities left (none of our words has one). */
const textOf = (html: string) => html.replace(/<[^>]*>/g, '');

/** The page's own words as served: <title>, the labels of the header, and the JSON it reads. */
function pageWords(html: string): { lang: string; title: string; text: Record<string, string> } {
  const json = /<script type="application\/json" id="smtp-lab-text">([\s\S]*?)<\/script>/.exec(html)![1]!;
  return {
    lang: /<html lang="([^"]+)">/.exec(html)![1]!,
    title: /<title>([^<]*)<\/title>/.exec(html)![1]!,
    text: JSON.parse(json) as Record<string, string>,
  };
}

describe('the browser view in zh-CN and en', () => {
  it('hands the page every web. message of its language, and nothing else', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const all = catalogue(lang);
      const expected = Object.keys(all).filter((k) => k.startsWith('web.'));
      expect(Object.keys(webText(lang)).sort()).toEqual(expected.sort());
      expect(Object.keys(diagramText(lang)).every((k) => k.startsWith('web.diagram.'))).toBe(true);
      for (const key of expected) expect(webText(lang)[key]).toBe(all[key as keyof typeof all]);
    }
  });

  it("tr() fills placeholders as the catalogue's format() does, and shows a missing key as the key", () => {
    const text = { a: '{x} and {y}', b: 'plain' };
    expect(tr(text, 'a', { x: '{y}', y: 2 })).toBe('{y} and 2');
    expect(tr(text, 'a', { x: 1 })).toBe('1 and {y}');
    expect(tr(text, 'b')).toBe('plain');
    expect(tr(text, 'web.nowhere')).toBe('web.nowhere');
    expect(tr(undefined, 'web.diagram.client')).toBe('web.diagram.client');
  });

  it('serves the page in the server language; ?lang= overrides it; Accept-Language does not', async () => {
    await withLabServer({}, async (lab) => {
      const web = await startWebServer({ lab: lab.server, port: 0, lang: 'zh-CN' });
      try {
        const zh = await get(web, '/');
        expect(zh.headers['content-language']).toBe('zh-CN');
        const words = pageWords(zh.body.toString('utf8'));
        expect(words.lang).toBe('zh-CN');
        expect(words.title).toBe('smtp-lab 实验邮箱');
        expect(words.text['web.nav.inbox']).toBe('收件箱');
        // Every {{…}} of the template was filled.
        expect(zh.body.toString('utf8')).not.toMatch(/\{\{/);
        expect(textOf(zh.body.toString('utf8'))).toContain('收件箱');
        // The switch: ?lang=en; an unknown ?lang= keeps the server's language.
        const en = pageWords((await get(web, '/?lang=en')).body.toString('utf8'));
        expect(en.lang).toBe('en');
        expect(en.title).toBe('smtp-lab');
        expect(en.text['web.nav.inbox']).toBe('Inbox');
        expect(pageWords((await get(web, '/?lang=fr')).body.toString('utf8')).lang).toBe('zh-CN');
        expect(pageWords((await get(web, '/ui/index.html?lang=en')).body.toString('utf8')).lang).toBe('en');
        // A page on another host name is refused in the server's language.
        const foreign = await get(web, '/', { Host: `rebind.example:${web.port}` });
        expect(foreign.status).toBe(421);
        expect(foreign.body.toString('utf8')).toBe('smtp-lab：这个服务器只响应发往它自己地址的请求\n');
      } finally {
        await web.close();
      }
    });
    // An English server: a browser that prefers Chinese still gets the command's language.
    await withWeb({}, async (_lab, web) => {
      const res = await get(web, '/', { 'Accept-Language': 'zh-CN,zh;q=0.9' });
      expect(pageWords(res.body.toString('utf8')).lang).toBe('en');
      expect(pageWords((await get(web, '/?lang=zh')).body.toString('utf8')).lang).toBe('zh-CN');
    });
  });

  it('draws the diagram and its details in Chinese; the rows differ from English only in words', async () => {
    const scenario = await resolveScenario('fragmented-replies');
    await withWeb(serverOptionsFor(scenario), async (lab, web) => {
      // RCPT in the same write as MAIL, MAIL ending in LF alone: flags to translate.
      await send(lab, { message: 'Subject: hi\r\n\r\nhello\nworld\r\n' });
      await lab.sessionsEnded();
      const id = lab.sessions[0]!.id;
      const en = await getJson<SessionView>(web, `/api/sessions/${id}?lang=en`);
      const zh = await getJson<SessionView>(web, `/api/sessions/${id}?lang=zh-CN`);
      // The server's language (English here) when the request names none.
      expect(await getJson<SessionView>(web, `/api/sessions/${id}`)).toEqual(en);
      const machine = (v: SessionView) =>
        v.rows.map((r) => ({ ...r, text: undefined, flags: r.flags.map((f) => f.kind) }));
      expect(machine(zh)).toEqual(machine(en));
      const flags = (v: SessionView) => v.rows.flatMap((r) => r.flags.map((f) => f.text));
      const greeting = en.rows.find((r) => r.kind === 'reply')!;
      const pieces = greeting.pieces!.length;
      expect(flags(en)).toContain(`arrived in ${pieces} pieces`);
      expect(flags(zh).length).toBe(flags(en).length);
      expect(flags(zh).length).toBeGreaterThan(0);
      for (const text of flags(zh)) expect(text).toMatch(CJK);
      // The server's notes (recorded in English) in Chinese, the fault's details included; the
      // English page shows them as recorded.
      const notes = (v: SessionView) => v.rows.filter((r) => r.dir === 'info').map((r) => r.text);
      expect(notes(en)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^connection from 127\.0\.0\.1:\d+ to port \d+$/),
          'fault: split into 5-byte pieces, 8 ms apart (on every reply)',
          'client connection closed',
        ]),
      );
      expect(notes(zh)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^来自 127\.0\.0\.1:\d+ 的连接，连到端口 \d+$/),
          '故障：拆成每片 5 字节的分片，间隔 8 毫秒（触发条件：每条应答）',
          '客户端连接已关闭',
        ]),
      );
      for (const note of notes(zh)) expect(note).not.toMatch(/[a-z]{3}/i);

      const text = diagramText('zh-CN');
      const svg = renderDiagram(zh, { text });
      expect(svg).toContain('>客户端</text>');
      expect(svg).toContain('>实验服务器</text>');
      expect(svg).toContain('分为');
      expect(svg).not.toMatch(/>client<|>lab server<|\(click for bytes\)|pieces:/);
      expect(svg).not.toContain('web.diagram.');
      const reply = zh.rows.find((r) => r.kind === 'reply')!;
      const details = textOf(rowDetails(reply, text));
      expect(details).toContain('服务器应答 220');
      expect(details).toContain('分片');
      expect(details).not.toMatch(/bytes|transcript line|Arrived in|piece \d/);
      // The same view in English, drawn with the English words, is the diagram as it always was.
      const english = renderDiagram(en, { text: diagramText('en') });
      expect(english).toContain('>client</text>');
      expect(english).toContain(`✂ 220 reply in ${pieces} pieces: 1/${pieces}`);
      expect(
        textOf(
          rowDetails(
            en.rows.find((r) => r.kind === 'reply'),
            diagramText('en'),
          ),
        ),
      ).toMatch(
        new RegExp(`^server reply 220 at \\+[\\d.]+ ms · ${greeting.bytes} bytes · transcript line \\d+`),
      );
      const checks = renderChecks(
        [
          {
            id: 'crlf',
            title: '用 CRLF 结束每一行',
            passed: false,
            applicable: true,
            points: 0,
            maxPoints: 1,
            evidence: [{ session: id, line: 3, text: 'MAIL FROM' }],
            notes: [],
            hint: null,
          },
          {
            ...{ id: 'auth', title: '认证', passed: true, applicable: false, points: 0, maxPoints: 1 },
            evidence: [],
            notes: [],
            hint: null,
          },
        ],
        { [id]: zh },
        text,
      );
      expect(textOf(checks)).toContain('第 3 行');
      expect(textOf(checks)).toContain('不适用');
    });
  });

  it("says the MIME tree's problems in Chinese, with the same kinds", () => {
    const eml = Buffer.from(
      'Subject: caf\xe9\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@\r\n',
      'latin1',
    );
    const problems = (lang?: 'en' | 'zh-CN') => {
      const out: Array<{ kind: string; text: string }> = [];
      const walk = (p: ReturnType<typeof mimeTree>) => {
        out.push(...p.problems.map(({ kind, text }) => ({ kind, text })));
        p.children.forEach(walk);
      };
      walk(mimeTree(eml, lang));
      return out;
    };
    const en = problems();
    const zh = problems('zh-CN');
    expect(en.map((p) => p.kind)).toEqual(['header-not-encoded', 'unclosed-boundary', 'undecodable']);
    expect(zh.map((p) => p.kind)).toEqual(en.map((p) => p.kind));
    expect(en[1]!.text).toBe('the closing delimiter --b-- never comes');
    expect(zh[1]!.text).toBe('结束分隔行 --b-- 始终没有出现');
    for (const p of zh) expect(p.text).toMatch(CJK);
  });

  it('smtp-lab serve under a Chinese locale serves the page in Chinese (the command passes its language)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-web-zh-'));
    const env = { ...process.env, NO_COLOR: '1', LANG: 'zh_CN.UTF-8', LC_ALL: '', SMTP_LAB_LANG: '' };
    const child = spawn(process.execPath, [BIN, 'serve', '-p', '0', '--web-port', '0', '-m', dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
          if (m) resolve(Number(m[1]));
        });
        void exited.then(() => reject(new Error(`serve exited:\n${output}`)));
      });
      const web = { port } as Parameters<typeof get>[0];
      expect(pageWords((await get(web, '/')).body.toString('utf8')).lang).toBe('zh-CN');
      expect(pageWords((await get(web, '/?lang=en')).body.toString('utf8')).lang).toBe('en');
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
