import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { TlsMode } from '../protocol/tls.js';
import { HookReply } from './hook-reply.js';

/** What the lab server knows about a message when it stores it: the `<id>.json` contract. */
export interface MessageRecord {
  id: string;
  sessionId: string;
  receivedAt: string;
  envelope: { mailFrom: string; rcptTo: string[] };
  client: { address: string | undefined; port: number | undefined; helo: string | undefined };
  tls: { mode: TlsMode; protocol?: string; cipher?: string };
  auth: { user: string; mechanism: string } | null;
  /** Size of the stored .eml in bytes, trace headers included. */
  size: number;
  /** sha256 (hex) of the stored .eml file. */
  sha256: string;
  /** How many leading bytes of the .eml the server added (trace headers); 0 when switched off. */
  traceHeaderBytes: number;
}

export interface StoredMessage extends MessageRecord {
  emlPath: string;
  jsonPath: string;
}

const HEAD_BYTES = 64 * 1024;

/**
 * The message store, writer of the mailbox folder: each accepted message is `<id>.eml` (the DATA bytes, un-stuffed, nothing changed
 * but an optional trace header in front) and `<id>.json`. Both are written to a temp file and
 * fsynced; the `.json` is renamed into place first and the `.eml` last, then the folder is
 * fsynced, before `store` resolves; the server sends its 250 only after that, so an acknowledged
 * message survives a crash.
 *
 * Readers' rule: a message exists when its `.eml` exists; its `.json` is then always there
 * (renamed before it). A crash can leave temp files (`.<id>.eml.tmp`, `.<id>.json.tmp`) or a
 * `.json` whose `.eml` never arrived (a message that was never acknowledged): opening the
 * mailbox (`open`) deletes the former and moves the latter, and any `.eml` without its `.json`,
 * into `quarantine/`.
 *
 * Group commit: messages that finish together share one folder fsync (each still waits for an
 * fsync that started after its own renames).
 */
export class MessageStore {
  private sequence = 0;
  private ready: Promise<void> | undefined;
  private readonly folderSync: GroupSync;

  constructor(readonly dir: string) {
    this.folderSync = new GroupSync(dir);
  }

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  /**
   * Makes the folder and cleans what a crash left: deletes temp files, quarantines half pairs.
   * Returns what it did, for the server to say.
   */
  async open(): Promise<{ removed: string[]; quarantined: string[] }> {
    await this.ensureDir();
    const names = await readdir(this.dir);
    const present = new Set(names);
    const removed: string[] = [];
    const quarantined: string[] = [];
    for (const name of names) {
      if (/^\..+\.(eml|json)\.tmp$/.test(name)) {
        await unlink(path.join(this.dir, name)).catch(() => undefined);
        removed.push(name);
        continue;
      }
      const pair = /^(.+)\.(eml|json)$/.exec(name);
      if (!pair) continue;
      const other = `${pair[1]}.${pair[2] === 'eml' ? 'json' : 'eml'}`;
      if (present.has(other)) continue;
      const quarantine = path.join(this.dir, 'quarantine');
      await mkdir(quarantine, { recursive: true });
      await rename(path.join(this.dir, name), path.join(quarantine, name)).catch(() => undefined);
      quarantined.push(name);
    }
    if (removed.length || quarantined.length) await syncDir(this.dir);
    return { removed, quarantined };
  }

  /**
   * Streams `body` into the mailbox. `describe` is called once the body is complete, to fill the
   * record (the envelope is final by then). Rejects, leaving no file behind, when the body stream
   * fails (the client vanished mid-DATA) or the body is larger than `maxSize` (the rest of an
   * oversized body is drained, not written).
   */
  async store(
    sessionId: string,
    body: Readable,
    /** Makes the trace header for the message id; omitted when trace headers are off. */
    traceFor: ((id: string) => Buffer) | undefined,
    describe: () => Omit<
      MessageRecord,
      'id' | 'sessionId' | 'receivedAt' | 'size' | 'sha256' | 'traceHeaderBytes'
    >,
    maxSize?: number,
    /** Inspects the first 64 KiB of the body once it is complete; an error refuses the message. */
    inspect?: (head: Buffer) => Error | undefined,
  ): Promise<StoredMessage> {
    await this.ensureDir();
    const id = `${sessionId}-${++this.sequence}`;
    const emlPath = path.join(this.dir, `${id}.eml`);
    const jsonPath = path.join(this.dir, `${id}.json`);
    const temp = path.join(this.dir, `.${id}.eml.tmp`);
    const trace = traceFor?.(id);
    const hash = createHash('sha256');
    let size = 0;
    let bodySize = 0;
    const head: Buffer[] = [];
    let headSize = 0;
    let file: FileHandle | undefined = await open(temp, 'w');
    try {
      if (trace?.length) {
        await file.write(trace);
        hash.update(trace);
        size += trace.length;
      }
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bodySize += chunk.length;
        if (maxSize && bodySize > maxSize) continue;
        if (inspect && headSize < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
        }
        hash.update(chunk);
        size += chunk.length;
        await file.write(chunk);
      }
      if (maxSize && bodySize > maxSize)
        throw new HookReply(552, `5.3.4 Message exceeds the size limit of ${maxSize} bytes`);
      const refusal = inspect?.(Buffer.concat(head));
      if (refusal) throw refusal;
      await file.sync();
      await file.close();
      file = undefined;
      const record: MessageRecord = {
        id,
        sessionId,
        receivedAt: new Date().toISOString(),
        ...describe(),
        size,
        sha256: hash.digest('hex'),
        traceHeaderBytes: trace?.length ?? 0,
      };
      // The .json first, the .eml last: whoever sees the .eml finds its .json.
      await writeDurably(jsonPath, JSON.stringify(record, null, 2) + '\n');
      await rename(temp, emlPath);
      await this.folderSync.sync();
      return { ...record, emlPath, jsonPath };
    } catch (err) {
      await file?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }
}

/**
 * Folder fsyncs shared by the messages that ask at about the same time: a caller waits for an
 * fsync that started after it asked (its renames are then durable); callers arriving while one
 * runs share the next.
 */
class GroupSync {
  private current: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly dir: string) {}

  sync(): Promise<void> {
    if (this.next) return this.next;
    if (!this.current) return (this.current = this.start());
    const next = this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        this.current = this.start();
        return this.current;
      });
    this.next = next;
    return next;
  }

  private start(): Promise<void> {
    const run: Promise<void> = syncDir(this.dir).finally(() => {
      if (this.current === run) this.current = undefined;
    });
    return run;
  }
}

async function writeDurably(target: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
  const file = await open(temp, 'w');
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, target);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
