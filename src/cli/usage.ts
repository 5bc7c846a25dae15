import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SmtpLabError } from '../protocol/errors.js';
import { resolveScenario, ScenarioError, UnknownScenarioError } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/types.js';

/**
 * Usage errors: what the person at the terminal got wrong (an unknown scenario, a YAML error, a
 * missing file, a port in use, a value out of range). Each is one clear line and exit status 2;
 * exit status 70 with a stack trace is left for smtp-lab's own bugs.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The message to print for an error that is the user's to fix, or undefined for a bug. Scenario
 * errors print every problem found (one line each, with file, line and field).
 */
export function usageMessage(err: unknown): string | undefined {
  if (err instanceof UsageError) return err.message;
  // A value an option's coerce refused reaches here wrapped in yargs' YError.
  if (err instanceof Error && err.name === 'YError') return err.message;
  if (err instanceof ScenarioError || err instanceof UnknownScenarioError) return err.message;
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.syscall === 'listen') {
    const where = e.port !== undefined ? `port ${e.port}${e.address ? ` on ${e.address}` : ''}` : 'the port';
    if (e.code === 'EADDRINUSE')
      return `${where} is in use (another lab server?): choose another with --port, or 0 for a free one`;
    if (e.code === 'EACCES')
      return `${where} needs privileges to listen on: use a port above 1023, or 0 for a free one`;
    if (e.code === 'EADDRNOTAVAIL') return `${where}: no such address on this machine`;
  }
  return undefined;
}

/** A yargs `coerce` for a TCP port: a whole number 0..65535 (0: a free one). */
export function portValue(name: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (value === '' || typeof value === 'boolean' || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UsageError(
        `--${name} must be a port number from 0 to 65535 (0: a free port), not ${show(value)}`,
      );
    }
    return n;
  };
}

/** A yargs `coerce` for a duration in seconds: a number above zero. */
export function secondsValue(name: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (value === '' || typeof value === 'boolean' || !Number.isFinite(n) || n <= 0) {
      throw new UsageError(`--${name} must be a number of seconds above 0, not ${show(value)}`);
    }
    return n;
  };
}

function show(value: unknown): string {
  if (typeof value === 'number' && Number.isNaN(value)) return 'something else';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Scenarios by id or file; an unknown id, a missing or unreadable file or a bad one is a UsageError. */
export async function loadScenarios(ids: readonly string[]): Promise<Scenario[]> {
  return Promise.all(ids.map((id) => loadScenario(id)));
}

export async function loadScenario(id: string): Promise<Scenario> {
  try {
    return await resolveScenario(id);
  } catch (err) {
    if (err instanceof SmtpLabError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UsageError(`no scenario file at ${id}`);
    if (e.code === 'EISDIR') throw new UsageError(`${id} is a folder, not a scenario file`);
    if (e.code === 'EACCES') throw new UsageError(`cannot read the scenario file ${id}: permission denied`);
    throw err;
  }
}

/** The folder a file is to be written in exists, and the file is not a folder (checked before any work starts). */
export async function checkOutputFile(file: string, option: string): Promise<void> {
  const isFolder = await stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isFolder) throw new UsageError(`${option} ${file} is a folder: give a file name`);
  const dir = path.dirname(path.resolve(file));
  const found = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!found) throw new UsageError(`${option} ${file}: the folder ${dir} does not exist`);
}
