import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadBuiltinScenario } from '../../src/scenarios/load.js';
import { clientPort } from '../../src/scenarios/server.js';
import type { Scenario } from '../../src/scenarios/types.js';
import type { LabServer } from '../../src/server/index.js';
import { sharedCa } from '../helpers/lab-server.js';
import { runScenario } from './reference.js';

/**
 * The assignment's own skeleton (Kurose & Ross, "SMTP lab"), byte for byte: one recv(1024) after
 * each send, "HELO Alice", and a message with no headers at all ("\r\n I love computer
 * networks!" then "\r\n.\r\n"). The basic scenario must pass it; the headers scenario must fail
 * it on message-format only; fragmented-replies must catch its one recv per reply.
 */

/** Python's socket as the skeleton uses it: recv returns what has arrived, at most 1024 bytes. */
class PySocket {
  private readonly buffered: Buffer[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered.push(chunk);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<PySocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new PySocket(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.();
  }

  send(text: string): void {
    this.socket.write(Buffer.from(text, 'utf8'));
  }

  async recv(size = 1024): Promise<string> {
    while (this.buffered.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const all = Buffer.concat(this.buffered.splice(0));
    if (all.length > size) this.buffered.push(all.subarray(size));
    return all.subarray(0, size).toString('utf8');
  }

  close(): void {
    this.socket.end();
  }
}

async function skeleton(
  scenario: Scenario,
  server: LabServer,
  { readsGreeting = true } = {},
): Promise<unknown[]> {
  const s = await PySocket.connect(clientPort(scenario, server));
  // recv = clientSocket.recv(1024); if recv[:3] != '220': print(...)
  if (readsGreeting) await s.recv();
  s.send('HELO Alice\r\n');
  await s.recv();
  s.send(`MAIL FROM:<${scenario.client.from}>\r\n`);
  await s.recv();
  s.send(`RCPT TO:<${scenario.client.to[0]}>\r\n`);
  await s.recv();
  s.send('DATA\r\n');
  await s.recv();
  s.send('\r\n I love computer networks!');
  s.send('\r\n.\r\n');
  await s.recv();
  s.send('QUIT\r\n');
  await s.recv();
  if (!readsGreeting) await s.recv(); // the replies are one behind
  s.close();
  return [undefined];
}

const failing = (run: Awaited<ReturnType<typeof runScenario>>) =>
  run.checks.filter((c) => !c.passed).map((c) => c.id);

describe("the assignment's skeleton client", () => {
  it('passes every check of basic with its header-less message', async () => {
    const scenario = await loadBuiltinScenario('basic');
    const run = await runScenario(scenario, await sharedCa(), (server) => skeleton(scenario, server));
    expect(failing(run), run.rendered.join('\n')).toEqual([]);
    expect(run.messages).toHaveLength(1);
    const body = run.messages[0]!.eml.subarray(run.messages[0]!.record.traceHeaderBytes);
    expect(body.toString('utf8')).toBe('\r\n I love computer networks!\r\n');
  });

  it('fails headers on message-format alone', async () => {
    const scenario = await loadBuiltinScenario('headers');
    const run = await runScenario(scenario, await sharedCa(), (server) => skeleton(scenario, server));
    expect(failing(run)).toEqual(['message-format']);
    const format = run.checks.find((c) => c.id === 'message-format')!;
    expect(format.notes).toEqual(expect.arrayContaining(['no From: header', 'no Subject: header']));
    expect(format.hint).toContain('From:');
  });

  it('is caught by fragmented-replies reading one recv(1024) per reply', async () => {
    const scenario = await loadBuiltinScenario('fragmented-replies');
    const run = await runScenario(scenario, await sharedCa(), (server) => skeleton(scenario, server));
    expect(failing(run)).toContain('reads-whole-replies');
    const reads = run.checks.find((c) => c.id === 'reads-whole-replies')!;
    expect(reads.tier).toBe('robustness');
    expect(reads.evidence.length).toBeGreaterThan(0);
    expect(reads.evidence[0]!.text).toMatch(/still arriving/);
    // Baseline pacing still holds: it never sent before some of each reply had arrived.
    expect(failing(run)).not.toContain('waits-for-greeting');
  });

  it('is caught by early-talker answering the first line of a greeting that pauses', async () => {
    const scenario = await loadBuiltinScenario('early-talker');
    const run = await runScenario(scenario, await sharedCa(), (server) => skeleton(scenario, server));
    expect(failing(run)).toEqual(['reads-whole-replies']);
    expect(run.checks.find((c) => c.id === 'reads-whole-replies')!.evidence[0]!.text).toMatch(
      /HELO Alice .*greeting was still arriving/,
    );
  });

  it('without its first recv, fails waits-for-greeting under early-talker', async () => {
    const scenario = await loadBuiltinScenario('early-talker');
    const run = await runScenario(scenario, await sharedCa(), (server) =>
      skeleton(scenario, server, { readsGreeting: false }),
    );
    expect(failing(run)).toContain('waits-for-greeting');
    expect(run.checks.find((c) => c.id === 'waits-for-greeting')!.evidence[0]!.text).toMatch(
      /HELO Alice .*before the greeting/,
    );
  });
});
