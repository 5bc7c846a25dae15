import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeJavaTrustStore } from '../../src/grader/run.js';
import { sharedCa } from '../helpers/lab-server.js';
import { check, cli, CLIENTS, fullMarks, Runs, verdicts } from './helpers.js';

/**
 * Java student code that verifies certificates the normal way (the JVM's default trust store, a
 * host-name check) trusts the lab CA without code changes: the grader gives it a PKCS12 trust
 * store through JAVA_TOOL_OPTIONS (ARCHITECTURE.md, "Contracts": client environment).
 */

const CLIENT = ['java', path.join(CLIENTS, 'StartTlsClient.java')];
const runs = new Runs();
let dir: string | undefined;
afterAll(async () => {
  await runs.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Each test waits on JVMs starting (the source launcher compiles the client first): the two
// tests, and the two graded runs of the second, overlap instead of queueing.
describe.concurrent('a Java client under STARTTLS', () => {
  it('gets full marks through smtp-lab grade (which makes the trust store)', async () => {
    const { code, stdout, stderr } = await cli([
      'grade',
      '-s',
      'starttls',
      '-t',
      '30',
      '-f',
      'json',
      '--',
      ...CLIENT,
    ]);
    expect(code, stderr).toBe(0);
    const [report] = JSON.parse(stdout);
    fullMarks(report);
  });

  it('trusts the lab CA only through that trust store: without it the handshake is refused', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-java-'));
    const ca = await sharedCa();
    const store = await makeJavaTrustStore(ca, dir);
    expect(store).toBeDefined();
    const [trusted, untrusted] = await Promise.all([
      runs.grade('builtin:starttls', CLIENT, { javaTrustStore: store!, timeoutMs: 30_000 }),
      runs.grade('builtin:starttls', CLIENT, { timeoutMs: 30_000 }),
    ]);
    fullMarks(trusted);
    expect(check(untrusted, 'starttls').passed).toBe(false);
    expect(verdicts(untrusted).failed).toContain('auth');
    expect(untrusted.client.exitCode).not.toBe(0);
  });
});
