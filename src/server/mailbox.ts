import { createHash } from 'node:crypto';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** What the lab server knows about a message when it stores it: the `<id>.json` contract. */
export interface MessageRecord {
  id: string;
  sessionId: string;
  receivedAt: string;
  envelope: { mailFrom: string; rcptTo: string[] };
  client: { address: string | undefined; port: number | undefined; helo: string | undefined };
  tls: { mode: 'none' | 'starttls' | 'implicit'; protocol?: string; cipher?: string };
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

export class MessageTooBigError extends Error {
  readonly responseCode = 552;
  constructor(limit: number) {
    super(`5.3.4 Message exceeds the size limit of ${limit} bytes`);
  }
}

const HEAD_BYTES = 64 * 1024;

/**
 * The mailbox: each accepted message is `<id>.eml` (the DATA bytes, un-stuffed, nothing changed
 * but an optional trace header in front) and `<id>.json`. Both are written to a temp file,
 * fsynced and renamed, and the folder fsynced, before `store` resolves; the server sends its 250
 * only after that, so an acknowledged message survives a crash.
 */
export class Mailbox {
  private sequence = 0;
  private ready: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    return this.ready;
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
      if (maxSize && bodySize > maxSize) throw new MessageTooBigError(maxSize);
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
      await rename(temp, emlPath);
      await writeDurably(jsonPath, JSON.stringify(record, null, 2) + '\n');
      await syncDir(this.dir);
      return { ...record, emlPath, jsonPath };
    } catch (err) {
      await file?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
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
