import { describe, expect, it } from 'vitest';
import type { Action, Fault, Trigger } from '../../src/scenarios/types.js';
import type { LabServerOptions } from '../../src/server/index.js';
import { sharedCa, withLabServer, type Lab } from '../helpers/lab-server.js';
import { WireProbe } from './wire.js';

/**
 * Every fault action as a client sees it on the wire, from a raw socket: chunk boundaries for
 * fragment and throttle, arrival times for delay (against a generous lower bound only), the bytes
 * for replace, multiline and garbage, silence for swallow, FIN versus RST for close.
 */

function fault(on: Trigger, action: Action, extra: Partial<Fault> = {}): Fault {
  return { on, do: action, times: undefined, connections: undefined, chance: undefined, ...extra };
}

const GREETING = { kind: 'greeting' } as const;
const verb = (v: string): Trigger => ({ kind: 'verb', verb: v });

async function withFaults(
  faults: Fault[],
  fn: (lab: Lab) => Promise<void>,
  options: LabServerOptions = {},
): Promise<void> {
  await withLabServer({ faults, ...options }, fn);
}

/** Connects and reads the whole greeting. */
async function greeted(port: number): Promise<WireProbe> {
  const probe = await WireProbe.connect(port);
  await probe.reply(0);
  return probe;
}

