/**
 * The readers of what the lab server executes: rules (meaning-level replies), faults (a trigger
 * and an action on the wire) and the replies both make. The words are the server's
 * (src/server/vocabulary.ts); every switch over them is exhaustive, so a word added there fails
 * to compile here until it is read.
 */
import { isMap } from 'yaml';
import { hasLineBreak } from '../protocol/command.js';
import { compilePattern } from '../server/rules.js';
import {
  ACTION_KEYS,
  ACTION_WORDS,
  CLOSE_HOW,
  FAULT_KEYS,
  FRAGMENT_KEYS,
  REPLY_KEYS,
  RULE_KEYS,
  RULE_WHEN,
  TRIGGER_KEYS,
  TRIGGER_WORDS,
  type Action,
  type Fault,
  type ReplySpec,
  type Rule,
  type Trigger,
} from '../server/vocabulary.js';
import type { Checker, Field } from './checker.js';
import { DELAY, ms, REPLY_CODE, word } from './read-values.js';
import { didYouMean } from './suggest.js';
import { MAX_PATTERN_LENGTH } from './vocabulary.js';

export const TRIGGER_EXPECTED = `${TRIGGER_WORDS.join(', ')}, or a mapping with one of: ${TRIGGER_KEYS.join(', ')}`;
export const ACTION_EXPECTED = `${ACTION_WORDS.join(', ')}, or a mapping with one of: ${ACTION_KEYS.join(', ')}`;

/** A value of a type with no members left: a switch above it has a case for every word. */
function unreachable(x: never): never {
  throw new Error(`unhandled scenario word ${JSON.stringify(x)}`);
}

export function readReply(c: Checker, f: Field): ReplySpec | undefined {
  const m = c.map(f, REPLY_KEYS, 'a reply {code, text}');
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
  if (hasLineBreak(v)) {
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

export function readRule(c: Checker, f: Field): Rule | undefined {
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
function oneKey<W extends string, K extends string>(
  c: Checker,
  f: Field,
  words: readonly W[],
  keys: readonly K[],
  what: string,
  expected: string,
): { word: W } | { key: K; value: Field } | undefined {
  const v = c.scalar(f);
  if (typeof v === 'string') {
    const known = words.find((w) => w === v);
    if (known !== undefined) return { word: known };
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
  const key = keys.find((k) => k === present[0])!;
  return { key, value: m.get(key)! };
}

function readTrigger(c: Checker, f: Field): Trigger | undefined {
  const t = oneKey(c, f, TRIGGER_WORDS, TRIGGER_KEYS, 'a trigger', TRIGGER_EXPECTED);
  if (t === undefined) return undefined;
  if ('word' in t) {
    switch (t.word) {
      case 'greeting':
        return { kind: 'greeting' };
      case 'every-reply':
        return { kind: 'every-reply' };
      default:
        return unreachable(t.word);
    }
  }
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
    case 'after-ms': {
      const after = c.number(x, { ...DELAY, expected: ms('milliseconds since connect') });
      return after === undefined ? undefined : { kind: 'after', ms: after };
    }
    default:
      return unreachable(t.key);
  }
}

function readAction(c: Checker, f: Field): Action | undefined {
  const a = oneKey(c, f, ACTION_WORDS, ACTION_KEYS, 'an action', ACTION_EXPECTED);
  if (a === undefined) return undefined;
  if ('word' in a) {
    switch (a.word) {
      case 'swallow':
        return { kind: 'swallow' };
      case 'close':
        return { kind: 'close', how: 'fin' };
      case 'tls-abort':
        return { kind: 'tls-abort' };
      default:
        return unreachable(a.word);
    }
  }
  const x = a.value;
  switch (a.key) {
    case 'delay-ms': {
      const delay = c.number(x, { ...DELAY, expected: ms('milliseconds') });
      return delay === undefined ? undefined : { kind: 'delay', ms: delay };
    }
    case 'fragment': {
      const m = c.map(x, FRAGMENT_KEYS, 'a mapping {size, gap-ms}');
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
      const how = c.oneOf(x, CLOSE_HOW);
      return how === undefined ? undefined : { kind: 'close', how };
    }
    case 'reply-and-close': {
      const reply = readReply(c, x);
      return reply === undefined ? undefined : { kind: 'reply-and-close', reply };
    }
    default:
      return unreachable(a.key);
  }
}

export function readFault(c: Checker, f: Field, hasSeed: boolean): Fault | undefined {
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
