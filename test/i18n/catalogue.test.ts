import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AREA_KEYS, en } from '../../src/i18n/en.js';
import { catalogue, format, LANGS, messages, placeholders, type Catalogue } from '../../src/i18n/index.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** The browser view's page: it gets its `web.` messages from the server and uses them by key. */
const WEB_ASSETS = fileURLToPath(new URL('../../assets/web/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

describe('message catalogues', () => {
  const keys = Object.keys(en).sort();

  it('gives every key one home: no two area files (src/i18n/areas/) share a key', () => {
    const all = AREA_KEYS.flat();
    expect(all.filter((key, i) => all.indexOf(key) !== i)).toEqual([]);
    expect(all.length).toBe(keys.length);
  });

  it.each(LANGS)('%s has exactly the keys of English', (lang) => {
    expect(Object.keys(catalogue(lang)).sort()).toEqual(keys);
  });

  it.each(LANGS)('%s uses the same placeholders as English, key by key', (lang) => {
    const cat = catalogue(lang);
    const wrong = keys.filter(
      (key) =>
        placeholders(cat[key as keyof typeof en]).join() !== placeholders(en[key as keyof typeof en]).join(),
    );
    expect(wrong).toEqual([]);
  });

  it('zh-CN is translated: no message is left equal to its English text unless it has no letters', () => {
    const zh = catalogue('zh-CN');
    const same = keys.filter((key) => {
      const k = key as keyof typeof en;
      return zh[k] === en[k] && /[a-z]{3}/i.test(en[k].replace(/\{[A-Za-z0-9]+\}/g, ''));
    });
    expect(same).toEqual([]);
  });

  it('has no unused keys: every key appears in the source or the page outside the catalogues', () => {
    const code = sources(SRC)
      .filter((file) => !path.relative(SRC, file).startsWith(`i18n${path.sep}`))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const page = readdirSync(WEB_ASSETS)
      .filter((name) => name.endsWith('.js') || name.endsWith('.html'))
      .map((name) => readFileSync(path.join(WEB_ASSETS, name), 'utf8'))
      .join('\n');
    // A key is used when written out, or (for families like next.*) when its prefix is
    // written as a template: `next.${step}`. The page (assets/web) writes a key as a string
    // ('web.nav.inbox' in app.js and diagram.js) or as {{web.nav.inbox}} in index.html.
    const unused = keys.filter((key) => {
      if (code.includes(`'${key}'`)) return false;
      if (page.includes(`'${key}'`) || page.includes(`{{${key}}}`)) return false;
      const family = key.slice(0, key.lastIndexOf('.') + 1);
      return !code.includes('`' + family + '${');
    });
    expect(unused).toEqual([]);
  });

  it('the page (assets/web) asks only for keys the catalogue has: it would show a missing one as its key', () => {
    const asked = readdirSync(WEB_ASSETS)
      .filter((name) => name.endsWith('.js') || name.endsWith('.html'))
      .flatMap((name) => [
        ...readFileSync(path.join(WEB_ASSETS, name), 'utf8').matchAll(
          /'(web\.[\w.]+)'|\{\{(web\.[\w.]+)\}\}/g,
        ),
      ])
      .map((m) => m[1] ?? m[2]!);
    expect(asked.length).toBeGreaterThan(50);
    expect([...new Set(asked)].filter((key) => !Object.hasOwn(en, key))).toEqual([]);
  });

  it('fills named placeholders, leaves unknown ones and does not re-scan inserted values', () => {
    expect(format('{a} and {b}', { a: '{b}', b: 2 })).toBe('{b} and 2');
    expect(format('{missing} stays', {})).toBe('{missing} stays');
    expect(messages('zh-CN').t('scenarios.footer', { count: 3 })).toBe(
      '共 3 个场景。运行其中一个：smtp-lab lab <id>',
    );
    expect(messages().t('scenarios.footer', { count: 3 })).toBe(
      '3 scenarios. Run one with: smtp-lab lab <id>',
    );
  });

  it('gives each language its own immutable messages: nothing global leaks between callers', () => {
    const zh = messages('zh-CN');
    const english = messages('en');
    expect(zh.lang).toBe('zh-CN');
    expect(english.t('next.give-up')).toBe('give up');
    expect(zh.t('next.give-up')).toBe('放弃');
    expect(Object.isFrozen(zh)).toBe(true);
    expect(messages().lang).toBe('en');
  });

  it('is typed: a missing key, an unknown key or a missing placeholder fails the type check', () => {
    // These lines are checked by `tsc --noEmit` (tsconfig.json includes test/): each must be an error.
    // @ts-expect-error a catalogue lacking keys is not a Catalogue
    const partial: Catalogue = { 'next.continue': '继续' };
    // @ts-expect-error a key that is not in the English reference
    const extra: Catalogue = { ...catalogue('zh-CN'), 'no.such.key': 'x' };
    const m = messages();
    // @ts-expect-error unknown key
    expect(() => m.t('no.such.key')).toThrow();
    // @ts-expect-error scenarios.footer needs {count}
    expect(m.t('scenarios.footer')).toContain('{count}');
    // @ts-expect-error a placeholder the English text does not have
    m.t('scenarios.footer', { total: 1 });
    expect(partial).toBeDefined();
    expect(extra).toBeDefined();
  });
});
