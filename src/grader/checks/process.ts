import { lines, type CheckDef } from './context.js';

/** How the client process ended: every scenario judges it. */

export const PROCESS_CHECKS: readonly CheckDef[] = [
  {
    id: 'exits-cleanly',
    title: 'exits with the right status, without hanging',
    judges:
      "the client process: exit status 0 after a delivery, non-zero where the scenario's lesson is a failure, never killed at the time limit",
    tier: 'baseline',
    hint: 'Exit with status 0 on success, non-zero on failure, and never wait forever.',
    judge: (run) => {
      const client = run.evidence.client;
      if (!client) return { passed: false, applicable: false, notes: ['no client process in this run'] };
      // Where the client was when it ended: a crash after MAIL FROM is not a missing RCPT.
      const where = () => {
        const session = run.sessions.findLast((s) => lines(s).some(({ line }) => !line.injected));
        const last = session && lines(session).findLast(({ line }) => !line.injected);
        return session && last
          ? [{ session, item: last.index, why: 'the last line the client sent before it ended' }]
          : [];
      };
      if (client.timedOut)
        return { passed: false, notes: ['the client was killed after the time limit'], evidence: where() };
      const shouldFail = run.evidence.scenario.expect.failsAt !== undefined;
      const ok = shouldFail ? client.exitCode !== 0 : client.exitCode === 0;
      if (ok) return { passed: true };
      return {
        passed: false,
        notes: [
          client.exitCode === null
            ? 'the client did not exit normally (killed by a signal, or it never started)'
            : `exit status ${client.exitCode} (expected ${shouldFail ? 'non-zero: the send failed' : '0'})`,
        ],
        evidence: where(),
      };
    },
  },
];
