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
      if (!client) {
        return { passed: false, applicable: false, notes: [run.m.t('verdict.exits-cleanly.noProcess')] };
      }
      // Where the client was when it ended: a crash after MAIL FROM is not a missing RCPT.
      const where = () => {
        const session = run.sessions.findLast((s) => lines(s).some(({ line }) => !line.injected));
        const last = session && lines(session).findLast(({ line }) => !line.injected);
        return session && last
          ? [{ session, item: last.index, why: run.m.t('verdict.exits-cleanly.lastLine') }]
          : [];
      };
      if (client.timedOut) {
        return { passed: false, notes: [run.m.t('verdict.exits-cleanly.timedOut')], evidence: where() };
      }
      const shouldFail = run.evidence.scenario.reference.failsAt !== undefined;
      const ok = shouldFail ? client.exitCode !== 0 : client.exitCode === 0;
      if (ok) return { passed: true };
      return {
        passed: false,
        notes: [
          client.exitCode === null
            ? run.m.t('verdict.exits-cleanly.abnormal')
            : run.m.t(
                shouldFail
                  ? 'verdict.exits-cleanly.expectedFailure'
                  : 'verdict.exits-cleanly.expectedSuccess',
                { code: client.exitCode },
              ),
        ],
        evidence: where(),
      };
    },
  },
];
