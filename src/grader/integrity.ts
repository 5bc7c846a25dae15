import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { StoredMessage } from '../server/index.js';
import type { TranscriptEvent } from '../transcript/events.js';
import { readJsonlEvents } from '../transcript/jsonl.js';
import type { FramedItem } from '../transcript/framer.js';
import type { RunMessage, RunSession, TamperedMessage } from './checks/context.js';

/**
 * The messages of a run as the checks see them: read back from the mailbox, each verified
 * against the sha256 the lab server computed while storing it (kept in memory, not the .json a
 * client could rewrite too). A file that no longer matches was tampered with after the server
 * stored it; the message is then judged from the bytes the server received on the wire.
 */

export type { TamperedMessage };

/** Reads back and verifies every stored message; tampered ones are rebuilt from the wire. */
export async function loadRunMessages(
  stored: readonly StoredMessage[],
  sessions: readonly RunSession[],
): Promise<{ messages: RunMessage[]; tampered: TamperedMessage[] }> {
  const messages: RunMessage[] = [];
  const tampered: TamperedMessage[] = [];
  for (const record of stored) {
    const found = await readIfIntact(record);
    if (found.eml) {
      messages.push({ record, eml: found.eml });
      continue;
    }
    const session = sessions.find((s) => s.id === record.sessionId);
    const nth = stored.filter((m) => m.sessionId === record.sessionId).indexOf(record);
    // The wire is read back from the session's transcript file (nothing keeps it in memory).
    const events = session?.transcriptPath ? await readEvents(session.transcriptPath) : [];
    const bodies = session ? messageBodies(session.items, events) : [];
    const prefix = found.head.subarray(0, record.traceHeaderBytes);
    // The server's trace header is still in the file if only the body was changed: then the
    // exact stored bytes come back, and their hash proves it.
    const exact = bodies
      .map((body) => Buffer.concat([prefix, body]))
      .find((candidate) => sha256(candidate) === record.sha256);
    const body = bodies[nth] ?? Buffer.alloc(0);
    messages.push(
      exact
        ? { record, eml: exact }
        : { record: { ...record, traceHeaderBytes: 0, size: body.length }, eml: body },
    );
    tampered.push({
      id: record.id,
      file: record.emlPath,
      expectedSha256: record.sha256,
      foundSha256: found.why,
      recovered: exact !== undefined,
    });
  }
  return { messages, tampered };
}

/** A transcript file's events; none when it cannot be read. */
async function readEvents(file: string): Promise<TranscriptEvent[]> {
  const events: TranscriptEvent[] = [];
  try {
    for await (const event of readJsonlEvents(file)) events.push(event);
  } catch {
    // unreadable: the body cannot be rebuilt from the wire
  }
  return events;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The stored file when its size and hash are what the server recorded. Otherwise why not, and
 * the first bytes (where the trace header was), read without loading a file of any size.
 */
async function readIfIntact(
  record: StoredMessage,
): Promise<
  { eml: Buffer; why?: undefined; head?: undefined } | { eml?: undefined; why: string; head: Buffer }
> {
  let file;
  try {
    file = await open(record.emlPath, 'r');
  } catch {
    return { why: 'missing', head: Buffer.alloc(0) };
  }
  try {
    const { size } = await file.stat();
    if (size !== record.size) {
      const head = Buffer.alloc(Math.min(size, record.traceHeaderBytes));
      await file.read(head, 0, head.length, 0);
      return { why: `size ${size}, not ${record.size}`, head };
    }
    const eml = await file.readFile();
    const found = sha256(eml);
    return found === record.sha256 ? { eml } : { why: found, head: eml };
  } finally {
    await file.close();
  }
}

/**
 * The message bodies a session carried, as the server stored them: for each DATA command the
 * client bytes after its line up to the CRLF before the lone ".", un-stuffed the way
 * smtp-server un-stuffs (a leading ".." loses one dot). Taken from the wire events, so a client
 * that sent DATA and its message in one write is read the same.
 */
export function messageBodies(items: readonly FramedItem[], events: readonly TranscriptEvent[]): Buffer[] {
  const bodies: Buffer[] = [];
  items.forEach((item, index) => {
    if (item.kind !== 'line' || item.command?.verb !== 'DATA' || !item.spans?.length) return;
    const answered = items.some(
      (reply) => reply.kind === 'reply' && reply.answers === index && reply.reply.code === 354,
    );
    if (!answered) return;
    const end = item.spans[item.spans.length - 1]!;
    const after: Buffer[] = [];
    events.forEach((event, i) => {
      if (event.type !== 'wire' || event.dir !== 'c2s' || i < end.event) return;
      after.push(i === end.event ? event.data.subarray(end.end) : event.data);
    });
    const stream = Buffer.concat([Buffer.from('\r\n'), ...after]);
    const stop = stream.indexOf('\r\n.\r\n');
    if (stop === -1) return;
    bodies.push(unstuff(stream.subarray(2, stop + 2)));
  });
  return bodies;
}

function unstuff(body: Buffer): Buffer {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    const lf = body.indexOf(0x0a, start);
    const end = lf === -1 ? body.length : lf + 1;
    const line = body.subarray(start, end);
    lines.push(line[0] === 0x2e && line[1] === 0x2e ? line.subarray(1) : line);
    start = end;
  }
  return Buffer.concat(lines);
}
