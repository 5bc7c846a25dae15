/**
 * Scenario files: YAML with kebab-case keys, validated against the shapes in types.ts with every
 * problem reported as `FILE:LINE:COL: FIELD: what is wrong (what was expected)`, all of them at
 * once, then mapped to a Scenario with every default filled in.
 */
import { PHASES } from '../protocol/phases.js';
import { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT } from '../server/defaults.js';
import { compilePattern } from '../server/rules.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { SmtpLabError } from '../protocol/errors.js';
import { Checker, type Field, type Located, type ScenarioIssue } from './schema.js';
import { CHECK_IDS, isCheckId, type CheckId } from './check-ids.js';
import { readLocalized } from './localized.js';
import { closest, didYouMean } from './suggest.js';
import type {
  Action,
  AuthMechanismName,
  CertificateKind,
  CompareMode,
  CheckSpec,
  ClientBrief,
  Expectation,
  Fault,
  Persona,
  ReplySpec,
  Rule,
  Scenario,
  ServerBehaviour,
  Tier,
  TlsOffer,
  Trigger,
} from './types.js';

export type { ScenarioIssue } from './schema.js';

/** A scenario file that cannot be used: every problem found in it, each with line and field. */
export class ScenarioError extends SmtpLabError {
  /** The file as it was named to the loader. */
  readonly file: string;
  /** Where the first problem is (1-based). */
  readonly line: number;
  readonly column: number;
  /** The first problem's field path, e.g. `faults[1].do.fragment.size`; '' for YAML syntax. */
  readonly field: string;
  /** Every problem, in source order; the first is the one above. */
  readonly errors: ScenarioIssue[];

  constructor(file: string, errors: ScenarioIssue[]) {
    const lines = errors.map((e) => formatIssue(file, e));
    const first = errors[0] ?? { line: 1, column: 1, field: '', message: 'invalid scenario' };
    super('ERR_SCENARIO', lines.join('\n'), { shortMessage: lines[0] ?? file });
    this.file = file;
    this.line = first.line;
    this.column = first.column;
    this.field = first.field;
    this.errors = errors;
  }
}

/** `resolveScenario` or `loadBuiltinScenario` was given an id no built-in scenario has. */
export class UnknownScenarioError extends SmtpLabError {
  readonly id: string;
  /** The closest built-in ids, best first (may be empty). */
  readonly suggestions: string[];

  constructor(id: string, known: string[]) {
    const suggestions = closest(id, known, 5);
    const listed =
      suggestions.length > 0 ? `closest: ${suggestions.join(', ')}` : `built-in: ${known.join(', ')}`;
    super(
      'ERR_UNKNOWN_SCENARIO',
      `unknown scenario ${JSON.stringify(id)} (${listed}; or give the path of a .yaml file)`,
    );
    this.id = id;
    this.suggestions = suggestions;
  }
}

export function formatIssue(file: string, e: ScenarioIssue): string {
  return `${file}:${e.line}:${e.column}: ${e.field === '' ? '' : `${e.field}: `}${e.message}`;
}

export { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT };
/** 50 MiB. */
export const DEFAULT_MAX_SIZE = 52_428_800;
export const DEFAULT_GREYLIST_MS = 1000;

const TOP_KEYS = [
  'id',
  'title',
  'lesson',
  'server',
  'rules',
  'faults',
  'seed',
  'client',
  'checks',
  'expect',
  'expected-transcript',
  'compare',
];
const SERVER_KEYS = [
  'tls',
  'require-tls',
  'auth',
  'auth-mechanisms',
  'accounts',
  'max-size',
  'persona',
  'certificate',
  'hide-extensions',
  'require-from-header',
  'greylist',
  'credentials',
];
const CLIENT_KEYS = ['from', 'to', 'tls', 'auth', 'subject', 'body', 'image'];
const RULE_KEYS = ['when', 'match', 'not-match', 'nth', 'reply'];
const FAULT_KEYS = ['on', 'do', 'times', 'connections', 'chance'];
const CHECK_KEYS = ['id', 'points', 'tier', 'hint'];
const EXPECT_KEYS = ['delivered', 'fails-at', 'code'];

