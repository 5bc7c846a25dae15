/**
 * The field checker of the scenario loader (it holds no schema: the shapes are in the readers,
 * read-*.ts, and the word lists in vocabulary.ts). It reads values from the YAML document model
 * with their nodes, so every problem can be reported at the line and column where it is written,
 * with the field's path. All problems are collected; nothing stops at the first.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml';
import { phrase, render, type Phrase, type Words } from './phrase.js';
import { didYouMean } from './suggest.js';

/** One problem in a scenario file. `line` and `column` are 1-based. */
export interface ScenarioIssue {
  line: number;
  column: number;
  /** The field's path, e.g. `faults[1].do.fragment.size` (list indexes are 0-based). */
  field: string;
  /** What is wrong, then what was expected in parentheses (in English). */
  message: string;
  /** The same as data: a `scenario.` message key and its values, to render in any language. */
  text?: Phrase | string;
}

/** A value found in the document: its path, its node (aliases followed) and where to cite it. */
export interface Field {
  path: string;
  /** null when the key is present with no value. */
  node: Node | null;
  /** Source offset to cite: the value, or its key when the value is empty. */
  offset: number;
  /** Where its key is written (the item itself in a list). */
  keyOffset: number;
}

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function quote(s: string): string {
  const shown = s.length > 40 ? `${s.slice(0, 40)}...` : s;
  return JSON.stringify(shown);
}

/** How a value is named in a message: `"abc"`, `3.5`, `a list`, `nothing`. */
export function describe(node: Node | null): Words {
  if (node === null) return phrase('scenario.value.nothing');
  if (isMap(node)) return phrase('scenario.value.mapping');
  if (isSeq(node)) return phrase('scenario.value.list');
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return phrase('scenario.value.nothing');
    if (typeof v === 'string') return quote(v);
    return String(v);
  }
  return phrase('scenario.value.unknown');
}

/** `, did you mean "x"?` after a value, or the same message without it. */
function withHint(
  plain: Phrase['key'],
  hinted: Phrase['key'],
  hint: Words | '',
  params: Record<string, Words>,
): Phrase {
  return hint === '' ? phrase(plain, params) : phrase(hinted, { ...params, hint });
}

export type Located = ScenarioIssue & { offset: number };

/**
 * Values the checker may reach through aliases in one file, counted node by node (an alias to a
 * list of ten strings costs eleven). A scenario written by hand reuses a reply or a check a few
 * times; an alias bomb (lists of aliases to lists of aliases) is refused at the alias that
 * crosses the bound instead of being walked for ever.
 */
export const MAX_ALIAS_NODES = 10_000;

/** Problems listed for one file; past this they are counted, not described (a garbage file stays cheap). */
export const MAX_PROBLEMS = 100;

/** The keys of one mapping, checked against the allowed ones. */
export class Entries {
  private readonly fields = new Map<string, Field>();

  constructor(
    private readonly checker: Checker,
    /** The mapping itself; missing keys are reported here. */
    readonly self: Field,
  ) {}

  /** @internal */
  set(key: string, field: Field): void {
    this.fields.set(key, field);
  }

  has(key: string): boolean {
    return this.fields.has(key);
  }

  get(key: string): Field | undefined {
    return this.fields.get(key);
  }

  keys(): string[] {
    return [...this.fields.keys()];
  }

  /** Reads a key that must be present; a missing key is reported at the mapping. */
  required<T>(key: string, read: (f: Field) => T | undefined, expected: Words): T | undefined {
    const f = this.fields.get(key);
    if (f === undefined) {
      this.checker.fail(
        { ...this.self, path: childPath(this.self.path, key) },
        phrase('scenario.missing', { expected }),
      );
      return undefined;
    }
    return read(f);
  }

  /** Reads a key that may be absent (then `undefined`). */
  optional<T>(key: string, read: (f: Field) => T | undefined): T | undefined {
    const f = this.fields.get(key);
    return f === undefined ? undefined : read(f);
  }
}

