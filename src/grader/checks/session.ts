import type { ServerReply } from '../../transcript/framer.js';
import {
  bodies,
  bodyWhere,
  lines,
  serverBytesBetween,
  type CheckDef,
  type Run,
  type Verdict,
} from './context.js';

/** How the client paces and frames the exchange: greeting, line endings, replies, QUIT. */

/** Verbs a client line glued to the end of another command line starts with (no CRLF between). */
const GLUED = /(?:>|\S)\s*(MAIL FROM:|RCPT TO:|DATA$|QUIT$|RSET$|HELO |EHLO )/i;

export const SESSION_CHECKS: readonly CheckDef[] = [
  {
    id: 'waits-for-greeting',
    title: 'waits for the 220 greeting before sending',
    judges: "the client's first bytes against the first bytes of the greeting, in every session",
    tier: 'baseline',
    hint: 'Read the server\'s "220" line before you send HELO/EHLO.',
    judge: (run) => {
      const evidence: NonNullable<Verdict['evidence']> = [];
      let sent = false;
      for (const session of run.sessions) {
        const first = lines(session)[0];
        if (!first) continue;
        sent = true;
        // Waiting means reading the greeting's first bytes; reading all of it is reads-whole-replies.
        if (!serverBytesBetween(session, -1, first.line.event)) {
          evidence.push({ session, item: first.index, why: run.m.t('verdict.waits-for-greeting.early') });
        }
      }
      if (!sent) return { passed: false, notes: [run.m.t('verdict.sentNothing')] };
      return { passed: evidence.length === 0, evidence };
    },
  },
  {
    id: 'greets',
    title: 'greets with EHLO or HELO',
    judges: 'the first command of the run: EHLO or HELO with a name',
    tier: 'baseline',
    hint: 'Start with "EHLO yourname\\r\\n" (or HELO) and check for a 250 reply.',
    judge: (run) => {
      const first = run.sessions.map((s) => ({ session: s, c: run.commands(s)[0] })).find((x) => x.c);
      if (!first?.c) return { passed: false, notes: [run.m.t('verdict.greets.noCommand')] };
      const verb = run.verb(first.c.line);
      const ok = (verb === 'EHLO' || verb === 'HELO') && first.c.line.command!.args.trim() !== '';
      const notes = ok && !first.c.line.command!.upperCase ? [run.m.t('verdict.verbLowerCase')] : [];
      return {
        passed: ok && !(run.strict && notes.length),
        evidence: ok && !notes.length ? [] : [{ session: first.session, item: first.c.index }],
        notes,
      };
    },
  },
  {
    id: 'crlf',
    title: 'ends every line with CRLF',
    judges: 'every client line: CRLF at its end, no bare CR inside, no command glued to the end of another',
    tier: 'baseline',
    hint: 'SMTP lines end with "\\r\\n", not "\\n": write the CR too, also in the message body.',
    judge: (run) => {
      // Nothing sent is nothing done right: no points for it.
      if (!run.sentAnything()) return { passed: false, notes: [run.m.t('verdict.sentNothing')] };
      const evidence = run.sessions.flatMap((session) =>
        [
          ...lines(session).map(({ line, index }) => ({ line, index, event: line.event })),
          // Body lines, from the body summaries: the flagged ones are kept as samples.
          ...bodies(session).flatMap(({ body, index }) =>
            [...body.bareLf.samples, ...body.bareCr.samples]
              .filter((l, i, all) => all.indexOf(l) === i)
              .map((l) => ({ line: l, index, event: l.event })),
          ),
        ]
          .sort((a, b) => a.event - b.event)
          .flatMap(({ line, index }) => {
            if (!('kind' in line)) {
              const why = run.m.t(
                line.bareCr ? 'verdict.crlf.bodyBareCr' : 'verdict.crlf.bodyBareLf',
                bodyWhere(line),
              );
              return [{ session, item: index, why, bodyLine: line.n }];
            }
            if (line.injected) return [];
            // A message left unfinished when the session ended is data-terminator's to judge.
            if (line.mode === 'data' && line.ending === 'none') return [];
            if (line.bareCr) return [{ session, item: index, why: run.m.t('verdict.crlf.bareCr') }];
            if (line.ending !== 'crlf') {
              const why = run.m.t(line.ending === 'lf' ? 'verdict.crlf.bareLf' : 'verdict.crlf.noEnding');
              return [{ session, item: index, why }];
            }
            const glued = line.mode === 'command' ? GLUED.exec(line.text) : null;
            if (glued && line.command?.verb !== 'AUTH') {
              return [
                {
                  session,
                  item: index,
                  why: run.m.t('verdict.crlf.glued', { verb: glued[1]!.trim() }),
                },
              ];
            }
            return [];
          })
          .slice(0, 3),
      );
      return { passed: evidence.length === 0, evidence };
    },
  },
  {
    id: 'waits-for-replies',
    title: 'waits for each reply before the next command',
    judges: 'each command against the first bytes of the reply to the one before (PIPELINING exempt)',
    tier: 'baseline',
    hint: 'After each command, read the reply before sending the next one.',
    judge: (run) => pacing(run, 'any'),
  },
  {
    id: 'reads-whole-replies',
    title: 'reads whole replies (multi-line, fragmented) before going on',
    judges:
      'each client line against the last bytes of the reply before it, the greeting included, even if the client then died',
    tier: 'robustness',
    hint: 'A reply can arrive in pieces and span several lines: keep reading until a line whose 4th character is a space (e.g. "250 OK\\r\\n"). One recv(1024) is not one reply.',
    judge: (run) => pacing(run, 'whole'),
  },
  {
    id: 'quit',
    title: 'sends QUIT and reads the 221',
    judges: 'the last session: a QUIT command, answered 221, and the 221 sent before the client closed',
    tier: 'baseline',
    hint: 'Send "QUIT\\r\\n" and read the "221" before closing the socket.',
    judge: (run) => {
      const session = run.sessions.at(-1);
      if (!session) return { passed: false, notes: [run.m.t('verdict.quit.neverConnected')] };
      const commands = run.commands(session);
      const quit = commands.findLast((c) => run.verb(c.line) === 'QUIT');
      if (!quit) {
        const inBody = bodies(session)
          .filter(({ body }) => !body.ended)
          .flatMap(({ body, index }) =>
            [...body.head, ...(body.unfinished ? [body.unfinished] : [])]
              .filter((l) => /^quit\s*$/i.test(l.text))
              .map((l) => ({ index, line: l })),
          )[0];
        if (inBody) {
          return {
            passed: false,
            notes: [run.m.t('verdict.quit.insideData')],
            evidence: [
              {
                session,
                item: inBody.index,
                bodyLine: inBody.line.n,
                why: run.m.t('verdict.quit.stillInData'),
              },
            ],
          };
        }
        const last = commands.at(-1);
        return {
          passed: false,
          notes: [run.m.t('verdict.quit.notSent')],
          evidence: last ? [{ session, item: last.index }] : [],
        };
      }
      const reply = run.replyTo(session, quit.index);
      if (reply && reply.reply.code !== 221) {
        return {
          passed: false,
          evidence: [
            {
              session,
              item: quit.index,
              why: run.m.t('verdict.quit.not221', { code: reply.reply.code }),
            },
          ],
        };
      }
      const closed = session.items.find(
        (i) =>
          i.kind === 'note' &&
          i.event > quit.line.event &&
          (i.noteKind === 'client-closed' || i.noteKind === 'client-half-closed'),
      );
      const closedAt = closed?.kind === 'note' ? closed.event : -1;
      if (!reply || (closedAt !== -1 && reply.event > closedAt)) {
        return {
          passed: false,
          evidence: [{ session, item: quit.index, why: run.m.t('verdict.quit.closedEarly') }],
        };
      }
      return { passed: true };
    },
  },
];