const TLS_OFFERS: readonly TlsOffer[] = ['none', 'starttls', 'implicit'];
const AUTH_MODES: readonly ServerBehaviour['auth'][] = ['required', 'optional', 'off'];
const AUTH_MECHANISMS: readonly AuthMechanismName[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
const PERSONAS: readonly Persona[] = ['default', 'qq', 'gmail'];
const CERTIFICATES: readonly CertificateKind[] = ['valid', 'expired', 'wrong-host', 'untrusted'];
const RULE_WHEN: readonly Rule['when'][] = ['mail', 'rcpt', 'auth', 'data'];
const TIERS: readonly Tier[] = ['baseline', 'robustness', 'optional'];
const CREDENTIALS: readonly ServerBehaviour['credentials'][] = ['any', 'accounts'];
const COMPARE_MODES: readonly CompareMode[] = ['exchange', 'envelope', 'message'];
/** Phases of a session, as the reference client's errors name them. */
export { PHASES };

const TRIGGER_WORDS = ['greeting', 'every-reply'] as const;
const TRIGGER_KEYS = ['command', 'verb', 'reply', 'data-byte', 'after-ms'] as const;
const TRIGGER_EXPECTED = `${TRIGGER_WORDS.join(', ')}, or a mapping with one of: ${TRIGGER_KEYS.join(', ')}`;
const ACTION_WORDS = ['swallow', 'close', 'tls-abort'] as const;
const ACTION_KEYS = [
  'delay-ms',
  'fragment',
  'throttle',
  'replace',
  'multiline',
  'garbage',
  'close',
  'reply-and-close',
] as const;
const ACTION_EXPECTED = `${ACTION_WORDS.join(', ')}, or a mapping with one of: ${ACTION_KEYS.join(', ')}`;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEBAB_EXPECTED =
  'a kebab-case id: lowercase letters, digits and single hyphens, like fragmented-replies';
const REPLY_CODE = { integer: true, min: 200, max: 599, expected: 'a reply code from 200 to 599' };
const SIZE_EXPECTED = 'a number of bytes, or a number with K, M or G, like 25M';
/**
 * The longest delay a scenario may ask for: Node.js timers hold at most 2^31 - 1 ms (about 24.8
 * days) and fire a longer one after 1 ms, with only a warning. Refused here instead.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;
const DELAY = { integer: true, min: 0, max: MAX_DELAY_MS } as const;
const ms = (what: string) =>
  `${what}, an integer from 0 to ${MAX_DELAY_MS} (the longest timer Node.js can set)`;

/** Most points one check can give: totals stay exact, finite sums whatever a file says. */
export const MAX_POINTS = 1000;

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

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

/** Largest scenario file read: a scenario is a page of YAML (the built-in ones are 1-3 KB). */
export const MAX_SCENARIO_BYTES = 256 * 1024;

function analyse(text: string): Analysis {
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
  const seed = top.optional('seed', (f) => c.number(f, { integer: true }));
  const server = readServer(c, top.get('server'));
  const rules =
    top.optional('rules', (f) => listOf(c, f, 'a list of rules', (item) => readRule(c, item))) ?? [];
  const faults =
    top.optional('faults', (f) =>
      listOf(c, f, 'a list of faults', (item) => readFault(c, item, top.has('seed'))),
    ) ?? [];
  const { client, imageField } = readClient(c, top.get('client'), server);
  const checks =
    top.required(
      'checks',
      (f) => readChecks(c, f),
      'a non-empty list of checks, each with an id and points',
    ) ?? [];
  const expect = readExpect(c, top.get('expect'));
  const expectedTranscript = top.optional('expected-transcript', (f) =>
    c.string(f, { nonEmpty: true, expected: 'a file path relative to the scenario file' }),
  );
  const compare = top.optional('compare', (f) => c.oneOf(f, COMPARE_MODES));

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
    expect,
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
    expect: { delivered: 1, failsAt: undefined, code: undefined },
    source: '',
  };
}

