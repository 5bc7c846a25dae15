import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReports } from '../../src/grader/formats.js';
import { parseReference } from '../../src/grader/normalise.js';
import { gradeScenario } from '../../src/grader/run.js';
import { loadScenarioFile, ScenarioError } from '../../src/scenarios/load.js';
import { check, CLIENTS, cli, expectFailures, js, py, SCENARIOS } from './helpers.js';

/**
 * `smtp-lab record` saves a known-good client's normalised exchange; a scenario that names it as
 * `expected-transcript` grades runs against it with the matches-reference check, a mismatch
 * showing a unified diff.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-record-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The plain test scenario with an expected transcript and the matches-reference check. */
async function referencedScenario(name: string, reference: string): Promise<string> {
  const base = await readFile(path.join(SCENARIOS, 'plain.yaml'), 'utf8');
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(
    file,
    base
      .replace(/^id: plain$/m, `id: ${name}`)
      .replace(/^checks:$/m, `expected-transcript: ${reference}\nchecks:`) +
      '  - { id: matches-reference, points: 2 }\n',
  );
  return file;
}

describe('smtp-lab record', () => {
  let reference: string;
  let scenarioFile: string;

  beforeAll(async () => {
    reference = path.join(dir, 'plain.expected.json');
    const first = await cli([
      'record',
      `${SCENARIOS}/plain.yaml`,
      '-o',
      reference,
      '--',
      ...py('correct_client.py'),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`-> ${reference}`);
    scenarioFile = await referencedScenario('plain-referenced', 'plain.expected.json');
  });

  it('writes the scenario id and normalised lines per session', async () => {
    const saved = parseReference(await readFile(reference, 'utf8'), reference);
    expect(saved.scenario).toBe('plain');
    expect(saved.command).toContain('correct_client.py');
    expect(saved.sessions).toHaveLength(1);
    const lines = saved.sessions[0]!.lines;
    expect(lines.slice(0, 3)).toEqual([
      '<- 220',
      '-> EHLO <host>',
      '<- 250 EHLO 8BITMIME PIPELINING SIZE SMTPUTF8',
    ]);
    expect(lines).toContain('-> Date: <date>');
    expect(lines).toContain('-> Message-ID: <message-id>');
    expect(lines.slice(-4)).toEqual(['-> .', '<- 250', '-> QUIT', '<- 221']);
  });

  it('records the same transcript twice (dates, ids, ports and wording are masked)', async () => {
    const again = path.join(dir, 'again.json');
    const second = await cli([
      'record',
      `${SCENARIOS}/plain.yaml`,
      '-o',
      again,
      '--',
      ...py('correct_client.py'),
    ]);
    expect(second.code, second.stderr).toBe(0);
    const a = parseReference(await readFile(reference, 'utf8'), reference);
    const b = parseReference(await readFile(again, 'utf8'), again);
    expect(b.sessions).toEqual(a.sessions);
  });

  it('refuses a client that fails checks, unless --force', async () => {
    const out = path.join(dir, 'skeleton.json');
    const refused = await cli(['record', `${SCENARIOS}/plain.yaml`, '-o', out, '--', ...py('recv_1024.py')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not recorded, the client failed message-format');
    expect(existsSync(out)).toBe(false);
    const forced = await cli([
      'record',
      `${SCENARIOS}/plain.yaml`,
      '-o',
      out,
      '--force',
      '--',
      ...py('recv_1024.py'),
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('writes <scenario>.expected.json by default, and wants a command', async () => {
    const run = await cli(['record', `${SCENARIOS}/plain.yaml`, '--', ...py('correct_client.py')], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'plain.expected.json'))).toBe(true);
    const none = await cli(['record', 'basic']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give the client command after '--'");
  });

  it('a scenario loads its expected-transcript relative to itself', async () => {
    const scenario = await loadScenarioFile(scenarioFile);
    expect(scenario.expectedTranscript).toBe(reference);
    const missing = await referencedScenario('missing-reference', 'nowhere.json');
    const error = await loadScenarioFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).field).toBe('expected-transcript');
    expect((error as ScenarioError).message).toContain('nowhere.json');
  });

  describe.concurrent('matches-reference', () => {
    it('passes a correct client with its own addresses, subject and body: the exchange is compared', async () => {
      const report = await gradeScenario(await loadScenarioFile(scenarioFile), {
        command: py('own_addresses.py'),
      });
      expectFailures(report, []);
      expect(check(report, 'matches-reference').notes.join('\n')).toContain(
        'also differs in the envelope addresses and the message (headers and body): not compared here (compare: exchange)',
      );
    });

    it('compare: envelope fails the same client and says the addresses differ', async () => {
      const file = await referencedScenario('plain-envelope', 'plain.expected.json');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(/^checks:$/m, 'compare: envelope\nchecks:'),
      );
      const report = await gradeScenario(await loadScenarioFile(file), { command: py('own_addresses.py') });
      expectFailures(report, ['matches-reference']);
      const result = check(report, 'matches-reference');
      expect(result.notes[0]).toContain('in the envelope addresses');
      expect(result.notes[1]).toContain('+ -> MAIL FROM:<1234567@qq.com>');
    });

    it('passes for the client it was recorded from', async () => {
      const report = await gradeScenario(await loadScenarioFile(scenarioFile), {
        command: py('correct_client.py'),
      });
      expectFailures(report, []);
    });

    it('shows the skeleton client a diff: HELO instead of EHLO, no headers', async () => {
      const report = await gradeScenario(await loadScenarioFile(scenarioFile), {
        command: py('recv_1024.py'),
      });
      expectFailures(report, ['message-format', 'matches-reference']);
      const result = check(report, 'matches-reference');
      expect(result.notes[0]).toMatch(/differs from the expected transcript .* in the exchange/);
      const diff = result.notes[1]!.split('\n');
      expect(diff.slice(0, 2)).toEqual(['--- expected', '+++ this run']);
      expect(diff).toContain('- -> EHLO <host>');
      expect(diff).toContain('+ -> HELO <host>');
      // By default the exchange is compared: the message (no headers) is named, not diffed.
      expect(diff).not.toContain('- -> Subject: Lab 3');
      expect(result.notes.at(-1)).toContain('also differs in the envelope addresses and the message');
      expect(diff.some((l) => /^@@ -\d+,\d+ \+\d+,\d+ @@$/.test(l))).toBe(true);
      // Evidence: the first line that differs, in this run's transcript.
      expect(result.evidence[0]!.text).toContain('HELO Alice');
      // The text report shows the diff lines.
      expect(formatReports([report], 'text')).toContain('+ -> HELO <host>');
    });

    it('a client without QUIT misses the last lines', async () => {
      const report = await gradeScenario(await loadScenarioFile(scenarioFile), {
        command: js('no_quit.mjs'),
      });
      expect(check(report, 'matches-reference').passed).toBe(false);
      const diff = check(report, 'matches-reference').notes[1]!.split('\n');
      expect(diff).toContain('- -> QUIT');
      expect(diff).toContain('- <- 221');
    });

    it('an unreadable reference fails the check and says why', async () => {
      const broken = path.join(dir, 'broken.expected.json');
      await writeFile(broken, '{"not": "a reference"}');
      const file = await referencedScenario('broken-reference', 'broken.expected.json');
      const report = await gradeScenario(await loadScenarioFile(file), { command: py('correct_client.py') });
      expectFailures(report, ['matches-reference']);
      expect(check(report, 'matches-reference').notes[0]).toContain('not an expected transcript');
    });
  });
});

it('without an expected transcript matches-reference is not applicable', async () => {
  const file = path.join(dir, 'no-reference.yaml');
  await writeFile(
    file,
    (await readFile(path.join(SCENARIOS, 'plain.yaml'), 'utf8')).replace(/^id: plain$/m, 'id: no-reference') +
      '  - { id: matches-reference, points: 2 }\n',
  );
  const report = await gradeScenario(await loadScenarioFile(file), {
    command: ['python3', path.join(CLIENTS, 'correct_client.py')],
  });
  expect(check(report, 'matches-reference').applicable).toBe(false);
  expect(report.score).toBe(report.maxScore);
});
