import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const IMAGE = fileURLToPath(new URL('../../assets/smtp-lab.png', import.meta.url));

describe('smtp-lab demo (the README quick start)', () => {
  it('sends text and the image through STARTTLS and AUTH to the embedded lab server, showing the exchange', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-demo-test-'));
    try {
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
        (resolve) =>
          execFile(
            process.execPath,
            [BIN, 'demo', '--no-web', '-m', dir],
            { env: { ...process.env, NO_COLOR: '1', SMTP_PASS: '' }, timeout: 30_000 },
            (error, out, err) => resolve({ code: error ? Number(error.code) : 0, stdout: out, stderr: err }),
          ),
      );
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(' -> STARTTLS');
      expect(stdout).toMatch(/ ~> AUTH LOGIN/);
      expect(stdout).toContain('********  [password, hidden]');
      expect(stdout + stderr).not.toContain('lab-password');
      expect(stdout).toMatch(/smtp-lab send: OK: message accepted/);

      const eml = (await readdir(dir)).find((f) => f.endsWith('.eml'));
      const record = JSON.parse(await readFile(path.join(dir, eml!.replace(/\.eml$/, '.json')), 'utf8'));
      expect(record.tls.mode).toBe('starttls');
      expect(record.auth).toEqual({ user: 'student@smtp-lab.test', mechanism: 'LOGIN' });
      const parsed = await simpleParser(await readFile(path.join(dir, eml!)));
      expect(parsed.subject).toBe('I love computer networks! 我爱计算机网络 🚀');
      const image = parsed.attachments.find((a) => a.contentType === 'image/png');
      expect(image?.content.toString('base64')).toBe((await readFile(IMAGE)).toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