function defaultServer(): ServerBehaviour {
  return {
    tls: 'starttls',
    requireTls: false,
    auth: 'optional',
    authMechanisms: [...AUTH_MECHANISMS],
    accounts: [{ ...DEFAULT_ACCOUNT }],
    maxSize: DEFAULT_MAX_SIZE,
    persona: 'default',
    certificate: 'valid',
    hideExtensions: [],
    requireFromHeader: false,
    greylistMs: undefined,
    credentials: 'any',
  };
}

/** A check id the grader knows (`smtp-lab checks` lists them), or a failure with "did you mean". */
function checkId(c: Checker, f: Field): CheckId | undefined {
  const v = kebab(c, f);
  if (v === undefined) return undefined;
  if (!isCheckId(v)) {
    const hint = didYouMean(v, CHECK_IDS);
    c.fail(
      f,
      `unknown check id ${JSON.stringify(v)}${hint ? `, ${hint}` : ''} (smtp-lab checks lists them all)`,
    );
    return undefined;
  }
  return v;
}

function kebab(c: Checker, f: Field): string | undefined {
  const v = c.string(f, { expected: KEBAB_EXPECTED });
  if (v === undefined) return undefined;
  if (!KEBAB.test(v)) {
    c.fail(f, `${JSON.stringify(v)} is not kebab-case (expected ${KEBAB_EXPECTED})`);
    return undefined;
  }
  return v;
}

function listOf<T>(
  c: Checker,
  f: Field,
  expected: string,
  read: (item: Field) => T | undefined,
): T[] | undefined {
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  const out: T[] = [];
  for (const item of items) {
    const v = read(item);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function size(c: Checker, f: Field): number | undefined {
  const v = c.scalar(f);
  if (typeof v === 'number') return c.number(f, { integer: true, min: 1, expected: SIZE_EXPECTED });
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(v) : null;
  if (m === null) {
    c.fail(
      f,
      `${typeof v === 'string' ? JSON.stringify(v) : 'this'} is not a size (expected ${SIZE_EXPECTED})`,
    );
    return undefined;
  }
  const bytes = Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toUpperCase()]!);
  if (bytes < 1) {
    c.fail(f, `${JSON.stringify(v)} is out of range (expected ${SIZE_EXPECTED}, at least 1 byte)`);
    return undefined;
  }
  return bytes;
}

/** An EHLO keyword or a command verb: letters (and digits and hyphens for keywords), upper-cased. */
function word(c: Checker, f: Field, pattern: RegExp, expected: string): string | undefined {
  const v = c.string(f, { expected });
  if (v === undefined) return undefined;
  if (!pattern.test(v)) {
    c.fail(f, `${JSON.stringify(v)} is not allowed (expected ${expected})`);
    return undefined;
  }
  return v.toUpperCase();
}

function readServer(c: Checker, f: Field | undefined): ServerBehaviour {
  const server = defaultServer();
  if (f === undefined) return server;
  const m = c.map(f, SERVER_KEYS);
  if (m === undefined) return server;
  const tls = m.optional('tls', (x) => c.oneOf(x, TLS_OFFERS));
  if (tls !== undefined) server.tls = tls;
  const requireTls = m.optional('require-tls', (x) => c.boolean(x));
  if (requireTls !== undefined) server.requireTls = requireTls;
  if (server.requireTls && server.tls === 'none') {
    c.fail(
      m.get('require-tls')!,
      'true, but the server offers no TLS (expected server.tls: starttls or implicit)',
    );
  }
  const auth = m.optional('auth', (x) => c.oneOf(x, AUTH_MODES));
  if (auth !== undefined) server.auth = auth;
  const mechanisms = m.optional('auth-mechanisms', (x) => readMechanisms(c, x));
  if (mechanisms !== undefined) server.authMechanisms = mechanisms;
  const accounts = m.optional('accounts', (x) => readAccounts(c, x));
  if (accounts !== undefined) server.accounts = accounts;
  const maxSize = m.optional('max-size', (x) => size(c, x));
  if (maxSize !== undefined) server.maxSize = maxSize;
  const persona = m.optional('persona', (x) => c.oneOf(x, PERSONAS));
  if (persona !== undefined) server.persona = persona;
  const certificate = m.optional('certificate', (x) => c.oneOf(x, CERTIFICATES));
  if (certificate !== undefined) server.certificate = certificate;
  const hide = m.optional('hide-extensions', (x) =>
    listOf(c, x, 'a list of EHLO keywords, like [STARTTLS, PIPELINING]', (item) =>
      word(c, item, /^[A-Za-z0-9][A-Za-z0-9-]*$/, 'an EHLO keyword, like STARTTLS or 8BITMIME'),
    ),
  );
  if (hide !== undefined) server.hideExtensions = hide;
  const requireFrom = m.optional('require-from-header', (x) => c.boolean(x));
  if (requireFrom !== undefined) server.requireFromHeader = requireFrom;
  server.greylistMs = m.optional('greylist', (x) => readGreylist(c, x));
  // A provider persona keeps its own rules: only its account logs in, unless the file says otherwise.
  server.credentials =
    m.optional('credentials', (x) => c.oneOf(x, CREDENTIALS)) ??
    (server.persona === 'default' ? 'any' : 'accounts');
  return server;
}

