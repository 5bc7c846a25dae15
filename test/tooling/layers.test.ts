import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

// The layering check of `npm run lint` (.dependency-cruiser.cjs), run on small trees laid out like
// src/: it must refuse a type-only cycle and an upward import, and let a lower import through.
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as IConfiguration;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function check(files: Record<string, string>): Promise<string[]> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-layers-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const { output } = await cruise(['src'], {
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    baseDir: dir,
    tsPreCompilationDeps: true,
  });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('the layering check', () => {
  it('refuses a cycle made only of type imports', async () => {
    const found = await check({
      'src/protocol/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
      'src/protocol/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    expect(found.some((v) => v.startsWith('no-circular: src/protocol/a.ts'))).toBe(true);
  });

  it('refuses an upward import (server reading scenarios) and a sideways one (client reading server)', async () => {
    const found = await check({
      'src/scenarios/types.ts': 'export type Fault = { on: string };\n',
      'src/server/faults.ts':
        "import type { Fault } from '../scenarios/types.js';\nexport const f: Fault[] = [];\n",
      'src/client/x.ts': "import { f } from '../server/faults.js';\nexport const g = f;\n",
    });
    expect(found).toEqual([
      'layer-client: src/client/x.ts -> src/server/faults.ts',
      'layer-server: src/server/faults.ts -> src/scenarios/types.ts',
    ]);
  });

  it('lets a layer import a lower one and the shared leaves', async () => {
    const found = await check({
      'src/i18n/lang.ts': "export type Lang = 'en';\n",
      'src/protocol/tls.ts': "export type TlsMode = 'none';\n",
      'src/server/vocabulary.ts':
        "import type { TlsMode } from '../protocol/tls.js';\nexport type T = TlsMode;\n",
      'src/scenarios/types.ts':
        "import type { T } from '../server/vocabulary.js';\nimport type { Lang } from '../i18n/lang.js';\nexport type S = [T, Lang];\n",
    });
    expect(found).toEqual([]);
  });
});
