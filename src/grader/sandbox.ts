import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messages, type Messages } from '../i18n/messages.js';
import { SmtpLabError } from '../protocol/errors.js';

/**
 * `--sandbox`: each client runs under bubblewrap (bwrap, Debian's `bubblewrap`). The grading
 * process itself first moves into a network namespace that has only `lo` (re-executed under
 * `bwrap --unshare-net`, once per grading, not per run), so the lab servers it starts and the
 * clients it runs share a loopback that reaches nothing else. Each client then gets, from one
 * bwrap call:
 *  - the root file system read-only, /tmp, /dev, /proc and /sys fresh and empty (no host /dev/shm,
 *    no /sys/class/net listing the host's interfaces), the grader's folders hidden under empty
 *    file systems (the class folder with the other students, the out-dir, the run's work folder
 *    with the mailbox), only the files it needs (the lab CA) bound back read-only;
 *  - its own folder as a private, writable, size-capped copy at its usual path (the submission on
 *    disk never changes) and a fresh size-capped home;
 *  - its own user, PID, IPC and UTS namespaces, a new session, `--die-with-parent`: when the
 *    client exits or is killed, everything it started goes with it;
 *  - limits on processes, open files, file size and memory (prlimit inside the box);
 *  - when the grader runs as root, an unprivileged user (setpriv to nobody) so that the limits
 *    hold and no file visible in the box is readable through root's rights.
 */

export interface SandboxLimits {
  /** RLIMIT_NPROC inside the box (counted per box: it has its own user namespace). */
  processes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** RLIMIT_FSIZE: the largest file it may write. */
  fileSizeBytes: number;
  /** RLIMIT_DATA: heap and other private writable memory (PROT_NONE reservations of JVMs do not count). */
  memoryBytes: number;
  /** Size of each writable file system: the folder's copy and the scratch /tmp (home). */
  diskBytes: number;
  /** Bytes of stdout+stderr after which the client is killed as a flood. */
  outputBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  processes: 64,
  openFiles: 256,
  fileSizeBytes: 32 * 1024 * 1024,
  memoryBytes: 1024 * 1024 * 1024,
  diskBytes: 128 * 1024 * 1024,
  outputBytes: 16 * 1024 * 1024,
};

/** What one sandboxed client sees. */
export interface SandboxPlan {
  /** The student's folder: its working directory, writable as a private copy. */
  dir: string;
  /** Files the client must read (the lab CA, a Java trust store), bound read-only at their path. */
  readOnly: readonly string[];
  /** Folders hidden under empty file systems (class folder, out-dir, the run's work folder). */
  hide: readonly string[];
  limits?: Partial<SandboxLimits>;
}

/** Why --sandbox cannot be honoured, each a `grader.sandbox.` message with these values. */
export type SandboxProblem =
  | { reason: 'noBwrap' }
  | { reason: 'noNamespaces'; why: string }
  | { reason: 'stillNetworked'; interfaces: string }
  | { reason: 'seesNetwork'; interfaces: string };

/**
 * Thrown when --sandbox cannot be honoured on this machine (exit 2: fix the machine, not us).
 * Its message is English; `text(m)` says it in the language of `m` (the CLI's).
 */
export class SandboxUnavailableError extends SmtpLabError {
  constructor(readonly problem: SandboxProblem) {
    super('ERR_SANDBOX_UNAVAILABLE', sandboxProblemText(problem, messages()));
  }

  text(m: Messages): string {
    return sandboxProblemText(this.problem, m);
  }
}

function sandboxProblemText(problem: SandboxProblem, m: Messages): string {
  switch (problem.reason) {
    case 'noBwrap':
      return m.t('grader.sandbox.noBwrap');
    case 'noNamespaces':
      return m.t('grader.sandbox.noNamespaces', { why: problem.why });
    case 'stillNetworked':
      return m.t('grader.sandbox.stillNetworked', { interfaces: problem.interfaces });
    case 'seesNetwork':
      return m.t('grader.sandbox.seesNetwork', { interfaces: problem.interfaces });
  }
}

/** The home the client gets inside the box (on the size-capped /tmp). */
export const SANDBOX_HOME = '/tmp/home';
/** Where the files of SandboxPlan.readOnly are inside the box (boxPath), not at the grader's path. */
const FILES = '/tmp/.lab';
/** Where the original folder is visible (read-only) inside the box while it is copied. */
const ORIGINAL = '/tmp/.submission';
/** Marks a grading process already moved into its loopback-only network namespace. */
const NET_MARK = 'SMTP_LAB_SANDBOX_NET';
/** The unprivileged user a root grader runs clients as. */
const NOBODY = 65534;

let bwrapPath: string | undefined;

/** bwrap's path; throws SandboxUnavailableError naming the package when it is not installed. */
export function findBwrap(): string {
  if (bwrapPath) return bwrapPath;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir || '.', 'bwrap');
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) {
      return (bwrapPath = candidate);
    }
  }
  throw new SandboxUnavailableError({ reason: 'noBwrap' });
}

