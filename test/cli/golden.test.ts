import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLabServer } from '../helpers/lab-server.js';
import { cli, CLIENTS, ROOT } from '../grader/helpers.js';

/**
 * Golden CLI output, as swaks keeps it: each case below runs bin/smtp-lab.js and compares its
 * exit status, stdout and stderr with a reviewed file in test/cli/golden/<case>.txt, after the
 * parts that change from run to run are masked (ports, times, durations, ids, temp paths,
 * MIME boundaries, the checkout's path). A change of output fails here with a diff; when the
 * change is meant, regenerate and review the files in the commit:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/cli/golden.test.ts
 */

const GOLDEN = path.join(ROOT, 'test/cli/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The volatile parts of CLI output, replaced by a stable placeholder each. */
export function mask(text: string): string {
  const tmp = os.tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    text
      .replaceAll(ROOT.replace(/\/$/, ''), '<repo>')
      .replace(new RegExp(`${tmp}/[^/\\s"']+`, 'g'), '<tmp>')
      // ISO times and dates in headers.
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g, '<date>')
      .replace(/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, '$1:<port>')
      // An ephemeral port (five digits), not a well-known one such as 465 or 587.
      .replace(/\bport \d{5}\b/g, 'port <port>')
      .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>')
      // Message-IDs, queue ids, session ids, MIME boundaries.
      .replace(/<[^<>@\s]+@/g, '<<id>@')
      .replace(/queued as \S+/g, 'queued as <id>')
      .replace(/^\[[0-9a-f]{6}\]/gm, '[<id>]')
      .replace(/boundary="[^"]+"/g, 'boundary="<boundary>"')
      .replace(/^--[-=_.0-9A-Za-z]{16,}(--)?$/gm, '--<boundary>$1')
  );
}

interface Case {
  args: string[];
}

function render(args: string[], result: { code: number; stdout: string; stderr: string }): string {
  return [
    `$ smtp-lab ${args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
    `--- exit ${result.code}`,
    '--- stdout',
    result.stdout.replace(/\n$/, ''),
    '--- stderr',
    result.stderr.replace(/\n$/, ''),
    '',
  ].join('\n');
}

async function golden(name: string, c: Case, shownArgs = c.args): Promise<void> {
  const result = await cli(c.args);
  const actual = mask(render(shownArgs, result));
  const file = path.join(GOLDEN, `${name}.txt`);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(file, actual);
  }
  // Strings, not buffers or objects: a difference is shown line by line.
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const fixture = (name: string) => path.join(CLIENTS, name);

describe('golden CLI output', () => {
  it('--help', () => golden('help', { args: ['--help'] }));
  it('scenarios', () => golden('scenarios', { args: ['scenarios'] }));
  it('checks', () => golden('checks', { args: ['checks'] }));
  it('explain 535', () => golden('explain-535', { args: ['explain', '535'] }));

  it('send against the lab server', async () => {
    await withLabServer({ auth: 'optional' }, async (lab) => {
      const args = [
        'send',
        '-s',
        `127.0.0.1:${lab.server.port}`,
        '--tls',
        'none',
        '--helo',
        'golden.test',
        '-f',
        'student@smtp-lab.test',
        '-t',
        'friend@example.com',
        '--subject',
        'golden',
        '--text',
        'Hello from the golden test',
      ];
      await golden('send', { args });
    });
  });

  it('grade -s basic of the reference-style Python client', () =>
    golden('grade-basic', { args: ['grade', '-s', 'basic', '--', 'python3', fixture('correct_client.py')] }));

  describe('usage errors: one line, exit 2', () => {
    it('an unknown option', () => golden('usage-unknown-option', { args: ['send', '--port', '25'] }));
    it('not a reply code', () => golden('usage-explain-999', { args: ['explain', '999'] }));
    it('an unknown scenario', () =>
      golden('usage-unknown-scenario', {
        args: ['grade', '-s', 'nope', '--', 'python3', fixture('correct_client.py')],
      }));
  });
});