function readMechanisms(c: Checker, f: Field): AuthMechanismName[] | undefined {
  const expected = `a non-empty list of AUTH mechanisms from: ${AUTH_MECHANISMS.join(', ')}`;
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, `is an empty list (expected ${expected}; use auth: off for no AUTH)`);
    return undefined;
  }
  const out: AuthMechanismName[] = [];
  for (const item of items) {
    const v = word(c, item, /^[A-Za-z0-9-]+$/, expected);
    if (v === undefined) continue;
    if (!(AUTH_MECHANISMS as readonly string[]).includes(v)) {
      c.fail(item, `${JSON.stringify(v)} is not offered by the lab server (expected ${expected})`);
      continue;
    }
    out.push(v as AuthMechanismName);
  }
  return out.length === items.length ? out : undefined;
}

function readAccounts(c: Checker, f: Field): ServerBehaviour['accounts'] | undefined {
  const items = c.list(f, 'a list of accounts, like [{user: a@b.test, pass: secret}]');
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, 'is an empty list (expected at least one account {user, pass})');
    return undefined;
  }
  const out: ServerBehaviour['accounts'] = [];
  for (const item of items) {
    const m = c.map(item, ['user', 'pass'], 'a mapping {user, pass}');
    if (m === undefined) continue;
    const user = m.required('user', (x) => c.string(x, { nonEmpty: true }), 'a non-empty string');
    const pass = m.required('pass', (x) => c.string(x, { nonEmpty: true }), 'a non-empty string');
    if (user !== undefined && pass !== undefined) out.push({ user, pass });
  }
  return out;
}

function readGreylist(c: Checker, f: Field): number | undefined {
  const expected = 'true, false, or {retry-after-ms: N}';
  const v = c.scalar(f);
  if (typeof v === 'boolean') return v ? DEFAULT_GREYLIST_MS : undefined;
  if (f.node === null || typeof v !== 'undefined') {
    c.fail(
      f,
      `${v === undefined ? 'nothing' : JSON.stringify(v)} is not a greylist setting (expected ${expected})`,
    );
    return undefined;
  }
  const m = c.map(f, ['retry-after-ms'], expected);
  if (m === undefined) return undefined;
  return (
    m.optional('retry-after-ms', (x) => c.number(x, { ...DELAY, expected: ms('milliseconds') })) ??
    DEFAULT_GREYLIST_MS
  );
}

function readReply(c: Checker, f: Field): ReplySpec | undefined {
  const m = c.map(f, ['code', 'text'], 'a reply {code, text}');
  if (m === undefined) return undefined;
  const code = m.required('code', (x) => c.number(x, REPLY_CODE), 'a reply code from 200 to 599');
  const text = m.required(
    'text',
    (x) => replyText(c, x),
    'a string, or a list of strings for a multi-line reply',
  );
  return code === undefined || text === undefined ? undefined : { code, text };
}

