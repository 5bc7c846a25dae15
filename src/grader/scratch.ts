import { access, constants, statfs } from 'node:fs/promises';
import os from 'node:os';

const TMPFS_MAGIC = 0x01021994;
let found: Promise<string> | undefined;

/**
 * Where a grading run keeps its mailbox and transcripts when nobody asked to keep them: a RAM
 * file system (/dev/shm) when there is a writable one, else os.tmpdir(). The lab server stores
 * every message durably (fsync before the 250); for a run folder that is deleted right after the
 * grading, that fsync is pure waiting in the client's lifetime (8-16 ms per message on a disk,
 * nothing on tmpfs).
 */
export function scratchBase(): Promise<string> {
  return (found ??= (async () => {
    if (process.env.SMTP_LAB_SCRATCH) return process.env.SMTP_LAB_SCRATCH;
    try {
      const shm = '/dev/shm';
      if ((await statfs(shm)).type === TMPFS_MAGIC) {
        await access(shm, constants.W_OK);
        return shm;
      }
    } catch {
      // no RAM file system here
    }
    return os.tmpdir();
  })());
}

const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const cleanups = new Set<() => void>();

function interrupted(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // best effort: the process is stopping
    }
  }
  cleanups.clear();
  for (const name of INTERRUPTS) process.removeListener(name, interrupted);
  // Die of the signal as if it had never been caught (exit status 128 + n for the shell).
  process.kill(process.pid, signal);
}

/**
 * Runs `cleanup` (synchronous: the process is about to end) if SIGINT, SIGTERM or SIGHUP stops
 * the process before the returned function is called; then the process dies of that signal.
 * What a grading run leaves behind (its temporary folders, its client's process group) goes
 * even when the instructor presses Ctrl-C.
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (cleanups.size === 0) for (const name of INTERRUPTS) process.on(name, interrupted);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const name of INTERRUPTS) process.removeListener(name, interrupted);
  };
}
