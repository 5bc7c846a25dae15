import type { ServerReply } from '../../transcript/framer.js';
import { lines, notesOf, serverBytesBetween, type CheckDef, type Verdict } from './context.js';

/** AUTH and TLS: the dialogue, the upgrade, the certificate, no secrets in plaintext. */

export const SECURITY_CHECKS: readonly CheckDef[] = [
  {
    id: 'auth',
    title: 'authenticates (AUTH LOGIN or PLAIN, base64)',
    judges:
      'the AUTH dialogue: each response after its 334, base64 lines, a 235 at the end; the account only where the scenario says it matters',
    tier: 'optional',
    hint: 'AUTH LOGIN: send the user name and the password each base64-encoded on its own line, after each 334.',
    judge: (run) => {
      const which = run.m.t(
        run.evidence.scenario.server.credentials === 'any'
          ? 'verdict.auth.anyAccount'
          : 'verdict.auth.accountMatters',
      );
      const auths = run.allCommands().filter((c) => run.verb(c.line) === 'AUTH' && c.line.mode === 'command');
      if (!auths.length) return { passed: false, notes: [run.m.t('verdict.auth.notSent'), which] };
      const evidence: NonNullable<Verdict['evidence']> = [];
      const notes: string[] = [];
      let accepted = false;
      for (const auth of auths) {
        // The reply that ends the exchange: the first non-334 after the AUTH command.
        const end = auth.session.items.find(
          (i, n): i is ServerReply => n > auth.index && i.kind === 'reply' && i.reply.code !== 334,
        );
        const responses = lines(auth.session).filter(
          (l) => l.index > auth.index && l.line.mode === 'auth' && (!end || l.line.event < end.event),
        );
        let previous = auth.line.event;
        for (const { line, index } of responses) {
          if (!serverBytesBetween(auth.session, previous, line.event)) {
            evidence.push({
              session: auth.session,
              item: index,
              why: run.m.t('verdict.auth.early'),
            });
          }
          if (line.text !== '*' && !/^[A-Za-z0-9+/]*={0,2}$/.test(line.text.trim())) {
            notes.push(run.m.t('verdict.auth.notBase64'));
            evidence.push({
              session: auth.session,
              item: auth.index,
              why: run.m.t('verdict.auth.notBase64Why'),
            });
          }
          previous = line.event;
        }
        if (end?.reply.code === 235) accepted = true;
      }
      if (!accepted) {
        evidence.push(
          ...auths
            .slice(0, 2)
            .map((c) => ({ session: c.session, item: c.index, why: run.m.t('verdict.auth.no235') })),
        );
      }
      return {
        passed: accepted && evidence.length === 0 && notes.length === 0,
        evidence: evidence.slice(0, 3),
        notes: [...new Set(notes), which],
      };
    },
  },
  {
    id: 'starttls',
    title: 'upgrades with STARTTLS',
    judges: 'a STARTTLS command followed by a completed TLS handshake',
    tier: 'optional',
    hint: 'Send STARTTLS, wait for 220, then wrap the socket in TLS (ssl.create_default_context().wrap_socket).',
    judge: (run) => {
      const tried = run.allCommands().find((c) => run.verb(c.line) === 'STARTTLS');
      if (!tried) return { passed: false, notes: [run.m.t('verdict.starttls.notSent')] };
      const started = notesOf(tried.session, 'tls-started').some(({ index }) => index > tried.index);
      return started
        ? { passed: true }
        : {
            passed: false,
            evidence: [
              { session: tried.session, item: tried.index, why: run.m.t('verdict.starttls.noHandshake') },
            ],
          };
    },
  },
  {
    id: 'ehlo-after-starttls',
    title: 'sends EHLO again inside TLS',
    judges: 'the first command inside TLS after STARTTLS: EHLO (HELO has no extensions to learn)',
    tier: 'optional',
    hint: 'After the TLS handshake the session starts over: send EHLO again.',
    judge: (run) => {
      for (const session of run.sessions) {
        if (session.implicitTls) continue;
        const first = run.commands(session).find((c) => c.line.tls);
        if (!first) continue;
        const verb = run.verb(first.line);
        if (verb === 'EHLO') return { passed: true };
        return {
          passed: false,
          evidence: [
            {
              session,
              item: first.index,
              why: run.m.t(
                verb === 'HELO' ? 'verdict.ehlo-after-starttls.helo' : 'verdict.ehlo-after-starttls.notEhlo',
              ),
            },
          ],
        };
      }
      return { passed: false, notes: [run.m.t('verdict.ehlo-after-starttls.none')] };
    },
  },
  {
    id: 'verifies-certificate',
    title: 'refuses a certificate it cannot verify',
    judges: 'a TLS handshake that the client started and then ended without sending a command inside it',
    tier: 'optional',
    hint: 'Use a default TLS context (it verifies the certificate and the host name); never disable verification.',
    judge: (run) => {
      // Refusing a certificate means having been shown one: a plaintext client verified nothing.
      const shown = run.sessions.some(
        (s) => s.implicitTls || notesOf(s, 'tls-started', 'tls-failed').length > 0,
      );
      if (!shown) return { passed: false, notes: [run.m.t('verdict.verifies-certificate.noTls')] };
      const accepted = run.sessions
        .map((session) => ({ session, c: run.commands(session).find((c) => c.line.tls) }))
        .find((x) => x.c);
      if (accepted?.c) {
        return {
          passed: false,
          evidence: [
            {
              session: accepted.session,
              item: accepted.c.index,
              why: run.m.t('verdict.verifies-certificate.wentOn'),
            },
          ],
        };
      }
      return { passed: true };
    },
  },
  {
    id: 'refuses-downgrade',
    title: 'sends no AUTH or mail in plaintext when TLS was required',
    judges: 'AUTH, credentials, MAIL, RCPT and DATA sent outside TLS',
    tier: 'optional',
    hint: 'If STARTTLS is required but the server does not offer it (or refuses it), stop: never send the password in plaintext.',
    judge: (run) => {
      if (!run.allCommands().length) return { passed: false, notes: [run.m.t('verdict.sentNothing')] };
      const leaked = run
        .allCommands()
        .find(
          (c) =>
            (!c.line.tls && ['AUTH', 'MAIL', 'RCPT', 'DATA'].includes(run.verb(c.line))) ||
            (!c.line.tls && c.line.mode === 'auth'),
        );
      return leaked
        ? {
            passed: false,
            evidence: [
              {
                session: leaked.session,
                item: leaked.index,
                why: run.m.t('verdict.refuses-downgrade.plaintext'),
              },
            ],
          }
        : { passed: true };
    },
  },
];
