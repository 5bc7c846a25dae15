import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startLabServer } from '../../src/server/index.js';
import { RawClient, sharedCa } from '../helpers/lab-server.js';

// Runs the built CLI (dist/): `npm test` builds first.
const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));

/**
 * Crash leftovers: the mailbox pair appears atomically to a reader (the .json is in
 * place before the .eml), and what a SIGKILL leaves behind (temp files, half pairs) is cleaned
 * when the mailbox is opened again. Every acknowledged message survives.
 */

async function startServe(mailbox: string) {
  const child = spawn(process.execPath, [BIN, 'serve', '-p', '0', '--mailbox', mailbox], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      const m = /ready: SMTP\+STARTTLS on 127\.0\.0\.1:(\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`serve exited early:\n${text}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, port, exited };
}

/** Sends messages on one connection until it breaks; records the ids acknowledged with a 250. */
async function sendUntilCut(port: number, acked: Map<string, string>, tag: string): Promise<void> {
  let client: RawClient;
  try {
    client = await RawClient.connect(port);
    await client.reply();
    await client.command('EHLO crash.test');
  } catch {
    return;
  }
  for (let n = 0; ; n++) {
    const body = `Subject: ${tag} ${n}\r\n\r\n${'x'.repeat(2000 + n)}\r\n`;
    try {
      await client.command('MAIL FROM:<a@crash.test>');
      await client.command('RCPT TO:<b@crash.test>');
      await client.command('DATA');
      client.write(`${body}.\r\n`);
      const done = await client.reply();
      const id = /queued as (\S+)/.exec(done.lines.join(' '))?.[1];
      if (done.code === 250 && id) acked.set(id, createHash('sha256').update(body).digest('hex'));
    } catch {
      return;
    }
  }
}

describe('the mailbox after a crash', () => {
  it('keeps every acknowledged message through SIGKILLs mid-traffic, and never an .eml without its .json', async () => {
    const mailbox = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-crash-'));
    const acked = new Map<string, string>();
    try {
      for (let round = 0; round < 4; round++) {
        const { child, port, exited } = await startServe(mailbox);
        const senders = [0, 1, 2, 3].map((i) => sendUntilCut(port, acked, `r${round}c${i}`));
        const before = acked.size;
        // Kill at a moment that depends on the traffic, not on a clock: after some acknowledgements.
        while (acked.size < before + 5 + round * 3) await new Promise((r) => setImmediate(r));
        child.kill('SIGKILL');
        await exited;
        await Promise.all(senders);
        const names = await readdir(mailbox);
        for (const name of names.filter((n) => n.endsWith('.eml'))) {
          // The readers' rule: an .eml is always accompanied by its .json.
          expect(names).toContain(name.replace(/\.eml$/, '.json'));
        }
      }
      expect(acked.size).toBeGreaterThan(20);
      for (const [id, sha] of acked) {
        const record = JSON.parse(await readFile(path.join(mailbox, `${id}.json`), 'utf8')) as {
          sha256: string;
          traceHeaderBytes: number;
        };
        const eml = await readFile(path.join(mailbox, `${id}.eml`));
        const body = eml.subarray(record.traceHeaderBytes);
        expect(createHash('sha256').update(body).digest('hex')).toBe(sha);
      }
      // Opening the mailbox again leaves no temp file and no half pair.
      const server = await startLabServer({ mailbox, ca: await sharedCa() });
      await server.stop();
      const names = await readdir(mailbox);
      expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
      const emls = names.filter((n) => n.endsWith('.eml')).map((n) => n.slice(0, -4));
      const jsons = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
      expect(emls.sort()).toEqual(jsons.sort());
    } finally {
      await rm(mailbox, { recursive: true, force: true });
    }
  }, 60_000);

  it('opening a mailbox deletes temp files and quarantines half pairs, keeping whole ones', async () => {
    const mailbox = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-leftovers-'));
    try {
      await mkdir(mailbox, { recursive: true });
      const files: Record<string, string> = {
        '.a-1.eml.tmp': 'partial',
        '.a-2.json.tmp': '{',
        'a-3.json': '{}',
        'a-4.eml': 'no record',
        'a-5.eml': 'whole',
        'a-5.json': '{}',
        'ca.pem': 'kept',
      };
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(mailbox, name), text);
      const server = await startLabServer({ mailbox, ca: await sharedCa() });
      await server.stop();
      expect(server.recovered.removed.sort()).toEqual(['.a-1.eml.tmp', '.a-2.json.tmp']);
      expect(server.recovered.quarantined.sort()).toEqual(['a-3.json', 'a-4.eml']);
      const names = await readdir(mailbox);
      expect(names).toEqual(expect.arrayContaining(['a-5.eml', 'a-5.json', 'quarantine']));
      expect(names.some((n) => n.endsWith('.tmp') || n === 'a-3.json' || n === 'a-4.eml')).toBe(false);
      expect((await readdir(path.join(mailbox, 'quarantine'))).sort()).toEqual(['a-3.json', 'a-4.eml']);
    } finally {
      await rm(mailbox, { recursive: true, force: true });
    }
  });
});
