import { messages, type Messages } from '../i18n/index.js';
import { formatReply } from '../protocol/reply.js';
import type { Action, CloseHow, Fault, ReplySpec, Trigger } from './vocabulary.js';

/**
 * Wire faults: deterministic rules that change how replies reach the client (split, slowed,
 * replaced, swallowed, garbage in front) or end the connection. The plan is per run; its state
 * (connection count, seeded random draws) spans connections, so a run replays the same way.
 */

/** One thing the proxy's output does, in order. */
export type Step =
  | { kind: 'write'; data: Buffer }
  | { kind: 'wait'; ms: number }
  | { kind: 'close'; how: CloseHow }
  | { kind: 'tls-abort' }
  /** Hand the client socket to TLS once everything before has been written (after a 220 to STARTTLS). */
  | { kind: 'starttls' };

/**
 * A reply about to go out from the proxy, and what it answers: what faults and personas match on.
 * (Not protocol/codes.ts' ReplyContext, which names where in a session a reply arrives.)
 */
export interface OutgoingReply {
  /** Upper-case verb of the command answered, `GREETING`, or `.` for the end of DATA. */
  verb: string;
  /** 1-based number of the command in this connection (0 for the greeting). */
  n: number;
  code: number;
  /** The reply goes out inside TLS. */
  tls?: boolean;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same draws. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function replyBytes(spec: ReplySpec): Buffer {
  return formatReply(spec.code, spec.text);
}

/**
 * What a fault does, as its note in the transcript says it: the English of the `server.fault.`
 * messages, so that src/server/notes.ts can read a recorded note back by the same templates.
 */
function describeAction(action: Action, m: Messages = messages('en')): string {
  switch (action.kind) {
    case 'delay':
      return m.t('server.fault.action.delay', { ms: action.ms });
    case 'fragment':
      return m.t('server.fault.action.fragment', { size: action.size, gapMs: action.gapMs });
    case 'throttle':
      return m.t('server.fault.action.throttle', { bytesPerSecond: action.bytesPerSecond });
    case 'replace':
      return m.t('server.fault.action.replace', { code: action.reply.code });
    case 'multiline':
      return m.t('server.fault.action.multiline', { count: action.lines.length + 1 });
    case 'garbage':
      return m.t('server.fault.action.garbage');
    case 'swallow':
      return m.t('server.fault.action.swallow');
    case 'close':
      return m.t(action.how === 'rst' ? 'server.fault.action.reset' : 'server.fault.action.close');
    case 'reply-and-close':
      return m.t('server.fault.action.replyAndClose', { code: action.reply.code });
    case 'tls-abort':
      return m.t('server.fault.action.tlsAbort');
  }
}

/** When a fault fires, as its note says it (English unless `m` says otherwise). */
function describeTrigger(trigger: Trigger, m: Messages = messages('en')): string {
  switch (trigger.kind) {
    case 'greeting':
      return m.t('server.fault.trigger.greeting');
    case 'command':
      return m.t('server.fault.trigger.command', { n: trigger.n });
    case 'verb':
      return m.t('server.fault.trigger.verb', { verb: trigger.verb });
    case 'reply':
      return m.t('server.fault.trigger.reply', { code: trigger.code });
    case 'every-reply':
      return m.t('server.fault.trigger.everyReply');
    case 'data-byte':
      return m.t('server.fault.trigger.dataByte', { n: trigger.n });
    case 'after':
      return m.t('server.fault.trigger.after', { ms: trigger.ms });
  }
}

/** The note the server records when `fault` first acts on a connection (English: the transcript's language). */
export function describeFault(fault: Fault, m: Messages = messages('en')): string {
  return m.t('server.fault.note', {
    action: describeAction(fault.do, m),
    trigger: describeTrigger(fault.on, m),
  });
}

export class FaultPlan {
  private connections = 0;
  private readonly random: (() => number) | undefined;

  constructor(
    readonly faults: readonly Fault[],
    seed?: number,
  ) {
    this.random = seed === undefined ? undefined : seededRandom(seed);
  }

  /** The faults of the next connection, numbered from 1 in the order connections arrive. */
  connection(): ConnectionFaults {
    this.connections++;
    const active = this.faults.filter((f) => !f.connections || f.connections.includes(this.connections));
    return new ConnectionFaults(active, this.random);
  }
}

export class ConnectionFaults {
  private readonly fired = new Map<Fault, number>();

  constructor(
    private readonly faults: readonly Fault[],
    private readonly random: (() => number) | undefined,
  ) {}

  /** Faults that end the connection a time after connect. */
  timed(): Array<{ ms: number; fault: Fault }> {
    return this.faults.flatMap((fault) => (fault.on.kind === 'after' ? [{ ms: fault.on.ms, fault }] : []));
  }

  /** A fault that aborts the TLS handshake of an implicit-TLS connection, counted as fired. */
  greetingTlsAbort(): Fault | undefined {
    return this.faults.find((f) => f.on.kind === 'greeting' && f.do.kind === 'tls-abort' && this.fire(f));
  }

