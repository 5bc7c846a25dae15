import { messages, type Messages } from '../../i18n/messages.js';
import type { ClientLine } from '../../transcript/framer.js';
import { serverBytesBetween, type CheckDef, type Run, type RunSession, type Verdict } from './context.js';

/** The envelope and the transaction: MAIL FROM, RCPT TO, DATA, and what the client does when refused. */

// RFC 5321 section 4.1.2: Mailbox = Local-part "@" ( Domain / address-literal ); UTF-8 allowed (RFC 6531).
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uffff]";
const DOT_STRING = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const LETDIG = 'A-Za-z0-9\\u0080-\\uffff';
const SUBDOMAIN = `[${LETDIG}](?:[${LETDIG}-]*[${LETDIG}])?`;
const DOMAIN = `${SUBDOMAIN}(?:\\.${SUBDOMAIN})*`;
const MAILBOX = new RegExp(`^(?:${DOT_STRING}|${QUOTED})@(?:${DOMAIN}|\\[[^\\[\\]\\\\]+\\])$`);
/** An obsolete source route in front of the mailbox (`<@a,@b:user@c>`), to be ignored. */
const SOURCE_ROUTE = new RegExp(`^@${DOMAIN}(?:,@${DOMAIN})*:`);
/** ESMTP parameters after the path: ` KEY` or ` KEY=value`, each after a space. */
const PARAMETERS = /^(?: [A-Za-z0-9][A-Za-z0-9-]*(?:=[^\s=]+)?)+$/;

/**
 * One way a MAIL FROM / RCPT TO argument departs from the grammar: a code, and the student's bytes
 * it quotes (as sent: pathIssueText quotes them). Typed rather than text so that callers and tests
 * go by the code, and each caller renders it in its own language.
 */
export type PathIssue =
  | { code: 'not-a-command' }
  | { code: 'verb-case' }
  | { code: 'no-keyword'; keyword: PathKeyword; found: string }
  | { code: 'space-before-colon'; keyword: PathKeyword }
  | { code: 'space-after-colon'; keyword: PathKeyword }
  | { code: 'space-at-end' }
  | { code: 'no-brackets'; keyword: PathKeyword; address: string }
  | { code: 'no-address'; keyword: PathKeyword }
  | { code: 'no-closing-bracket' }
  | { code: 'text-after-address'; found: string }
  | { code: 'empty-recipient' }
  | { code: 'space-in-address'; address: string }
  | { code: 'no-domain'; address: string }
  | { code: 'not-a-mailbox'; address: string };

export type PathKeyword = 'FROM' | 'TO';

/** How a MAIL FROM / RCPT TO argument measures up to the RFC 5321 path grammar. */
export interface PathJudgement {
  /** The address, with or without its brackets, when one can be made out. */
  address: string | undefined;
  /** What no server should accept: these fail the check. */
  problems: PathIssue[];
  /** What mainstream servers accept but the grammar does not: notes, failures under --strict. */
  lax: PathIssue[];
}

export function judgePath(command: ClientLine['command'], keyword: PathKeyword): PathJudgement {
  const out: PathJudgement = { address: undefined, problems: [], lax: [] };
  if (!command) return { ...out, problems: [{ code: 'not-a-command' }] };
  if (!command.upperCase) out.lax.push({ code: 'verb-case' });
  const args = command.args;
  const m = /^([A-Za-z]+)(\s*):(\s*)(.*)$/s.exec(args);
  if (!m || m[1]!.toUpperCase() !== keyword) {
    out.problems.push({ code: 'no-keyword', keyword, found: args.slice(0, 40) });
    return out;
  }
  if (m[2]) out.problems.push({ code: 'space-before-colon', keyword });
  if (m[3]) out.lax.push({ code: 'space-after-colon', keyword });
  const rest = m[4]!;
  if (/\s$/.test(rest)) out.lax.push({ code: 'space-at-end' });
  const path = rest.trimEnd();
  if (!path.startsWith('<')) {
    const address = path.split(/\s+/)[0] ?? '';
    out.address = address;
    out.problems.push(address ? { code: 'no-brackets', keyword, address } : { code: 'no-address', keyword });
    return out;
  }
  const close = path.indexOf('>');
  if (close === -1) {
    out.address = path.slice(1);
    out.problems.push({ code: 'no-closing-bracket' });
    return out;
  }
  const inner = path.slice(1, close);
  const parameters = path.slice(close + 1);
  out.address = inner.replace(SOURCE_ROUTE, '');
  if (parameters && !PARAMETERS.test(parameters)) {
    out.problems.push({ code: 'text-after-address', found: parameters.slice(0, 40) });
  }
  if (inner === '') {
    if (keyword === 'TO') out.problems.push({ code: 'empty-recipient' });
    return out;
  }
  if (keyword === 'TO' && /^postmaster$/i.test(out.address)) return out;
  if (MAILBOX.test(out.address)) return out;
  const address = out.address;
  if (/\s/.test(address)) out.problems.push({ code: 'space-in-address', address });
  else if (!address.includes('@')) out.problems.push({ code: 'no-domain', address });
  else out.problems.push({ code: 'not-a-mailbox', address });
  return out;
}

