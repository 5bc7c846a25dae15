import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import type { Argv } from 'yargs';
import { parseLang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { splitCommand } from '../grader/batch.js';
import { UsageError } from '../protocol/errors.js';
import { resolveScenario, scenarioErrorText } from '../scenarios/load.js';

/**
 * `smtp-lab autograder`: the Gradescope autograder zip in one command. The zip holds setup.sh and
 * run_autograder at its root (made from the options), the scenario files that are not built in,
 * and this very smtp-lab as the tarball `npm pack` makes of it, so the image never asks a
 * registry for smtp-lab by name. Zipped with fflate: a well-kept, dependency-free zip writer that
 * sets Unix modes (the scripts stay executable) and works in memory, no `zip` program needed.
 */

export function autograderOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.autograder.usage'))
    .option('scenario', {
      alias: 's',
      type: 'string',
      array: true,
      demandOption: true,
      describe: m.t('cli.autograder.opt.scenario'),
    })
    .option('command', {
      alias: 'c',
      type: 'string',
      demandOption: true,
      describe: m.t('cli.autograder.opt.command'),
    })
    .option('timeout', {
      alias: 't',
      type: 'number',
      default: 20,
      describe: m.t('cli.autograder.opt.timeout'),
    })
    .option('require', {
      type: 'string',
      array: true,
      describe: m.t('cli.autograder.opt.require'),
    })
    .option('lang', {
      type: 'string',
      describe: m.t('cli.autograder.opt.lang'),
    })
    .option('sandbox', {
      type: 'boolean',
      default: true,
      describe: m.t('cli.autograder.opt.sandbox'),
    })
    .option('strict', { type: 'boolean', default: false, describe: m.t('cli.autograder.opt.strict') })
    .option('out', {
      alias: 'o',
      type: 'string',
      default: 'autograder.zip',
      describe: m.t('cli.autograder.opt.out'),
    })
    .example(
      "$0 autograder -s basic -s starttls -s auth-login -c 'python3 smtp_client.py' -o autograder.zip",
      m.t('cli.autograder.example.1'),
    )
    .example(
      "$0 autograder -s basic -c 'java SmtpClient.java' --lang zh-CN",
      m.t('cli.autograder.example.2'),
    );
}

type Args = Awaited<ReturnType<typeof autograderOptions>['argv']>;

/** What run_autograder and setup.sh are made from. */
export interface AutograderConfig {
  /** Built-in ids as they are; files as their name inside the zip (`scenarios/<name>`). */
  scenarios: string[];
  command: string[];
  require: string[];
  timeout: number;
  lang?: string;
  sandbox: boolean;
  strict: boolean;
}

/** The example checked in as docs/gradescope/ (scripts/gen-gradescope.mjs writes it; a test compares). */
export const DOCS_EXAMPLE: AutograderConfig = {
  scenarios: ['basic', 'fragmented-replies', 'multiline-ehlo', 'starttls', 'auth-login'],
  command: ['python3', 'smtp_client.py'],
  require: ['smtp_client.py'],
  timeout: 20,
  sandbox: true,
  strict: false,
};

export async function autograder(args: Args): Promise<void> {
  const m = messages(parseLang(args.lang ?? 'en') ?? 'en');
  const usage = (message: string) => {
    process.stderr.write(`${m.t('cli.commandError', { command: 'autograder', message })}\n`);
    process.exitCode = 2;
  };
  if (!Number.isFinite(args.timeout) || args.timeout <= 0) return usage(m.t('cli.usage.timeout'));
  let command: string[];
  try {
    command = splitCommand(args.command, m);
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    throw err;
  }
  if (command.some((arg) => arg.includes('{dir}'))) {
    return usage(m.t('cli.autograder.noDir', { dir: '{dir}' }));
  }
  if (args.lang !== undefined && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(args.lang)) {
    return usage(m.t('cli.autograder.lang', { value: args.lang }));
  }
  const files: Zippable = {};
  const scenarios: string[] = [];
  for (const id of args.scenario) {
    try {
      await resolveScenario(id);
    } catch (err) {
      return usage(scenarioErrorText(err as Error, m.lang));
    }
    if (existsSync(id) && statSync(id).isFile()) {
      const name = `scenarios/${path.basename(id)}`;
      if (files[name]) return usage(m.t('cli.autograder.sameName', { name: path.basename(id) }));
      files[name] = [await readFile(id), { attrs: 0o100644 << 16, os: 3 }];
      scenarios.push(name);
    } else {
      scenarios.push(id);
    }
  }
  const root = packageRoot();
  const config: AutograderConfig = {
    scenarios,
    command,
    require: args.require ?? requiredFiles(command),
    timeout: args.timeout,
    sandbox: args.sandbox,
    strict: args.strict,
    ...(args.lang ? { lang: args.lang } : {}),
  };
  let tarball: { name: string; bytes: Buffer };
  try {
    tarball = await packSelf(root);
  } catch (err) {
    process.stderr.write(`${m.t('cli.autograder.pack', { message: (err as Error).message })}\n`);
    process.exitCode = 1;
    return;
  }
  const exec = { attrs: 0o100755 << 16, os: 3 };
  files['setup.sh'] = [Buffer.from(setupScript(config)), exec];
  files['run_autograder'] = [Buffer.from(runAutograderScript(config)), exec];
  files[tarball.name] = [tarball.bytes, { attrs: 0o100644 << 16, os: 3, level: 0 }];
  await writeFile(args.out, zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }));
  const contents = { out: args.out, tarball: tarball.name };
  process.stdout.write(
    `${m.t(scenarios.some((s) => s.startsWith('scenarios/')) ? 'cli.autograder.writtenWithScenarios' : 'cli.autograder.written', contents)}\n`,
  );
  process.exitCode = 0;
}

