import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinScenarioDir, listBuiltinScenarios } from '../../src/scenarios/load.js';
import type { Scenario } from '../../src/scenarios/types.js';

/**
 * The built-in files were rewritten to use the `baseline` preset, to leave out the `client:` keys
 * the loader derives from `server:`, and to spell `expect:` as `reference:`. What they mean must
 * not change: fixtures/builtin/loaded-before.json is every built-in scenario as the loader read
 * the files before the rewrite (paths relative to scenarios/, undefined written as null). Each one
 * loads to exactly that object today, except for the intentional changes listed here.
 */

type Loaded = Record<string, unknown>;

const before = JSON.parse(
  await readFile(new URL('fixtures/builtin/loaded-before.json', import.meta.url), 'utf8'),
) as Record<string, Loaded>;
const dir = builtinScenarioDir();
const scenarios = await listBuiltinScenarios();

/** A loaded scenario the way the fixture holds it. */
function asStored(s: Scenario): Loaded {
  const copy = structuredClone(s);
  if (copy.client.image !== undefined) copy.client.image = path.relative(dir, copy.client.image);
  if (copy.expectedTranscript !== undefined) {
    copy.expectedTranscript = path.relative(dir, copy.expectedTranscript);
  }
  return JSON.parse(JSON.stringify(copy, (_k, v: unknown) => (v === undefined ? null : v))) as Loaded;
}

/** The intentional changes, applied to an object as it was loaded before the rewrite. */
function intended(id: string, old: Loaded): Loaded {
  const { expect: reference, ...rest } = old;
  // `expect` is now `reference`, in the file and in the Scenario type.
  const now: Loaded = { ...rest, reference };
  if (id === 'early-talker') {
    // With the preset, reads-whole-replies sits where the session meets it, after
    // waits-for-replies, as in fragmented-replies, multiline-ehlo and throttled-replies; it was
    // second in this one file.
    const checks = [...(now.checks as { id: string }[])];
    const i = checks.findIndex((c) => c.id === 'reads-whole-replies');
    const [moved] = checks.splice(i, 1);
    checks.splice(checks.findIndex((c) => c.id === 'waits-for-replies') + 1, 0, moved!);
    now.checks = checks;
  }
  return now;
}

describe('built-in scenarios after the rewrite', () => {
  it('are the same scenarios as before', () => {
    expect(scenarios.map((s) => s.id)).toEqual(Object.keys(before).sort());
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s loads to the same Scenario as before', (id, s) => {
    expect(asStored(s)).toEqual(intended(id, before[id]!));
  });

  it('no longer paste the baseline checks or restate the derived client keys', async () => {
    for (const s of scenarios) {
      const text = await readFile(path.join(dir, `${s.id}.yaml`), 'utf8');
      expect(text, s.id).not.toMatch(/^expect:/m);
      expect(text, s.id).toMatch(/^# yaml-language-server: \$schema=\.\/scenario\.schema\.json$/m);
      // tls and auth in client: follow from server: (read-sections.ts readClient).
      expect(text, s.id).not.toMatch(/^client:\n(?: {2}.*\n)*? {2}(?:tls|auth):/m);
      const pasted = ['waits-for-greeting', 'greets', 'crlf', 'waits-for-replies'].every((id) =>
        new RegExp(`\\{ id: ${id}, points: 1 \\}`).test(text),
      );
      expect(pasted, s.id).toBe(false);
    }
  });
});