function replyLine(c: Checker, f: Field, expected: string): string | undefined {
  const v = c.string(f, { expected });
  if (v === undefined) return undefined;
  if (/[\r\n]/.test(v)) {
    c.fail(f, `contains a line break (expected one line; write a list for several lines)`);
    return undefined;
  }
  return v;
}

function replyText(c: Checker, f: Field): string | string[] | undefined {
  const expected = 'a string, or a list of strings for a multi-line reply';
  if (f.node !== null && typeof c.scalar(f) === 'string') return replyLine(c, f, expected);
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, `is an empty list (expected ${expected})`);
    return undefined;
  }
  const lines = items.map((item) => replyLine(c, item, 'a string'));
  return lines.every((l) => l !== undefined) ? (lines as string[]) : undefined;
}

function readRule(c: Checker, f: Field): Rule | undefined {
  const m = c.map(f, RULE_KEYS, 'a rule {when, match, not-match, nth, reply}');
  if (m === undefined) return undefined;
  const when = m.required('when', (x) => c.oneOf(x, RULE_WHEN), `one of: ${RULE_WHEN.join(', ')}`);
  const match = m.optional('match', (x) => pattern(c, x));
  const notMatch = m.optional('not-match', (x) => pattern(c, x));
  const nth = m.optional('nth', (x) => c.number(x, { integer: true, min: 1 }));
  const reply = m.required('reply', (x) => readReply(c, x), 'a reply {code, text}');
  if (when === undefined || reply === undefined) return undefined;
  return { when, match, ...(notMatch !== undefined ? { notMatch } : {}), nth, reply };
}

/** Longest `match` / `not-match` pattern, in characters. */
export const MAX_PATTERN_LENGTH = 1000;
const PATTERN_EXPECTED =
  'a regular expression in RE2 syntax: linear time, so no lookaround or backreferences; write not-match for "anything but"';

/** A rule pattern, checked the way the server will compile it (compilePattern: RE2, linear time). */
function pattern(c: Checker, f: Field): string | undefined {
  const v = c.string(f, { expected: PATTERN_EXPECTED });
  if (v === undefined) return undefined;
  if (v.length > MAX_PATTERN_LENGTH) {
    c.fail(f, `is ${v.length} characters long (expected at most ${MAX_PATTERN_LENGTH}: ${PATTERN_EXPECTED})`);
    return undefined;
  }
  try {
    compilePattern(v);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    c.fail(f, `is not a valid regular expression: ${why} (expected ${PATTERN_EXPECTED})`);
    return undefined;
  }
  return v;
}

/** A plain word, or a mapping with exactly one of the keys: a trigger or an action. */
function oneKey(
  c: Checker,
  f: Field,
  words: readonly string[],
  keys: readonly string[],
  what: string,
  expected: string,
): { word: string } | { key: string; value: Field } | undefined {
  const v = c.scalar(f);
  if (typeof v === 'string') {
    if (words.includes(v)) return { word: v };
    const hint = didYouMean(v, [...new Set([...words, ...keys])]);
    c.fail(f, `${JSON.stringify(v)} is not ${what}${hint ? `, ${hint}` : ''} (expected ${expected})`);
    return undefined;
  }
  if (f.node === null || v !== undefined) {
    c.fail(f, `${f.node === null ? 'nothing' : String(v)} is not ${what} (expected ${expected})`);
    return undefined;
  }
  const m = c.map(f, keys, expected);
  if (m === undefined) return undefined;
  const present = m.keys();
  if (present.length === 0) {
    // A mapping whose only keys were unknown has been reported already.
    if (isMap(f.node) && f.node.items.length === 0) c.fail(f, `is empty (expected ${expected})`);
    return undefined;
  }
  if (present.length > 1) {
    const second = m.get(present[1]!)!;
    c.failAt(
      second.keyOffset,
      second.path,
      `${what} can have one key, this one has ${present.join(' and ')} (expected ${expected})`,
    );
    return undefined;
  }
  return { key: present[0]!, value: m.get(present[0]!)! };
}

