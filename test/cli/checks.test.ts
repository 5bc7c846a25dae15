import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/scenarios/check-ids.js';
import { BIN, cli } from '../grader/helpers.js';

/** `smtp-lab checks`: the rubric vocabulary, as a scenario author reads it. */

describe('smtp-lab checks', () => {
  it('lists every check id with its title, what it judges and its tier (JSON)', async () => {
    const { code, stdout } = await cli(['checks', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ id: string; title: string; judges: string; tier: string }>;
    expect(rows.map((r) => r.id)).toEqual([...CHECK_IDS]);
    for (const r of rows) {
      expect(r.title, r.id).not.toBe('');
      expect(r.judges, r.id).not.toBe('');
      expect(['baseline', 'robustness', 'optional']).toContain(r.tier);
    }
  });

  it('prints one entry per id for people', async () => {
    const { code, stdout } = await cli(['checks']);
    expect(code).toBe(0);
    for (const id of CHECK_IDS) expect(stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(stdout).toContain('uses-given-addresses');
    expect(stdout).toContain(`${CHECK_IDS.length} checks.`);
  });
});

describe('a reader that stops reading', () => {
  it('ends the command quietly with 141, as SIGPIPE would, not with a stack trace', async () => {
    // `smtp-lab checks | true`: the reading end is closed before the command gets to write.
    const child = spawn(process.execPath, [BIN, 'checks'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});
