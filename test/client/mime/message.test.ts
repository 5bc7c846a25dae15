import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildMessage,
  MimeError,
  MimeLineBreakError,
  type MessageOptions,
} from '../../../src/client/mime/index.js';
import { lineProblems, makeJpeg, makePng, rawLines, tempDir, type TempDir } from './helpers.js';

const LAB_SUBJECT = 'I love computer networks! 我爱计算机网络 🚀';
const FIXED = {
  date: new Date(Date.UTC(2025, 2, 4, 10, 0, 0)),
  messageId: '<lab-1@example.com>',
  boundary: 'test',
} satisfies Partial<MessageOptions>;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function addresses(field: AddressObject | AddressObject[] | undefined): { address?: string; name: string }[] {
  if (field === undefined) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((group) =>
    group.value.map((a) => ({ address: a.address, name: a.name })),
  );
}

/** Header blocks unfolded, in order of appearance: the content types show the nesting. */
function contentTypes(raw: Buffer): string[] {
  const unfolded = raw.toString('utf8').replace(/\r\n[ \t]+/g, ' ');
  return [...unfolded.matchAll(/^Content-Type: ([^;\r\n]+)/gim)].map((m) => m[1]!.toLowerCase());
}

/** Every multipart boundary is opened at least once and closed exactly once, after its last part. */
function boundaryProblems(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const unfolded = text.replace(/\r\n[ \t]+/g, ' ');
  const problems: string[] = [];
  for (const [, boundary] of unfolded.matchAll(/boundary="([^"]+)"/g)) {
    const lines = rawLines(raw);
    const opens = lines.flatMap((l, i) => (l === `--${boundary}` ? [i] : []));
    const closes = lines.flatMap((l, i) => (l === `--${boundary}--` ? [i] : []));
    if (opens.length === 0) problems.push(`${boundary} never opened`);
    if (closes.length !== 1) problems.push(`${boundary} closed ${closes.length} times`);
    else if (opens.some((i) => i > closes[0]!)) problems.push(`${boundary} opened after its close`);
  }
  return problems;
}

/** The lines of every base64 body (between a "Content-Transfer-Encoding: base64" part's blank line and the next boundary). */
function base64BodyLines(raw: Buffer): string[] {
  const lines = rawLines(raw);
  const out: string[] = [];
  let inHeaders = true;
  let base64 = false;
  let inBody = false;
  for (const line of lines) {
    if (line.startsWith('--')) {
      inHeaders = true;
      inBody = false;
      base64 = false;
      continue;
    }
    if (inHeaders) {
      if (/^Content-Transfer-Encoding: base64$/i.test(line)) base64 = true;
      if (line === '') {
        inHeaders = false;
        inBody = base64;
      }
      continue;
    }
    if (inBody) out.push(line);
  }
  return out;
}

let dir: TempDir;
let png: Buffer;
let jpeg: Buffer;
let pngPath: string;
let jpegPath: string;

beforeAll(async () => {
  dir = await tempDir();
  png = makePng(64, 48);
  jpeg = makeJpeg();
  pngPath = await dir.write('network.png', png);
  // Named .bin on purpose: the type must come from the octets, not the name.
  jpegPath = await dir.write('photo.bin', jpeg);
});
afterAll(() => dir.remove());