/** The command's arguments that name a file of the submission (`smtp_client.py`, `lib/x.jar`). */
export function requiredFiles(command: readonly string[]): string[] {
  return command
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && !arg.includes('{') && /^[\w./-]+\.[A-Za-z0-9]{1,6}$/.test(arg))
    .filter((arg) => !path.isAbsolute(arg));
}

/** The folder of the running smtp-lab's package.json (a checkout or an installed package). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'smtp-lab'
    ) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the smtp-lab package folder');
    dir = up;
  }
}

/**
 * The running smtp-lab as `npm pack` makes it. Scripts are not run: what runs now (its dist/) is
 * what gets packed, from a checkout as from an installed package with no source tree.
 */
async function packSelf(root: string): Promise<{ name: string; bytes: Buffer }> {
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
    throw new Error(`${root} has no dist/: run npm run build first`);
  }
  const dest = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-pack-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    if (run.status !== 0) {
      throw new Error(
        run.error?.message ?? (run.stderr.trim().split('\n').pop() || `npm exit ${run.status}`),
      );
    }
    const [info] = JSON.parse(run.stdout) as Array<{ filename: string }>;
    const name = path.basename(info!.filename);
    return { name, bytes: await readFile(path.join(dest, name)) };
  } finally {
    await rm(dest, { recursive: true, force: true });
  }
}

/** A bash word: single-quoted where needed. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Debian packages for the command's program, checked with `command -v` in setup.sh. */
function peers(config: AutograderConfig): Array<{ program: string; pkg: string }> {
  const program = path.basename(config.command[0] ?? '');
  const list: Array<{ program: string; pkg: string }> = [];
  if (/^python3?(\.\d+)?$/.test(program)) list.push({ program: 'python3', pkg: 'python3' });
  if (/^(java|javac|mvn|gradle)$/.test(program)) {
    list.push(
      { program: 'java', pkg: 'default-jdk-headless' },
      { program: 'keytool', pkg: 'default-jdk-headless' },
    );
  }
  if (program === 'perl') list.push({ program: 'perl', pkg: 'perl' });
  if (program === 'ruby') list.push({ program: 'ruby', pkg: 'ruby' });
  if (program === 'php') list.push({ program: 'php', pkg: 'php-cli' });
  if (program === 'go') list.push({ program: 'go', pkg: 'golang-go' });
  if (config.sandbox) list.push({ program: 'bwrap', pkg: 'bubblewrap' });
  return list;
}