/** A path issue as one sentence in `m`'s language; the student's bytes quoted as JSON strings. */
export function pathIssueText(issue: PathIssue, m: Messages = messages('en')): string {
  switch (issue.code) {
    case 'not-a-command':
      return m.t('verdict.path.notACommand');
    case 'verb-case':
      return m.t('verdict.verbLowerCase');
    case 'no-keyword':
      return m.t('verdict.path.noKeyword', { keyword: issue.keyword, found: JSON.stringify(issue.found) });
    case 'space-before-colon':
      return m.t('verdict.path.spaceBeforeColon', { keyword: issue.keyword });
    case 'space-after-colon':
      return m.t('verdict.path.spaceAfterColon', { keyword: issue.keyword });
    case 'space-at-end':
      return m.t('verdict.path.spaceAtEnd');
    case 'no-brackets':
      return m.t('verdict.path.noBrackets', { keyword: issue.keyword, address: issue.address });
    case 'no-address':
      return m.t('verdict.path.noAddress', { keyword: issue.keyword });
    case 'no-closing-bracket':
      return m.t('verdict.path.noClosingBracket');
    case 'text-after-address':
      return m.t('verdict.path.textAfterAddress', { found: JSON.stringify(issue.found) });
    case 'empty-recipient':
      return m.t('verdict.path.emptyRecipient');
    case 'space-in-address':
      return m.t('verdict.path.spaceInAddress', { address: JSON.stringify(issue.address) });
    case 'no-domain':
      return m.t('verdict.path.noDomain', { address: JSON.stringify(issue.address) });
    case 'not-a-mailbox':
      return m.t('verdict.path.notAMailbox', { address: JSON.stringify(issue.address) });
  }
}

/** mail-from and rcpt-to: every such command is a well-formed path (not: is our address). */
function envelopeSyntax(run: Run, verb: 'MAIL' | 'RCPT'): Verdict {
  const keyword = verb === 'MAIL' ? 'FROM' : 'TO';
  const sent = run.allCommands().filter((c) => run.verb(c.line) === verb);
  if (!sent.length) return { passed: false, notes: [run.m.t('verdict.envelope.noCommand', { verb })] };
  const text = (issue: PathIssue) => pathIssueText(issue, run.m);
  const judged = sent.map((c) => ({ ...c, j: judgePath(c.line.command, keyword) }));
  const bad = judged.filter((c) => c.j.problems.length);
  if (bad.length) {
    return {
      passed: false,
      evidence: bad
        .slice(0, 2)
        .map((c) => ({ session: c.session, item: c.index, why: text(c.j.problems[0]!) })),
      notes: [...new Set(bad.flatMap((c) => c.j.problems.map(text)))].slice(0, 3),
    };
  }
  const lax = judged.find((c) => c.j.lax.length);
  if (!lax) return { passed: true };
  return {
    passed: !run.strict,
    notes: [...new Set(judged.flatMap((c) => c.j.lax.map(text)))],
    evidence: [{ session: lax.session, item: lax.index }],
  };
}