export class Checker {
  private readonly issues: Located[] = [];
  /** Each alias's target, found in one pass over the document (not one walk per alias). */
  private targets: Map<Alias, Node> | undefined;
  private readonly sizes = new Map<Node, number>();
  private aliasNodes = 0;
  private aliasBombReported = false;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The node an alias stands for: the last anchor of its name before it, as YAML defines. */
  private target(alias: Alias): Node | undefined {
    if (this.targets === undefined) {
      const anchors = new Map<string, Node>();
      const targets = new Map<Alias, Node>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) {
            const found = anchors.get(node.source);
            if (found !== undefined) targets.set(node, found);
          } else if (node.anchor) {
            anchors.set(node.anchor, node);
          }
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  /** Nodes in a subtree (an alias inside counts one: it is charged again when followed). */
  private size(node: Node): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let count = 1;
    if (isCollection(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          if (item.key && typeof item.key === 'object') count += this.size(item.key as Node);
          if (item.value && typeof item.value === 'object') count += this.size(item.value as Node);
        } else if (item && typeof item === 'object') {
          count += this.size(item as Node);
        }
      }
    }
    this.sizes.set(node, count);
    return count;
  }

  /** Problems not listed because MAX_PROBLEMS were already. */
  private unlisted = 0;

  /** Problems so far, in source order (at most MAX_PROBLEMS, then one saying how many more). */
  problems(): Located[] {
    const listed = [...this.issues].sort((a, b) => a.offset - b.offset);
    if (this.unlisted === 0) return listed;
    const last = listed[listed.length - 1]!;
    const text = phrase('scenario.moreProblems', { count: this.unlisted, max: MAX_PROBLEMS });
    return [...listed, { ...last, field: '', message: render(text), text }];
  }

  /** True once MAX_PROBLEMS are listed: further problems are only counted. */
  get saturated(): boolean {
    return this.issues.length >= MAX_PROBLEMS;
  }

  failAt(offset: number, field: string, text: Words): void {
    if (this.issues.length >= MAX_PROBLEMS) {
      this.unlisted++;
      return;
    }
    const { line, col } = this.lines.linePos(offset);
    const kept = typeof text === 'number' ? String(text) : text;
    this.issues.push({ offset, line, column: col, field, message: render(kept), text: kept });
  }

  /** The 1-based line of a source offset. */
  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  fail(f: Field, text: Words): void {
    this.failAt(f.offset, f.path, text);
  }

  /** Wraps a node found at `path`; `keyOffset` is cited when the value is empty. */
  field(path: string, raw: unknown, keyOffset: number): Field | undefined {
    let node = (raw ?? null) as Node | null;
    let offset = keyOffset;
    if (node !== null && node.range) offset = node.range[0];
    if (node !== null && isAlias(node)) {
      const target = this.target(node);
      if (target === undefined) {
        this.failAt(offset, path, phrase('scenario.alias.unknown', { name: node.source }));
        return undefined;
      }
      this.aliasNodes += this.size(target);
      if (this.aliasNodes > MAX_ALIAS_NODES) {
        if (!this.aliasBombReported) {
          this.aliasBombReported = true;
          this.failAt(offset, path, phrase('scenario.alias.tooMany', { max: MAX_ALIAS_NODES }));
        }
        return undefined;
      }
      node = target;
    }
    if (node !== null && isScalar(node) && node.value === null && node.source === '') offset = keyOffset;
    if (node !== null && isScalar(node) && node.value === null) node = null;
    return { path, node, offset, keyOffset };
  }

  /** A mapping whose keys are all among `allowed`; unknown keys are reported with a suggestion. */
  map(
    f: Field,
    allowed: readonly string[],
    expected: Words = phrase('scenario.expect.mapping'),
  ): Entries | undefined {
    if (f.node === null || !isMap(f.node)) {
      this.fail(f, phrase('scenario.notMapping', { value: describe(f.node), expected }));
      return undefined;
    }
    const entries = new Entries(this, f);
    const seen = new Map<string, number>();
    for (const pair of f.node.items) {
      const keyNode = pair.key as Node | null;
      const keyOffset = keyNode?.range?.[0] ?? f.offset;
      const key = keyNode !== null && isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== 'string') {
        this.failAt(
          keyOffset,
          f.path,
          phrase('scenario.key.notName', { value: describe(keyNode), allowed: allowed.join(', ') }),
        );
        continue;
      }
      const path = childPath(f.path, key);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        this.failAt(keyOffset, path, phrase('scenario.key.duplicate', { line: this.lineOf(earlier) }));
        continue;
      }
      seen.set(key, keyOffset);
      if (!allowed.includes(key)) {
        // Past the listed problems only the count matters: no suggestion to compute.
        const hint = this.saturated ? '' : didYouMean(key, allowed);
        this.failAt(
          keyOffset,
          path,
          withHint('scenario.key.unknown', 'scenario.key.unknownHint', hint, {
            key: JSON.stringify(key),
            allowed: allowed.join(', '),
          }),
        );
        continue;
      }
      const value = this.field(path, pair.value, keyOffset);
      if (value !== undefined) entries.set(key, value);
    }
    return entries;
  }

  /** The items of a list, each as a field `path[i]`. */
  list(f: Field, expected: Words): Field[] | undefined {
    if (f.node === null || !isSeq(f.node)) {
      this.fail(f, phrase('scenario.notList', { value: describe(f.node), expected }));
      return undefined;
    }
    const out: Field[] = [];
    f.node.items.forEach((item, i) => {
      const itemOffset = (item as Node | null)?.range?.[0] ?? f.offset;
      const field = this.field(`${f.path}[${i}]`, item, itemOffset);
      if (field !== undefined) out.push(field);
    });
    return out;
  }

  scalar(f: Field): unknown {
    return f.node !== null && isScalar(f.node) ? f.node.value : undefined;
  }

  string(f: Field, opts: { nonEmpty?: boolean; expected?: Words } = {}): string | undefined {
    const expected = opts.expected ?? stringExpected(opts.nonEmpty);
    const v = this.scalar(f);
    if (typeof v !== 'string') {
      this.fail(f, phrase('scenario.notString', { value: describe(f.node), expected }));
      return undefined;
    }
    if (opts.nonEmpty && v.trim() === '') {
      this.fail(f, phrase('scenario.empty', { expected }));
      return undefined;
    }
    return v;
  }

  boolean(f: Field): boolean | undefined {
    const v = this.scalar(f);
    if (typeof v !== 'boolean') {
      this.fail(f, phrase('scenario.notBoolean', { value: describe(f.node) }));
      return undefined;
    }
    return v;
  }

  /** A finite number within bounds; `integer` also requires a whole number. */
  number(
    f: Field,
    opts: { integer?: boolean; min?: number; max?: number; above?: number; expected?: Words } = {},
  ): number | undefined {
    const expected = opts.expected ?? numberExpected(opts);
    const v = this.scalar(f);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(f, phrase('scenario.notNumber', { value: describe(f.node), expected }));
      return undefined;
    }
    if (opts.integer && !Number.isSafeInteger(v)) {
      this.fail(f, phrase('scenario.notInteger', { value: v, expected }));
      return undefined;
    }
    const tooSmall =
      (opts.min !== undefined && v < opts.min) || (opts.above !== undefined && v <= opts.above);
    if (tooSmall || (opts.max !== undefined && v > opts.max)) {
      this.fail(f, phrase('scenario.outOfRange', { value: v, expected }));
      return undefined;
    }
    return v;
  }

  /** One of a fixed set of words; a near miss gets a suggestion. */
  oneOf<T extends string>(f: Field, values: readonly T[]): T | undefined {
    const v = this.scalar(f);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' && !this.saturated ? didYouMean(v, values) : '';
    const params = { value: describe(f.node), values: values.join(', ') };
    this.fail(
      f,
      typeof v === 'string'
        ? withHint('scenario.oneOf.notAllowed', 'scenario.oneOf.notAllowedHint', hint, params)
        : withHint('scenario.oneOf.notWord', 'scenario.oneOf.notWordHint', hint, params),
    );
    return undefined;
  }
}

