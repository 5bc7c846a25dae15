import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ENHANCED_CLASSES,
  ENHANCED_DETAILS,
  ENHANCED_SUBJECTS,
  explainCode,
  explainReply,
  FIRST_DIGITS,
  REPLY_CODES,
  ReplyCodeSyntaxError,
  SECOND_DIGITS,
  type Explanation,
  type ReplyContext,
} from '../../src/protocol/codes.js';
import { formatExplanation } from '../../src/cli/explain-format.js';
import {
  ZH_ENHANCED_CLASSES,
  ZH_ENHANCED_DETAILS,
  ZH_ENHANCED_SUBJECTS,
  ZH_FIRST_DIGITS,
  ZH_REPLY_CODES,
  ZH_SECOND_DIGITS,
} from '../../src/protocol/codes.zh-CN.js';

/**
 * The English output of every code, taken from the code before i18n
 * (test/fixtures/explain/gen-golden.mjs.txt): full text where reviewable, a sha256 prefix of text,
 * colour, narrow and JSON renderings otherwise.
 */
const GOLDEN = JSON.parse(
  readFileSync(new URL('../fixtures/explain/en-golden.json', import.meta.url), 'utf8'),
) as {
  full: Record<string, { text: string; jsonSha256: string; colorSha256: string; narrowSha256: string }>;
  hashed: Record<string, string>;
  errors: Record<string, { code: string; message: string; shortMessage?: string }>;
};

const h = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function renderings(e: Explanation) {
  return {
    text: formatExplanation(e, {}),
    color: formatExplanation(e, { color: true }),
    narrow: formatExplanation(e, { width: 40 }),
    json: JSON.stringify(e, null, 2),
  };
}

function explainKey(key: string): Explanation {
  const at = key.indexOf('@');
  if (at === -1) return explainCode(key);
  return explainReply(Number(key.slice(0, at)), undefined, { context: key.slice(at + 1) as ReplyContext });
}

describe('explain in English is unchanged byte for byte', () => {
  it('covers every catalogue code', () => {
    for (const e of REPLY_CODES) expect(GOLDEN.full).toHaveProperty([String(e.code)]);
    for (const d of ENHANCED_DETAILS) expect(GOLDEN.full).toHaveProperty([`5.${d.code.slice(2)}`]);
  });

  it.each(Object.keys(GOLDEN.full))('%s: text, colour, narrow and JSON as before', (key) => {
    const r = renderings(explainKey(key));
    const want = GOLDEN.full[key]!;
    expect(r.text).toBe(want.text);
    expect({ json: h(r.json), color: h(r.color), narrow: h(r.narrow) }).toEqual({
      json: want.jsonSha256,
      color: want.colorSha256,
      narrow: want.narrowSha256,
    });
  });

  it('every other code, combination and context hashes as before', () => {
    const changed = Object.entries(GOLDEN.hashed)
      .filter(([key, want]) => h(JSON.stringify(renderings(explainKey(key)))) !== want)
      .map(([key]) => key);
    expect(changed).toEqual([]);
    expect(Object.keys(GOLDEN.hashed).length).toBeGreaterThan(2000);
  });

  it('errors read as before', () => {
    for (const [input, want] of Object.entries(GOLDEN.errors)) {
      const m = /^explainReply\((.*)\)$/.exec(input);
      const run = m ? () => explainReply(Number(m[1])) : () => explainCode(input);
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err, input).toBeInstanceOf(ReplyCodeSyntaxError);
      const e = err as ReplyCodeSyntaxError;
      expect({
        code: e.code,
        message: e.message,
        ...(want.shortMessage ? { shortMessage: e.shortMessage } : {}),
      }).toEqual(want);
    }
  });
});