describe('the lab message, read back by mailparser', () => {
  let raw: Buffer;
  let parsed: ParsedMail;
  const text = `${LAB_SUBJECT}\nThis line is ASCII.\n\n第二段：计算机网络自顶向下方法。\n`;
  const html = `<p>${LAB_SUBJECT}</p><p><img src="cid:net@lab"></p>`;

  beforeAll(async () => {
    const message = await buildMessage({
      from: { address: 'alice@example.com', name: '爱丽丝 Alice 🚀' },
      to: [{ address: 'bob@example.org', name: 'Doe, Bob' }, 'carol@example.net'],
      cc: [{ address: 'dave@example.com', name: '王小明' }],
      bcc: ['secret@example.com'],
      subject: LAB_SUBJECT,
      text,
      html,
      inlineImages: [{ path: pngPath, cid: 'net@lab' }],
      attachments: [jpegPath, { path: pngPath, filename: '计算机网络 实验报告 截图（最终版）.png' }],
      ...FIXED,
    });
    raw = await message.toBuffer();
    parsed = await simpleParser(raw, { keepCidLinks: true });
  });

  test('subject and display names decode exactly', () => {
    expect(parsed.subject).toBe(LAB_SUBJECT);
    expect(addresses(parsed.from)).toEqual([{ address: 'alice@example.com', name: '爱丽丝 Alice 🚀' }]);
    expect(addresses(parsed.to)).toEqual([
      { address: 'bob@example.org', name: 'Doe, Bob' },
      { address: 'carol@example.net', name: '' },
    ]);
    expect(addresses(parsed.cc)).toEqual([{ address: 'dave@example.com', name: '王小明' }]);
  });

  test('bcc never appears', () => {
    expect(raw.toString('utf8')).not.toMatch(/secret@example\.com|^bcc:/im);
  });

  test('text and html round-trip', () => {
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
  });

  test('the inline image is byte-identical and its Content-ID is the cid the html uses', () => {
    const inline = parsed.attachments.filter((a) => a.related);
    expect(inline).toHaveLength(1);
    const image = inline[0]!;
    expect(sha256(image.content)).toBe(sha256(png));
    expect(image.contentType).toBe('image/png');
    expect(image.contentDisposition).toBe('inline');
    expect(image.contentId).toBe('<net@lab>');
    expect(html).toContain(`cid:${image.cid}`);
  });

  test('attachments: sniffed types, exact bytes, non-ASCII filename', () => {
    const files = parsed.attachments.filter((a) => !a.related);
    expect(files.map((f) => [f.filename, f.contentType, f.contentDisposition])).toEqual([
      ['photo.bin', 'image/jpeg', 'attachment'],
      ['计算机网络 实验报告 截图（最终版）.png', 'image/png', 'attachment'],
    ]);
    expect(sha256(files[0]!.content)).toBe(sha256(jpeg));
    expect(sha256(files[1]!.content)).toBe(sha256(png));
  });

  test('structure: mixed > related > alternative', () => {
    expect(contentTypes(raw)).toEqual([
      'multipart/mixed',
      'multipart/related',
      'multipart/alternative',
      'text/plain',
      'text/html',
      'image/png',
      'image/jpeg',
      'image/png',
    ]);
    expect(boundaryProblems(raw)).toEqual([]);
  });

  test('every line ends with CRLF, none passes 78 columns, base64 lines at most 76', () => {
    expect(lineProblems(raw)).toEqual([]);
    const long = rawLines(raw).filter((l) => Buffer.byteLength(l) > 78);
    expect(long).toEqual([]);
    const b64 = base64BodyLines(raw);
    expect(b64.length).toBeGreaterThan(10);
    for (const line of b64) expect(line).toMatch(/^[A-Za-z0-9+/]{1,76}={0,2}$/);
  });

  test('header fields: Date in RFC 5322 form, Message-ID, MIME-Version, encoded words at most 75', () => {
    const head = raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Date: Tue, 04 Mar 2025 10:00:00 \+0000$/m);
    expect(head).toMatch(/^Message-ID: <lab-1@example\.com>$/m);
    expect(head).toMatch(/^MIME-Version: 1\.0$/m);
    expect(parsed.messageId).toBe('<lab-1@example.com>');
    expect(parsed.date?.toISOString()).toBe('2025-03-04T10:00:00.000Z');
    const words = raw.toString('utf8').match(/=\?[^?\s]+\?[BQbq]\?[^?\s]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(head).not.toMatch(/[^\x00-\x7f]/);
  });
});