export const ENVELOPE_CHECKS: readonly CheckDef[] = [
  {
    id: 'mail-from',
    title: 'MAIL FROM:<sender>',
    judges:
      'every MAIL command against the RFC 5321 reverse-path grammar (any address: students use their own)',
    tier: 'baseline',
    hint: 'Send "MAIL FROM:<you@example.com>\\r\\n": the address in angle brackets, right after the colon.',
    judge: (run) => envelopeSyntax(run, 'MAIL'),
  },
  {
    id: 'rcpt-to',
    title: 'RCPT TO:<recipient> for every recipient',
    judges: 'every RCPT command against the RFC 5321 forward-path grammar (any address)',
    tier: 'baseline',
    hint: 'Send "RCPT TO:<friend@example.com>\\r\\n" once per recipient, the address in angle brackets.',
    judge: (run) => envelopeSyntax(run, 'RCPT'),
  },
  {
    id: 'uses-given-addresses',
    title: 'uses the addresses it was given (MAIL_FROM, RCPT_TO)',
    judges: "the envelope addresses against the scenario's MAIL_FROM and every RCPT_TO (case-insensitive)",
    tier: 'optional',
    hint: 'Read the sender from MAIL_FROM and the recipients from RCPT_TO (comma-separated) instead of hard-coding them.',
    judge: (run) => {
      const mails = run.allCommands().filter((c) => run.verb(c.line) === 'MAIL');
      if (!mails.length) {
        return { passed: false, notes: [run.m.t('verdict.envelope.noCommand', { verb: 'MAIL' })] };
      }
      const rcpts = run.allCommands().filter((c) => run.verb(c.line) === 'RCPT');
      const sender = (c: (typeof mails)[number]) => judgePath(c.line.command, 'FROM').address?.toLowerCase();
      const given = rcpts.map((c) => judgePath(c.line.command, 'TO').address?.toLowerCase());
      const notes: string[] = [];
      const evidence: NonNullable<Verdict['evidence']> = [];
      const from = run.brief.from.toLowerCase();
      if (!mails.some((c) => sender(c) === from)) {
        const given = run.brief.from;
        notes.push(run.m.t('verdict.uses-given-addresses.sender', { sent: sender(mails[0]!) ?? '', given }));
        evidence.push({
          session: mails[0]!.session,
          item: mails[0]!.index,
          why: run.m.t('verdict.uses-given-addresses.senderWhy', { given }),
        });
      }
      const missing = run.brief.to.filter((to) => !given.includes(to.toLowerCase()));
      if (missing.length) {
        notes.push(run.m.t('verdict.uses-given-addresses.recipients', { missing: missing.join('>, <') }));
        const first = rcpts[0];
        if (first)
          evidence.push({
            session: first.session,
            item: first.index,
            why: run.m.t('verdict.uses-given-addresses.recipientsWhy', { given: run.brief.to.join(',') }),
          });
      }
      return { passed: notes.length === 0, notes, evidence };
    },
  },
  {
    id: 'data',
    title: 'DATA, and the message only after 354',
    judges: 'a DATA command, and the first message line against the first bytes of the 354',
    tier: 'baseline',
    hint: 'Send "DATA\\r\\n", wait for "354", then send the message.',
    judge: (run) => {
      const datas = run.allCommands().filter((c) => run.verb(c.line) === 'DATA');
      if (!datas.length) return { passed: false, notes: [run.m.t('verdict.data.notSent')] };
      for (const { session, index, line } of datas) {
        // The body (or, for an empty one, the final "."), whichever item comes first after DATA.
        const at = session.items.findIndex(
          (item, n) => n > index && (item.kind === 'body' || (item.kind === 'line' && item.mode === 'data')),
        );
        const first = session.items[at] as { event: number } | undefined;
        if (!first) continue;
        // The body must wait for the 354 (its first bytes: reading all of it is reads-whole-replies).
        if (!serverBytesBetween(session, line.event, first.event)) {
          return {
            passed: false,
            evidence: [{ session, item: at, why: run.m.t('verdict.data.early') }],
          };
        }
        return { passed: true };
      }
      const answered = datas.find((c) => run.replyTo(c.session, c.index));
      const why = answered
        ? run.m.t('verdict.data.refused', { code: run.replyTo(answered.session, answered.index)!.reply.code })
        : run.m.t('verdict.data.noMessage');
      return {
        passed: false,
        evidence: datas.slice(0, 1).map((c) => ({ session: c.session, item: c.index, why })),
      };
    },
  },
  {
    id: 'handles-rejection',
    title: 'stops a transaction the server refused',
    judges:
      'what the client sent after a refusal that happened in this run (AUTH, MAIL, RCPT, DATA, 421); no refusal, no pass',
    tier: 'baseline',
    hint: 'Check every reply code: on a 5xx to MAIL or to every RCPT, do not go on to DATA.',
    judge: handlesRejection,
  },
  {
    id: 'handles-temporary-failure',
    title: 'retries after a temporary (4xx) failure',
    judges: 'a 4xx reply in the run followed by a delivery',
    tier: 'robustness',
    hint: 'A 4xx reply means "try again later": wait and retry the transaction.',
    judge: (run) => {
      const temp = run.allCommands().find((c) => {
        const code = run.replyTo(c.session, c.index)?.reply.code;
        return code !== undefined && code >= 400 && code < 500;
      });
      if (!temp) {
        return {
          passed: run.evidence.messages.length > 0,
          notes: [run.m.t('verdict.handles-temporary-failure.none')],
        };
      }
      const delivered =
        run.evidence.messages.length >= Math.max(1, run.evidence.scenario.reference.delivered);
      return delivered
        ? { passed: true }
        : {
            passed: false,
            evidence: [
              {
                session: temp.session,
                item: temp.index,
                why: run.m.t('verdict.handles-temporary-failure.notRetried'),
              },
            ],
          };
    },
  },
];