function readTrigger(c: Checker, f: Field): Trigger | undefined {
  const t = oneKey(c, f, TRIGGER_WORDS, TRIGGER_KEYS, 'a trigger', TRIGGER_EXPECTED);
  if (t === undefined) return undefined;
  if ('word' in t) return t.word === 'greeting' ? { kind: 'greeting' } : { kind: 'every-reply' };
  const x = t.value;
  switch (t.key) {
    case 'command': {
      const n = c.number(x, {
        integer: true,
        min: 1,
        expected: 'the command number, an integer >= 1 (1 = the first)',
      });
      return n === undefined ? undefined : { kind: 'command', n };
    }
    case 'verb': {
      const verb = word(c, x, /^[A-Za-z]+$/, 'a command verb, like EHLO or RCPT');
      return verb === undefined ? undefined : { kind: 'verb', verb };
    }
    case 'reply': {
      const code = c.number(x, REPLY_CODE);
      return code === undefined ? undefined : { kind: 'reply', code };
    }
    case 'data-byte': {
      const n = c.number(x, {
        integer: true,
        min: 0,
        expected: 'a byte offset into the DATA, an integer >= 0',
      });
      return n === undefined ? undefined : { kind: 'data-byte', n };
    }
    default: {
      const after = c.number(x, { ...DELAY, expected: ms('milliseconds since connect') });
      return after === undefined ? undefined : { kind: 'after', ms: after };
    }
  }
}

function readAction(c: Checker, f: Field): Action | undefined {
  const a = oneKey(c, f, ACTION_WORDS, ACTION_KEYS, 'an action', ACTION_EXPECTED);
  if (a === undefined) return undefined;
  if ('word' in a) {
    if (a.word === 'swallow') return { kind: 'swallow' };
    if (a.word === 'close') return { kind: 'close', how: 'fin' };
    return { kind: 'tls-abort' };
  }
  const x = a.value;
  switch (a.key) {
    case 'delay-ms': {
      const delay = c.number(x, { ...DELAY, expected: ms('milliseconds') });
      return delay === undefined ? undefined : { kind: 'delay', ms: delay };
    }
    case 'fragment': {
      const m = c.map(x, ['size', 'gap-ms'], 'a mapping {size, gap-ms}');
      if (m === undefined) return undefined;
      const size = m.required(
        'size',
        (y) => c.number(y, { integer: true, min: 1 }),
        'bytes per piece, an integer >= 1',
      );
      const gapMs = m.required(
        'gap-ms',
        (y) => c.number(y, { ...DELAY, expected: ms('milliseconds between pieces') }),
        ms('milliseconds between pieces'),
      );
      return size === undefined || gapMs === undefined ? undefined : { kind: 'fragment', size, gapMs };
    }
    case 'throttle': {
      const bytesPerSecond = c.number(x, {
        integer: true,
        min: 1,
        expected: 'bytes per second, an integer >= 1',
      });
      return bytesPerSecond === undefined ? undefined : { kind: 'throttle', bytesPerSecond };
    }
    case 'replace': {
      const reply = readReply(c, x);
      return reply === undefined ? undefined : { kind: 'replace', reply };
    }
    case 'multiline': {
      const expected = 'a non-empty list of reply lines';
      const items = c.list(x, expected);
      if (items === undefined) return undefined;
      if (items.length === 0) {
        c.fail(x, `is an empty list (expected ${expected})`);
        return undefined;
      }
      const lines = items.map((item) => replyLine(c, item, 'a string'));
      return lines.every((l) => l !== undefined)
        ? { kind: 'multiline', lines: lines as string[] }
        : undefined;
    }
    case 'garbage': {
      const bytes = c.string(x, { nonEmpty: true, expected: 'the text to inject, a non-empty string' });
      return bytes === undefined ? undefined : { kind: 'garbage', bytes };
    }
    case 'close': {
      const how = c.oneOf(x, ['fin', 'rst'] as const);
      return how === undefined ? undefined : { kind: 'close', how };
    }
    default: {
      const reply = readReply(c, x);
      return reply === undefined ? undefined : { kind: 'reply-and-close', reply };
    }
  }
}

