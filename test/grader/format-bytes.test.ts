import { describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/messages.js';
import { formatBytes } from '../../src/grader/guard.js';

describe('formatBytes: a size for people, in their language', () => {
  it.each([
    [0, '0 bytes', '0 字节'],
    [512, '512 bytes', '512 字节'],
    [1023, '1023 bytes', '1023 字节'],
    [1536, '1.5 KiB', '1.5 KiB'],
    [4 * 1024 * 1024, '4 MiB', '4 MiB'],
  ])('%i -> %j in English, %j in zh-CN', (n, en, zh) => {
    expect(formatBytes(n)).toBe(en);
    expect(formatBytes(n, messages('en'))).toBe(en);
    expect(formatBytes(n, messages('zh-CN'))).toBe(zh);
  });
});