describe('explain in Chinese', () => {
  it('has a zh-CN text for every reply code and no text for a code not in the catalogue', () => {
    expect(Object.keys(ZH_REPLY_CODES).map(Number).sort()).toEqual(REPLY_CODES.map((e) => e.code).sort());
    expect(Object.keys(ZH_ENHANCED_DETAILS).sort()).toEqual(ENHANCED_DETAILS.map((d) => d.code).sort());
    expect(Object.keys(ZH_FIRST_DIGITS).map(Number)).toEqual(FIRST_DIGITS.map((d) => d.digit));
    expect(Object.keys(ZH_SECOND_DIGITS).map(Number)).toEqual(SECOND_DIGITS.map((d) => d.digit));
    expect(Object.keys(ZH_ENHANCED_CLASSES).map(Number)).toEqual(ENHANCED_CLASSES.map((d) => d.digit));
    expect(Object.keys(ZH_ENHANCED_SUBJECTS).map(Number)).toEqual(ENHANCED_SUBJECTS.map((d) => d.subject));
  });

  it('gives advice for exactly the enhanced codes whose English entry has advice', () => {
    for (const d of ENHANCED_DETAILS) {
      expect(ZH_ENHANCED_DETAILS[d.code]!.advice === undefined, d.code).toBe(d.advice === undefined);
    }
  });

  // Every text a person reads is Chinese: it holds Han characters, and once protocol tokens,
  // quoted wire text, RFC citations and e-mail addresses are removed, no English words remain.
  const ENGLISH_WORDS =
    /\b(?!RFC\b|SMTP\b|TLS\b|AUTH\b|LOGIN\b|PLAIN\b|QQ\b|Gmail\b|DNS\b|MX\b|null\b|base64\b|From\b)[a-z]{3,}\b/i;
  function english(text: string): boolean {
    const stripped = text
      .replace(/"[^"]*"/g, '')
      .replace(/<[^>]*>/g, '')
      .replace(/\b[A-Z][A-Z0-9-]+\b=?/g, '');
    return ENGLISH_WORDS.test(stripped) || !/\p{Script=Han}/u.test(stripped);
  }

  const codes = [
    ...REPLY_CODES.map((e) => String(e.code)),
    ...ENHANCED_DETAILS.flatMap((d) => [
      `2.${d.code.slice(2)}`,
      `4.${d.code.slice(2)}`,
      `5.${d.code.slice(2)}`,
    ]),
    '299',
    '399',
    '459',
    '507',
    '599',
    '262',
    '4.4.99',
    '5.9.1',
    '550 4.7.8',
    '535 5.7.8',
    '550 5.1.1',
  ];

  it.each(codes)('%s: every text is Chinese, every machine field as in English', (code) => {
    const zh = explainCode(code, { lang: 'zh-CN' });
    const enE = explainCode(code);
    expect(zh.next).toBe(enE.next);
    expect(zh.query).toBe(enE.query);
    expect(zh.refs).toEqual(enE.refs);
    expect(zh.reply?.code).toBe(enE.reply?.code);
    expect(zh.reply?.contexts).toEqual(enE.reply?.contexts);
    expect(zh.reply?.known).toBe(enE.reply?.known);
    expect(zh.enhanced?.code).toBe(enE.enhanced?.code);
    const texts = [
      zh.title,
      zh.nextText,
      zh.advice,
      ...zh.notes,
      ...(zh.reply
        ? [
            zh.reply.name,
            zh.reply.meaning,
            zh.reply.appears ?? '中',
            ...Object.values(zh.reply.digits).flatMap((d) => [d.name, d.meaning]),
          ]
        : []),
      ...(zh.enhanced
        ? [zh.enhanced.name, zh.enhanced.meaning, zh.enhanced.class.name, zh.enhanced.subject.meaning]
        : []),
    ];
    expect(texts.filter(english)).toEqual([]);
    const out = formatExplanation(zh, { lang: 'zh-CN' });
    for (const word of ['Reply', 'Enhanced', 'meaning', 'appears', 'digits', 'Next:', 'Sources:', 'note:'])
      expect(out).not.toContain(word);
  });

  it('lays out 535 in Chinese within the width, labels aligned by display width', () => {
    const out = formatExplanation(explainCode('535 5.7.8', { lang: 'zh-CN' }), { lang: 'zh-CN', width: 60 });
    expect(out).toContain('应答 535：认证凭据无效（RFC 4954 §6）');
    expect(out).toContain('下一步：放弃');
    expect(out).toContain('授权码');
    const lines = out.trimEnd().split('\n');
    const cols = (s: string) =>
      [...s].reduce((n, ch) => n + (/[\u1100-\uFFFF]/.test(ch) && !/[§]/.test(ch) ? 2 : 1), 0);
    for (const line of lines.filter((l) => !l.startsWith('出处')))
      expect(cols(line), line).toBeLessThanOrEqual(60);
    // Labelled paragraphs: text starts at column 12 on the first line and on continuation lines.
    const labelled = lines.filter((l) => /^ {2}(含义|出现于|各位数字|类别|主题) /.test(l));
    expect(labelled.length).toBeGreaterThanOrEqual(5);
    for (const l of labelled) expect(cols(/^ {2}\S+ +/.exec(l)![0]), l).toBe(12);
    const continued = lines.filter((l) => /^ {12}\S/.test(l));
    expect(continued.length).toBeGreaterThan(0);
  });

  it('says why a code cannot be explained in Chinese, with the same error code', () => {
    expect(() => explainCode('abc', { lang: 'zh-CN' })).toThrow('"abc" 不是响应码：应为基本响应码');
    try {
      explainCode('600', { lang: 'zh-CN' });
    } catch (err) {
      expect((err as ReplyCodeSyntaxError).code).toBe('ERR_REPLY_CODE_SYNTAX');
      expect((err as ReplyCodeSyntaxError).shortMessage).toBe('"600" 不是响应码');
    }
  });
});
