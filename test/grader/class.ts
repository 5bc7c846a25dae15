import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A class of submissions on disk and the built CLI, for the sandbox, shard and merge tests. */

export const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

/**
 * The start of a Python student client that reads every reply whole (to its final "ddd " line):
 * connect, `reply()` and `cmd(text)`, the greeting read.
 */
export const PY_CLIENT = `import os, socket
s = socket.create_connection((os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"])))
f = s.makefile("rb")
def reply():
    while True:
        line = f.readline()
        if not line or line[3:4] != b"-":
            return line
def cmd(text):
    s.sendall(text.encode() + b"\\r\\n")
    return reply()
reply()
`;

/** The assignment's exchange, reading every reply whole: full marks under CLASS_SCENARIO. */
export const GOOD = `${PY_CLIENT}cmd("HELO student")
cmd("MAIL FROM:<%s>" % os.environ["MAIL_FROM"])
for r in os.environ["RCPT_TO"].split(","):
    cmd("RCPT TO:<%s>" % r)
cmd("DATA")
cmd("From: <%s>\\r\\nSubject: lab\\r\\n\\r\\nI love computer networks!\\r\\n." % os.environ["MAIL_FROM"])
cmd("QUIT")
`;

export const CLASS_SCENARIO = `id: class-basic
title: The assignment's exchange
lesson: A client greets, names sender and recipient, sends the message and says goodbye.
checks:
  - { id: greets, points: 1 }
  - { id: mail-from, points: 1 }
  - { id: rcpt-to, points: 1 }
  - { id: data, points: 1 }
  - { id: quit, points: 1 }
`;

/**
 * Writes `students` (folder name -> smtp_client.py source, null for none) under `dir`, folders
 * 0755 and files 0644 as an unzipped class is.
 */
export async function writeClass(dir: string, students: Record<string, string | null>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  for (const [name, source] of Object.entries(students)) {
    await mkdir(path.join(dir, name), { recursive: true });
    await chmod(path.join(dir, name), 0o755);
    if (source !== null) await writeFile(path.join(dir, name, 'smtp_client.py'), source, { mode: 0o644 });
  }
}

export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