/**
 * waits-for-replies ('any': some of the previous reply arrived first) and reads-whole-replies
 * ('whole': all of it did). Commands that PIPELINING lets a client group are exempt when the
 * server advertised it. For 'whole' the first line of a session (complete or not) must follow
 * the whole greeting: a client that spoke into a half-sent greeting and died fails too.
 */
function pacing(run: Run, need: 'any' | 'whole'): Verdict {
  const evidence: NonNullable<Verdict['evidence']> = [];
  if (!run.sentAnything()) return { passed: false, notes: [run.m.t('verdict.sentNothing')] };
  for (const session of run.sessions) {
    const pipelining = session.items.some(
      (i) => i.kind === 'reply' && i.reply.lines.slice(1).some((l) => /^PIPELINING\b/i.test(l)),
    );
    const first = lines(session)[0];
    if (need === 'whole' && first) {
      const greeting = session.items.find(
        (i): i is ServerReply => i.kind === 'reply' && i.answers === 'greeting',
      );
      // The greeting's first bytes came before the line (else it is waits-for-greeting's) but not
      // its last: still arriving, or never completed because the client left first.
      const started = serverBytesBetween(session, -1, first.line.event);
      if (started && (!greeting || greeting.lastEvent >= first.line.event)) {
        evidence.push({ session, item: first.index, why: run.m.t('verdict.pacing.duringGreeting') });
      }
    }
    const commands = run.commands(session);
    commands.forEach(({ line, index }, k) => {
      const previous = commands[k - 1];
      if (!previous) return;
      const verb = run.verb(previous.line);
      if (pipelining && (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET')) return;
      if (!serverBytesBetween(session, previous.line.event, line.event)) {
        const why = verb
          ? run.m.t('verdict.pacing.beforeReply', { verb })
          : run.m.t('verdict.pacing.beforeReplyToPrevious');
        evidence.push({ session, item: index, why });
        return;
      }
      const reply = run.replyTo(session, previous.index);
      if (need === 'whole' && (!reply || reply.lastEvent >= line.event)) {
        const why = verb
          ? run.m.t('verdict.pacing.duringReply', { verb })
          : run.m.t('verdict.pacing.duringReplyToPrevious');
        evidence.push({ session, item: index, why });
      }
    });
  }
  if (!evidence.length && !run.allCommands().length) {
    return { passed: false, notes: [run.m.t('verdict.pacing.noCompleteCommand')] };
  }
  return { passed: evidence.length === 0, evidence: evidence.slice(0, 3) };
}