describe('structure follows the options', () => {
  const base = {
    from: 'a@example.com',
    to: ['b@example.com'],
    subject: 'Hi',
    text: 'Hello\n',
    ...FIXED,
  } satisfies MessageOptions;

  test('text only: a single text/plain part, 7bit, no multipart', async () => {
    const raw = await (await buildMessage(base)).toBuffer();
    expect(contentTypes(raw)).toEqual(['text/plain']);
    expect(raw.toString()).toMatch(/^Content-Transfer-Encoding: 7bit$/m);
    expect(raw.toString().endsWith('\r\n\r\nHello\r\n')).toBe(true);
    expect(lineProblems(raw)).toEqual([]);
    expect((await simpleParser(raw, { keepCidLinks: true })).text).toBe('Hello\n');
  });

  test('text and html: multipart/alternative with text first', async () => {
    const raw = await (await buildMessage({ ...base, html: '<b>Hello</b>' })).toBuffer();
    expect(contentTypes(raw)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
    expect(boundaryProblems(raw)).toEqual([]);
  });

  test('text and attachment: multipart/mixed', async () => {
    const raw = await (await buildMessage({ ...base, attachments: [jpegPath] })).toBuffer();
    expect(contentTypes(raw)).toEqual(['multipart/mixed', 'text/plain', 'image/jpeg']);
    expect(boundaryProblems(raw)).toEqual([]);
  });

  test('inline images without html: a generated html part shows each image by its cid', async () => {
    const message = await buildMessage({
      ...base,
      text: 'See <this> & that\n\nbye',
      inlineImages: [pngPath, pngPath],
    });
    expect(message.inlineImages.map((i) => i.cid)).toEqual(['network.png', 'network.png-2']);
    const raw = await message.toBuffer();
    expect(contentTypes(raw)).toEqual([
      'multipart/related',
      'multipart/alternative',
      'text/plain',
      'text/html',
      'image/png',
      'image/png',
    ]);
    expect(raw.toString()).toMatch(/^Content-Type: multipart\/related;\s+type="multipart\/alternative";/m);
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(parsed.html).toContain('See &#60;this&#62; &#38; that');
    const ids = parsed.attachments.map((a) => a.cid);
    expect(ids).toEqual(['network.png', 'network.png-2']);
    for (const id of ids) expect(parsed.html).toContain(`src="cid:${id}"`);
  });

  test('envelope: From, and To, Cc, Bcc once each', async () => {
    const message = await buildMessage({
      ...base,
      to: ['b@example.com', 'c@example.com'],
      cc: ['c@example.com'],
      bcc: ['d@example.com'],
    });
    expect(message.envelope).toEqual({
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com', 'd@example.com'],
    });
  });
});

describe('text bodies pick their transfer encoding', () => {
  const build = async (text: string): Promise<{ raw: Buffer; parsed: ParsedMail }> => {
    const raw = await (
      await buildMessage({ from: 'a@example.com', to: [], subject: 's', text, ...FIXED })
    ).toBuffer();
    return { raw, parsed: await simpleParser(raw, { keepCidLinks: true }) };
  };
  const cases: [string, string, string][] = [
    ['short ASCII lines', 'Hello,\nworld.\n', '7bit'],
    ['an ASCII line of 2000 characters', `${'x'.repeat(2000)}\n`, 'quoted-printable'],
    [
      'mostly ASCII with accents',
      'Café au lait, crème brûlée, and a long sentence in plain English.\n',
      'quoted-printable',
    ],
    ['trailing spaces and a tab', 'trailing   \nand\ttab\t\n', '7bit'],
    ['mostly Chinese', '我爱计算机网络。自顶向下方法。\n', 'base64'],
    ['a long Chinese line', `${'网络'.repeat(600)}\n`, 'base64'],
    ['control characters', 'bell\u0007 and nul\u0000 here\n', 'quoted-printable'],
  ];
  test.each(cases)('%s', async (_, text, encoding) => {
    const { raw, parsed } = await build(text);
    expect(raw.toString()).toMatch(new RegExp(`^Content-Transfer-Encoding: ${encoding}$`, 'm'));
    expect(parsed.text).toBe(text);
    expect(lineProblems(raw)).toEqual([]);
    for (const line of rawLines(raw).slice(rawLines(raw).indexOf('') + 1)) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);
    }
  });

  test('quoted-printable escapes whitespace at the end of a line and keeps the text exact', async () => {
    const text = 'naïve line with a trailing space \nnext\t\n';
    const { raw, parsed } = await build(text);
    expect(raw.toString()).toContain('trailing space=20\r\nnext=09');
    expect(parsed.text).toBe(text);
  });
});

