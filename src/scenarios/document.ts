/**
 * The document walk: a scenario file's text to a Scenario. YAML is parsed with positions, every
 * part is read by its reader (read-sections.ts, read-checks.ts, read-faults.ts) through one Checker, so every
 * problem in the file is reported at once, `FILE:LINE:COL: FIELD: what is wrong (what was
 * expected)`; then the Scenario is returned with every default filled in.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { Checker, type Field, type Located, type ScenarioIssue } from './checker.js';
import { ScenarioError } from './errors.js';
import { phrase, render, type Phrase, type Words } from './phrase.js';
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

/** A problem of the file as a whole, reported at its first line. */
function fileIssue(text: Phrase, offset = 0, line = 1, column = 1): Located {
  return { offset, line, column, field: '', message: render(text), text };
}

/** A problem as ScenarioError lists it (the offset only sorts them). */
function withoutOffset({ line, column, field, message, text }: Located): ScenarioIssue {
  return { line, column, field, message, text };
}

/** The YAML parser's own text stays as it wrote it (English), inside our sentence. */
function syntaxIssue(e: YAMLError, lines: LineCounter, key: Phrase['key']): Located {
  const offset = e.pos[0];
  const { line, col } = lines.linePos(offset);
  return fileIssue(phrase(key, { reason: e.message }), offset, line, col);
}

/**
 * The scenario a file names in `extends:`, loaded (its own problems were thrown as its own
 * ScenarioError), or why it cannot be had, reported at the file's `extends`.
 */
export type Parent = { scenario: Scenario } | { problem: Words };

function analyse(text: string, parent?: Parent): Analysis {
  const lines = new LineCounter();
  const refuse = (text: Phrase): Analysis => ({
    checker: undefined,
    syntax: [fileIssue(text)],
    scenario: emptyScenario(),
    idField: undefined,
    imageField: undefined,
  });
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SCENARIO_BYTES) {
    return refuse(phrase('scenario.file.tooBig', { bytes, max: MAX_SCENARIO_BYTES }));
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
    return refuse(phrase('scenario.file.tooDeep'));
  }
  const syntax = [
    ...doc.errors.map((e) => syntaxIssue(e, lines, 'scenario.yaml.error')),
    ...doc.warnings.map((e) => syntaxIssue(e, lines, 'scenario.yaml.warning')),
  ].sort((a, b) => a.offset - b.offset);
  const empty = emptyScenario();
  if (syntax.length > 0) {
    return { checker: undefined, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }
  const c = new Checker(doc, lines);
  const root = c.field('', doc.contents, 0);
  if (root === undefined || root.node === null) {
    c.failAt(0, '', phrase('scenario.file.empty', { expected: phrase('scenario.expect.top') }));
    return { checker: c, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }
  const top = c.map(root, TOP_KEYS, phrase('scenario.expect.top'));
  if (top === undefined) {
    return { checker: c, syntax, scenario: empty, idField: undefined, imageField: undefined };
  }

  const id = top.required('id', (f) => kebab(c, f), KEBAB_EXPECTED);
  const base = readExtends(c, top.get('extends'), parent);
  const titles = top.required(
    'title',
    (f) => readLocalized(c, f, { nonEmpty: true }),
    phrase('scenario.expect.nonEmptyString'),
  );
  const lessonExpected = phrase('scenario.expect.lesson');
  const lessons = top.required(
    'lesson',
    (f) => readLocalized(c, f, { nonEmpty: true, expected: lessonExpected }),
    lessonExpected,
  );
  const [title, lesson] = [titles?.text, lessons?.text];
  // What this file does not write, it takes from the scenario it extends (`base`), if any.
  const seed = top.optional('seed', (f) => c.number(f, { integer: true })) ?? base?.seed;
  const { server, written } = readServer(c, top.get('server'), base?.server);
  const rules =
    top.optional('rules', (f) =>
      listOf(c, f, phrase('scenario.expect.rules'), (item) => readRule(c, item)),
    ) ??
    base?.rules ??
    [];
  const faults =
    top.optional('faults', (f) =>
      listOf(c, f, phrase('scenario.expect.faults'), (item) =>
        readFault(c, item, top.has('seed') || seed !== undefined),
      ),
    ) ??
    base?.faults ??
    [];
  const { client, imageField } = readClient(
    c,
    top.get('client'),
    server,
    base === undefined ? undefined : { client: base.client, serverWritten: written },
  );
  const checksExpected = phrase('scenario.expect.checks');
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
      c.string(f, { nonEmpty: true, expected: phrase('scenario.expect.filePath') }),
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
    c.fail(f, phrase('scenario.extends.notFile'));
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
    c.failAt(old.keyOffset, old.path, phrase('scenario.reference.both'));
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
    throw new ScenarioError(source, problems.map(withoutOffset));
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
    const params = { id: JSON.stringify(id) };
    return {
      problem:
        hint === ''
          ? phrase('scenario.extends.notFound', params)
          : phrase('scenario.extends.notFoundHint', { ...params, hint }),
    };
  }
  const here = [...chain, path.resolve(file)];
  const again = here.indexOf(path.resolve(parent));
  if (again >= 0) {
    const cycle = [...here.slice(again), path.resolve(parent)].map((f) => path.basename(f, '.yaml'));
    return {
      problem: phrase('scenario.extends.cycle', { id: JSON.stringify(id), cycle: cycle.join(' -> ') }),
    };
  }
  return { scenario: await loadFile(parent, here) };
}

async function loadFile(file: string, chain: readonly string[]): Promise<Scenario> {
  // Judged before reading: a huge file (or a device that never ends) is not read into memory.
  const info = await stat(file);
  if (!info.isFile() || info.size > MAX_SCENARIO_BYTES) {
    const text = info.isFile()
      ? phrase('scenario.file.tooBig', { bytes: info.size, max: MAX_SCENARIO_BYTES })
      : phrase('scenario.file.notRegular');
    throw new ScenarioError(file, [withoutOffset(fileIssue(text))]);
  }
  const text = await readFile(file, 'utf8');
  const a = analyse(text, await loadParent(file, text, chain));
  const c = a.checker;
  if (c !== undefined && a.syntax.length === 0) {
    const base = path.basename(file).replace(/\.ya?ml$/i, '');
    if (a.idField !== undefined && a.scenario.id !== base) {
      c.fail(
        a.idField,
        phrase('scenario.id.notFileName', { id: JSON.stringify(a.scenario.id), base: JSON.stringify(base) }),
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
        c.fail(a.imageField, phrase('scenario.file.noImage', { path: resolved }));
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
        c.fail(a.expectedField, phrase('scenario.file.noTranscript', { path: resolved }));
      }
      a.scenario.expectedTranscript = resolved;
    }
  }
  return finish(a, file);
}
