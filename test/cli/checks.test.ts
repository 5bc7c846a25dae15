import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/scenarios/check-ids.js';
import { cli } from '../grader/helpers.js';

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
