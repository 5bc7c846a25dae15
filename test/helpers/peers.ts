import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON, run, type RunResult } from './lab-server.js';

const SMTPLIB_CLIENT = fileURLToPath(new URL('./smtplib_client.py', import.meta.url));

/** Runs `fn` with a temp file holding `content`; removes it afterwards. */
export async function withFile<T>(content: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-msg-'));
  const file = path.join(dir, 'message.eml');
  await writeFile(file, content);
  try {
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface SmtplibConfig {
  port: number;
  tls: 'none' | 'starttls' | 'implicit';
  cafile?: string;
  /** 'default': ssl.create_default_context() without the lab CA (verification must fail). */
  trust?: 'lab' | 'default';
  /** 'default' is smtplib's login() (CRAM-MD5 first); LOGIN / PLAIN force the mechanism. */
  auth?: 'default' | 'LOGIN' | 'PLAIN';
  user?: string;
  password?: string;
  from: string;
  to: string[];
  message: Buffer;
}

export interface SmtplibResult {
  ok: boolean;
  error?: string;
  code?: number | null;
  message?: string;
}

/** Delivers one message with Debian's Python smtplib (test/helpers/smtplib_client.py). */
export async function smtplibSend(config: SmtplibConfig): Promise<SmtplibResult & { run: RunResult }> {
  return withFile(config.message, async (file) => {
    const { message: _message, ...rest } = config;
    const result = await run(PYTHON, [
      SMTPLIB_CLIENT,
      JSON.stringify({ host: '127.0.0.1', ...rest, message: file }),
    ]);
    if (result.code !== 0) throw new Error(`smtplib client crashed (${result.code}): ${result.stderr}`);
    return { ...(JSON.parse(result.stdout) as SmtplibResult), run: result };
  });
}
