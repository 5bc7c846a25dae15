import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PASS, RawClient, USER, sampleMessage } from '../helpers/lab-server.js';
import { smtplibSend } from '../helpers/peers.js';
import { HOSTILE_PAYLOADS, RAW_CONTROL } from '../transcript/helpers.js';

// Runs the built CLI (dist/): `npm test` builds first.
const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

/** Collects a child's stdout as lines and resolves waits for the first line matching a pattern. */
class Lines {
  readonly all: string[] = [];
  private partial = '';
  private readonly waits: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];

  constructor(
    child: ChildProcessWithoutNullStreams,
    private readonly exited: Promise<unknown>,
  ) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const parts = (this.partial + text).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        this.all.push(line);
        for (const wait of [...this.waits]) {
          if (wait.pattern.test(line)) {
            this.waits.splice(this.waits.indexOf(wait), 1);
            wait.resolve(line);
          }
        }
      }
    });
  }

  /** The first line (already seen or still to come) matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<string> {
    const seen = this.all.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => this.waits.push({ pattern, resolve })),
      this.exited.then(() => {
        throw new Error(`exited before a line matching ${pattern}:\n${this.all.join('\n')}`);
      }),
    ]);
  }
}

/** `smtp-lab serve` on port 0 in a fresh mailbox: its stdout as lines, its stderr, its exit. */
async function serve(args: string[]) {
  const mailbox = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', '-p', '0', ...args, '--mailbox', mailbox], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    mailbox,
    child,
    exited,
    out: new Lines(child, exited),
    stderr: () => stderr,
    /** Kills the server if a failed assertion left it running, and removes its mailbox. */
    async cleanup(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      await rm(mailbox, { recursive: true, force: true });
    },
  };
}

/** The plaintext port named in the ready line. */
const portOf = (ready: string) => Number(/ on 127\.0\.0\.1:(\d+)/.exec(ready)![1]);

describe('smtp-lab serve', () => {
  it('prints a ready line, shows sessions live without the password, stores mail, exits 0 on SIGTERM', async () => {
    const server = await serve(['--tls-port', '0']);
    const { child, exited, out } = server;
    try {
      const ready = await out.waitFor(/^smtp-lab ready: /);
      const match =
        /^smtp-lab ready: SMTP\+STARTTLS on 127\.0\.0\.1:(\d+), implicit TLS on 127\.0\.0\.1:(\d+); CA (\S+); /.exec(
          ready,
        );
      expect(match, ready).not.toBeNull();
      const [, port, tlsPort, caFile] = match!;
      expect(Number(port)).toBeGreaterThan(0);
      expect(Number(tlsPort)).toBeGreaterThan(0);
      expect(caFile).toBe(path.join(server.mailbox, 'ca.pem'));
      expect(ready).toContain(`mailbox ${server.mailbox}`);

      const sent = sampleMessage('through the CLI');
      const result = await smtplibSend({
        port: Number(port),
        tls: 'starttls',
        cafile: caFile,
        auth: 'LOGIN',
        user: USER,
        password: PASS,
        from: 'alice@example.test',
        to: ['bob@example.test'],
        message: sent,
      });
      expect(result).toMatchObject({ ok: true });
      const storedLine = await out.waitFor(/^=== \[[0-9a-f]{6}\] stored /);
      const emlPath = /stored (\S+\.eml) \(\d+ bytes\)$/.exec(storedLine)?.[1];
      expect(emlPath, storedLine).toBeDefined();
      expect(path.dirname(emlPath!)).toBe(server.mailbox);
      await out.waitFor(/client connection closed/);

      // A client still connected must not keep the server from stopping.
      const lingering = await RawClient.connect(Number(port));
      expect((await lingering.reply()).code).toBe(220);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      await lingering.closed();
      expect(server.stderr()).toBe('');

      const sessionLines = out.all.filter((line) => line !== ready);
      // The session was shown live, swaks style, with the password masked.
      expect(sessionLines.some((line) => / -> EHLO student\.example$/i.test(line))).toBe(true);
      expect(sessionLines.some((line) => / ~> AUTH LOGIN/i.test(line))).toBe(true);
      expect(sessionLines.some((line) => line.includes('********'))).toBe(true);
      const b64 = Buffer.from(PASS).toString('base64');
      for (const line of sessionLines) {
        expect(line).not.toContain(PASS);
        expect(line).not.toContain(b64);
      }
      expect(sessionLines).toContain('=== SIGTERM: stopping');

      const eml = await readFile(emlPath!);
      const record = JSON.parse(await readFile(emlPath!.replace(/\.eml$/, '.json'), 'utf8')) as {
        traceHeaderBytes: number;
        auth: unknown;
      };
      expect(eml.subarray(record.traceHeaderBytes).toString('latin1')).toBe(sent.toString('latin1'));
      expect(record.auth).toEqual({ user: USER, mechanism: 'LOGIN' });
      expect((await stat(path.join(server.mailbox, 'sessions'))).isDirectory()).toBe(true);
    } finally {
      await server.cleanup();
    }
  });

  it('shows what a client sent escaped: no terminal control sequence reaches the console', async () => {
    const server = await serve(['--no-implicit-tls']);
    const { child, exited, out } = server;
    try {
      const ready = await out.waitFor(/^smtp-lab ready: /);
      const port = portOf(ready);
      const client = await RawClient.connect(port);
      expect((await client.reply()).code).toBe(220);
      await client.command('EHLO hostile.example');
      const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
      for (const { text } of HOSTILE_PAYLOADS) {
        // The mechanism name as sent, and a user name the console decodes from base64.
        await client.command(`AUTH ${text} ${b64('token')}`);
        const login = await client.command(`AUTH LOGIN ${b64(text)}`);
        if (login.code === 334) await client.command('*');
      }
      expect((await client.command('QUIT')).code).toBe(221);
      await out.waitFor(/client connection closed|Connection closed/i);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      const shown = out.all.join('\n');
      expect(shown).toContain('AUTH LOGIN');
      expect(shown).toContain('\\x1b]0;owned\\x07');
      expect(shown).not.toMatch(RAW_CONTROL);
    } finally {
      await server.cleanup();
    }
  });

  it('--max-size 1G: the sizes a scenario file takes (K, M, G) on the command line too', async () => {
    const server = await serve(['--no-implicit-tls', '--max-size', '1G']);
    const { child, exited, out } = server;
    try {
      const ready = await out.waitFor(/^smtp-lab ready: /);
      const port = portOf(ready);
      const client = await RawClient.connect(port);
      expect((await client.reply()).code).toBe(220);
      const ehlo = await client.command('EHLO student.example');
      expect(ehlo.code).toBe(250);
      expect(ehlo.lines).toContain(`SIZE ${1024 ** 3}`);
      expect((await client.command('QUIT')).code).toBe(221);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(server.stderr()).toBe('');
    } finally {
      await server.cleanup();
    }
  });
});
