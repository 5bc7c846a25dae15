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
import { phrase, type Phrase, type Words } from './phrase.js';
import { DELAY, ms, REPLY_CODE, word } from './read-values.js';
import { didYouMean } from './suggest.js';
import { MAX_PATTERN_LENGTH } from './vocabulary.js';

export const TRIGGER_EXPECTED = phrase('scenario.expect.wordOrKey', {
  words: TRIGGER_WORDS.join(', '),
  keys: TRIGGER_KEYS.join(', '),
});
export const ACTION_EXPECTED = phrase('scenario.expect.wordOrKey', {
  words: ACTION_WORDS.join(', '),
  keys: ACTION_KEYS.join(', '),
});
const REPLY_EXPECTED = phrase('scenario.expect.reply');
const REPLY_TEXT_EXPECTED = phrase('scenario.expect.replyText');
const STRING_EXPECTED = phrase('scenario.expect.string');

/** A value of a type with no members left: a switch above it has a case for every word. */
function unreachable(x: never): never {
  throw new Error(`unhandled scenario word ${JSON.stringify(x)}`);
}

export function readReply(c: Checker, f: Field): ReplySpec | undefined {
  const m = c.map(f, REPLY_KEYS, REPLY_EXPECTED);
  if (m === undefined) return undefined;
  const code = m.required('code', (x) => c.number(x, REPLY_CODE), REPLY_CODE.expected);
  const text = m.required('text', (x) => replyText(c, x), REPLY_TEXT_EXPECTED);
  return code === undefined || text === undefined ? undefined : { code, text };
}

function replyLine(c: Checker, f: Field, expected: Words): string | undefined {
  const v = c.string(f, { expected });
  if (v === undefined) return undefined;
  if (hasLineBreak(v)) {
    c.fail(f, phrase('scenario.reply.lineBreak'));
    return undefined;
  }
  return v;
}

function replyText(c: Checker, f: Field): string | string[] | undefined {
  const expected = REPLY_TEXT_EXPECTED;
  if (f.node !== null && typeof c.scalar(f) === 'string') return replyLine(c, f, expected);
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, phrase('scenario.emptyList', { expected }));
    return undefined;
  }
  const lines = items.map((item) => replyLine(c, item, STRING_EXPECTED));
  return lines.every((l) => l !== undefined) ? (lines as string[]) : undefined;
}

export function readRule(c: Checker, f: Field): Rule | undefined {
  const m = c.map(f, RULE_KEYS, phrase('scenario.expect.rule'));
  if (m === undefined) return undefined;
  const when = m.required(
    'when',
    (x) => c.oneOf(x, RULE_WHEN),
    phrase('scenario.expect.oneOf', { values: RULE_WHEN.join(', ') }),
  );
  const match = m.optional('match', (x) => pattern(c, x));
  const notMatch = m.optional('not-match', (x) => pattern(c, x));
  const nth = m.optional('nth', (x) => c.number(x, { integer: true, min: 1 }));
  const reply = m.required('reply', (x) => readReply(c, x), REPLY_EXPECTED);
  if (when === undefined || reply === undefined) return undefined;
  return { when, match, ...(notMatch !== undefined ? { notMatch } : {}), nth, reply };
}

const PATTERN_EXPECTED = phrase('scenario.expect.pattern');

/** A rule pattern, checked the way the server will compile it (compilePattern: RE2, linear time). */
function pattern(c: Checker, f: Field): string | undefined {
  const v = c.string(f, { expected: PATTERN_EXPECTED });
  if (v === undefined) return undefined;
  if (v.length > MAX_PATTERN_LENGTH) {
    c.fail(
      f,
      phrase('scenario.pattern.tooLong', {
        length: v.length,
        max: MAX_PATTERN_LENGTH,
        expected: PATTERN_EXPECTED,
      }),
    );
    return undefined;
  }
  try {
    compilePattern(v);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    c.fail(f, phrase('scenario.pattern.invalid', { reason: why, expected: PATTERN_EXPECTED }));
    return undefined;
  }
  return v;
}

/** The messages of oneKey, for a trigger and for an action. */
const ONE_KEY = {
  trigger: {
    not: 'scenario.trigger.not',
    notHint: 'scenario.trigger.notHint',
    twoKeys: 'scenario.trigger.twoKeys',
  },
  action: {
    not: 'scenario.action.not',
    notHint: 'scenario.action.notHint',
    twoKeys: 'scenario.action.twoKeys',
  },
} as const satisfies Record<string, Record<string, Phrase['key']>>;

