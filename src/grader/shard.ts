import { createHash } from 'node:crypto';

/**
 * `grade-all --shard K/N`: the K-th of N slices of a class, for CI jobs that each grade a part.
 * A student's slice depends on their folder name only (a hash of it), never on the other
 * folders: adding a student, at any place in the alphabet, moves nobody else to another shard,
 * so a re-run of one shard after a late submission grades the same people again.
 */

export interface Shard {
  /** 1-based: 1..count. */
  index: number;
  count: number;
}

/** The most shards a grading may be split into (GitHub Actions' matrix limit). */
export const MAX_SHARDS = 256;

/** Parses `K/N` (1 <= K <= N <= 256); throws with a one-line reason otherwise. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`--shard must look like K/N (e.g. 2/8), not '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) throw new Error(`--shard K/N: N must be 1 to ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new Error(`--shard K/N: K must be 1 to ${count} (K counts from 1)`);
  return { index, count };
}

/** The shard (1-based) a submission folder belongs to. */
export function shardOf(name: string, count: number): number {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The names of `shard`, in the order given. */
export function inShard<T extends string>(names: readonly T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return [...names];
  return names.filter((name) => shardOf(name, shard.count) === shard.index);
}
