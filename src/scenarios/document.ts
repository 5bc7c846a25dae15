/**
 * The document walk: a scenario file's text to a Scenario. YAML is parsed with positions, every
 * part is read by its reader (read-sections.ts, read-checks.ts, read-faults.ts) through one Checker, so every
 * problem in the file is reported at once, `FILE:LINE:COL: FIELD: what is wrong (what was
 * expected)`; then the Scenario is returned with every default filled in.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { Checker, type Field, type Located } from './checker.js';
import { ScenarioError } from './errors.js';
import { readLocalized } from './localized.js';
import { readFault, readRule } from './read-faults.js';
import { readChecks } from './read-checks.js';
import { readClient, readReference, defaultServer, readServer } from './read-sections.js';
import { KEBAB, KEBAB_EXPECTED, kebab, listOf } from './read-values.js';
import { builtinScenarioDir, scenarioIds } from './builtin-dir.js';
import { didYouMean } from './suggest.js';
import type { Scenario } from './types.js';
import { COMPARE_MODES, MAX_SCENARIO_BYTES, TOP_KEYS } from './vocabulary.js';

/** What reading a document found; the file checks of loadScenarioFile add to `checker`. */
interface Analysis {
  checker: Checker | undefined;
  /** YAML syntax problems; when there are any, the schema is not checked. */
  syntax: Located[];
  scenario: Scenario;
  idField: Field | undefined;
  imageField: Field | undefined;
  expectedField?: Field | undefined;
}

function syntaxIssue(e: YAMLError, lines: LineCounter, prefix: string): Located {
  const offset = e.pos[0];
  const { line, col } = lines.linePos(offset);
  return { offset, line, column: col, field: '', message: `${prefix}: ${e.message} (valid YAML)` };
}

/**
 * The scenario a file names in `extends:`, loaded (its own problems were thrown as its own
 * ScenarioError), or why it cannot be had, reported at the file's `extends`.
 */
export type Parent = { scenario: Scenario } | { problem: string };

