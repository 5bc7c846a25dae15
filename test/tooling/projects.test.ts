import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installFiles, unitFiles } from '../../vitest.config.js';

/**
 * The unit project names its files one by one (vitest.config.ts): a renamed or deleted file would
 * leave a name that matches nothing and the file would silently run as integration. Every name
 * must exist.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `a/{b,c}.test.ts` → `a/b.test.ts`, `a/c.test.ts` (one brace group, the only form used). */
function expand(glob: string): string[] {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(glob);
  return m ? m[2]!.split(',').map((name) => `${m[1]}${name}${m[3]}`) : [glob];
}

describe('the unit project', () => {
  it('names only files that exist, without wildcards', () => {
    const names = unitFiles.flatMap(expand);
    expect(names.filter((name) => /[*?[]/.test(name))).toEqual([]);
    expect(names.filter((name) => !existsSync(`${ROOT}${name}`))).toEqual([]);
  });
});

describe('the install project', () => {
  it('names files that exist and that no other project also runs', () => {
    expect(installFiles.filter((name) => !existsSync(`${ROOT}${name}`))).toEqual([]);
    expect(installFiles.filter((name) => unitFiles.flatMap(expand).includes(name))).toEqual([]);
  });
});