  /** The first byte count of the message body at which a fault fires, if any. */
  dataByteFaults(): Fault[] {
    return this.faults.filter((fault) => fault.on.kind === 'data-byte');
  }

  /**
   * A fault that answers this command in place of the server (replace / reply-and-close on a
   * verb or command number): the command is then never forwarded, so the backend's state stays
   * what the client was told (a refused STARTTLS leaves both sides in plaintext).
   */
  interception(verb: string, n: number): Fault | undefined {
    return this.faults.find(
      (fault) =>
        (fault.do.kind === 'replace' || fault.do.kind === 'reply-and-close' || fault.do.kind === 'close') &&
        ((fault.on.kind === 'verb' && fault.on.verb === verb) ||
          (fault.on.kind === 'command' && fault.on.n === n)) &&
        this.fire(fault),
    );
  }

  /** Whether the fault may fire now (times, chance); counts it when it does. */
  fire(fault: Fault): boolean {
    const count = this.fired.get(fault) ?? 0;
    const limit = fault.times ?? (isReplyTrigger(fault.on) ? Infinity : 1);
    if (count >= limit) return false;
    if (fault.chance !== undefined && this.random && this.random() >= fault.chance) return false;
    this.fired.set(fault, count + 1);
    return true;
  }

  /** The reply faults that apply to this reply, in file order. */
  matching(ctx: OutgoingReply): Fault[] {
    return this.faults.filter((fault) => matches(fault.on, ctx) && this.fire(fault));
  }
}

function isReplyTrigger(trigger: Trigger): boolean {
  return trigger.kind === 'every-reply' || trigger.kind === 'reply' || trigger.kind === 'verb';
}

function matches(trigger: Trigger, ctx: OutgoingReply): boolean {
  switch (trigger.kind) {
    case 'greeting':
      return ctx.verb === 'GREETING';
    case 'command':
      return ctx.n === trigger.n;
    case 'verb':
      return ctx.verb === trigger.verb;
    case 'reply':
      return ctx.code === trigger.code;
    case 'every-reply':
      return true;
    default:
      return false;
  }
}

/**
 * Turns one reply into output steps under the given faults, applied in order: content changes
 * (replace, multi-line, garbage) first, then timing (delay, fragment, throttle), then endings.
 */
export function applyFaults(reply: Buffer, faults: readonly Fault[]): Step[] {
  let data = reply;
  let prefix: Buffer = Buffer.alloc(0);
  let delay = 0;
  let pieces: { size: number; gapMs: number } | undefined;
  let ending: Step | undefined;
  let swallow = false;
  for (const { do: action } of faults) {
    switch (action.kind) {
      case 'replace':
        data = replyBytes(action.reply);
        break;
      case 'multiline':
        data = makeMultiline(data, action.lines);
        break;
      case 'garbage':
        prefix = Buffer.concat([prefix, Buffer.from(action.bytes, 'utf8')]);
        break;
      case 'delay':
        delay += action.ms;
        break;
      case 'fragment':
        pieces = { size: action.size, gapMs: action.gapMs };
        break;
      case 'throttle': {
        // Pieces of 1/20 s worth of bytes, 50 ms apart.
        const size = Math.max(1, Math.floor(action.bytesPerSecond / 20));
        pieces = { size, gapMs: Math.round((1000 * size) / action.bytesPerSecond) };
        break;
      }
      case 'swallow':
        swallow = true;
        break;
      case 'close':
        swallow = true;
        ending = { kind: 'close', how: action.how };
        break;
      case 'reply-and-close':
        data = replyBytes(action.reply);
        ending = { kind: 'close', how: 'fin' };
        break;
      case 'tls-abort':
        ending = { kind: 'tls-abort' };
        break;
    }
  }
  const steps: Step[] = [];
  if (delay > 0) steps.push({ kind: 'wait', ms: delay });
  const out = swallow ? prefix : Buffer.concat([prefix, data]);
  if (pieces && out.length > pieces.size) {
    for (let at = 0; at < out.length; at += pieces.size) {
      if (at > 0 && pieces.gapMs > 0) steps.push({ kind: 'wait', ms: pieces.gapMs });
      steps.push({ kind: 'write', data: out.subarray(at, at + pieces.size) });
    }
  } else if (out.length) {
    steps.push({ kind: 'write', data: out });
  }
  if (ending) steps.push(ending);
  return steps;
}

/** "250 OK" plus lines [a, b] becomes "250-a", "250-b", "250 OK" (a multi-line reply). */
export function makeMultiline(reply: Buffer, lines: readonly string[]): Buffer {
  const text = reply.toString('utf8');
  const code = text.slice(0, 3);
  const extra = lines.map((line) => `${code}-${line}\r\n`).join('');
  return Buffer.concat([Buffer.from(extra, 'utf8'), reply]);
}
