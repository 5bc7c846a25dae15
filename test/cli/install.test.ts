import { execFile, spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The instructor's and the student's path outside the clone: a fresh `git clone` of this
 * repository, packed with `npm pack` and installed with a prefix, runs from an unrelated folder;
 * the Gradescope zip that installed smtp-lab builds (packing itself from an installed package,
 * no source tree) is set up and run in a simulated /autograder tree. One clone, one tarball and
 * one install serve every test here. The clone is of the last commit: uncommitted work is not in it.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORRECT = path.join(ROOT, 'test/fixtures/clients/correct_client.py');
const hasBwrap = spawnSync('bwrap', ['--version']).status === 0;

let tmp: string;
let prefix: string;
let env: NodeJS.ProcessEnv;
let tarball: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-install-test-'));
  await chmod(tmp, 0o755);
  const clone = path.join(tmp, 'clone');
  await run('git', ['clone', '--quiet', ROOT, clone]);
  // `npm install` in the clone would fetch the same packages again: the checkout's are used.
  await symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: clone,
    maxBuffer: 16 * 1024 * 1024,
  });
  tarball = path.join(tmp, JSON.parse(packed.stdout)[0].filename);
  prefix = path.join(tmp, 'prefix');
  await run('npm', [
    'install',
    '-g',
    '--prefix',
    prefix,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    tarball,
  ]);
  env = {
    PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: tmp,
    // The machine's npm cache: smtp-lab's dependencies come from there rather than the network.
    npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), '.npm'),
    npm_config_prefer_offline: 'true',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
}, 240_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs a program with the test's PATH (the installed smtp-lab first); never rejects. */
function sh(
  program: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ status: number; stdout: string; stderr: string }> {
  return run(program, args, { cwd: options.cwd, env: options.env ?? env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      status: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }),
  );
}

describe('smtp-lab installed from a fresh clone', () => {
  it("runs as `smtp-lab` from a student's own folder, far from the clone", async () => {
    const student = path.join(tmp, 'student');
    await mkdir(student);
    await copyFile(CORRECT, path.join(student, 'smtp_client.py'));
    const help = await sh('smtp-lab', ['--help'], { cwd: student });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('grade-all');
    const graded = await sh('smtp-lab', ['grade', '-s', 'basic', '--', 'python3', 'smtp_client.py'], {
      cwd: student,
    });
    expect(graded.status, graded.stderr).toBe(0);
    const [, got, max] = /score (\d+)\/(\d+)/.exec(graded.stdout) ?? [];
    expect(Number(max)).toBeGreaterThan(0);
    expect(got).toBe(max);
    // It is the installed copy that ran, not the clone's.
    const which = await sh('sh', ['-c', 'command -v smtp-lab'], { cwd: student });
    expect(which.stdout.trim()).toBe(path.join(prefix, 'bin', 'smtp-lab'));
  });
});

