import { statSync } from 'node:fs';
import { open, opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MessageRecord } from '../server/mailbox.js';
import { summaryHeaders } from './message-view.js';

/**
 * The mailbox folder as the browser view reads it: everything comes from disk on each request
 * (so the view survives a restart and memory does not grow with the mailbox), newest first, one
 * page at a time. The only thing kept between requests is the sorted list of file names and times,
 * rebuilt when the folder changes.
 */

export interface MessageSummary {
  id: string;
  sessionId: string;
  receivedAt: string;
  mailFrom: string;
  rcptTo: string[];
  size: number;
  tls: MessageRecord['tls']['mode'];
  auth: string | null;
  subject: string | null;
  from: string | null;
}

export interface SessionSummary {
  id: string;
  startedAt: string;
  peer: string | null;
  /** Size of the transcript file in bytes. */
  bytes: number;
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

/** Ids are file names the server made: hex, dashes and digits; anything else is refused. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$/;
export function validId(id: string): boolean {
  return ID.test(id);
}

const HEAD_BYTES = 16 * 1024;
/** Message summaries kept between listings (a few pages' worth). */
const SUMMARY_CACHE = 200;

/**
 * A folder's files with one suffix, newest first (by modification time). What it keeps between
 * requests is each name's time, so that a folder that changed costs one readdir and a stat of
 * the new names only; the first listing stats every file, a few at a time (a stat storm over
 * 10,000 files would grow the heap for good, for a moment's work).
 */
class SortedListing {
  private times = new Map<string, number>();
  private sorted: string[] = [];
  private key = -1;

  constructor(
    private readonly dir: string,
    private readonly suffix: string,
  ) {}

  async names(): Promise<string[]> {
    let dirStat;
    try {
      dirStat = await stat(this.dir);
    } catch {
      return [];
    }
    // A rename inside the folder changes its mtime; a change within the clock's grain is re-read.
    const key = Math.max(dirStat.mtimeMs, dirStat.ctimeMs);
    if (key === this.key && Date.now() - key > 50) return this.sorted;
    // Read the folder a batch at a time (opendir), not as one array of every name at once.
    const present: string[] = [];
    for await (const entry of await opendir(this.dir, { bufferSize: 256 }))
      if (entry.name.endsWith(this.suffix) && !entry.name.startsWith('.')) present.push(entry.name);
    const seen = new Set(present);
    for (const name of this.times.keys()) if (!seen.has(name)) this.times.delete(name);
    // Synchronous stats in slices of 256, yielding between them: a few hundred microseconds of
    // the event loop at a time, and far less garbage than one promise per file.
    const fresh = present.filter((name) => !this.times.has(name));
    for (let i = 0; i < fresh.length; i += 256) {
      for (const name of fresh.slice(i, i + 256)) {
        const info = statSync(path.join(this.dir, name), { throwIfNoEntry: false });
        if (info) this.times.set(name, info.mtimeMs);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const byTime = (a: string, b: string) => this.times.get(b)! - this.times.get(a)! || (a < b ? 1 : -1);
    this.sorted = [...this.times.keys()].sort(byTime).map((n) => n.slice(0, -this.suffix.length));
    this.key = key;
    return this.sorted;
  }
}

export class MailboxReader {
  private readonly messages: SortedListing;
  private readonly sessions: SortedListing;

  constructor(
    readonly dir: string,
    readonly sessionsDir: string,
  ) {
    // A message is listed by its .json: the server writes it after the .eml, so both are there.
    this.messages = new SortedListing(dir, '.json');
    this.sessions = new SortedListing(sessionsDir, '.jsonl');
  }

  emlPath(id: string): string {
    return path.join(this.dir, `${id}.eml`);
  }

  sessionPath(id: string): string {
    return path.join(this.sessionsDir, `${id}.jsonl`);
  }

  async listMessages(offset: number, limit: number): Promise<Page<MessageSummary>> {
    const names = await this.messages.names();
    const items = (
      await Promise.all(
        names.slice(offset, offset + limit).map((id) => this.summary(id).catch(() => undefined)),
      )
    ).filter((m): m is MessageSummary => m !== undefined);
    return { total: names.length, offset, limit, items };
  }

  async record(id: string): Promise<MessageRecord | undefined> {
    if (!validId(id)) return undefined;
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${id}.json`), 'utf8')) as MessageRecord;
    } catch {
      return undefined;
    }
  }

  async eml(id: string): Promise<Buffer | undefined> {
    if (!validId(id) || !(await this.record(id))) return undefined;
    return readFile(this.emlPath(id)).catch(() => undefined);
  }

  /**
   * The last summaries listed, newest last, at most SUMMARY_CACHE: the inbox asks for the same
   * page again on every arrival, and a message does not change once written; reading 50 records
   * and heads again each time only churns memory (see bench/README.md, the web figures).
   */
  private readonly summaries = new Map<string, MessageSummary>();

  private async summary(id: string): Promise<MessageSummary> {
    const cached = this.summaries.get(id);
    if (cached) {
      this.summaries.delete(id);
      this.summaries.set(id, cached);
      return cached;
    }
    const summary = await this.readSummary(id);
    this.summaries.set(id, summary);
    if (this.summaries.size > SUMMARY_CACHE) this.summaries.delete(this.summaries.keys().next().value!);
    return summary;
  }

  private async readSummary(id: string): Promise<MessageSummary> {
    const record = await this.record(id);
    if (!record) throw new Error(`no record for ${id}`);
    const head = await readHead(this.emlPath(id), record.traceHeaderBytes ?? 0);
    const headers = summaryHeaders(head);
    return {
      id,
      sessionId: record.sessionId,
      receivedAt: record.receivedAt,
      mailFrom: record.envelope.mailFrom,
      rcptTo: record.envelope.rcptTo,
      size: record.size,
      tls: record.tls.mode,
      auth: record.auth?.user ?? null,
      subject: headers.subject,
      from: headers.from,
    };
  }

  async listSessions(offset: number, limit: number): Promise<Page<SessionSummary>> {
    const names = await this.sessions.names();
    const items = (
      await Promise.all(
        names.slice(offset, offset + limit).map((id) => this.sessionSummary(id).catch(() => undefined)),
      )
    ).filter((s): s is SessionSummary => s !== undefined);
    return { total: names.length, offset, limit, items };
  }

  private async sessionSummary(id: string): Promise<SessionSummary> {
    const file = this.sessionPath(id);
    const [head, info] = await Promise.all([readHead(file, 0, 2048), stat(file)]);
    const first = head.toString('utf8').split('\n')[0] ?? '';
    let meta: { startedAt?: string; peer?: string } = {};
    try {
      meta = JSON.parse(first) as typeof meta;
    } catch {
      // A session line longer than 2 KiB or still being written: the file's own times stand in.
    }
    return {
      id,
      startedAt: meta.startedAt ?? info.birthtime.toISOString(),
      peer: meta.peer ?? null,
      bytes: info.size,
    };
  }
}

/** The first bytes of a file after `skip` bytes. */
async function readHead(file: string, skip: number, length = HEAD_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, skip);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
