import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ScenarioError,
  builtinScenarioDir,
  loadBuiltinScenario,
  resolveScenario,
} from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { withLabServer } from '../helpers/lab-server.js';
import { WireProbe } from './wire.js';

/**
 * State that spans connections (greylisting, the Nth message) and the one end-to-end path of a
 * scenario file a user writes: resolveScenario on a path, with its errors located.
 */

async function transaction(
  port: number,
  from: string,
  to: string,
): Promise<{ probe: WireProbe; rcpt: string }> {
  const probe = await WireProbe.connect(port);
  await probe.reply(0);
  await probe.command('EHLO probe.test');
  expect(await probe.command(`MAIL FROM:<${from}>`)).toMatch(/^250 /);
  return { probe, rcpt: await probe.command(`RCPT TO:<${to}>`) };
}

describe('greylisting across connections', () => {
  it('answers 451 to the first attempt and accepts the same pair in a new connection after the wait', async () => {
    const scenario = await loadBuiltinScenario('greylisting');
    const retryAfter = scenario.server.greylistMs!;
    const { from, to } = { from: scenario.client.from, to: scenario.client.to[0]! };
    // The server's clock is ours: time passes when the test says so, not by sleeping.
    let now = 1_000_000;
    await withLabServer({ ...serverOptionsFor(scenario), now: () => now }, async (lab) => {
      const first = await transaction(lab.server.port, from, to);
      expect(first.rcpt).toBe('451 4.7.1 Greylisted: please try again in 1 s\r\n');
      expect(await first.probe.command('QUIT')).toMatch(/^221 /);
      first.probe.destroy();

      // Too early, even in a new connection: still greylisted, up to the last millisecond.
      now += retryAfter - 1;
      const early = await transaction(lab.server.port, from, to);
      expect(early.rcpt).toBe('451 4.7.1 Greylisted: please try again in 1 s\r\n');
      early.probe.destroy();

      // The lesson: wait as long as the server asked, then try again.
      now += 1;
      const second = await transaction(lab.server.port, from, to);
      expect(second.rcpt).toMatch(/^250 /);
      // Another pair is a first attempt of its own.
      expect(await second.probe.command('RCPT TO:<someone-else@smtp-lab.test>')).toMatch(/^451 /);
      expect(await second.probe.command('DATA')).toMatch(/^354 /);
      expect(await second.probe.command('Subject: retried\r\n\r\nhello\r\n.')).toMatch(/^250 /);
      expect(await second.probe.command('QUIT')).toMatch(/^221 /);
      second.probe.destroy();
      await lab.sessionsEnded();
      expect(lab.messages).toHaveLength(1);
      expect(lab.messages[0]!.sessionId).toBe(lab.sessions.at(-1)!.id);
    });
  });

  it('fails only the Nth message of the run, counted across connections', async () => {
    const rules = [
      {
        when: 'data' as const,
        match: undefined,
        nth: 2,
        reply: { code: 451, text: '4.3.0 Second message fails' },
      },
    ];
    await withLabServer({ rules }, async (lab) => {
      const send = async () => {
        const { probe, rcpt } = await transaction(lab.server.port, 'a@smtp-lab.test', 'b@smtp-lab.test');
        expect(rcpt).toMatch(/^250 /);
        await probe.command('DATA');
        const reply = await probe.command('Subject: n\r\n\r\nbody\r\n.');
        await probe.command('QUIT');
        probe.destroy();
        return reply;
      };
      expect(await send()).toMatch(/^250 /);
      expect(await send()).toBe('451 4.3.0 Second message fails\r\n');
      expect(await send()).toMatch(/^250 /);
    });
  });
});

describe('a scenario file a user writes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-user-scenario-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads through resolveScenario by its path, like a built-in', async () => {
    const file = path.join(dir, 'basic.yaml');
    await writeFile(file, await readFile(path.join(builtinScenarioDir(), 'basic.yaml')));
    const s = await resolveScenario(file);
    expect(s.source).toBe(file);
    expect(s).toEqual({ ...(await loadBuiltinScenario('basic')), source: file });
  });

  it('that is malformed names its file, line and field', async () => {
    const text = (await readFile(path.join(builtinScenarioDir(), 'fragmented-replies.yaml'), 'utf8')).replace(
      '{ fragment: { size: 5, gap-ms: 8 } }',
      '{ fragment: { size: five, gap-ms: 8 } }',
    );
    const file = path.join(dir, 'fragmented-replies.yaml');
    await writeFile(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('size: five')) + 1;
    expect(line).toBeGreaterThan(1);

    const error = await resolveScenario(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.file).toBe(file);
    expect(e.line).toBe(line);
    expect(e.field).toBe('faults[0].do.fragment.size');
    expect(e.errors).toHaveLength(1);
    expect(e.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: faults\\[0\\]\\.do\\.fragment\\.size: .*five`,
      ),
    );
  });
});