/** Why this machine cannot run a box (user namespaces off, seccomp of a container), or undefined. */
export function sandboxProbe(): string | undefined {
  const argv = dropRoot([
    findBwrap(),
    ...boxArgs({ dir: '/', readOnly: [], hide: [] }, DEFAULT_SANDBOX_LIMITS),
    '--',
    'true',
  ]);
  const probe = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (probe.status === 0) return undefined;
  return firstLine(probe.stderr) || (probe.error?.message ?? `exit ${probe.status}`);
}

const firstLine = (text: string | undefined) => (text ?? '').trim().split('\n')[0] ?? '';

/** The interfaces of this process's network namespace (from /proc/net/dev). */
export function networkInterfaces(): string[] {
  try {
    return readFileSync('/proc/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((line) => line.split(':')[0]!.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** True when this process's network namespace has no interface but `lo`. */
export function inLoopbackOnlyNetwork(): boolean {
  const names = networkInterfaces();
  return names.length > 0 && names.every((name) => name === 'lo');
}

/**
 * Runs this same command line again inside a loopback-only network namespace (bwrap
 * `--unshare-net` around the whole grading process, file system and rights unchanged), passes
 * signals on, and resolves with its exit code. Resolves undefined when this process already is
 * in one: the caller goes on grading. Throws SandboxUnavailableError when bwrap is missing or
 * cannot make namespaces here.
 */
export async function enterLoopbackNetwork(): Promise<number | undefined> {
  if (inLoopbackOnlyNetwork()) return undefined;
  if (process.env[NET_MARK]) {
    throw new SandboxUnavailableError({
      reason: 'stillNetworked',
      interfaces: networkInterfaces().join(', '),
    });
  }
  const bwrap = findBwrap();
  const why = sandboxProbe();
  if (why) {
    throw new SandboxUnavailableError({ reason: 'noNamespaces', why });
  }
  const args = [
    '--dev-bind',
    '/',
    '/',
    '--unshare-net',
    '--die-with-parent',
    // As root bwrap would drop the grader's capabilities; it needs them to run clients as nobody.
    ...(process.getuid?.() === 0 ? ['--cap-add', 'ALL'] : []),
    '--chdir',
    process.cwd(),
    '--',
    process.execPath,
    ...process.execArgv,
    ...process.argv.slice(1),
  ];
  const child = spawn(bwrap, args, { stdio: 'inherit', env: { ...process.env, [NET_MARK]: '1' } });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.once('error', () => resolve(70));
    child.once('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 70));
    });
  });
}

/** A boxed command: its argv and the descriptors it must get as fds 3, 4, … (then closed). */
export interface BoxedCommand {
  argv: string[];
  fds: number[];
  close(): void;
}

/**
 * The argv that runs `argv` boxed as described above. The caller runs it with the client's
 * environment (HOME set to SANDBOX_HOME), the student's folder as working directory and `fds`
 * as its descriptors 3, 4, …; it must already be in a loopback-only network namespace (the box
 * shares it). The files (the lab CA) are handed over as open descriptors, their content copied in:
 * the box's unprivileged user could not walk the grader's private folders to them. The student's
 * folder must be readable by that user (as unzipped folders are: 0755 and 0644).
 */