/** What a string field expects unless told: `a string`, or `a non-empty string`. */
export function stringExpected(nonEmpty: boolean | undefined): Phrase {
  return phrase(nonEmpty ? 'scenario.expect.nonEmptyString' : 'scenario.expect.string');
}

/** What a number field expects unless told: `an integer from 0 to 100`, `an integer >= 1`, `a number`. */
function numberExpected(opts: { integer?: boolean; min?: number; max?: number; above?: number }): Phrase {
  const integer = opts.integer === true;
  if (opts.min !== undefined && opts.max !== undefined) {
    const key = integer ? 'scenario.expect.integerFromTo' : 'scenario.expect.numberFromTo';
    return phrase(key, { min: opts.min, max: opts.max });
  }
  const bounds: Phrase[] = [];
  if (opts.above !== undefined) bounds.push(phrase('scenario.bound.above', { n: opts.above }));
  if (opts.min !== undefined) bounds.push(phrase('scenario.bound.min', { n: opts.min }));
  if (opts.max !== undefined) bounds.push(phrase('scenario.bound.max', { n: opts.max }));
  if (bounds.length === 0) return phrase(integer ? 'scenario.expect.integer' : 'scenario.expect.number');
  const joined = bounds.reduce((all: Words, next) =>
    phrase('scenario.bound.and', { first: all, second: next }),
  );
  return phrase(integer ? 'scenario.expect.integerBounded' : 'scenario.expect.numberBounded', {
    bounds: joined,
  });
}
