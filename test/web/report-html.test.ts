import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/smtp-lab.js', import.meta.url));
const CLIENTS = fileURLToPath(new URL('../fixtures/clients/', import.meta.url));

describe('grade-all --format html: a report.html per student and the class index.html', () => {
  it('lists every student with score and status, links their report, and charts the share that failed each check', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-web-class-'));
    try {
      // Two students: one reads whole replies, one reads one recv(1024) per reply.
      for (const [name, file] of [
        ['alice', 'correct_client.py'],
        ['bob <b@x> #2?', 'recv_1024.py'],
      ] as const) {
        await mkdir(path.join(dir, 'subs', name), { recursive: true });
        await copyFile(path.join(CLIENTS, file), path.join(dir, 'subs', name, 'client.py'));
        await copyFile(
          path.join(CLIENTS, 'correct_client.py'),
          path.join(dir, 'subs', name, 'correct_client.py'),
        );
      }
      const out = path.join(dir, 'out');
      const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [
            BIN,
            'grade-all',
            '--submissions',
            path.join(dir, 'subs'),
            '--command',
            '/usr/bin/python3 {dir}/client.py',
            '-s',
            'fragmented-replies',
            '--format',
            'html',
            '--out-dir',
            out,
            '--jobs',
            '2',
          ],
          { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
          (error, _stdout, err) => resolve({ code: error ? Number(error.code) : 0, stderr: err }),
        ),
      );
      expect(code, stderr).toBe(0);
      const index = await readFile(path.join(out, 'index.html'), 'utf8');
      expect(index).toContain('href="students/alice/report.html"');
      // A hostile folder name is text, never markup.
      expect(index).toContain('bob &lt;b@x&gt; #2?');
      expect(index).not.toContain('<b@x>');
      // Half the class failed reads-whole-replies: the chart says 50%.
      const bar =
        /title="1 of 2 students failed fragmented-replies\/reads-whole-replies"[\s\S]*?width:(\d+\.\d)%/.exec(
          index,
        );
      expect(bar?.[1]).toBe('50.0');
      expect(index).not.toMatch(/<(script|link)[^>]*src=|href="https?:/);
      // Every student's link opens their report, whatever their folder is called.
      const links = [...index.matchAll(/<a href="(students\/[^"]+)"/g)].map((m) => m[1]!);
      expect(links).toHaveLength(2);
      for (const link of links) {
        // A "#" or "?" in a folder name must not end the path part of the link.
        expect(link).not.toMatch(/[#?]/);
        const file = path.join(out, ...link.split('/').map(decodeURIComponent));
        expect((await readFile(file, 'utf8')).startsWith('<!doctype html>'), link).toBe(true);
      }
      const report = await readFile(path.join(out, 'students', 'alice', 'report.html'), 'utf8');
      expect(report).toMatch(/<svg[^>]*class="diagram"/);
      expect(report).toMatch(
        /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