describe('smtp-lab autograder', () => {
  let source: string;
  let ag: string;

  beforeAll(async () => {
    // Built by the installed package: it packs itself from its install folder.
    const zip = path.join(tmp, 'autograder.zip');
    const built = await sh(
      'smtp-lab',
      ['autograder', '-s', 'basic', '-s', 'starttls', '-c', 'python3 smtp_client.py', '-o', zip],
      { cwd: tmp },
    );
    expect(built.status, built.stderr).toBe(0);
    ag = path.join(tmp, 'autograder');
    source = path.join(ag, 'source');
    await mkdir(source, { recursive: true });
    // Unpacked as Gradescope does, modes kept (unzip is not needed on the test machine).
    const files = unzipSync(await readFile(zip));
    expect(Object.keys(files).sort()).toEqual(['run_autograder', 'setup.sh', path.basename(tarball)]);
    const py = spawnSync('python3', [
      '-c',
      'import sys, zipfile, os\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n    z.extract(i, sys.argv[2])\n    os.chmod(os.path.join(sys.argv[2], i.filename), i.external_attr >> 16 & 0o777)\n',
      zip,
      source,
    ]);
    expect(py.status, String(py.stderr)).toBe(0);
    // The tarball is a packed smtp-lab with its built CLI (what ran, not a source tree).
    const tar = Buffer.from(gunzipSync(files[path.basename(tarball)]!));
    expect(tar.includes('package/dist/cli/autograder.js')).toBe(true);
    expect(tar.includes('package/src/')).toBe(false);
    const setup = await sh(path.join(source, 'setup.sh'), [], {
      cwd: source,
      env: { ...env, AUTOGRADER_ROOT: ag, npm_config_prefix: path.join(tmp, 'ag-prefix') },
    });
    expect(setup.status, setup.stderr).toBe(0);
    // Everything the image needs is on this machine: nothing from apt, no Node download.
    expect(setup.stdout).not.toMatch(/installing Debian packages|installing Node/);
    expect(setup.stdout).toContain(`installing ${path.basename(tarball)}`);
  }, 180_000);

  const grade = async (files: string[]) => {
    const submission = path.join(ag, 'submission');
    await rm(submission, { recursive: true, force: true });
    await rm(path.join(ag, 'results'), { recursive: true, force: true });
    await mkdir(submission, { recursive: true });
    await chmod(submission, 0o755);
    for (const f of files) await copyFile(CORRECT, path.join(submission, f));
    const agEnv = {
      ...env,
      AUTOGRADER_ROOT: ag,
      PATH: `${path.join(tmp, 'ag-prefix', 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    };
    const out = await sh(path.join(source, 'run_autograder'), [], { cwd: ag, env: agEnv });
    const results = JSON.parse(await readFile(path.join(ag, 'results', 'results.json'), 'utf8'));
    return { out, results };
  };

  it('grades a correct submission with full marks, sandboxed where the machine allows it', async () => {
    const { out, results } = await grade(['smtp_client.py']);
    expect(out.status).toBe(0);
    const max = results.tests.reduce((sum: number, t: { max_score: number }) => sum + t.max_score, 0);
    expect(max).toBeGreaterThan(0);
    expect(results.score).toBe(max);
    expect(results.tests.every((t: { status: string }) => t.status === 'passed')).toBe(true);
    // What the instructor sees: the scenarios, each check, the sandbox.
    expect(out.stdout).toMatch(/^\*\*basic\*\*: (\d+)\/\1 /m);
    expect(out.stdout).toMatch(/^\*\*starttls\*\*: (\d+)\/\1 /m);
    expect(out.stdout).toMatch(hasBwrap ? /sandbox: on/ : /sandbox: not available/);
    // The students' own results.json says so too.
    if (hasBwrap) expect(results.output).toContain('(exit 0, sandboxed)');
    expect(await readdir(path.join(ag, 'results'))).toEqual(['results.json']);
  }, 60_000);

  it('tells a student who uploaded the wrong file what is missing and what was found', async () => {
    const { out, results } = await grade(['client.py']);
    expect(out.status).toBe(0);
    expect(results).toEqual({
      score: 0,
      output:
        'smtp_client.py was not found in your submission (found: client.py). Upload smtp_client.py at the top level of your submission and resubmit.',
    });
  }, 30_000);

  it('writes a failure of smtp-lab itself as such, promising nobody anything', async () => {
    const broken = path.join(tmp, 'broken-bin');
    await mkdir(broken, { recursive: true });
    // An smtp-lab that dies the way a bug of ours does (exit 70).
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        path.join(broken, 'smtp-lab'),
        '#!/bin/sh\necho "smtp-lab: TypeError: boom" >&2\nexit 70\n',
        {
          mode: 0o755,
        },
      ),
    );
    const submission = path.join(ag, 'submission');
    await rm(submission, { recursive: true, force: true });
    await mkdir(submission, { recursive: true });
    await copyFile(CORRECT, path.join(submission, 'smtp_client.py'));
    const out = await sh(path.join(source, 'run_autograder'), [], {
      cwd: ag,
      env: { ...env, AUTOGRADER_ROOT: ag, PATH: `${broken}:${path.dirname(process.execPath)}:/usr/bin:/bin` },
    });
    expect(out.status).toBe(0);
    const results = JSON.parse(await readFile(path.join(ag, 'results', 'results.json'), 'utf8'));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/^The autograder itself failed \(smtp-lab exit 70\), not your submission/);
    expect(results.output).toContain('TypeError: boom');
    expect(results.output).not.toMatch(/notified/);
  }, 30_000);
});