describe('wire faults seen from a raw socket', () => {
  it('fragment: the reply arrives in pieces of the given size, the given gap apart', async () => {
    await withFaults([fault(GREETING, { kind: 'fragment', size: 20, gapMs: 50 })], async (lab) => {
      const probe = await greeted(lab.server.port);
      const sizes = probe.chunks.map((c) => c.data.length);
      const total = probe.text.length;
      expect(probe.text).toMatch(/^220 [^\r\n]+\r\n$/);
      expect(sizes).toEqual([...Array(Math.floor(total / 20)).fill(20), ...(total % 20 ? [total % 20] : [])]);
      const span = probe.chunks.at(-1)!.t - probe.chunks[0]!.t;
      expect(span).toBeGreaterThanOrEqual((sizes.length - 1) * 50 * 0.8);
      probe.destroy();
    });
  });

  it('throttle: the reply trickles in small pieces at about the given rate', async () => {
    // 200 bytes/s: 10-byte pieces, 50 ms apart.
    await withFaults([fault(GREETING, { kind: 'throttle', bytesPerSecond: 200 })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(Math.max(...probe.chunks.map((c) => c.data.length))).toBeLessThanOrEqual(10);
      expect(probe.chunks.length).toBe(Math.ceil(probe.text.length / 10));
      const span = probe.chunks.at(-1)!.t - probe.chunks[0]!.t;
      expect(span).toBeGreaterThanOrEqual(((probe.text.length - 10) / 200) * 1000 * 0.8);
      probe.destroy();
    });
  });

  it('delay: nothing arrives before the delay is over', async () => {
    await withFaults([fault(GREETING, { kind: 'delay', ms: 400 })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(probe.chunks[0]!.t).toBeGreaterThanOrEqual(350);
      probe.destroy();
    });
  });

  it('garbage: bytes that are not SMTP come before the reply', async () => {
    await withFaults([fault(GREETING, { kind: 'garbage', bytes: '** not smtp **\r\n' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(probe.text).toMatch(/^\*\* not smtp \*\*\r\n220 [^\r\n]+\r\n$/);
      probe.destroy();
    });
  });

  it('replace: the fault answers the command and the server never sees it', async () => {
    const reply = { code: 451, text: '4.3.0 Try again later' };
    await withFaults([fault(verb('MAIL'), { kind: 'replace', reply })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(await probe.command('EHLO probe.test')).toMatch(/^250-/);
      expect(await probe.command('MAIL FROM:<a@smtp-lab.test>')).toBe('451 4.3.0 Try again later\r\n');
      // The backend has no sender: MAIL never reached it.
      expect(await probe.command('RCPT TO:<b@smtp-lab.test>')).toMatch(/^503 /);
      probe.destroy();
    });
  });

  it('multiline: the reply gets extra lines in front, with hyphens', async () => {
    await withFaults(
      [fault(verb('NOOP'), { kind: 'multiline', lines: ['first line', 'second line'] })],
      async (lab) => {
        const probe = await greeted(lab.server.port);
        expect(await probe.command('NOOP')).toMatch(
          /^250-first line\r\n250-second line\r\n250 [^\r\n]*\r\n$/,
        );
        probe.destroy();
      },
    );
  });

  it('swallow: no reply comes, and the next command is answered as usual', async () => {
    await withFaults([fault(verb('NOOP'), { kind: 'swallow' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      const from = probe.text.length;
      probe.write('NOOP\r\n');
      expect(await probe.quiet(300)).toBe(true);
      expect(probe.text.slice(from)).toBe('');
      const rset = await probe.command('RSET');
      expect(rset).toMatch(/^250 [^\r\n]*\r\n$/);
      probe.destroy();
    });
  });

  it('close fin: the connection ends cleanly, without a reply', async () => {
    await withFaults([fault(verb('NOOP'), { kind: 'close', how: 'fin' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      const from = probe.text.length;
      probe.write('NOOP\r\n');
      await probe.until(() => probe.ended, 'FIN');
      expect(probe.error).toBeUndefined();
      expect(probe.text.slice(from)).toBe('');
      probe.destroy();
    });
  });

  it('close rst: the connection is reset (ECONNRESET), without a reply', async () => {
    await withFaults([fault(verb('NOOP'), { kind: 'close', how: 'rst' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      const from = probe.text.length;
      probe.write('NOOP\r\n');
      await probe.until(() => probe.error !== undefined, 'RST');
      expect(probe.error!.code).toBe('ECONNRESET');
      expect(probe.ended).toBe(false);
      expect(probe.text.slice(from)).toBe('');
    });
  });

  it('reply-and-close: a 421, then FIN', async () => {
    const reply = { code: 421, text: '4.3.2 Shutting down' };
    await withFaults([fault(verb('MAIL'), { kind: 'reply-and-close', reply })], async (lab) => {
      const probe = await greeted(lab.server.port);
      await probe.command('EHLO probe.test');
      expect(await probe.command('MAIL FROM:<a@smtp-lab.test>')).toBe('421 4.3.2 Shutting down\r\n');
      await probe.until(() => probe.ended, 'FIN after the 421');
      expect(probe.error).toBeUndefined();
      probe.destroy();
    });
  });

  it('454 to STARTTLS: refused, and the session goes on in plaintext with STARTTLS still offered', async () => {
    const reply = { code: 454, text: '4.7.0 TLS not available due to local problem' };
    await withFaults([fault(verb('STARTTLS'), { kind: 'replace', reply })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(await probe.command('EHLO probe.test')).toMatch(/^250-STARTTLS\r\n/m);
      expect(await probe.command('STARTTLS')).toBe('454 4.7.0 TLS not available due to local problem\r\n');
      // Still plaintext on both legs: the backend never upgraded.
      expect(await probe.command('EHLO probe.test')).toMatch(/^250-STARTTLS\r\n/m);
      expect(await probe.command('NOOP')).toMatch(/^250 /);
      probe.destroy();
    });
  });

  it('tls-abort on STARTTLS: a 220, then the handshake is cut', async () => {
    await withFaults([fault(verb('STARTTLS'), { kind: 'tls-abort' })], async (lab) => {
      const ca = (await sharedCa()).caCert;
      const probe = await greeted(lab.server.port);
      await probe.command('EHLO probe.test');
      expect(await probe.command('STARTTLS')).toMatch(/^220 /);
      const error = await probe.startTls({ ca }).then(
        () => undefined,
        (err: NodeJS.ErrnoException) => err,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error!.code ?? error!.message).toMatch(/ECONNRESET|socket disconnected/);
    });
  });

  it('tls-abort on the implicit-TLS greeting: the handshake fails', async () => {
    await withFaults(
      [fault(GREETING, { kind: 'tls-abort' })],
      async (lab) => {
        const ca = (await sharedCa()).caCert;
        const error = await WireProbe.connect(lab.server.tlsPort!, { tls: { ca } }).then(
          (probe) => {
            probe.destroy();
            return undefined;
          },
          (err: NodeJS.ErrnoException) => err,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error!.code ?? error!.message).toMatch(/ECONNRESET|socket disconnected/);
      },
      { tlsPort: 0 },
    );
  });

  it('data-byte close: the connection ends in the middle of the message, and nothing is stored', async () => {
    await withFaults([fault({ kind: 'data-byte', n: 50 }, { kind: 'close', how: 'fin' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      await probe.command('EHLO probe.test');
      await probe.command('MAIL FROM:<a@smtp-lab.test>');
      await probe.command('RCPT TO:<b@smtp-lab.test>');
      expect(await probe.command('DATA')).toMatch(/^354 /);
      const from = probe.text.length;
      for (let i = 0; i < 3; i++) probe.write(`line ${i} of the body, 32 bytes\r\n`);
      await probe.until(() => probe.ended && probe.closed, 'FIN in the middle of DATA');
      expect(probe.error).toBeUndefined();
      // No reply to the body: the 354 was the last thing the server said.
      expect(probe.text.slice(from)).toBe('');
      probe.destroy();
      await lab.sessionsEnded();
      expect(lab.messages).toEqual([]);
      const notes = lab.sessions[0]!.items.filter((i) => i.kind === 'note').map((i) => i.text);
      expect(notes).toContain('fault: close the connection (FIN) (on DATA byte 50)');
    });
  });

  it('after-ms: the connection is closed that long after connect, whatever the client does', async () => {
    await withFaults([fault({ kind: 'after', ms: 300 }, { kind: 'close', how: 'rst' })], async (lab) => {
      const probe = await greeted(lab.server.port);
      // Not closed at connect: a command is answered first.
      expect(await probe.command('NOOP')).toMatch(/^250 /);
      await probe.until(() => probe.error !== undefined, 'RST after 300 ms');
      expect(probe.error!.code).toBe('ECONNRESET');
      // The server's own record times the fault from connect (its clock, not this test's).
      await lab.sessionsEnded();
      const note = lab.sessions[0]!.items.find((i) => i.kind === 'note' && i.noteKind === 'fault');
      // Timers may fire up to a millisecond early against performance.now() (seen: 299.571).
      expect(note?.t).toBeGreaterThanOrEqual(299);
    });
  });

  it('command N: only the Nth command of the connection is answered by the fault', async () => {
    const reply = { code: 550, text: '5.5.0 Not the second command' };
    await withFaults([fault({ kind: 'command', n: 2 }, { kind: 'replace', reply })], async (lab) => {
      const probe = await greeted(lab.server.port);
      expect(await probe.command('NOOP')).toMatch(/^250 /);
      expect(await probe.command('NOOP')).toBe('550 5.5.0 Not the second command\r\n');
      expect(await probe.command('NOOP')).toMatch(/^250 /);
      probe.destroy();
    });
  });

  it('reply code: a fault on a code changes every reply with that code', async () => {
    await withFaults(
      [fault({ kind: 'reply', code: 250 }, { kind: 'multiline', lines: ['noted'] })],
      async (lab) => {
        const probe = await greeted(lab.server.port);
        expect(probe.text).toMatch(/^220 /);
        expect(await probe.command('NOOP')).toMatch(/^250-noted\r\n250 /);
        expect(await probe.command('RSET')).toMatch(/^250-noted\r\n250 /);
        expect(await probe.command('MAIL FROM:<a@smtp-lab.test>')).toMatch(/^503 /);
        probe.destroy();
      },
    );
  });

  it('connections and times: a fault fires only in the connections and as often as it says', async () => {
    const faults = [
      fault(GREETING, { kind: 'garbage', bytes: 'second connection\r\n' }, { connections: [2] }),
      fault(verb('NOOP'), { kind: 'multiline', lines: ['once'] }, { times: 1 }),
    ];
    await withFaults(faults, async (lab) => {
      const first = await greeted(lab.server.port);
      expect(first.text).toMatch(/^220 /);
      expect(await first.command('NOOP')).toMatch(/^250-once\r\n/);
      expect(await first.command('NOOP')).toMatch(/^250 /);
      first.destroy();
      const second = await greeted(lab.server.port);
      expect(second.text).toMatch(/^second connection\r\n220 /);
      expect(await second.command('NOOP')).toMatch(/^250-once\r\n/);
      second.destroy();
    });
  });

  it('chance: the same seed replays the same faults', async () => {
    const faults = [fault(verb('NOOP'), { kind: 'multiline', lines: ['lucky'] }, { chance: 0.5 })];
    const draws = async (seed: number): Promise<boolean[]> => {
      const out: boolean[] = [];
      await withFaults(
        faults,
        async (lab) => {
          const probe = await greeted(lab.server.port);
          for (let i = 0; i < 12; i++) out.push((await probe.command('NOOP')).startsWith('250-lucky'));
          probe.destroy();
        },
        { seed },
      );
      return out;
    };
    const [a, b] = await Promise.all([draws(42), draws(42)]);
    expect(b).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });
});