describe('headers', () => {
  const build = (options: Partial<MessageOptions>) =>
    buildMessage({
      from: 'a@example.com',
      to: ['b@example.com'],
      subject: 's',
      text: 't',
      ...FIXED,
      ...options,
    });

  const subjects = [
    LAB_SUBJECT,
    '计算机网络'.repeat(60),
    `A ${'very '.repeat(40)}long ASCII subject`,
    `${'x'.repeat(200)} one unbreakable word`,
    'literal =?UTF-8?B?Zm9v?= is not an encoded word',
    '  leading spaces, and  double  spaces ',
    'emoji only 🚀🚀🚀 👩‍💻 and ümlauts',
  ];
  test.each(subjects)('subject %#: decodes back exactly, lines within 78', async (subject) => {
    const raw = await (await build({ subject })).toBuffer();
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(parsed.subject).toBe(subject.trim());
    const head = raw.toString().split('\r\n\r\n')[0]!;
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const word of head.match(/=\?[^?\s]+\?[BQ]\?[^?\s]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75);
  });

  const names = [
    'Doe, John',
    'O\'Brien "the" \\ Quoted',
    'Dr. Who',
    '张三',
    '李四, 王五 <admin>',
    'Ünïcødé "quoted"',
  ];
  test.each(names)('display name %s survives', async (name) => {
    const raw = await (
      await build({ from: { address: 'a@example.com', name }, to: [{ address: 'b@example.com', name }] })
    ).toBuffer();
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(addresses(parsed.from)).toEqual([{ address: 'a@example.com', name }]);
    expect(addresses(parsed.to)).toEqual([{ address: 'b@example.com', name }]);
  });

  test('a display name with specials is quoted; an atom phrase is not', async () => {
    const head = (
      await (
        await build({
          from: { address: 'a@example.com', name: 'Doe, John' },
          to: [{ address: 'b@example.com', name: 'Jane Doe' }],
        })
      ).toBuffer()
    ).toString();
    expect(head).toMatch(/^From: "Doe, John" <a@example\.com>$/m);
    expect(head).toMatch(/^To: Jane Doe <b@example\.com>$/m);
  });

  test('a long recipient list folds between addresses', async () => {
    const to = Array.from({ length: 30 }, (_, i) => ({ address: `user${i}@example.com`, name: `用户 ${i}` }));
    const raw = await (await build({ to })).toBuffer();
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(addresses(parsed.to)).toEqual(to.map((m) => ({ address: m.address, name: m.name })));
    for (const line of rawLines(raw)) expect(line.length).toBeLessThanOrEqual(78);
  });

  test('an internationalised domain is written in punycode', async () => {
    const message = await build({ to: ['user@例子.中国'] });
    expect(message.envelope.to).toEqual(['user@xn--fsqu00a.xn--fiqs8s']);
  });

  test('extra headers are written, encoded when needed', async () => {
    const raw = await (
      await build({ headers: { 'X-Mailer': 'smtp-lab', 'X-Course': '计算机网络 Lab 2' } })
    ).toBuffer();
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(raw.toString()).toMatch(/^X-Mailer: smtp-lab$/m);
    // mailparser leaves unknown headers encoded: decode the one word here.
    const line = parsed.headerLines.find((h) => h.key === 'x-course')?.line ?? '';
    const match = /^X-Course: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?= Lab 2$/.exec(line);
    expect(Buffer.from(match?.[1] ?? '', 'base64').toString('utf8')).toBe('计算机网络');
  });

  test('without a Message-ID one is made in the sender domain', async () => {
    const message = await buildMessage({ from: 'a@mail.example.com', to: [], subject: 's', text: 't' });
    expect(message.messageId).toMatch(/^[a-z0-9.]+@mail\.example\.com$/);
  });
});

