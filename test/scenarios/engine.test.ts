import { describe, expect, it } from 'vitest';
import { applyFaults, FaultPlan, type OutgoingReply, type Step } from '../../src/server/faults.js';
import type { Action, Fault, Trigger } from '../../src/scenarios/types.js';

/**
 * The pure fault engine (src/server/faults.ts) as tables: which faults match which reply, how
 * often they fire, and the steps a reply becomes. No server, no socket, no timer: the proxy's
 * timing is the `wait` steps, asserted as data. Bytes are compared as strings so a failure
 * shows a diff.
 */

function fault(on: Trigger, action: Action, more: Partial<Fault> = {}): Fault {
  return { on, do: action, times: undefined, connections: undefined, chance: undefined, ...more };
}

/** Steps with their bytes as text: `write "…"`, `wait 50`, `close fin`. */
function show(steps: Step[]): string[] {
  return steps.map((s) => {
    if (s.kind === 'write') return `write ${JSON.stringify(s.data.toString('utf8'))}`;
    if (s.kind === 'wait') return `wait ${s.ms}`;
    if (s.kind === 'close') return `close ${s.how}`;
    return s.kind;
  });
}

const OK = Buffer.from('250 OK\r\n');

describe('applyFaults: one reply becomes steps', () => {
  const rows: Array<{ name: string; actions: Action[]; steps: string[] }> = [
    { name: 'no fault: the reply as it is', actions: [], steps: ['write "250 OK\\r\\n"'] },
    { name: 'delay', actions: [{ kind: 'delay', ms: 300 }], steps: ['wait 300', 'write "250 OK\\r\\n"'] },
    {
      name: 'delays add up',
      actions: [
        { kind: 'delay', ms: 100 },
        { kind: 'delay', ms: 50 },
      ],
      steps: ['wait 150', 'write "250 OK\\r\\n"'],
    },
    {
      name: 'fragment: pieces with gaps',
      actions: [{ kind: 'fragment', size: 3, gapMs: 20 }],
      steps: ['write "250"', 'wait 20', 'write " OK"', 'wait 20', 'write "\\r\\n"'],
    },
    {
      name: 'fragment larger than the reply: one write',
      actions: [{ kind: 'fragment', size: 64, gapMs: 20 }],
      steps: ['write "250 OK\\r\\n"'],
    },
    {
      name: 'throttle 80 B/s: 4-byte pieces 50 ms apart',
      actions: [{ kind: 'throttle', bytesPerSecond: 80 }],
      steps: ['write "250 "', 'wait 50', 'write "OK\\r\\n"'],
    },
    {
      name: 'replace',
      actions: [{ kind: 'replace', reply: { code: 550, text: '5.7.1 no' } }],
      steps: ['write "550 5.7.1 no\\r\\n"'],
    },
    {
      name: 'multiline: extra lines before the last',
      actions: [{ kind: 'multiline', lines: ['a', 'b'] }],
      steps: ['write "250-a\\r\\n250-b\\r\\n250 OK\\r\\n"'],
    },
    {
      name: 'garbage in front',
      actions: [{ kind: 'garbage', bytes: 'xx\r\n' }],
      steps: ['write "xx\\r\\n250 OK\\r\\n"'],
    },
    { name: 'swallow: nothing written', actions: [{ kind: 'swallow' }], steps: [] },
    {
      name: 'close rst: swallowed, then reset',
      actions: [{ kind: 'close', how: 'rst' }],
      steps: ['close rst'],
    },
    {
      name: 'reply-and-close: the reply, then FIN',
      actions: [{ kind: 'reply-and-close', reply: { code: 421, text: 'bye' } }],
      steps: ['write "421 bye\\r\\n"', 'close fin'],
    },
    {
      name: 'tls-abort after the reply',
      actions: [{ kind: 'tls-abort' }],
      steps: ['write "250 OK\\r\\n"', 'tls-abort'],
    },
    {
      name: 'content before timing, whatever the file order',
      actions: [
        { kind: 'fragment', size: 5, gapMs: 10 },
        { kind: 'replace', reply: { code: 451, text: 'later' } },
      ],
      steps: ['write "451 l"', 'wait 10', 'write "ater\\r"', 'wait 10', 'write "\\n"'],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const faults = row.actions.map((a) => fault({ kind: 'every-reply' }, a));
      expect(show(applyFaults(OK, faults))).toEqual(row.steps);
    });
  }
});

