/**
 * Messages the checks write (src/grader/checks/: reasons, notes, evidence labels), English and 简体中文
 * side by side. Keys start with `verdict.`; en.ts and zh-CN.ts merge every area, and
 * test/i18n/catalogue.test.ts checks that no two areas share a key.
 */
export const en = {} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {};
