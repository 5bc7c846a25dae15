import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSubmissions } from '../../src/grader/batch.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  networkInterfaces,
  sandboxCommand,
  SandboxUnavailableError,
} from '../../src/grader/sandbox.js';
import { messages } from '../../src/i18n/messages.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import { CLASS_SCENARIO, GOOD, runCli, writeClass } from './class.js';

/**
 * grade-all --sandbox with a class where each hostile student tries one escape, next to a
 * correct one. Each escape is judged from outside the box (files on disk, processes alive) and
 * from what the student printed; the correct student still gets full marks.
 */

const hasBwrap = spawnSync('bwrap', ['--version']).status === 0;
const MARKER = 'SIBLING-SECRET-7f3a';
const DAEMON_ARG = '97.531';

/** Every process whose command line holds `arg` (a process the box should have taken with it). */
function processesWith(arg: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(arg)) found.push(`${pid}: ${cmd.join(' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe.skipIf(!hasBwrap)('grade-all --sandbox', () => {
  let root: string;
  let classDir: string;
  let out: string;
  let outside: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  const report = async (name: string) =>
    JSON.parse(await readFile(path.join(out, 'students', name, 'report.json'), 'utf8'))[0];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-sandbox-test-'));
    await chmod(root, 0o755);
    classDir = path.join(root, 'class');
    out = path.join(root, 'grades');
    outside = path.join(root, 'outside.txt');
    const students: Record<string, string | null> = {
      good: GOOD,
      'zz-secret': null,
      'write-outside': `import os
for t in [${JSON.stringify(outside)}, ${JSON.stringify(path.join(classDir, 'zz-secret', 'pwned'))},
          ${JSON.stringify(path.join(classDir, 'pwned'))}, "/etc/pwned", "/usr/pwned", "/dev/pwned"]:
    try:
        open(t, "w").write("x")
        print("WROTE", t)
    except OSError as e:
        print("BLOCKED", t, e.errno)
open("mine.txt", "w").write("my own folder is writable")
print("OWN-OK", open("mine.txt").read())
`,
      'read-sibling': `import os
for t in ["../zz-secret/notes.txt", ${JSON.stringify(path.join(classDir, 'zz-secret', 'notes.txt'))},
          ${JSON.stringify(path.join(out, 'scores.csv'))}]:
    try:
        print("READ", t, open(t).read())
    except OSError as e:
        print("BLOCKED", t, e.errno)
print("PARENT", sorted(os.listdir("..")))
print("SHM", sorted(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else [])
print("TMP", sorted(os.listdir("/tmp")))
`,
      network: `import os, socket
print("IFACES", sorted(name for _, name in socket.if_nameindex()))
try:
    print("SYSNET", sorted(os.listdir("/sys/class/net")))
except OSError as e:
    print("SYSNET", [])
print("PROCNET", sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").readlines()[2:]))
`,
      daemon: `import os, subprocess
subprocess.Popen(["setsid", "sh", "-c", "sleep ${DAEMON_ARG} & exit 0"])
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "${DAEMON_ARG}"])
    os._exit(0)
print("DAEMONS-STARTED")
`,
      forkbomb: `import os, time
n = 0
try:
    while n < 10000:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        n += 1
    print("FORKED", n)
except OSError as e:
    print("FORK-STOPPED", n, e.errno)
`,
      'fill-disk': `chunk = b"x" * (1 << 20)
n = 0
try:
    with open("big", "wb") as f:
        while n < 4096:
            f.write(chunk)
            f.flush()
            n += 1
    print("FILE-NOT-STOPPED", n)
except OSError as e:
    print("FILE-STOPPED", n, e.errno)
total = 0
try:
    for i in range(4096):
        with open("f%d" % i, "wb") as f:
            for _ in range(16):
                f.write(chunk)
                f.flush()
                total += 1
    print("DISK-NOT-STOPPED", total)
except OSError as e:
    print("DISK-STOPPED", total, e.errno)
`,
      gigabyte: `import sys
chunk = b"x" * (1 << 20)
for _ in range(1024):
    sys.stdout.buffer.write(chunk)
print("PRINTED-ALL")
`,
    };
    // More files than are handed over one by one: the box copies this folder in with cp.
    students['many-files'] =
      `import os\nprint("FILES", len(os.listdir("data")))\nopen("data/new", "w").write("x")\n` + GOOD;
    await writeClass(classDir, students);
    await mkdir(path.join(classDir, 'many-files', 'data'), { mode: 0o755 });
    for (let i = 0; i < 70; i++) {
      await writeFile(path.join(classDir, 'many-files', 'data', `f${i}.txt`), `${i}`, { mode: 0o644 });
    }
    await writeFile(path.join(classDir, 'zz-secret', 'notes.txt'), MARKER, { mode: 0o644 });
    await writeFile(path.join(root, 'class-basic.yaml'), CLASS_SCENARIO);
    result = await runCli([
      'grade-all',
      '--sandbox',
      '--submissions',
      classDir,
      '--command',
      'python3 {dir}/smtp_client.py',
      '--scenario',
      path.join(root, 'class-basic.yaml'),
      '--jobs',
      '2',
      '--timeout',
      '15',
      '--out-dir',
      out,
      '--format',
      'text',
    ]);
  }, 120_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('grades the correct submission next to the hostile ones with full marks, sandboxed', async () => {
    expect(result.stderr).not.toMatch(/failed:|Error/);
    expect(result.status).toBe(0);
    const good = await report('good');
    expect(good.client.sandboxed).toBe(true);
    expect(good.score).toBe(5);
    expect(good.maxScore).toBe(5);
    expect(await readFile(path.join(out, 'students', 'good', 'report.txt'), 'utf8')).toContain('sandboxed');
    expect(result.stdout).toContain('every client ran sandboxed');
  });

  it('copies a folder with many files in, writable, and grades it the same', async () => {
    const many = await report('many-files');
    expect(many.client.stdout).toContain('FILES 70');
    expect(many.client.stderr).toBe('');
    expect(many.score).toBe(5);
    expect((await readdir(path.join(classDir, 'many-files', 'data'))).length).toBe(70);
  });

  it('stops writes outside its own folder, which it gets as a private copy', async () => {
    const { client } = await report('write-outside');
    expect(client.exitCode).toBe(0);
    // Inside the box /tmp and the hidden class folder are its own (empty) file systems: what
    // counts is that nothing reached the disk outside, and that system folders refuse writes.
    expect(client.stdout).toMatch(/^BLOCKED \/etc\/pwned 30$/m);
    expect(client.stdout).toMatch(/^BLOCKED \/usr\/pwned 30$/m);
    expect(client.stdout).toMatch(/^BLOCKED \/dev\/pwned 30$/m);
    expect(client.stdout).toContain('OWN-OK my own folder is writable');
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(path.join(classDir, 'zz-secret', 'pwned'))).toBe(false);
    expect(existsSync(path.join(classDir, 'pwned'))).toBe(false);
    // The submission on disk is unchanged: the box wrote to its copy.
    expect(await readdir(path.join(classDir, 'write-outside'))).toEqual(['smtp_client.py']);
  });

  it("hides the other students, the out-dir and the grader's scratch space", async () => {
    const { client } = await report('read-sibling');
    expect(client.stdout).not.toContain(MARKER);
    expect(client.stdout).not.toMatch(/^READ /m);
    expect(client.stdout).toContain("PARENT ['read-sibling']");
    expect(client.stdout).toContain('SHM []');
    // /tmp holds the box's own things and the path down to its folder, nothing of the grader's.
    const top = path.relative('/tmp', root).split('/')[0]!;
    expect(client.stdout).toContain(`TMP ['.lab', 'home', '${top}']`);
  });

  it('sees no network interface but loopback', async () => {
    // The test could not fail on a machine with only loopback: this one has more.
    expect(networkInterfaces().filter((n) => n !== 'lo').length).toBeGreaterThan(0);
    const { client } = await report('network');
    expect(client.stdout).toContain("IFACES ['lo']");
    expect(client.stdout).toContain('SYSNET []');
    expect(client.stdout).toContain("PROCNET ['lo']");
  });

  it('takes every process the client started with it, setsid and double fork included', async () => {
    const { client } = await report('daemon');
    expect(client.stdout).toContain('DAEMONS-STARTED');
    expect(processesWith(DAEMON_ARG)).toEqual([]);
  });

  it('bounds a fork bomb by the process limit', async () => {
    const { client } = await report('forkbomb');
    const m = /FORK-STOPPED (\d+) 11/.exec(client.stdout);
    expect(m, client.stdout + client.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(DEFAULT_SANDBOX_LIMITS.processes);
    // Its children (python forks, sleeping 30 s) went with it.
    expect(processesWith(path.join(classDir, 'forkbomb', 'smtp_client.py'))).toEqual([]);
  });

  it('bounds file size and disk use', async () => {
    const { client } = await report('fill-disk');
    const file = /FILE-STOPPED (\d+) (\d+)/.exec(client.stdout);
    expect(file, client.stdout + client.stderr).not.toBeNull();
    expect(Number(file![1])).toBeLessThanOrEqual(DEFAULT_SANDBOX_LIMITS.fileSizeBytes / (1 << 20));
    expect(Number(file![2])).toBe(27); // EFBIG
    const disk = /DISK-STOPPED (\d+) (\d+)/.exec(client.stdout);
    expect(disk, client.stdout).not.toBeNull();
    expect(Number(disk![1])).toBeLessThanOrEqual(DEFAULT_SANDBOX_LIMITS.diskBytes / (1 << 20));
    expect(Number(disk![2])).toBe(28); // ENOSPC
    expect(await readdir(path.join(classDir, 'fill-disk'))).toEqual(['smtp_client.py']);
  });

  it('kills a client that prints a gigabyte once it passes the output limit', async () => {
    const { client } = await report('gigabyte');
    expect(client.flooded).toMatch(/printed more than 16 MiB/);
    expect(client.stdout).not.toContain('PRINTED-ALL');
    expect(client.timedOut).toBe(false);
    const batch = JSON.parse(await readFile(path.join(out, 'batch.json'), 'utf8'));
    // It never connected: that is its status, and the kill is named in it.
    const gigabyte = batch.students.find((s: { student: string }) => s.student === 'gigabyte');
    expect(gigabyte.status).toBe('no-connection');
    expect(gigabyte.statusText).toMatch(/ before connecting \(killed: printed more than 16 MiB\)$/);
    expect(batch.options.sandbox).toBe(true);
  });
});

describe.skipIf(!hasBwrap)('grade --sandbox', () => {
  it('reports a program that cannot be started in the box as not started, like outside it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-sandbox-nostart-'));
    try {
      await chmod(dir, 0o755);
      const run = await runCli(
        ['grade', '--sandbox', '-s', 'basic', '-f', 'json', '--', 'no-such-python3', 'x.py'],
        {
          cwd: dir,
        },
      );
      expect(run.status, run.stderr).toBe(1);
      const [report] = JSON.parse(run.stdout);
      expect(report.client.sandboxed).toBe(true);
      expect(report.client.startError).toBe(
        'could not start no-such-python3: no such program (not on PATH) ' +
          '(prlimit: failed to execute no-such-python3: No such file or directory)',
      );
      expect(report.diagnosis?.kind).toBe('not-started');
      expect(report.client.stderr).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasBwrap)('the sandbox as a library', () => {
  it('refuses to box a client outside a loopback-only network namespace (it would reach the world)', async () => {
    // This test process is on the machine's network.
    expect(networkInterfaces().some((n) => n !== 'lo')).toBe(true);
    await expect(
      gradeSubmissions({
        submissions: os.tmpdir(),
        command: 'python3 {dir}/x.py',
        scenarios: [await resolveScenario('basic')],
        outDir: path.join(os.tmpdir(), 'never-written'),
        sandbox: true,
      }),
    ).rejects.toThrow(/loopback-only network namespace/);
    expect(() => sandboxCommand(['true'], { dir: os.tmpdir(), readOnly: [], hide: [] })).toThrow(
      SandboxUnavailableError,
    );
  });
});

describe('--sandbox without bubblewrap', () => {
  it('fails with one line naming the package, exit 2', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-nobwrap-'));
    try {
      const run = await runCli(['grade', '--sandbox', '-s', 'basic', '--', 'python3', 'x.py'], {
        env: { PATH: empty, NO_COLOR: '1' },
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        "smtp-lab grade: --sandbox needs bubblewrap (bwrap), which is not installed: install the Debian/Ubuntu package 'bubblewrap' (apt-get install bubblewrap), or grade without --sandbox\n",
      );
      // The same line in zh-CN: the CLI's prefix and the reason in Chinese, the package name as typed.
      const zh = await runCli(
        ['grade', '--lang', 'zh-CN', '--sandbox', '-s', 'basic', '--', 'python3', 'x.py'],
        {
          env: { PATH: empty, NO_COLOR: '1' },
        },
      );
      expect(zh.status).toBe(2);
      expect(zh.stderr).toMatch(
        /^smtp-lab grade：--sandbox 需要 bubblewrap（bwrap），但它没有安装：.*apt-get install bubblewrap/,
      );
      expect(zh.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('why the sandbox is unavailable, in each language', () => {
  it.each([
    [{ reason: 'noBwrap' }, /^--sandbox needs bubblewrap/, /^--sandbox 需要 bubblewrap/],
    [
      { reason: 'noNamespaces', why: 'EPERM' },
      /namespaces on this machine \(EPERM\)/,
      /创建命名空间（EPERM）/,
    ],
    [{ reason: 'stillNetworked', interfaces: 'lo, eth0' }, /still has lo, eth0$/, /仍有 lo, eth0$/],
    [
      { reason: 'seesNetwork', interfaces: 'lo, eth0' },
      /^a sandboxed client would see the network \(lo, eth0\)/,
      /^沙箱中的客户端会看到网络（lo, eth0）/,
    ],
  ] as const)('%o', (problem, en, zh) => {
    const error = new SandboxUnavailableError(problem);
    // The library's message is English (logs, --json); the CLI renders it in its language.
    expect(error.message).toMatch(en);
    expect(error.text(messages('en'))).toBe(error.message);
    expect(error.text(messages('zh-CN'))).toMatch(zh);
    expect(error.code).toBe('ERR_SANDBOX_UNAVAILABLE');
  });
});
