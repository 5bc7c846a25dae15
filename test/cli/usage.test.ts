import net from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, py } from '../grader/helpers.js';

/**
 * Usage errors: an unknown scenario, a YAML error, a missing file, a port in use, a
 * port or timeout that is not one, an output folder that does not exist: one clear line and exit
 * status 2, never a stack trace and 70 (70 is for smtp-lab's own bugs).
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'smtp-lab-usage-'));
const badYaml = path.join(dir, 'broken.yaml');
writeFileSync(badYaml, 'id: broken\ntitle: [unclosed\nlesson: x\n');
let busy: net.Server;
let busyPort: number;
beforeAll(async () => {
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const client = py('correct_client.py');

function expectUsage(result: { code: number; stdout: string; stderr: string }, text: RegExp | string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^smtp-lab( grade-all)?: /);
  if (typeof text === 'string') expect(lines[0]).toContain(text);
  else expect(lines[0]).toMatch(text);
}

// Up to six CLI processes one after another in a test, each bounded by cli()'s own 30 s: on a
// loaded machine (the suite runs more workers than cores) six starts can pass the default 30 s.
describe.concurrent('one line and exit 2', { timeout: 90_000 }, () => {
  it('an unknown scenario id, with the closest ids', async () => {
    expectUsage(
      await cli(['grade', '-s', 'basik', '--', ...client]),
      'unknown scenario "basik" (closest: basic',
    );
    expectUsage(await cli(['lab', 'basik']), 'unknown scenario "basik"');
  });

  it('a YAML error, with file, line and column', async () => {
    expectUsage(
      await cli(['grade', '-s', badYaml, '--', ...client]),
      /broken\.yaml:\d+:\d+: YAML syntax error/,
    );
  });

  it("a scenario file's problems in zh-CN: one Chinese line, the same file:line:col and field, exit 2", async () => {
    const unknownKey = path.join(dir, 'typo.yaml');
    writeFileSync(unknownKey, 'id: typo\ntitle: t\nlesson: l\nchecks: [baseline]\nsever: {}\n');
    const runs = await Promise.all([
      cli(['lab', badYaml]),
      cli(['lab', badYaml, '--lang', 'zh-CN']),
      cli(['lab', unknownKey]),
      cli(['grade', '--lang', 'zh-CN', '-s', unknownKey, '--', ...client]),
      cli(['lab', 'basik', '--lang', 'zh-CN']),
    ]);
    const [enYaml, zhYaml, enKey, zhKey, zhId] = runs;
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    // The place is the same in both languages; only the words after it change.
    const place = (line: string) => /([^\s：]+\.yaml:\d+:\d+: (?:[\w.[\]-]+: )?)/.exec(line)?.[1];
    expect(place(zhYaml!.stderr)).toBe(place(enYaml!.stderr));
    expect(place(zhYaml!.stderr)).toBe(`${badYaml}:3:1: `);
    expect(zhYaml!.stderr).toMatch(/^smtp-lab：\S+broken\.yaml:3:1: YAML 语法错误：.+（应为合法的 YAML）\n$/);
    expect(enYaml!.stderr).toMatch(/^smtp-lab: \S+broken\.yaml:3:1: YAML syntax error: .+ \(valid YAML\)\n$/);
    expect(place(zhKey!.stderr)).toBe(`${unknownKey}:5:1: sever: `);
    expect(enKey!.stderr).toBe(
      `smtp-lab: ${unknownKey}:5:1: sever: unknown key "sever", did you mean "server"? (expected one of: id, title, lesson, extends, server, rules, faults, seed, client, checks, reference, expect, expected-transcript, compare)\n`,
    );
    expect(zhKey!.stderr).toBe(
      `smtp-lab：${unknownKey}:5:1: sever: 未知的键 "sever"，是不是想写 "server"？（应为以下之一：id, title, lesson, extends, server, rules, faults, seed, client, checks, reference, expect, expected-transcript, compare）\n`,
    );
    expect(zhId!.stderr).toBe('smtp-lab：没有场景 "basik"（最接近的：basic；也可以给出 .yaml 文件的路径）\n');
  });

  it('a scenario file that does not exist', async () => {
    expectUsage(
      await cli(['grade', '-s', path.join(dir, 'nope.yaml'), '--', ...client]),
      'no scenario file at',
    );
    expectUsage(await cli(['record', path.join(dir, 'nope.yaml'), '--', ...client]), 'no scenario file at');
    expectUsage(
      await cli(['grade-all', '-d', dir, '-c', 'true', '-s', path.join(dir, 'nope.yaml')]),
      'no scenario file at',
    );
  });

  it('a port in use', async () => {
    expectUsage(
      await cli(['lab', 'basic', '--port', String(busyPort)]),
      `port ${busyPort} on 127.0.0.1 is in use`,
    );
    expectUsage(
      await cli(['serve', '--port', String(busyPort), '--no-implicit-tls']),
      `port ${busyPort} on 127.0.0.1 is in use`,
    );
  });

  it('--port that is not a port', async () => {
    expectUsage(await cli(['lab', 'basic', '--port', 'abc']), '--port must be a port number');
    expectUsage(await cli(['serve', '--port', '70000']), '--port must be a port number');
  });

  it('--max-size that is not a size, in the words a scenario file gets for max-size', async () => {
    expectUsage(
      await cli(['serve', '--max-size', 'lots', '--no-implicit-tls']),
      '--max-size: "lots" is not a size (expected a number of bytes, or a number with K, M or G, like 25M)',
    );
    expectUsage(await cli(['serve', '--max-size', '0K', '--no-implicit-tls']), '"0K" is out of range');
  });

  it('--timeout 0, negative or not a number', async () => {
    expectUsage(
      await cli(['grade', '--timeout', '0', '--', ...client]),
      '--timeout must be a number of seconds above 0',
    );
    expectUsage(await cli(['grade', '--timeout', '-5', '--', ...client]), '--timeout must be');
    expectUsage(await cli(['grade', '--timeout', 'soon', '--', ...client]), '--timeout must be');
    expectUsage(await cli(['record', 'basic', '--timeout', '0', '--', ...client]), '--timeout must be');
    // send keeps its own contract: with --json the usage error is JSON too.
    const sent = await cli([
      'send',
      '--server',
      '127.0.0.1:1',
      '--from',
      'a@example.test',
      '--to',
      'b@example.test',
      '--subject',
      'x',
      '--text',
      'y',
      '--timeout',
      '0',
      '--json',
    ]);
    expect(sent.code).toBe(2);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'ERR_USAGE' } });
  });

  it('an --out folder that does not exist (or is a folder), before any client runs', async () => {
    const out = path.join(dir, 'missing', 'report.txt');
    // A client that leaves a mark when it runs: the check comes before grading starts.
    const mark = path.join(dir, 'client-ran');
    const marking = ['python3', '-c', `open(${JSON.stringify(mark)}, 'w').close()`];
    expectUsage(
      await cli(['grade', '-o', out, '--', ...marking]),
      `the folder ${path.dirname(out)} does not exist`,
    );
    expectUsage(await cli(['grade', '-o', dir, '--', ...marking]), `--out ${dir} is a folder`);
    expect(existsSync(mark)).toBe(false);
  });
});
