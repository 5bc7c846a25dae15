// The durable-storage floor without SMTP: the file operations the lab's mailbox does for each
// message (temp .eml write + fsync + close + rename, temp .json the same, folder fsync), run by
// `writers` concurrent loops. It tells how many durable messages per second this disk allows at
// all, whatever the server does around them.
import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

async function writeSynced(file, data) {
  const handle = await open(file, 'w');
  try {
    await handle.write(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function storageFloor(base, { writers = 10, messages = 3000, timeMs = 3000, size = 1024 } = {}) {
  const dir = await mkdtemp(path.join(base, 'smtp-lab-bench-storage-'));
  const eml = Buffer.alloc(size + 150, 0x61);
  const json = Buffer.alloc(520, 0x62);
  let started = 0;
  let done = 0;
  const t0 = performance.now();
  const deadline = t0 + timeMs;
  try {
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (started < messages && performance.now() < deadline) {
          const id = started++;
          await writeSynced(path.join(dir, `.${id}.eml.tmp`), eml);
          await rename(path.join(dir, `.${id}.eml.tmp`), path.join(dir, `${id}.eml`));
          await writeSynced(path.join(dir, `.${id}.json.tmp`), json);
          await rename(path.join(dir, `.${id}.json.tmp`), path.join(dir, `${id}.json`));
          const handle = await open(dir, 'r');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          done++;
        }
      }),
    );
    const elapsed = performance.now() - t0;
    return { messages: done, elapsedMs: elapsed, msgsPerSec: (done / elapsed) * 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