function readFault(c: Checker, f: Field, hasSeed: boolean): Fault | undefined {
  const m = c.map(f, FAULT_KEYS, 'a fault {on, do, times, connections, chance}');
  if (m === undefined) return undefined;
  const on = m.required('on', (x) => readTrigger(c, x), TRIGGER_EXPECTED);
  const action = m.required('do', (x) => readAction(c, x), ACTION_EXPECTED);
  const times = m.optional('times', (x) => c.number(x, { integer: true, min: 1 }));
  const connections = m.optional('connections', (x) => {
    const expected = 'a list of connection numbers, integers >= 1 (1 = the first connection)';
    const items = c.list(x, expected);
    if (items === undefined) return undefined;
    if (items.length === 0) {
      c.fail(x, `is an empty list (expected ${expected}; leave it out for every connection)`);
      return undefined;
    }
    const ns = items.map((item) => c.number(item, { integer: true, min: 1 }));
    return ns.every((n) => n !== undefined) ? (ns as number[]) : undefined;
  });
  const chance = m.optional('chance', (x) => {
    const p = c.number(x, { above: 0, max: 1, expected: 'a probability, a number > 0 and <= 1' });
    if (p !== undefined && !hasSeed) {
      c.fail(
        x,
        'needs a seed (expected a top-level `seed: <integer>`, so every run replays the same faults)',
      );
      return undefined;
    }
    return p;
  });
  if (on === undefined || action === undefined) return undefined;
  return { on, do: action, times, connections, chance };
}

function readClient(
  c: Checker,
  f: Field | undefined,
  server: ServerBehaviour,
): { client: ClientBrief; imageField: Field | undefined } {
  const client: ClientBrief = {
    from: DEFAULT_ACCOUNT.user,
    to: [DEFAULT_RECIPIENT],
    tls: server.tls,
    auth: server.auth === 'required',
    subject: undefined,
    body: undefined,
    image: undefined,
  };
  if (f === undefined) return { client, imageField: undefined };
  const m = c.map(f, CLIENT_KEYS);
  if (m === undefined) return { client, imageField: undefined };
  client.from =
    m.optional('from', (x) => c.string(x, { nonEmpty: true, expected: 'an address' })) ?? client.from;
  client.to =
    m.optional('to', (x) => {
      const expected = 'an address, or a non-empty list of addresses';
      if (x.node !== null && typeof c.scalar(x) === 'string') {
        const one = c.string(x, { nonEmpty: true, expected });
        return one === undefined ? undefined : [one];
      }
      const items = c.list(x, expected);
      if (items === undefined) return undefined;
      if (items.length === 0) {
        c.fail(x, `is an empty list (expected ${expected})`);
        return undefined;
      }
      const all = items.map((item) => c.string(item, { nonEmpty: true, expected: 'an address' }));
      return all.every((a) => a !== undefined) ? (all as string[]) : undefined;
    }) ?? client.to;
  client.tls = m.optional('tls', (x) => c.oneOf(x, TLS_OFFERS)) ?? client.tls;
  client.auth = m.optional('auth', (x) => c.boolean(x)) ?? client.auth;
  client.subject = m.optional('subject', (x) => c.string(x));
  client.body = m.optional('body', (x) => c.string(x));
  client.image = m.optional('image', (x) =>
    c.string(x, { nonEmpty: true, expected: 'a file path relative to the scenario file' }),
  );
  return { client, imageField: m.get('image') };
}