/** A plain word, or a mapping with exactly one of the keys: a trigger or an action. */
function oneKey<W extends string, K extends string>(
  c: Checker,
  f: Field,
  words: readonly W[],
  keys: readonly K[],
  what: keyof typeof ONE_KEY,
  expected: Phrase,
): { word: W } | { key: K; value: Field } | undefined {
  const say = ONE_KEY[what];
  const v = c.scalar(f);
  if (typeof v === 'string') {
    const known = words.find((w) => w === v);
    if (known !== undefined) return { word: known };
    const hint = didYouMean(v, [...new Set([...words, ...keys])]);
    const value = JSON.stringify(v);
    c.fail(
      f,
      hint === '' ? phrase(say.not, { value, expected }) : phrase(say.notHint, { value, hint, expected }),
    );
    return undefined;
  }
  if (f.node === null || v !== undefined) {
    const value = f.node === null ? phrase('scenario.value.nothing') : String(v);
    c.fail(f, phrase(say.not, { value, expected }));
    return undefined;
  }
  const m = c.map(f, keys, expected);
  if (m === undefined) return undefined;
  const present = m.keys();
  if (present.length === 0) {
    // A mapping whose only keys were unknown has been reported already.
    if (isMap(f.node) && f.node.items.length === 0) c.fail(f, phrase('scenario.empty', { expected }));
    return undefined;
  }
  if (present.length > 1) {
    const second = m.get(present[1]!)!;
    c.failAt(
      second.keyOffset,
      second.path,
      phrase(say.twoKeys, {
        keys: present
          .map((k): Words => k)
          .reduce((all, next) => phrase('scenario.keysAnd', { first: all, second: next })),
        expected,
      }),
    );
    return undefined;
  }
  const key = keys.find((k) => k === present[0])!;
  return { key, value: m.get(key)! };
}

function readTrigger(c: Checker, f: Field): Trigger | undefined {
  const t = oneKey(c, f, TRIGGER_WORDS, TRIGGER_KEYS, 'trigger', TRIGGER_EXPECTED);
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
        expected: phrase('scenario.expect.commandNumber'),
      });
      return n === undefined ? undefined : { kind: 'command', n };
    }
    case 'verb': {
      const verb = word(c, x, /^[A-Za-z]+$/, phrase('scenario.expect.verb'));
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
        expected: phrase('scenario.expect.dataByte'),
      });
      return n === undefined ? undefined : { kind: 'data-byte', n };
    }
    case 'after-ms': {
      const after = c.number(x, { ...DELAY, expected: ms('scenario.expect.msSinceConnect') });
      return after === undefined ? undefined : { kind: 'after', ms: after };
    }
    default:
      return unreachable(t.key);
  }
}

function readAction(c: Checker, f: Field): Action | undefined {
  const a = oneKey(c, f, ACTION_WORDS, ACTION_KEYS, 'action', ACTION_EXPECTED);
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
      const delay = c.number(x, { ...DELAY, expected: ms('scenario.expect.ms') });
      return delay === undefined ? undefined : { kind: 'delay', ms: delay };
    }
    case 'fragment': {
      const m = c.map(x, FRAGMENT_KEYS, phrase('scenario.expect.fragment'));
      if (m === undefined) return undefined;
      const size = m.required(
        'size',
        (y) => c.number(y, { integer: true, min: 1 }),
        phrase('scenario.expect.pieceSize'),
      );
      const gapMs = m.required(
        'gap-ms',
        (y) => c.number(y, { ...DELAY, expected: ms('scenario.expect.msBetween') }),
        ms('scenario.expect.msBetween'),
      );
      return size === undefined || gapMs === undefined ? undefined : { kind: 'fragment', size, gapMs };
    }
    case 'throttle': {
      const bytesPerSecond = c.number(x, {
        integer: true,
        min: 1,
        expected: phrase('scenario.expect.bytesPerSecond'),
      });
      return bytesPerSecond === undefined ? undefined : { kind: 'throttle', bytesPerSecond };
    }
    case 'replace': {
      const reply = readReply(c, x);
      return reply === undefined ? undefined : { kind: 'replace', reply };
    }
    case 'multiline': {
      const expected = phrase('scenario.expect.replyLines');
      const items = c.list(x, expected);
      if (items === undefined) return undefined;
      if (items.length === 0) {
        c.fail(x, phrase('scenario.emptyList', { expected }));
        return undefined;
      }
      const lines = items.map((item) => replyLine(c, item, STRING_EXPECTED));
      return lines.every((l) => l !== undefined)
        ? { kind: 'multiline', lines: lines as string[] }
        : undefined;
    }
    case 'garbage': {
      const bytes = c.string(x, { nonEmpty: true, expected: phrase('scenario.expect.garbage') });
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
  const m = c.map(f, FAULT_KEYS, phrase('scenario.expect.fault'));
  if (m === undefined) return undefined;
  const on = m.required('on', (x) => readTrigger(c, x), TRIGGER_EXPECTED);
  const action = m.required('do', (x) => readAction(c, x), ACTION_EXPECTED);
  const times = m.optional('times', (x) => c.number(x, { integer: true, min: 1 }));
  const connections = m.optional('connections', (x) => {
    const expected = phrase('scenario.expect.connections');
    const items = c.list(x, expected);
    if (items === undefined) return undefined;
    if (items.length === 0) {
      c.fail(x, phrase('scenario.fault.noConnections', { expected }));
      return undefined;
    }
    const ns = items.map((item) => c.number(item, { integer: true, min: 1 }));
    return ns.every((n) => n !== undefined) ? (ns as number[]) : undefined;
  });
  const chance = m.optional('chance', (x) => {
    const p = c.number(x, { above: 0, max: 1, expected: phrase('scenario.expect.chance') });
    if (p !== undefined && !hasSeed) {
      c.fail(x, phrase('scenario.fault.needsSeed'));
      return undefined;
    }
    return p;
  });
  if (on === undefined || action === undefined) return undefined;
  return { on, do: action, times, connections, chance };
}
