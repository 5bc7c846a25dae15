import { describe, expect, it } from 'vitest';
import { langFromLocale, parseLang, resolveLang, UnknownLangError } from '../../src/i18n/lang.js';

describe('choosing the language', () => {
  it('reads the names people write', () => {
    expect(parseLang('zh-CN')).toBe('zh-CN');
    expect(parseLang('zh_cn')).toBe('zh-CN');
    expect(parseLang('zh')).toBe('zh-CN');
    expect(parseLang('zh-Hans')).toBe('zh-CN');
    expect(parseLang('en')).toBe('en');
    expect(parseLang('EN-us')).toBe('en');
    expect(parseLang('fr')).toBeUndefined();
    expect(parseLang('')).toBeUndefined();
  });

  it('follows the locale: LC_ALL, then LC_MESSAGES, then LANG; zh* is Chinese', () => {
    expect(langFromLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(langFromLocale({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(langFromLocale({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(langFromLocale({ LC_ALL: 'C', LC_MESSAGES: 'zh_CN.UTF-8' })).toBe('en');
    expect(langFromLocale({ LC_ALL: '', LANG: 'zh_TW.UTF-8' })).toBe('zh-CN');
    expect(langFromLocale({})).toBeUndefined();
  });

  it('--lang beats SMTP_LAB_LANG, which beats the locale; English without any', () => {
    const env = { SMTP_LAB_LANG: 'en', LANG: 'zh_CN.UTF-8' };
    expect(resolveLang('zh-CN', env)).toBe('zh-CN');
    expect(resolveLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, env)).toBe('en');
    expect(resolveLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(resolveLang(undefined, { SMTP_LAB_LANG: '', LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(resolveLang(undefined, {})).toBe('en');
  });

  it('refuses an unknown --lang or SMTP_LAB_LANG, naming where it came from', () => {
    expect(() => resolveLang('fr', {})).toThrow(UnknownLangError);
    expect(() => resolveLang('fr', {})).toThrow('--lang "fr" is not a language (expected one of: en, zh-CN)');
    expect(() => resolveLang(undefined, { SMTP_LAB_LANG: 'klingon' })).toThrow(/^SMTP_LAB_LANG "klingon"/);
  });
});
