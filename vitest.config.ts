import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three projects. `unit`: pure code (protocol, transcript, MIME, checks, loaders, fault engine,
 * rule book, personas) — no process, no socket; test/setup/no-io.ts makes both throw.
 * `integration`: real sockets, real peers (python3, swaks, java, the CLI). `install`: the
 * fresh-clone install, apart. A test file is `unit` only when a glob below names it, file by
 * file; a new file nobody classified lands in `integration`, the safe default, even in a folder
 * of unit files.
 *
 *   npm test              unit and integration (after a build: integration runs bin/ and dist/)
 *   npm run test:unit     unit only, seconds; `npm run test:watch` re-runs it on every save
 *   npm run test:install  the fresh-clone install (`install`, below); .ci/run runs it after npm test
 */
// Pure but heavy, so left to integration by not being named: test/client/mime/memory.test.ts
// (a 25 MB attachment, heap measured) and test/scenarios/bounds.test.ts (tens of thousands of
// YAML aliases and keys) and test/protocol/codes-i18n.test.ts (hashes every code, combination
// and context: about 1.3 s alone, a quarter of the unit run) and test/tooling/layers.test.ts
// (dependency-cruiser over src/: not what a save needs re-checked).
export const unitFiles = [
  'test/protocol/{codes,command,reply}.test.ts',
  'test/transcript/{bounded,framer,jsonl,redact,render}.test.ts',
  'test/client/mime/{dot-stuff,encode,message,sniff}.test.ts',
  'test/client/live.test.ts',
  'test/grader/checks/{envelope,evaluate,message,security,session}.test.ts',
  'test/grader/{escape,normalise}.test.ts',
  'test/scenarios/{load,engine,rules,persona-table,builtin-zh,builtin-same,authoring,json-schema,localized,errors-lang}.test.ts',
  'test/server/bracketed.test.ts',
  'test/i18n/{areas,catalogue,checks,lang,layout,width}.test.ts',
  'test/tooling/{no-io,projects}.test.ts',
  'test/web/message-view.test.ts',
  'test/cli/autograder-scripts.test.ts',
];

/**
 * The fresh-clone install (a `git clone`, `npm pack`, `npm install -g`, the Gradescope zip set up
 * and run): the README's path on a new machine, too slow and too heavy on the CPU for the loop.
 * Its own project, run by `npm run test:install` and as a step of its own in `.ci/run`, not by
 * `npm test`.
 */
export const installFiles = ['test/cli/install.test.ts'];

/**
 * Workers. vitest's default is one fewer than the cores: ONE on a 2-core machine, so the whole
 * integration project ran file after file. Unit files are CPU-bound: one thread per core.
 * Integration files mostly wait (on sockets, on a client's time limit, on python3, java and
 * chromium starting), so one more worker than cores keeps the cores busy while some wait. The
 * projects run one after the other (`sequence.groupOrder`), each with its own worker count.
 */
const CORES = availableParallelism();

export default defineConfig({
  test: {
    // Real sockets and real peers (python3, swaks) start in every integration file; two cores in CI.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Transformed modules are cached on disk (node_modules/.experimental-vitest-cache) between
    // runs: a re-run imports src/ without transforming it again.
    experimental: { fsModuleCache: true },
    // The JSON summary lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.smtp-lab/test-results.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unitFiles,
          setupFiles: ['test/setup/no-io.ts'],
          pool: 'threads',
          // One module cache per worker across files: most of a unit run was re-importing src/.
          isolate: false,
          maxWorkers: CORES,
          sequence: { groupOrder: 0 },
          testTimeout: 5_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...unitFiles, ...installFiles],
          pool: 'forks',
          // One module cache per worker process across files, as in unit: importing src/ afresh
          // for every file was a fifth of the project's CPU time. Files share no state but the
          // per-run CA (test/helpers/lab-server.ts sharedCa, reused on purpose): no test mocks a
          // module, fakes timers or changes the working folder, and the one that sets an
          // environment variable (test/grader/isolation.test.ts) deletes it in a finally.
          isolate: false,
          maxWorkers: CORES + 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'install',
          include: installFiles,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
