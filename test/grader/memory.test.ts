import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmissions } from '../../src/grader/batch.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import { PYTHON } from '../helpers/lab-server.js';
import { PY_CLIENT } from './class.js';

/**
 * The grader on memory: a 15 MB message of empty lines (under the 16 MiB flood guard)
 * took `grade` to 3.7 GiB, and two of them at -j 2 killed `grade-all` before any report was
 * written. Judged from bounded structures, two such submissions cost little memory, and every
 * other student's report is written.
 */

const FLOOD = `${PY_CLIENT}cmd("HELO flood")
cmd("MAIL FROM:<%s>" % os.environ["MAIL_FROM"])
cmd("RCPT TO:<%s>" % os.environ["RCPT_TO"].split(",")[0])
cmd("DATA")
chunk = b"\\r\\n" * 65536
for _ in range(15 * 1024 * 1024 // len(chunk)):
    s.sendall(chunk)
cmd(".")
cmd("QUIT")
`;

const GOOD = `${PY_CLIENT}cmd("EHLO student")
cmd("MAIL FROM:<%s>" % os.environ["MAIL_FROM"])
for r in os.environ["RCPT_TO"].split(","):
    cmd("RCPT TO:<%s>" % r)
cmd("DATA")
cmd("From: <%s>\\r\\nTo: <%s>\\r\\nSubject: lab\\r\\n\\r\\nI love computer networks!\\r\\n." % (os.environ["MAIL_FROM"], os.environ["RCPT_TO"]))
cmd("QUIT")
`;

describe('grade-all and floods of empty lines', () => {
  it('two 15 MB messages of empty lines at -j 2: bounded memory, every report written', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-memory-'));
    try {
      const submissions = path.join(root, 'submissions');
      for (const [name, code] of Object.entries({ 'flood-a': FLOOD, 'flood-b': FLOOD, good: GOOD })) {
        await mkdir(path.join(submissions, name), { recursive: true });
        await writeFile(path.join(submissions, name, 'smtp_client.py'), code);
      }
      let peak = 0;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
      const before = process.memoryUsage().heapUsed;
      const result = await gradeSubmissions({
        submissions,
        command: `${PYTHON} smtp_client.py`,
        scenarios: [await resolveScenario('basic')],
        jobs: 2,
        timeoutMs: 60_000,
        outDir: path.join(root, 'out'),
        format: 'json',
      }).finally(() => clearInterval(sample));
      // The old framing kept a record per empty line: gigabytes for these two.
      expect(peak - before).toBeLessThan(300 * 1024 * 1024);
      expect(result.students.map((s) => s.student).sort()).toEqual(['flood-a', 'flood-b', 'good']);
      for (const name of ['flood-a', 'flood-b', 'good']) {
        const report = JSON.parse(
          await readFile(path.join(root, 'out', 'students', name, 'report.json'), 'utf8'),
        ) as Array<{ transcript: { sessions: Array<{ lines: string[]; events: unknown[] }> } }>;
        // Each report is bounded too: a body is a summary, the events excerpt is capped.
        const text = JSON.stringify(report);
        expect(text.length).toBeLessThan(4 * 1024 * 1024);
      }
      const good = result.students.find((s) => s.student === 'good')!;
      expect(good.score).toBe(good.maxScore);
      const flood = JSON.parse(
        await readFile(path.join(root, 'out', 'students', 'flood-a', 'report.json'), 'utf8'),
      ) as Array<{ transcript: { sessions: Array<{ lines: string[] }> } }>;
      expect(flood[0]!.transcript.sessions[0]!.lines.join('\n')).toMatch(/more body lines; \d+ bytes in all/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});