describe('ConnectionFaults.matching: which faults apply to a reply', () => {
  const greeting: OutgoingReply = { verb: 'GREETING', n: 0, code: 220 };
  const ehlo: OutgoingReply = { verb: 'EHLO', n: 1, code: 250 };
  const rcpt: OutgoingReply = { verb: 'RCPT', n: 3, code: 550 };
  const rows: Array<{ on: Trigger; ctx: OutgoingReply; fires: boolean }> = [
    { on: { kind: 'greeting' }, ctx: greeting, fires: true },
    { on: { kind: 'greeting' }, ctx: ehlo, fires: false },
    { on: { kind: 'command', n: 1 }, ctx: ehlo, fires: true },
    { on: { kind: 'command', n: 2 }, ctx: ehlo, fires: false },
    { on: { kind: 'verb', verb: 'RCPT' }, ctx: rcpt, fires: true },
    { on: { kind: 'verb', verb: 'RCPT' }, ctx: ehlo, fires: false },
    { on: { kind: 'reply', code: 550 }, ctx: rcpt, fires: true },
    { on: { kind: 'reply', code: 550 }, ctx: ehlo, fires: false },
    { on: { kind: 'every-reply' }, ctx: greeting, fires: true },
    { on: { kind: 'after', ms: 10 }, ctx: ehlo, fires: false },
    { on: { kind: 'data-byte', n: 10 }, ctx: ehlo, fires: false },
  ];
  for (const row of rows) {
    it(`${JSON.stringify(row.on)} on ${row.ctx.verb} ${row.ctx.code}: ${row.fires ? 'fires' : 'not'}`, () => {
      const f = fault(row.on, { kind: 'swallow' });
      expect(new FaultPlan([f]).connection().matching(row.ctx)).toEqual(row.fires ? [f] : []);
    });
  }
});

describe('how often a fault fires', () => {
  const ehlo: OutgoingReply = { verb: 'EHLO', n: 1, code: 250 };
  const fires = (f: Fault, tries: number) => {
    const conn = new FaultPlan([f]).connection();
    return Array.from({ length: tries }, () => conn.matching(ehlo).length);
  };

  it('reply triggers fire every time by default; command triggers once', () => {
    expect(fires(fault({ kind: 'every-reply' }, { kind: 'swallow' }), 3)).toEqual([1, 1, 1]);
    expect(fires(fault({ kind: 'verb', verb: 'EHLO' }, { kind: 'swallow' }), 3)).toEqual([1, 1, 1]);
    expect(fires(fault({ kind: 'command', n: 1 }, { kind: 'swallow' }), 3)).toEqual([1, 0, 0]);
  });

  it('times caps it per connection; a new connection starts again', () => {
    const f = fault({ kind: 'every-reply' }, { kind: 'swallow' }, { times: 2 });
    const plan = new FaultPlan([f]);
    const first = plan.connection();
    expect([1, 2, 3].map(() => first.matching(ehlo).length)).toEqual([1, 1, 0]);
    expect(plan.connection().matching(ehlo)).toEqual([f]);
  });

  it('connections: only the listed connections of the run', () => {
    const f = fault({ kind: 'every-reply' }, { kind: 'swallow' }, { connections: [2] });
    const plan = new FaultPlan([f]);
    expect([1, 2, 3].map(() => plan.connection().matching(ehlo).length)).toEqual([0, 1, 0]);
  });

  it('chance with a seed: the same seed replays the same draws, another seed differs', () => {
    const f = fault({ kind: 'every-reply' }, { kind: 'swallow' }, { chance: 0.5 });
    const draws = (seed: number) => {
      const conn = new FaultPlan([f], seed).connection();
      return Array.from({ length: 32 }, () => conn.matching(ehlo).length).join('');
    };
    expect(draws(7)).toBe(draws(7));
    expect(draws(7)).not.toBe(draws(8));
    expect(draws(7)).toMatch(/^(?=.*0)(?=.*1)[01]{32}$/);
  });

  it('interception: replace, reply-and-close and close on a verb or number, once', () => {
    const replace = fault(
      { kind: 'verb', verb: 'STARTTLS' },
      { kind: 'replace', reply: { code: 454, text: 'no' } },
    );
    const delay = fault({ kind: 'verb', verb: 'STARTTLS' }, { kind: 'delay', ms: 5 });
    const conn = new FaultPlan([delay, replace]).connection();
    expect(conn.interception('EHLO', 1)).toBeUndefined();
    expect(conn.interception('STARTTLS', 2)).toBe(replace);
  });

  it('timed faults and data-byte faults are listed for the proxy', () => {
    const after = fault({ kind: 'after', ms: 250 }, { kind: 'close', how: 'fin' });
    const byte = fault({ kind: 'data-byte', n: 100 }, { kind: 'close', how: 'rst' });
    const conn = new FaultPlan([after, byte]).connection();
    expect(conn.timed()).toEqual([{ ms: 250, fault: after }]);
    expect(conn.dataByteFaults()).toEqual([byte]);
  });
});