function analyse(text: string, parent?: Parent): Analysis {
  const lines = new LineCounter();
  const refuse = (message: string): Analysis => ({
    checker: undefined,
    syntax: [{ offset: 0, line: 1, column: 1, field: '', message }],
    scenario: emptyScenario(),
    idField: undefined,
    imageField: undefined,
  });
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SCENARIO_BYTES) {
    return refuse(
      `the file is ${bytes} bytes (expected a scenario file of at most ${MAX_SCENARIO_BYTES} bytes)`,
    );
  }
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      // Duplicate keys are reported by the checker, with the field's path.
      uniqueKeys: false,
    });
  } catch (e) {
    // The YAML parser recurses per nesting level; a file nested thousands deep overflows it.
    if (!(e instanceof RangeError)) throw e;
    return refuse('nested too deeply for the YAML parser (expected a scenario a few levels deep)');
  }
  const syntax = [
    ...doc.errors.map((e) => syntaxIssue(e, lines, 'YAML syntax error')),
    ...doc.warnings.map((e) => syntaxIssue(e, lines, 'YAML problem')),
  ].sort((a, b) => a.offset - b.offset);
  const empty = emptyScenario();
  if (syntax.length > 0) {
    return { checker: undefined, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }
  const c = new Checker(doc, lines);
  const root = c.field('', doc.contents, 0);
  if (root === undefined || root.node === null) {
    c.failAt(0, '', 'the file is empty (expected a mapping with at least id, title, lesson and checks)');
    return { checker: c, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }
  const top = c.map(root, TOP_KEYS, 'a mapping with at least id, title, lesson and checks');
  if (top === undefined) {
    return { checker: c, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }

  const id = top.required('id', (f) => kebab(c, f), KEBAB_EXPECTED);
  const base = readExtends(c, top.get('extends'), parent);
  const titles = top.required('title', (f) => readLocalized(c, f, { nonEmpty: true }), 'a non-empty string');
  const lessons = top.required(
    'lesson',
    (f) =>
      readLocalized(c, f, {
        nonEmpty: true,
        expected: 'a non-empty string: the lesson in about two sentences',
      }),
    'a non-empty string: the lesson in about two sentences',
  );
  const [title, lesson] = [titles?.text, lessons?.text];
  // What this file does not write, it takes from the scenario it extends (`base`), if any.
  const seed = top.optional('seed', (f) => c.number(f, { integer: true })) ?? base?.seed;
  const { server, written } = readServer(c, top.get('server'), base?.server);
  const rules =
    top.optional('rules', (f) => listOf(c, f, 'a list of rules', (item) => readRule(c, item))) ??
    base?.rules ??
    [];
  const faults =
    top.optional('faults', (f) =>
      listOf(c, f, 'a list of faults', (item) => readFault(c, item, top.has('seed') || seed !== undefined)),
    ) ??
    base?.faults ??
    [];
  const { client, imageField } = readClient(
    c,
    top.get('client'),
    server,
    base === undefined ? undefined : { client: base.client, serverWritten: written },
  );
  const checksExpected = 'a non-empty list of checks, each with an id and points';
  const checks =
    // Not required of a file that extends another, even one that could not be had (said once, at extends).
    (top.has('extends')
      ? top.optional('checks', (f) => readChecks(c, f, base?.checks))
      : top.required('checks', (f) => readChecks(c, f), checksExpected)) ??
    base?.checks ??
    [];
  const referenceAt = referenceField(c, top.get('reference'), top.get('expect'));
  const reference =
    referenceAt === undefined && base !== undefined ? base.reference : readReference(c, referenceAt);
  const expectedTranscript =
    top.optional('expected-transcript', (f) =>
      c.string(f, { nonEmpty: true, expected: 'a file path relative to the scenario file' }),
    ) ?? base?.expectedTranscript;
  const compare = top.optional('compare', (f) => c.oneOf(f, COMPARE_MODES)) ?? base?.compare;

  const scenario: Scenario = {
    id: id ?? '',
    title: title?.trim() ?? '',
    lesson: lesson?.trim() ?? '',
    server,
    rules,
    faults,
    seed,
    client,
    checks,
    reference,
    expectedTranscript,
    ...(compare !== undefined ? { compare } : {}),
    source: '',
  };
  if (titles?.byLang || lessons?.byLang) {
    // One field in two languages, the other plain: the plain one reads the same in both.
    const perLang = (t: typeof titles) => t?.byLang ?? { en: t?.text ?? '', 'zh-CN': t?.text ?? '' };
    scenario.localized = { title: trimmed(perLang(titles)), lesson: trimmed(perLang(lessons)) };
  }
  return {
    checker: c,
    syntax,
    scenario,
    idField: id === undefined ? undefined : top.get('id'),
    imageField: client.image === undefined ? undefined : imageField,
    expectedField: expectedTranscript === undefined ? undefined : top.get('expected-transcript'),
  };
}

function trimmed(text: { en: string; 'zh-CN': string }): { en: string; 'zh-CN': string } {
  return { en: text.en.trim(), 'zh-CN': text['zh-CN'].trim() };
}

/** The scenario this one builds on, when the file names one in `extends:` and it could be loaded. */
function readExtends(c: Checker, f: Field | undefined, parent: Parent | undefined): Scenario | undefined {
  if (f === undefined) return undefined;
  if (kebab(c, f) === undefined) return undefined;
  if (parent === undefined) {
    c.fail(f, 'names a scenario, which only a file can extend (expected this scenario loaded from its file)');
    return undefined;
  }
  if ('problem' in parent) {
    c.fail(f, parent.problem);
    return undefined;
  }
  return parent.scenario;
}

/**
 * `reference:`, or `expect:`, its old spelling (files written before 0.2 still load); one of
 * them, not both.
 */
function referenceField(c: Checker, reference: Field | undefined, old: Field | undefined): Field | undefined {
  if (reference !== undefined && old !== undefined) {
    c.failAt(
      old.keyOffset,
      old.path,
      'is the old spelling of reference, which this file also gives (expected only reference)',
    );
  }
  return reference ?? old;
}

function emptyScenario(): Scenario {
  return {
    id: '',
    title: '',
    lesson: '',
    server: defaultServer(),
    rules: [],
    faults: [],
    seed: undefined,
    client: {
      from: '',
      to: [],
      tls: 'none',
      auth: false,
      subject: undefined,
      body: undefined,
      image: undefined,
    },
    checks: [],
    reference: { delivered: 1, failsAt: undefined, code: undefined },
    source: '',
  };
}

function finish(a: Analysis, source: string): Scenario {
  const problems = a.syntax.length > 0 ? a.syntax : (a.checker?.problems() ?? []);
  if (problems.length > 0) {
    throw new ScenarioError(
      source,
      problems.map(({ line, column, field, message }) => ({ line, column, field, message })),
    );
  }
  return { ...a.scenario, source };
}

/**
 * Validates the text of a scenario file and returns the Scenario with every default filled.
 * `source` names the file in errors and becomes `scenario.source`. `client.image` stays as
 * written (relative to the file); loadScenarioFile resolves and checks it.
 * @throws ScenarioError listing every problem found.
 */
export function parseScenario(text: string, source: string): Scenario {
  return finish(analyse(text), source);
}

/**
 * Reads and validates a scenario file. Beyond parseScenario: `id` must equal the file's base
 * name, and `client.image` must name an existing file; it is returned as an absolute path.
 */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  return loadFile(file, []);
}

/** `true` when `file` is a regular file. */
async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The scenario a file's `extends:` names: `<id>.yaml` next to the file, else the built-in one;
 * undefined when the file names none (or not as a kebab-case id: the walk says so). `chain` holds
 * the files being loaded (absolute), each extending the next: a cycle is refused.
 */
async function loadParent(file: string, text: string, chain: readonly string[]): Promise<Parent | undefined> {
  let id: unknown;
  try {
    id = parseDocument(text, { uniqueKeys: false }).get('extends');
  } catch {
    return undefined;
  }
  if (typeof id !== 'string' || !KEBAB.test(id)) return undefined;
  const folder = path.dirname(file);
  const found = [path.join(folder, `${id}.yaml`), path.join(builtinScenarioDir(), `${id}.yaml`)];
  const parent = (await isFile(found[0]!)) ? found[0]! : (await isFile(found[1]!)) ? found[1]! : undefined;
  if (parent === undefined) {
    const known = [
      ...new Set([
        ...(await scenarioIds(folder).catch(() => [])),
        ...(await scenarioIds(builtinScenarioDir())),
      ]),
    ];
    const hint = didYouMean(id, known);
    return {
      problem: `no scenario ${JSON.stringify(id)} next to this file or built in${hint ? `, ${hint}` : ''} (expected the id of a scenario to build on)`,
    };
  }
  const here = [...chain, path.resolve(file)];
  const again = here.indexOf(path.resolve(parent));
  if (again >= 0) {
    const cycle = [...here.slice(again), path.resolve(parent)].map((f) => path.basename(f, '.yaml'));
    return {
      problem: `${JSON.stringify(id)} is already being extended: ${cycle.join(' -> ')} (expected no cycle)`,
    };
  }
  return { scenario: await loadFile(parent, here) };
}

async function loadFile(file: string, chain: readonly string[]): Promise<Scenario> {
  // Judged before reading: a huge file (or a device that never ends) is not read into memory.
  const info = await stat(file);
  if (!info.isFile() || info.size > MAX_SCENARIO_BYTES) {
    const message = info.isFile()
      ? `the file is ${info.size} bytes (expected a scenario file of at most ${MAX_SCENARIO_BYTES} bytes)`
      : 'is not a regular file (expected a YAML scenario file)';
    throw new ScenarioError(file, [{ line: 1, column: 1, field: '', message }]);
  }
  const text = await readFile(file, 'utf8');
  const a = analyse(text, await loadParent(file, text, chain));
  const c = a.checker;
  if (c !== undefined && a.syntax.length === 0) {
    const base = path.basename(file).replace(/\.ya?ml$/i, '');
    if (a.idField !== undefined && a.scenario.id !== base) {
      c.fail(
        a.idField,
        `${JSON.stringify(a.scenario.id)} does not match the file name (expected ${JSON.stringify(base)}, the file's base name)`,
      );
    }
    const image = a.scenario.client.image;
    if (image !== undefined) {
      const resolved = path.resolve(path.dirname(file), image);
      const found = await stat(resolved).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!found && a.imageField !== undefined) {
        c.fail(a.imageField, `no file at ${resolved} (expected a file path relative to the scenario file)`);
      }
      a.scenario.client.image = resolved;
    }
    const expected = a.scenario.expectedTranscript;
    if (expected !== undefined) {
      const resolved = path.resolve(path.dirname(file), expected);
      const found = await stat(resolved).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!found && a.expectedField !== undefined) {
        c.fail(
          a.expectedField,
          `no file at ${resolved} (expected a file path relative to the scenario file; smtp-lab record writes one)`,
        );
      }
      a.scenario.expectedTranscript = resolved;
    }
  }
  return finish(a, file);
}