function readChecks(c: Checker, f: Field): CheckSpec[] | undefined {
  const expected = 'a non-empty list of checks, each with an id and points';
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, `is an empty list (expected ${expected})`);
    return undefined;
  }
  const seen = new Map<string, number>();
  const out: CheckSpec[] = [];
  for (const item of items) {
    const m = c.map(item, CHECK_KEYS, 'a check {id, points, tier, hint}');
    if (m === undefined) continue;
    const id = m.required('id', (x) => checkId(c, x), 'a check id from the rubric, like reads-whole-replies');
    if (id !== undefined) {
      const idField = m.get('id')!;
      const first = seen.get(id);
      if (first !== undefined) {
        c.fail(
          idField,
          `duplicate check id ${JSON.stringify(id)}, first used on line ${first} (expected each check once)`,
        );
      } else {
        seen.set(id, c.lineOf(idField.offset));
      }
    }
    const points = m.required(
      'points',
      (x) => c.number(x, { min: 0, max: MAX_POINTS }),
      `a number from 0 to ${MAX_POINTS}`,
    );
    const tier = m.optional('tier', (x) => c.oneOf(x, TIERS)) ?? 'baseline';
    const hints = m.optional('hint', (x) => readLocalized(c, x));
    if (id !== undefined && points !== undefined) {
      out.push({ id, points, tier, hint: hints?.text, ...(hints?.byLang ? { hints: hints.byLang } : {}) });
    }
  }
  return out;
}

function readExpect(c: Checker, f: Field | undefined): Expectation {
  const expect: Expectation = { delivered: 1, failsAt: undefined, code: undefined };
  if (f === undefined) return expect;
  const m = c.map(f, EXPECT_KEYS);
  if (m === undefined) return expect;
  expect.failsAt = m.optional('fails-at', (x) => c.oneOf(x, PHASES));
  expect.code = m.optional('code', (x) => c.number(x, REPLY_CODE));
  expect.delivered =
    m.optional('delivered', (x) => c.number(x, { integer: true, min: 0 })) ?? (m.has('fails-at') ? 0 : 1);
  return expect;
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
  // Judged before reading: a huge file (or a device that never ends) is not read into memory.
  const info = await stat(file);
  if (!info.isFile() || info.size > MAX_SCENARIO_BYTES) {
    const message = info.isFile()
      ? `the file is ${info.size} bytes (expected a scenario file of at most ${MAX_SCENARIO_BYTES} bytes)`
      : 'is not a regular file (expected a YAML scenario file)';
    throw new ScenarioError(file, [{ line: 1, column: 1, field: '', message }]);
  }
  const text = await readFile(file, 'utf8');
  const a = analyse(text);
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

/** The folder of built-in scenario files: `scenarios/` at the package root. */
export function builtinScenarioDir(): string {
  return fileURLToPath(new URL('../../scenarios/', import.meta.url));
}

async function builtinIds(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => n.slice(0, -'.yaml'.length))
    .sort();
}

/** Every built-in scenario (`*.yaml` in `dir`), sorted by id; `source` is the id. */
export async function listBuiltinScenarios(dir: string = builtinScenarioDir()): Promise<Scenario[]> {
  const ids = await builtinIds(dir);
  const out: Scenario[] = [];
  for (const id of ids) {
    const scenario = await loadScenarioFile(path.join(dir, `${id}.yaml`));
    out.push({ ...scenario, source: id });
  }
  return out;
}

/**
 * The built-in scenario with this id; `source` is the id.
 * @throws UnknownScenarioError naming the closest ids; ScenarioError if the file is malformed.
 */
export async function loadBuiltinScenario(id: string, dir: string = builtinScenarioDir()): Promise<Scenario> {
  const ids = await builtinIds(dir);
  if (!ids.includes(id)) throw new UnknownScenarioError(id, ids);
  const scenario = await loadScenarioFile(path.join(dir, `${id}.yaml`));
  return { ...scenario, source: id };
}

/** A path (contains a slash, or ends in .yaml or .yml) loads that file; anything else is a built-in id. */
export function isScenarioPath(idOrFile: string): boolean {
  return /[\\/]/.test(idOrFile) || /\.ya?ml$/i.test(idOrFile);
}

/** `serve --scenario ID|FILE`: a built-in id or the path of a scenario file. */
export async function resolveScenario(
  idOrFile: string,
  dir: string = builtinScenarioDir(),
): Promise<Scenario> {
  return isScenarioPath(idOrFile) ? loadScenarioFile(idOrFile) : loadBuiltinScenario(idOrFile, dir);
}
