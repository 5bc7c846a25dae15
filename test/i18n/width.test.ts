import { describe, expect, it } from 'vitest';
import { displayWidth, padEndWidth, padStartWidth, truncateWidth } from '../../src/i18n/width.js';
import { wrap } from '../../src/text.js';

describe('display width', () => {
  it('counts a Chinese character as two columns and colour codes as none', () => {
    expect(displayWidth('授权码')).toBe(6);
    expect(displayWidth('\x1b[31mabc\x1b[39m')).toBe(3);
    expect(padEndWidth('含义', 9)).toBe('含义     ');
    expect(displayWidth(padEndWidth('含义', 9))).toBe(9);
    expect(padStartWidth('张三', 6)).toBe('  张三');
    expect(displayWidth('RFC 5321 §4.2.1 é')).toBe(17);
    expect(displayWidth('a\u00adb')).toBe(2);
  });

  it('cuts to a width without splitting a wide character', () => {
    expect(truncateWidth('张三丰李四', 6)).toBe('张三…');
    expect(displayWidth(truncateWidth('张三丰李四', 6))).toBeLessThanOrEqual(6);
    expect(truncateWidth('abc', 6)).toBe('abc');
  });
});

describe('wrap', () => {
  const english =
    'Do not retry the same credentials (servers lock accounts). Check the user name and the base64 encoding.';

  it('wraps English exactly as before: at spaces, within the width', () => {
    expect(wrap(english, 40, '  ', '    ')).toEqual([
      '  Do not retry the same credentials',
      '    (servers lock accounts). Check the',
      '    user name and the base64 encoding.',
    ]);
  });

  it('breaks Chinese between characters, counting two columns each, never before ，or 。', () => {
    const text =
      '不要用同样的凭据重试（服务器会锁定账号）。检查用户名和 base64 编码；QQ 邮箱要用 16 位授权码。';
    const lines = wrap(text, 30, '  ', '  ');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(displayWidth(line)).toBeLessThanOrEqual(30);
      expect(line.trimStart()).not.toMatch(/^[，。；）]/);
    }
    // Nothing lost or added but the breaks: spaces stay where they were written.
    expect(
      lines
        .map((l) => l.slice(2))
        .join('')
        .replace(/ /g, ''),
    ).toBe(text.replace(/ /g, ''));
    expect(lines.join('\n')).toContain('base64 编码');
  });
});
