import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  makeCa,
  removeDir,
  ROOT,
  scriptedServer,
  startAiosmtpd,
  tempDir,
  type AiosmtpdServer,
  type ScriptedServer,
} from './helpers.js';

/**
 * `smtp-lab send` as a user runs it (the built CLI in dist/, which `npm test` builds first):
 * exit code per failing phase, and the password given in SMTP_PASS never printed, with or
 * without --json.
 */

const BIN = path.join(ROOT, 'bin/smtp-lab.js');
const USER = 'student@lab.example';
const PASSWORD = 'Sup3r-Secret-Pw';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      SMTP_PASS: undefined,
      ...env,
    };
    for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
    execFile(
      process.execPath,
      [BIN, 'send', ...args],
      { env: childEnv as NodeJS.ProcessEnv, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every form the password could leak in: itself, and base64 of it and of the PLAIN token. */
function leaks(output: string, password: string): string[] {
  const forms = [
    password,
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${USER}\0${password}`).toString('base64'),
  ];
  return forms.filter((form) => output.includes(form));
}

let dir: string;
let ca: Awaited<ReturnType<typeof makeCa>>;
let aiosmtpd: AiosmtpdServer;
const scripted: ScriptedServer[] = [];

beforeAll(async () => {
  dir = await tempDir();
  ca = await makeCa(dir);
  aiosmtpd = await startAiosmtpd({
    mode: 'starttls',
    certFile: ca.certFile,
    keyFile: ca.keyFile,
    user: USER,
    password: PASSWORD,
    maildir: await tempDir('cli-aiosmtpd-'),
  });
});

afterAll(async () => {
  await aiosmtpd?.stop();
  await Promise.all(scripted.map((server) => server.close()));
  await removeDir(dir);
  if (aiosmtpd) await removeDir(aiosmtpd.maildir);
});

function sendArgs(port: number, extra: string[] = []): string[] {
  return [
    '--server',
    `127.0.0.1:${port}`,
    '--tls',
    'starttls',
    '--ca',
    ca.caFile,
    '--user',
    USER,
    '--from',
    USER,
    '--to',
    'friend@example.com',
    '--subject',
    'CLI test',
    '--text',
    'Hello from the CLI test.',
    '--timeout',
    '10',
    ...extra,
  ];
}

describe('smtp-lab send', () => {
  it('sends through STARTTLS and AUTH: exit 0, live transcript, one-line result, password not shown', async () => {
    const result = await run(sendArgs(aiosmtpd.port), { SMTP_PASS: PASSWORD });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(' -> STARTTLS');
    expect(result.stdout).toMatch(/ ~> AUTH PLAIN \*{8}/);
    expect(result.stdout).toMatch(
      /^smtp-lab send: OK: message accepted for 1 recipient by 127\.0\.0\.1:\d+: 250 /m,
    );
    expect(leaks(result.stdout + result.stderr, PASSWORD)).toEqual([]);
  });

  it('--json: the redacted transcript and the result, password not in it', async () => {
    const result = await run(sendArgs(aiosmtpd.port, ['--json', '--auth', 'login']), { SMTP_PASS: PASSWORD });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      exitCode: number;
      result: { accepted: string[]; auth: { mechanism: string } };
      transcript: Array<{ type: string; dir?: string; text?: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.result.accepted).toEqual(['friend@example.com']);
    expect(report.result.auth.mechanism).toBe('LOGIN');
    const clientText = report.transcript
      .filter((e) => e.dir === 'c2s')
      .map((e) => e.text ?? '')
      .join('');
    expect(clientText).toContain('AUTH LOGIN\r\n');
    expect(clientText).toContain(`${Buffer.from(USER).toString('base64')}\r\n`);
    expect(leaks(result.stdout + result.stderr, PASSWORD)).toEqual([]);
  });

  it('a wrong password: exit 28 (AUTH), with and without --json, and it is never printed', async () => {
    const wrong = 'Wrong-Passw0rd-123';
    const human = await run(sendArgs(aiosmtpd.port), { SMTP_PASS: wrong });
    expect(human.code).toBe(28);
    expect(human.stderr).toMatch(/FAILED at AUTH \(exit 28\).*535/);
    expect(leaks(human.stdout + human.stderr, wrong)).toEqual([]);

    const json = await run(sendArgs(aiosmtpd.port, ['--json']), { SMTP_PASS: wrong });
    expect(json.code).toBe(28);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      exitCode: number;
      error: { phase: string; reply: { code: number } };
    };
    expect(report).toMatchObject({ ok: false, exitCode: 28, error: { phase: 'auth', reply: { code: 535 } } });
    expect(leaks(json.stdout + json.stderr, wrong)).toEqual([]);
  });

  it('provider hints follow an AUTH failure', async () => {
    const result = await run(sendArgs(aiosmtpd.port, ['--provider', 'gmail']), { SMTP_PASS: 'nope-nope' });
    expect(result.code).toBe(28);
    expect(result.stderr).toContain('app password');
  });

  it('connection refused: exit 20', async () => {
    const port = await closedPort();
    const result = await run(sendArgs(port), { SMTP_PASS: PASSWORD });
    expect(result.code).toBe(20);
    expect(result.stderr).toMatch(
      /FAILED at connection \(exit 20\): cannot connect to 127\.0\.0\.1:\d+: connection refused/,
    );
  });

  it('every recipient refused: exit 24', async () => {
    const server = await scriptedServer(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      await peer.expect(/^EHLO /, '250 t\r\n');
      await peer.expect(/^MAIL FROM:/, '250 Ok\r\n');
      await peer.expect(/^RCPT TO:/, '550 5.1.1 <friend@example.com>: user unknown\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    scripted.push(server);
    const result = await run([
      '--server',
      `127.0.0.1:${server.port}`,
      '--tls',
      'none',
      '--from',
      'a@example.com',
      '--to',
      'friend@example.com',
      '--subject',
      's',
      '--text',
      't',
    ]);
    expect(result.code).toBe(24);
    expect(result.stderr).toContain('FAILED at RCPT TO (exit 24)');
    expect(result.stdout).toContain('<-  550 5.1.1');
    await server.done;
  });

  it('TLS required but STARTTLS not offered: exit 29 and no AUTH on the wire', async () => {
    const server = await scriptedServer(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      await peer.expect(/^EHLO /, '250-t\r\n250 AUTH PLAIN LOGIN\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    scripted.push(server);
    const result = await run(sendArgs(server.port), { SMTP_PASS: PASSWORD });
    expect(result.code).toBe(29);
    expect((await server.done).receivedText).not.toContain('AUTH');
  });

  it('no password source: exit 2 before connecting; there is no option that takes a password', async () => {
    const port = await closedPort();
    const noPass = await run(sendArgs(port));
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toContain('SMTP_PASS');

    const argvPass = await run(sendArgs(port, ['--pass', 'x']), { SMTP_PASS: PASSWORD });
    expect(argvPass.code).toBe(2);
  });

  it('CR or LF in an argument is refused (exit 2)', async () => {
    const result = await run(sendArgs(await closedPort(), ['--subject', 'hi\r\nBcc: evil@example.com']), {
      SMTP_PASS: PASSWORD,
    });
    expect(result.code).toBe(2);
  });

  it('--help lists the exit codes', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const code of [20, 21, 22, 23, 24, 25, 26, 27, 28, 29])
      expect(result.stdout).toMatch(new RegExp(`^ +${code}  `, 'm'));
  });
});