describe('refusals happen before any byte is produced', () => {
  const base: MessageOptions = {
    from: 'a@example.com',
    to: ['b@example.com'],
    subject: 's',
    text: 't',
    ...FIXED,
  };
  const injections: [string, () => Partial<MessageOptions>][] = [
    ['subject', () => ({ subject: 'hi\r\nBcc: victim@example.com' })],
    ['subject (bare LF)', () => ({ subject: 'hi\nX: y' })],
    ['from.name', () => ({ from: { address: 'a@example.com', name: 'Eve\rX' } })],
    ['to[0].address', () => ({ to: ['b@example.com\r\nRCPT TO:<x@y>'] })],
    ['cc[0].name', () => ({ cc: [{ address: 'c@example.com', name: 'C\n' }] })],
    ['headers.X-Test', () => ({ headers: { 'X-Test': 'a\r\nb' } })],
    ['headers', () => ({ headers: [['X-Te\nst', 'a']] })],
    ['attachments[0].filename', () => ({ attachments: [{ path: jpegPath, filename: 'a\r\n.png' }] })],
    ['inlineImages[0].cid', () => ({ inlineImages: [{ path: pngPath, cid: 'x\ny' }] })],
    ['messageId', () => ({ messageId: '<a@b>\r\nX: y' })],
  ];
  test.each(injections)('CR or LF in %s', async (field, options) => {
    const error = await buildMessage({ ...base, ...options() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MimeLineBreakError);
    expect(error).toMatchObject({
      code: 'ERR_MIME_LINE_BREAK',
      field: expect.stringContaining(field.split(' ')[0]!),
    });
  });

  const invalid: [string, string, () => Partial<MessageOptions>][] = [
    ['no @', 'ERR_MIME_ADDRESS', () => ({ to: ['nobody'] })],
    ['space in address', 'ERR_MIME_ADDRESS', () => ({ to: ['a b@example.com'] })],
    ['angle brackets in address', 'ERR_MIME_ADDRESS', () => ({ from: '<a@example.com>' })],
    ['reserved header', 'ERR_MIME_HEADER', () => ({ headers: { Bcc: 'x@example.com' } })],
    ['header name with colon', 'ERR_MIME_HEADER', () => ({ headers: { 'X:Y': 'z' } })],
    ['missing file', 'ERR_MIME_FILE', () => ({ attachments: ['/nonexistent/file.pdf'] })],
    ['directory', 'ERR_MIME_FILE', () => ({ attachments: [dir.path] })],
    ['bad boundary', 'ERR_MIME_BOUNDARY', () => ({ boundary: () => 'has"quote', html: '<p>x</p>' })],
    [
      'boundary in text',
      'ERR_MIME_BOUNDARY',
      () => ({ boundary: 'b', html: '<p>x</p>', text: 'x\n--=_b_0\n' }),
    ],
    [
      'duplicate cid',
      'ERR_MIME_CONTENT_ID',
      () => ({
        inlineImages: [
          { path: pngPath, cid: 'a' },
          { path: pngPath, cid: 'a' },
        ],
      }),
    ],
    ['invalid date', 'ERR_MIME_DATE', () => ({ date: new Date('nope') })],
  ];
  test.each(invalid)('%s', async (_, code, options) => {
    const error = await buildMessage({ ...base, ...options() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MimeError);
    expect(error).toMatchObject({ code });
  });
});

describe('deterministic output', () => {
  test('golden: a small message with html and a text attachment, byte for byte', async () => {
    const notes = await dir.write('notes.txt', 'line one\nline two\n');
    const message = await buildMessage({
      from: { address: 'alice@example.com', name: 'Alice' },
      to: [{ address: 'bob@example.org', name: '鲍勃' }],
      subject: 'Lab 2 🚀',
      text: 'Hi Bob,\nsee attached.\n',
      html: '<p>Hi Bob,<br>see attached.</p>',
      attachments: [notes],
      headers: { 'X-Mailer': 'smtp-lab' },
      ...FIXED,
    });
    expect((await message.toBuffer()).toString('utf8').split('\r\n')).toEqual([
      'From: Alice <alice@example.com>',
      'To: =?UTF-8?B?6bKN5YuD?= <bob@example.org>',
      'Subject: Lab 2 =?UTF-8?B?8J+agA==?=',
      'Date: Tue, 04 Mar 2025 10:00:00 +0000',
      'Message-ID: <lab-1@example.com>',
      'X-Mailer: smtp-lab',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="=_test_0"',
      '',
      '--=_test_0',
      'Content-Type: multipart/alternative; boundary="=_test_1"',
      '',
      '--=_test_1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      '',
      'Hi Bob,',
      'see attached.',
      '',
      '--=_test_1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      '',
      '<p>Hi Bob,<br>see attached.</p>',
      '--=_test_1--',
      '--=_test_0',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'bGluZSBvbmUKbGluZSB0d28K',
      '--=_test_0--',
      '',
    ]);
  });

  test('the same options give the same bytes, and each stream() reads the files again', async () => {
    const options: MessageOptions = {
      from: 'a@example.com',
      to: ['b@example.com'],
      subject: LAB_SUBJECT,
      text: LAB_SUBJECT,
      inlineImages: [pngPath],
      attachments: [jpegPath],
      ...FIXED,
    };
    const first = await buildMessage(options);
    const second = await buildMessage(options);
    const a = await first.toBuffer();
    expect((await second.toBuffer()).toString('latin1')).toBe(a.toString('latin1'));
    expect((await first.toBuffer()).toString('latin1')).toBe(a.toString('latin1'));
  });

  test('a boundary function is used as given', async () => {
    const raw = await (
      await buildMessage({
        from: 'a@example.com',
        to: [],
        subject: 's',
        text: 't',
        html: 'h',
        boundary: (n) => `fixed-boundary-${n}`,
      })
    ).toBuffer();
    expect(raw.toString()).toContain('boundary="fixed-boundary-0"');
    expect(boundaryProblems(raw)).toEqual([]);
  });
});

test('the image file written to disk is what the message carries (read back from disk)', async () => {
  const message = await buildMessage({
    from: 'a@example.com',
    to: [],
    subject: 's',
    text: 't',
    attachments: [pngPath],
  });
  const parsed = await simpleParser(await message.toBuffer(), { keepCidLinks: true });
  expect(sha256(parsed.attachments[0]!.content)).toBe(sha256(await readFile(pngPath)));
  expect(message.attachments[0]).toMatchObject({
    filename: 'network.png',
    contentType: 'image/png',
    size: png.length,
  });
});

test('a file removed after building fails the stream with ERR_MIME_FILE', async () => {
  const doomed = await dir.write('doomed.png', png);
  const message = await buildMessage({
    from: 'a@example.com',
    to: [],
    subject: 's',
    text: 't',
    attachments: [doomed],
  });
  await rm(doomed);
  await expect(message.toBuffer()).rejects.toMatchObject({ code: 'ERR_MIME_FILE' });
});
