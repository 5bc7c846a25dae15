import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../src/client/index.js';
import { formatReports } from '../../src/grader/formats.js';
import { loadRunMessages } from '../../src/grader/integrity.js';
import { runSession } from '../../src/grader/evidence.js';
import { startLabServer, type LabSession, type StoredMessage } from '../../src/server/index.js';
import { sharedCa } from '../helpers/lab-server.js';
import { check, explain, py, Runs } from './helpers.js';

/**
 * The grader judges the bytes the server received, never a file the client could rewrite: the
 * mailbox lies outside the client's HOME, and every stored message is checked against the
 * sha256 the server recorded when it stored it.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

describe('grading integrity', () => {
  it('a client that rewrites the stored message is judged from what it sent, and reported', async () => {
    const report = await runs.grade('builtin:mime-image', py('rewrites_mailbox.py'));
    const found = JSON.parse(report.client.stdout) as { under_home: string[]; rewritten: string[] };
    // Nothing of the mailbox under its HOME any more...
    expect(found.under_home).toEqual([]);
    // ...but without a sandbox the same user can still find the work folder and rewrite it.
    expect(found.rewritten).toHaveLength(1);
    expect(report.tampered, explain(report)).toHaveLength(1);
    expect(report.tampered![0]).toMatchObject({ recovered: true });
    expect(report.tampered![0]!.expectedSha256).not.toBe(report.tampered![0]!.foundSha256);
    // What it sent had no image: the checks of the image fail.
    expect(check(report, 'mime-structure').passed).toBe(false);
    expect(check(report, 'image-intact').passed).toBe(false);
    // Every other point holds: 12/18 today (old: 18/18, full marks for the image it never sent).
    const imagePoints = check(report, 'mime-structure').maxPoints + check(report, 'image-intact').maxPoints;
    expect(report.score, explain(report)).toBe(report.maxScore - imagePoints);
    expect(formatReports([report], 'text')).toContain(`*** tampering: ${found.rewritten[0]} was changed`);
  });

  it('an honest client is not reported', async () => {
    const report = await runs.grade('builtin:mime-image', py('correct_client.py'));
    expect(report.tampered).toBeUndefined();
    expect(report.score).toBe(report.maxScore);
  });
});

describe('loadRunMessages', () => {
  /** One message through a real lab server with the reference client; its session and record. */
  async function stored(message: string) {
    const server = await startLabServer({ ca: await sharedCa(), auth: 'off' });
    try {
      const sessions: LabSession[] = [];
      const messages: StoredMessage[] = [];
      server.on('session', (session: LabSession) => sessions.push(session));
      server.on('message', (record: StoredMessage) => messages.push(record));
      await sendMail({
        host: '127.0.0.1',
        port: server.port,
        tls: 'none',
        from: 'a@smtp-lab.test',
        recipients: ['b@smtp-lab.test'],
        message,
      });
      await Promise.all(sessions.map((s) => s.ended));
      const run = sessions.map(runSession);
      return {
        run,
        record: messages[0]!,
        original: await readFile(messages[0]!.emlPath),
        mailbox: server.mailbox,
      };
    } finally {
      await server.stop();
    }
  }
  const MESSAGE = 'Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\nend\r\n';

  it('returns an intact message as stored, and reports nothing', async () => {
    const { run, record, original, mailbox } = await stored(MESSAGE);
    const loaded = await loadRunMessages([record], run);
    expect(loaded.tampered).toEqual([]);
    expect(loaded.messages[0]!.eml.toString('latin1')).toBe(original.toString('latin1'));
    await rm(mailbox, { recursive: true, force: true });
  });

  it('a rewritten body: the exact stored bytes come back from the wire, dots un-stuffed', async () => {
    const { run, record, original, mailbox } = await stored(MESSAGE);
    await writeFile(
      record.emlPath,
      Buffer.concat([
        original.subarray(0, record.traceHeaderBytes),
        Buffer.from('Subject: forged\r\n\r\nx\r\n'),
      ]),
    );
    const loaded = await loadRunMessages([record], run);
    expect(loaded.tampered).toMatchObject([
      { id: record.id, recovered: true, expectedSha256: record.sha256 },
    ]);
    expect(loaded.messages[0]!.eml.toString('latin1')).toBe(original.toString('latin1'));
    await rm(mailbox, { recursive: true, force: true });
  });

  it('a removed file: judged from the message body the wire carried', async () => {
    const { run, record, mailbox } = await stored(MESSAGE);
    await unlink(record.emlPath);
    const loaded = await loadRunMessages([record], run);
    expect(loaded.tampered).toMatchObject([{ id: record.id, recovered: false, foundSha256: 'missing' }]);
    expect(loaded.messages[0]!.eml.toString()).toBe(MESSAGE);
    expect(loaded.messages[0]!.record.traceHeaderBytes).toBe(0);
    await rm(mailbox, { recursive: true, force: true });
  });
});