/** Verbs whose refusal is a rejection the client must handle. */
const REFUSABLE = new Set(['MAIL', 'RCPT', 'AUTH', 'DATA', '.']);

function handlesRejection(run: Run): Verdict {
  if (!run.allCommands().length) return { passed: false, notes: [run.m.t('verdict.sentNothing')] };
  const evidence: NonNullable<Verdict['evidence']> = [];
  let refused = false;
  for (const session of run.sessions) {
    if (greetingCode(run, session) === 421) refused = true;
    let mailRefused = false;
    let rcptAccepted = false;
    let rcptSeen = false;
    let authRefused = false;
    let closedWith421 = greetingCode(run, session) === 421;
    for (const { line, index } of run.commands(session)) {
      const verb = line.dataEnd ? '.' : line.mode === 'auth' ? 'AUTH' : run.verb(line);
      const code = run.replyTo(session, index)?.reply.code;
      // A QUIT after a 421 is harmless (the server is gone); anything else ignored the 421.
      if (closedWith421 && verb !== 'QUIT') {
        evidence.push({ session, item: index, why: run.m.t('verdict.handles-rejection.after421') });
        closedWith421 = false;
      }
      if (code !== undefined && code >= 400 && (REFUSABLE.has(verb) || code === 421)) refused = true;
      if (code === 421) closedWith421 = true;
      if (verb === 'AUTH') {
        // A 5xx ends the AUTH exchange refused; a 235 (perhaps after a retry) accepts it.
        if (code !== undefined && code >= 500) authRefused = true;
        if (code === 235) authRefused = false;
      } else if (verb === 'MAIL' && authRefused) {
        evidence.push({ session, item: index, why: run.m.t('verdict.handles-rejection.mailAfterAuth') });
      }
      if (verb === 'MAIL') {
        mailRefused = code !== undefined && code >= 400;
        rcptAccepted = false;
        rcptSeen = false;
      } else if (verb === 'RCPT') {
        if (mailRefused) {
          evidence.push({ session, item: index, why: run.m.t('verdict.handles-rejection.rcptAfterMail') });
        }
        rcptSeen = true;
        if (code !== undefined && code < 400) rcptAccepted = true;
      } else if (verb === 'DATA' && (mailRefused || (rcptSeen && !rcptAccepted))) {
        evidence.push({
          session,
          item: index,
          why: run.m.t('verdict.handles-rejection.dataWithoutRecipient'),
        });
      } else if (verb === 'RSET') {
        mailRefused = false;
        rcptSeen = false;
      }
    }
  }
  if (!refused) {
    const last = run.allCommands().at(-1)!;
    return {
      passed: false,
      notes: [run.m.t('verdict.handles-rejection.nothingRefused')],
      evidence: [
        { session: last.session, item: last.index, why: run.m.t('verdict.handles-rejection.lastCommand') },
      ],
    };
  }
  return { passed: evidence.length === 0, evidence };
}

function greetingCode(_run: Run, session: RunSession): number | undefined {
  const greeting = session.items.find((i) => i.kind === 'reply' && i.answers === 'greeting');
  return greeting?.kind === 'reply' ? greeting.reply.code : undefined;
}
