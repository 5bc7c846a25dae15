import { afterAll, describe, expect, it } from 'vitest';
import { fullMarks, js, py, Runs } from './helpers.js';

/**
 * The correct student clients get full marks wherever their features reach: the Python one
 * (TLS both ways, AUTH, MIME, RFC 2047) everywhere, the Node one (plaintext, STARTTLS, AUTH,
 * headers) where no image or non-ASCII header is asked for. `builtin:` ids are the shipped
 * scenarios; the others are this folder's exact scenarios.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

const BUILTIN_BOTH = [
  'basic',
  'headers',
  'auth-login',
  'starttls',
  'dot-stuffing',
  'fragmented-replies',
  'multiline-ehlo',
].map((id) => `builtin:${id}`);
const BUILTIN_PYTHON = ['implicit-tls', 'mime-image', 'utf8-subject'].map((id) => `builtin:${id}`);
const LOCAL_BOTH = [
  'plain',
  'fragments',
  'split-greeting',
  'split-ehlo',
  'tls-login',
  'dots',
  'rcpt-refused',
];
const LOCAL_PYTHON = ['implicit', 'mime', 'utf8', 'bad-cert'];

describe.concurrent('the correct Python client gets full marks', () => {
  it.each([...BUILTIN_BOTH, ...BUILTIN_PYTHON, ...LOCAL_BOTH, ...LOCAL_PYTHON])('%s', async (id) => {
    const report = await runs.grade(id, py('correct_client.py'));
    fullMarks(report);
    expect(report.client.timedOut).toBe(false);
  });
});

describe.concurrent('the correct Node client gets full marks', () => {
  it.each([...BUILTIN_BOTH, ...LOCAL_BOTH])('%s', async (id) => {
    const report = await runs.grade(id, js('correct_client.mjs'));
    fullMarks(report);
  });
});