/** setup.sh: installs what the image lacks, and only that; smtp-lab from the tarball in the zip. */
export function setupScript(config: AutograderConfig): string {
  const checks = peers(config)
    .map(({ program, pkg }) => `command -v ${program} >/dev/null || packages+=(${pkg})`)
    .join('\n');
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image. Made by
# \`smtp-lab autograder\`. It installs only what the image lacks, then smtp-lab from the tarball
# next to this file (smtp-lab-*.tgz, as \`npm pack\` makes it): never by name from a registry.
set -euo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
SOURCE="\${AUTOGRADER_SOURCE:-$ROOT/source}"

packages=()
${checks}
need_node=no
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  need_node=yes
  command -v curl >/dev/null || packages+=(curl ca-certificates)
fi
if [ \${#packages[@]} -gt 0 ] || [ "$need_node" = yes ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
fi
if [ \${#packages[@]} -gt 0 ]; then
  echo "=== installing Debian packages: \${packages[*]}"
  apt-get install -y -qq --no-install-recommends "\${packages[@]}"
fi
if [ "$need_node" = yes ]; then
  # Node 20 from NodeSource (the images' own nodejs is older).
  echo "=== installing Node 20"
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -qq nodejs
fi

tarball=$(ls "$SOURCE"/smtp-lab-*.tgz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
  echo "setup.sh: no smtp-lab-*.tgz in $SOURCE: rebuild the zip with smtp-lab autograder" >&2
  exit 1
fi
echo "=== installing $(basename "$tarball")"
npm install -g --no-audit --no-fund "$tarball"
smtp-lab --version
`;
}

/** run_autograder: the one in docs/gradescope/, made from the options. */
export function runAutograderScript(config: AutograderConfig): string {
  const scenarioWords = config.scenarios
    .map((s) => (s.startsWith('scenarios/') ? `"$SOURCE/${s}"` : sh(s)))
    .join(' ');
  return `#!/usr/bin/env bash
# Gradescope runs this once per submission, as root, in a fresh container: the student's files are
# in /autograder/submission, the score goes to /autograder/results/results.json, and what this
# prints is shown to instructors only. Made by \`smtp-lab autograder\`.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
SOURCE="\${AUTOGRADER_SOURCE:-$ROOT/source}"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results/results.json"

SCENARIOS=(${scenarioWords})
COMMAND=(${config.command.map(sh).join(' ')})
REQUIRED=(${config.require.map(sh).join(' ')})
TIMEOUT=${config.timeout}
# yes: always sandboxed (bubblewrap); auto: sandboxed where the image allows it; no: never.
SANDBOX=${config.sandbox ? 'auto' : 'no'}
${config.lang ? `export SMTP_LAB_LANG=${sh(config.lang)}\n` : ''}
mkdir -p "$(dirname "$RESULTS")"
# result SCORE TEXT: a results.json with only a score and a message (written by Node, which
# setup.sh installed: the image may have no Python).
result() {
  node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ score: Number(process.argv[2]), output: process.argv[3] }, null, 2) + "\\n")' \\
    "$RESULTS" "$1" "$2"
}

echo "smtp-lab $(smtp-lab --version 2>/dev/null || echo '(not installed: did setup.sh run?)')"
echo "command: \${COMMAND[*]}   scenarios: \${SCENARIOS[*]}   timeout: \${TIMEOUT} s"

# A submission without its files gets a clear message instead of a page of failed checks.
missing=()
for file in "\${REQUIRED[@]}"; do [ -e "$SUBMISSION/$file" ] || missing+=("$file"); done
if [ \${#missing[@]} -gt 0 ]; then
  found=$(cd "$SUBMISSION" 2>/dev/null && find . -type f | head -n 20 | sed 's|^\\./||' | paste -sd ',' - | sed 's/,/, /g')
  message="\${missing[*]} was not found in your submission (found: \${found:-nothing}). Upload \${missing[*]} at the top level of your submission and resubmit."
  result 0 "$message"
  echo "missing: \${missing[*]} (found: \${found:-nothing})"
  exit 0
fi

args=()
for scenario in "\${SCENARIOS[@]}"; do args+=(--scenario "$scenario"); done
${config.strict ? 'args+=(--strict)\n' : ''}log=$(mktemp)
trap 'rm -f "$log"' EXIT
grade() {
  (cd "$SUBMISSION" && smtp-lab grade "\${args[@]}" --timeout "$TIMEOUT" "$@" --format gradescope \\
    --out "$RESULTS" -- "\${COMMAND[@]}") 2>"$log"
}
status=0
if [ "$SANDBOX" = no ]; then
  echo "sandbox: off"
  grade || status=$?
else
  grade --sandbox || status=$?
  if [ "$status" -eq 2 ] && [ "$SANDBOX" = auto ] && grep -q 'bubblewrap' "$log"; then
    echo "sandbox: not available on this image, graded without it: $(head -n 1 "$log")"
    status=0
    grade || status=$?
  else
    echo "sandbox: on (bubblewrap, loopback-only network)"
  fi
fi
cat "$log"

# 0: every check passed; 1: some failed (that is a score, and results.json holds it). Anything
# else is a failure of the autograder itself, not of the student: written as such.
if [ "$status" -ge 2 ] || [ ! -s "$RESULTS" ]; then
  result 0 "The autograder itself failed (smtp-lab exit $status), not your submission: $(tail -n 3 "$log" | tr '\\n' ' ')Please tell your instructor."
  echo "smtp-lab failed: exit $status"
  exit 0
fi
# For the instructor: each scenario's score and how the client ended, then each check.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(\`score \${r.score}\`);
  console.log(r.output);
  for (const t of r.tests || []) console.log(\`  \${t.status === "passed" ? "ok  " : "FAIL"} \${t.score}/\${t.max_score}  \${t.name}\`);
' "$RESULTS"
exit 0
`;
}
