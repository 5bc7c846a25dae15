import { stat } from 'node:fs/promises';
import path from 'node:path';
import { messages, type Messages } from '../i18n/messages.js';
import { SmtpLabError, UsageError } from '../protocol/errors.js';
import {
  resolveScenario,
  ScenarioError,
  scenarioErrorText,
  UnknownScenarioError,
} from '../scenarios/load.js';
import type { Scenario } from '../scenarios/types.js';

/**
 * Usage errors (src/protocol/errors.ts): what the person at the terminal got wrong (an unknown
 * scenario, a YAML error, a missing file, a port in use, a value out of range). Each is one clear
 * line and exit status 2; exit status 70 with a stack trace is left for smtp-lab's own bugs.
 */
export { UsageError };

/**
 * The message to print for an error that is the user's to fix, or undefined for a bug. Scenario
 * errors print every problem found (one line each, with file, line and field).
 */
export function usageMessage(err: unknown, m: Messages = messages()): string | undefined {
  if (err instanceof UsageError) return err.message;
  // A value an option's coerce refused reaches here wrapped in yargs' YError.
  if (err instanceof Error && err.name === 'YError') return err.message;
  if (err instanceof ScenarioError || err instanceof UnknownScenarioError) return err.render(m.lang);
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.syscall === 'listen') {
    const where =
      e.port === undefined
        ? m.t('cli.usage.where.any')
        : e.address
          ? m.t('cli.usage.where.portOn', { port: e.port, address: e.address })
          : m.t('cli.usage.where.port', { port: e.port });
    if (e.code === 'EADDRINUSE') return m.t('cli.usage.portInUse', { where });
    if (e.code === 'EACCES') return m.t('cli.usage.portPrivileged', { where });
    if (e.code === 'EADDRNOTAVAIL') return m.t('cli.usage.noAddress', { where });
  }
  return undefined;
}

/** A yargs `coerce` for a TCP port: a whole number 0..65535 (0: a free one). */
export function portValue(name: string, m: Messages = messages()): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (value === '' || typeof value === 'boolean' || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UsageError(m.t('cli.usage.port', { name, value: show(value, m) }));
    }
    return n;
  };
}

/** A yargs `coerce` for a duration in seconds: a number above zero. */
export function secondsValue(name: string, m: Messages = messages()): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (value === '' || typeof value === 'boolean' || !Number.isFinite(n) || n <= 0) {
      throw new UsageError(m.t('cli.usage.seconds', { name, value: show(value, m) }));
    }
    return n;
  };
}

function show(value: unknown, m: Messages): string {
  if (typeof value === 'number' && Number.isNaN(value)) return m.t('cli.usage.somethingElse');
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Scenarios by id or file; an unknown id, a missing or unreadable file or a bad one is a UsageError. */
export async function loadScenarios(ids: readonly string[], m: Messages = messages()): Promise<Scenario[]> {
  return Promise.all(ids.map((id) => loadScenario(id, m)));
}

/** A scenario by id or file; what is wrong with it is said in the language of `m`. */
export async function loadScenario(id: string, m: Messages = messages()): Promise<Scenario> {
  try {
    return await resolveScenario(id);
  } catch (err) {
    if (err instanceof SmtpLabError) throw new UsageError(scenarioErrorText(err, m.lang));
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UsageError(m.t('cli.usage.noScenarioFile', { file: id }));
    if (e.code === 'EISDIR') throw new UsageError(m.t('cli.usage.scenarioIsFolder', { file: id }));
    if (e.code === 'EACCES') throw new UsageError(m.t('cli.usage.scenarioUnreadable', { file: id }));
    throw err;
  }
}

/** The folder a file is to be written in exists, and the file is not a folder (checked before any work starts). */
export async function checkOutputFile(file: string, option: string, m: Messages = messages()): Promise<void> {
  const isFolder = await stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isFolder) throw new UsageError(m.t('cli.usage.outIsFolder', { option, file }));
  const dir = path.dirname(path.resolve(file));
  const found = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!found) throw new UsageError(m.t('cli.usage.outNoFolder', { option, file, dir }));
}
