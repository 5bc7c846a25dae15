import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../client/helpers.js';
import { withLabServer } from '../helpers/lab-server.js';
import { cli, CLIENTS, ROOT } from '../grader/helpers.js';
import { mask } from './mask.js';

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

/** The reference client sends one plaintext message to a lab server of its own (AUTH optional). */
function sendToLab(name: string, lang: string[]): Promise<void> {
  return withLabServer({ auth: 'optional' }, async (lab) => {
    const args = [
      'send',
      ...lang,
      '-s',
      `127.0.0.1:${lab.server.port}`,
      '--tls',
      'none',
      '--helo',
      'golden.test',
    ];
    const message = ['-f', 'student@smtp-lab.test', '-t', 'friend@example.com', '--subject', 'golden'];
    await golden(name, { args: [...args, ...message, '--text', 'Hello from the golden test'] });
  });
}

/** `send`'s arguments with a --from that is not an address (port 9: nothing is ever sent). */
const BAD_FROM = [
  '-s',
  '127.0.0.1:9',
  '--from',
  'bad',
  '-t',
  'a@example.com',
  '--subject',
  'x',
  '--text',
  'y',
];

describe('golden CLI output', () => {
  it('--help', () => golden('help', { args: ['--help'] }));
  it('scenarios', () => golden('scenarios', { args: ['scenarios'] }));
  it('checks', () => golden('checks', { args: ['checks'] }));
  it('explain 535', () => golden('explain-535', { args: ['explain', '535'] }));

  it('send against the lab server', () => sendToLab('send', []));

  it('grade -s basic of the reference-style Python client', () =>
    golden('grade-basic', { args: ['grade', '-s', 'basic', '--', 'python3', fixture('correct_client.py')] }));

  describe('in zh-CN (--lang zh-CN)', () => {
    it('--help', () => golden('help-zh-CN', { args: ['--lang', 'zh-CN', '--help'] }));
    it('send --help', () => golden('help-send-zh-CN', { args: ['send', '--help', '--lang', 'zh-CN'] }));

    it('send against the lab server', () => sendToLab('send-zh-CN', ['--lang', 'zh-CN']));

    it('send to a port nobody listens on: the failure line, in zh-CN, exit 20', async () => {
      const port = await closedPort();
      const args = [
        'send',
        '--lang',
        'zh-CN',
        '-s',
        `127.0.0.1:${port}`,
        '--tls',
        'none',
        '-f',
        'a@example.com',
      ];
      await golden('send-refused-zh-CN', {
        args: [...args, '-t', 'b@example.com', '--subject', 'x', '--text', 'y'],
      });
    });

    it('send without --from: one usage line, exit 2', () =>
      golden('usage-send-from-zh-CN', {
        args: [
          'send',
          '--lang',
          'zh-CN',
          '-s',
          '127.0.0.1:9',
          '-t',
          'a@example.com',
          '--subject',
          'x',
          '--text',
          'y',
        ],
      }));
    it("send with a --from that is not an address: the MIME builder's problem in zh-CN", () =>
      golden('usage-send-address-zh-CN', { args: ['send', '--lang', 'zh-CN', ...BAD_FROM] }));
    it('send with an unknown option: the parser speaks zh-CN too', () =>
      golden('usage-unknown-option-zh-CN', { args: ['send', '--lang', 'zh-CN', '--port', '25'] }));
    it('grade -s basic of the reference-style Python client', () =>
      golden('grade-basic-zh-CN', {
        args: ['grade', '--lang', 'zh-CN', '-s', 'basic', '--', 'python3', fixture('correct_client.py')],
      }));
  });

  describe('usage errors: one line, exit 2', () => {
    it('an unknown option', () => golden('usage-unknown-option', { args: ['send', '--port', '25'] }));
    it('not a reply code', () => golden('usage-explain-999', { args: ['explain', '999'] }));
    it('a --from that is not an address', () =>
      golden('usage-send-address', { args: ['send', ...BAD_FROM] }));
    it('an unknown scenario', () =>
      golden('usage-unknown-scenario', {
        args: ['grade', '-s', 'nope', '--', 'python3', fixture('correct_client.py')],
      }));
  });
});
