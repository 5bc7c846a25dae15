import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rowForLine } from '../../assets/web/diagram.js';
import { PYTHON, run } from '../helpers/lab-server.js';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const RECV_1024 = fileURLToPath(new URL('../fixtures/clients/recv_1024.py', import.meta.url));

describe('smtp-lab lab with its browser view', () => {
  it("puts the checks' verdicts beside the session they judged, their evidence on its rows", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-web-lab-'));
    const lab = spawn(
      process.execPath,
      [BIN, 'lab', 'fragmented-replies', '-p', '0', '--web-port', '0', '-m', dir],
      {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    lab.stdout.setEncoding('utf8');
    lab.stdout.on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => lab.once('exit', resolve));
    const until = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(output);
          if (m) {
            lab.stdout.off('data', check);
            resolve(m);
          }
        };
        lab.stdout.on('data', check);
        void exited.then(() => reject(new Error(`lab exited:\n${output}`)));
        check();
      });
    try {
      await until(/Waiting for your client/);
      const url = /See it in the browser: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!;
      const env = Object.fromEntries(
        [...output.matchAll(/^ {2}export (\w+)=(.*)$/gm)].map(([, k, v]) => [
          k!,
          v!.replace(/^'(.*)'$/, '$1'),
        ]),
      );
      await run(PYTHON, [RECV_1024], { env: { ...process.env, ...env } });
      await until(/Checks for this session/);
      const get = async (p: string): Promise<any> => (await fetch(new URL(p, url))).json();
      // The API is asked after the judgement was printed: the verdicts are published by then.
      const sessions = await get('/api/sessions');
      const view = await get(`/api/sessions/${sessions.items[0].id}`);
      const failed = view.checks.filter(
        (c: { passed: boolean; applicable: boolean }) => c.applicable && !c.passed,
      );
      expect(failed.map((c: { id: string }) => c.id)).toContain('reads-whole-replies');
      let linked = 0;
      for (const check of failed) {
        for (const e of check.evidence.filter((x: { session: string }) => x.session === view.id)) {
          const row = rowForLine(view, e.line)!;
          // The evidence line's text starts with the row's own text: the link lands on that line.
          const shown = e.text.replace(/^\s*(->|~>)\s+/, '').trim();
          expect(shown.startsWith(row.text.split('   [')[0]!), `${check.id}: ${e.text} vs ${row.text}`).toBe(
            true,
          );
          linked++;
        }
      }
      expect(linked).toBeGreaterThan(2);
    } finally {
      lab.kill('SIGTERM');
      expect(await exited).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
