import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../src/client/mime/index.js';
import { messageHtml, mimeTree, parseMessage, type MimePart } from '../../src/web/message-view.js';
import { DEMO_IMAGE } from './helpers.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

function problems(part: MimePart): string[] {
  return [
    ...part.problems.map((p) => `${part.path || 'root'}:${p.kind}`),
    ...part.children.flatMap(problems),
  ];
}

describe('message view: what a mail client shows, and what it hides', () => {
  it("the reference client's text-and-image message: decoded subject, text part, cid image inlined, a clean tree", async () => {
    const message = await buildMessage({
      from: 'student@smtp-lab.test',
      to: ['teacher@smtp-lab.test'],
      subject: 'I love computer networks! 我爱计算机网络',
      text: 'Hello.\n',
      inlineImages: [DEMO_IMAGE],
    });
    const eml = await message.toBuffer();
    const view = await parseMessage(eml);
    expect(view.subject).toBe('I love computer networks! 我爱计算机网络');
    // The header as decoded (RFC 2047), not the encoded words on the wire.
    expect(view.headers.find((h) => h.name === 'Subject')?.value).toBe(
      'I love computer networks! 我爱计算机网络',
    );
    expect(eml.toString('latin1')).toContain('=?UTF-8?B?');
    expect(view.text).toBe('Hello.\n');
    expect(view.attachments).toEqual([
      expect.objectContaining({ filename: 'smtp-lab.png', contentType: 'image/png', inline: true }),
    ]);
    const html = await messageHtml(eml);
    const png = (await readFile(DEMO_IMAGE)).toString('base64');
    expect(html).toContain(`data:image/png;base64,${png}`);
    expect(html).not.toContain('cid:');
    expect(problems(view.tree)).toEqual([]);
    expect(view.tree.contentType).toBe('multipart/related');
    const image = view.tree.children.find((c) => c.contentType === 'image/png')!;
    expect(image).toMatchObject({
      encoding: 'base64',
      filename: 'smtp-lab.png',
      decodedSize: png.length * 0.75 - (png.endsWith('==') ? 2 : png.endsWith('=') ? 1 : 0),
    });
  });

  it('names each problem on the part that has it', async () => {
    const longBase64 = Buffer.alloc(600, 7).toString('base64'); // one line of 800 characters
    const hugeBase64 = Buffer.alloc(900, 7).toString('base64'); // one line of 1200 characters
    const eml = Buffer.concat([
      crlf([
        'From: a@example.test',
        'Subject: Grüße', // 8-bit in a header: not RFC 2047-encoded
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="XX"',
        '',
        '--XX',
        'Content-Type: text/plain',
        '',
        'fine',
        '--XX',
        'Content-Type: image/png',
        'Content-Transfer-Encoding: base64',
        '',
        longBase64,
        '--XX',
        'Content-Type: application/octet-stream',
        'Content-Transfer-Encoding: base64',
        '',
        hugeBase64,
        '--XX',
        'Content-Type: image/gif',
        'Content-Transfer-Encoding: base64',
        '',
        'R0lGOD!!lhAQABAIAAAP',
        '--XX',
        'Content-Type: text/plain',
        '',
        '',
      ]),
      Buffer.from('a line with a bare LF\nand no closing delimiter\r\n'),
    ]);
    expect(problems(mimeTree(eml)).sort()).toEqual(
      [
        'root:header-not-encoded',
        'root:unclosed-boundary',
        '2:base64-line-76',
        '3:line-998',
        '4:undecodable',
        '5:bare-lf',
      ].sort(),
    );
    // The parser still shows what it can.
    const view = await parseMessage(eml);
    expect(view.subject).toBe('Grüße');
  });

  it('a message with no blank line after its headers, and a multipart without a boundary', () => {
    expect(
      problems(mimeTree(crlf(['Subject: hi', 'SUBJECT: again', 'body text with no blank line before it']))),
    ).toEqual(['root:no-blank-line']);
    expect(problems(mimeTree(crlf(['Content-Type: multipart/mixed', '', 'x'])))).toEqual([
      'root:missing-boundary',
    ]);
  });
});