export function sandboxCommand(argv: readonly string[], plan: SandboxPlan): BoxedCommand {
  // The box shares this process's network: outside a loopback-only one it would reach the world.
  if (!inLoopbackOnlyNetwork()) {
    throw new SandboxUnavailableError({ reason: 'seesNetwork', interfaces: networkInterfaces().join(', ') });
  }
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...plan.limits };
  const fds: number[] = [];
  const close = () => {
    for (const fd of fds.splice(0)) closeSync(fd);
  };
  const dir = path.resolve(plan.dir);
  let folder: FolderCopy;
  try {
    const small = dir === '/' ? undefined : smallFolder(dir);
    if (small) {
      // Each file handed over open, written into the box by bwrap itself: no copy program runs.
      folder = {
        entries: small.map((e) => (e.kind === 'dir' ? e : { ...e, fd: fds.push(openSync(e.abs, 'r')) + 2 })),
      };
    } else {
      folder = { byCopy: dir !== '/' };
      if (dir !== '/') fds.push(openSync(dir, 'r'));
    }
    for (const file of plan.readOnly) fds.push(openSync(file, 'r'));
  } catch (err) {
    close();
    throw err;
  }
  const prlimit = [
    'prlimit',
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--data=${limits.memoryBytes}`,
    '--core=0',
    '--',
    ...argv,
  ];
  const inner =
    'byCopy' in folder && folder.byCopy
      ? [
          '/bin/sh',
          '-c',
          // A folder too big or too odd to hand over file by file: copied in, then the client.
          `cp -R --preserve=mode,timestamps ${ORIGINAL}/. "$1" 2>/dev/null || ` +
            `echo "smtp-lab sandbox: some files of $1 could not be copied into the box (not readable by others?)" >&2; ` +
            `shift; exec "$@"`,
          'smtp-lab-sandbox',
          dir,
          ...prlimit,
        ]
      : prlimit;
  return { argv: dropRoot([findBwrap(), ...boxArgs(plan, limits, folder), '--', ...inner]), fds, close };
}

/** How the student's folder gets into the box: file by file (small folders), or copied by `cp`. */
type FolderCopy =
  | { byCopy: boolean }
  | {
      entries: Array<{ kind: 'dir'; rel: string } | { kind: 'file'; rel: string; mode: number; fd: number }>;
    };

/** A folder handed over file by file: at most this many entries and bytes, regular files and folders only. */
const SMALL_FOLDER = { entries: 64, bytes: 8 * 1024 * 1024 };

/**
 * The entries of `dir` when it is small and plain (regular files and folders only, no links),
 * folders before their contents; undefined otherwise.
 */
function smallFolder(
  dir: string,
):
  Array<{ kind: 'dir'; rel: string } | { kind: 'file'; rel: string; abs: string; mode: number }> | undefined {
  const out: Array<{ kind: 'dir'; rel: string } | { kind: 'file'; rel: string; abs: string; mode: number }> =
    [];
  let bytes = 0;
  const walk = (rel: string): boolean => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const abs = path.join(dir, childRel);
      if (out.length >= SMALL_FOLDER.entries) return false;
      if (entry.isDirectory()) {
        out.push({ kind: 'dir', rel: childRel });
        if (!walk(childRel)) return false;
      } else if (entry.isFile()) {
        const stat = statSync(abs);
        bytes += stat.size;
        if (bytes > SMALL_FOLDER.bytes) return false;
        out.push({ kind: 'file', rel: childRel, abs, mode: stat.mode & 0o777 });
      } else {
        return false;
      }
    }
    return true;
  };
  try {
    return walk('') ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Where a file of SandboxPlan.readOnly is inside the box: the client's environment names this. */
export function boxPath(file: string): string {
  return path.posix.join(FILES, path.basename(file));
}

/** When the grader is root: run as nobody, so the limits and file permissions apply to the client. */
function dropRoot(argv: string[]): string[] {
  if (process.getuid?.() !== 0) return argv;
  return [
    'setpriv',
    `--reuid=${NOBODY}`,
    `--regid=${NOBODY}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--',
    ...argv,
  ];
}

/**
 * bwrap's options for `plan`. With `folder`, the folder's files (or the folder to copy) and then
 * the read-only files come as the descriptors 3, 4, … in that order; without, by path (the probe).
 */
function boxArgs(plan: SandboxPlan, limits: SandboxLimits, folder?: FolderCopy): string[] {
  const byFd = folder !== undefined;
  const dir = path.resolve(plan.dir);
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/sys',
    '--size',
    String(limits.diskBytes),
    '--tmpfs',
    '/tmp',
    '--size',
    String(limits.diskBytes),
    '--tmpfs',
    '/dev/shm',
  ];
  // The grader's own home when it is not root (root's is closed to nobody anyway).
  const hidden = new Set<string>(plan.hide.map((p) => path.resolve(p)));
  // Empty and read-only once the box's own mounts are placed inside them (see the end).
  const hiddenMounts = ['/sys', '/dev'];
  if (process.getuid?.() !== 0) hidden.add(os.homedir());
  for (const folder of [...hidden].sort()) {
    if (!existsSync(folder)) continue;
    if (folder === '/' || folder === '/tmp' || folder.startsWith('/tmp/') || folder.startsWith('/dev/')) {
      continue; // already fresh and empty
    }
    args.push('--tmpfs', folder);
    hiddenMounts.push(folder);
  }
  let fd = 3;
  if (dir !== '/') {
    args.push('--size', String(limits.diskBytes), '--tmpfs', dir);
    if (folder && 'entries' in folder) {
      for (const entry of folder.entries) {
        const dest = path.join(dir, entry.rel);
        if (entry.kind === 'dir') args.push('--dir', dest);
        else args.push('--perms', entry.mode.toString(8).padStart(4, '0'), '--file', String(fd++), dest);
      }
    } else {
      args.push(...(byFd ? ['--ro-bind-fd', String(fd++)] : ['--ro-bind', dir]), ORIGINAL);
    }
  }
  args.push('--dir', SANDBOX_HOME);
  for (const file of plan.readOnly) {
    // The content, copied in by bwrap from the open file: its folder may be closed to the box's user.
    args.push(...(byFd ? ['--ro-bind-data', String(fd++)] : ['--ro-bind', file]), boxPath(file));
  }
  for (const folder of hiddenMounts) args.push('--remount-ro', folder);
  args.push(
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'sandbox',
    '--new-session',
    '--die-with-parent',
    '--chdir',
    dir,
  );
  return args;
}
