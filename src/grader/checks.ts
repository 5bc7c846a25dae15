import { createHash } from 'node:crypto';
import type { StoredMessage } from '../server/mailbox.js';
import type { CheckSpec, ClientBrief, Scenario, Tier } from '../scenarios/types.js';
import type { TranscriptEvent } from '../transcript/events.js';
import type { ClientLine, FramedItem, ServerReply } from '../transcript/framer.js';
import { renderNumbered } from '../transcript/render.js';
import { diffLines, flatten, normaliseSession, type ReferenceTranscript } from './normalise.js';

/**
 * The checks: each judges a client from what crossed the wire (the proxy's framed bytes) and
 * what was stored, never from what the lenient backend accepted. Ids are the rubric vocabulary
 * of DESIGN.md; a scenario picks checks, points, tiers and hints.
 */

export interface RunSession {
  id: string;
  items: readonly FramedItem[];
  /** The wire events the items were framed from (item event indexes point here). */
  events: readonly TranscriptEvent[];
}

export interface RunMessage {
  record: StoredMessage;
  /** The stored .eml, trace header included; `record.traceHeaderBytes` says how long that is. */
  eml: Buffer;
}

export interface ClientOutcome {
  exitCode: number | null;
  timedOut: boolean;
}

/** Everything a run left behind, as the checks see it. */
export interface RunEvidence {
  scenario: Scenario;
  sessions: RunSession[];
  messages: RunMessage[];
  /** The graded process, when there was one (not in an interactive lab session). */
  client?: ClientOutcome;
  /** The bytes of IMAGE_FILE, when the scenario gave one. */
  image?: Buffer;
  /** Strict mode: RFC 5321 grammar exactly (upper-case verbs, no space after the colon). */
  strict?: boolean;
  /** The scenario's expected transcript (matches-reference), or why it could not be read. */
  reference?: { file: string; transcript?: ReferenceTranscript; error?: string };
}

/** Where in the transcript a verdict comes from: a session and a line of its rendering. */
export interface Evidence {
  session: string;
  line: number;
  text: string;
}

export interface CheckResult {
  id: string;
  title: string;
  tier: Tier;
  passed: boolean;
  /** False when the check cannot be judged in this run (e.g. exit code without a process). */
  applicable: boolean;
  points: number;
  maxPoints: number;
  evidence: Evidence[];
  /** What was accepted but is not what RFC 5321 asks for (strict mode fails these). */
  notes: string[];
  hint: string | null;
}

interface Verdict {
  passed: boolean;
  evidence?: Array<{ session: RunSession; item: number; why?: string }>;
  notes?: string[];
  applicable?: boolean;
}

type Check = (run: Run) => Verdict;

export const CHECK_TITLES: Record<string, string> = {
  'waits-for-greeting': 'waits for the 220 greeting before sending',
  greets: 'greets with EHLO or HELO',
  crlf: 'ends every line with CRLF',
  'waits-for-replies': 'waits for each reply before the next command',
  'reads-whole-replies': 'reads whole replies (multi-line, fragmented) before going on',
  'mail-from': 'MAIL FROM:<sender>',
  'rcpt-to': 'RCPT TO:<recipient> for every recipient',
  data: 'DATA, and the message only after 354',
  'message-format': 'message has headers (From, To, Subject), a blank line, then the body',
  'dot-stuffing': 'doubles a leading dot in body lines',
  'data-terminator': 'ends the message with <CRLF>.<CRLF>',
  quit: 'sends QUIT and reads the 221',
  auth: 'authenticates (AUTH LOGIN or PLAIN, base64)',
  starttls: 'upgrades with STARTTLS',
  'ehlo-after-starttls': 'sends EHLO again inside TLS',
  'verifies-certificate': 'refuses a certificate it cannot verify',
  'refuses-downgrade': 'sends no AUTH or mail in plaintext when TLS was required',
  'handles-rejection': 'stops a transaction the server refused',
  'handles-temporary-failure': 'retries after a temporary (4xx) failure',
  'mime-structure': 'MIME structure: multipart with text and image, boundaries closed',
  'image-intact': 'the image arrives byte for byte',
  'line-length': 'lines at most 998 octets; base64 wrapped at 76',
  'header-encoding': 'non-ASCII header text is RFC 2047 encoded',
  'exits-cleanly': 'exits with the right status, without hanging',
  'matches-reference': 'the exchange matches the expected transcript (commands, reply codes, message)',
};

export const DEFAULT_HINTS: Record<string, string> = {
  'waits-for-greeting': 'Read the server\'s "220" line before you send HELO/EHLO.',
  greets: 'Start with "EHLO yourname\\r\\n" (or HELO) and check for a 250 reply.',
  crlf: 'SMTP lines end with "\\r\\n", not "\\n": write the CR too, also in the message body.',
  'waits-for-replies': 'After each command, read the reply before sending the next one.',
  'reads-whole-replies':
    'A reply can arrive in pieces and span several lines: keep reading until a line whose 4th character is a space (e.g. "250 OK\\r\\n"). One recv(1024) is not one reply.',
  'mail-from': 'Send "MAIL FROM:<address>\\r\\n" with the angle brackets.',
  'rcpt-to': 'Send "RCPT TO:<address>\\r\\n" once per recipient.',
  data: 'Send "DATA\\r\\n", wait for "354", then send the message.',
  'message-format': 'Put From:, To: and Subject: header lines first, then an empty line, then the body.',
  'dot-stuffing':
    'A body line that starts with "." must be sent with one more "." in front (RFC 5321 §4.5.2).',
  'data-terminator': 'End the message with "\\r\\n.\\r\\n": a line with only a dot, CRLF on both sides.',
  quit: 'Send "QUIT\\r\\n" and read the "221" before closing the socket.',
  auth: 'AUTH LOGIN: send the user name and the password each base64-encoded on its own line, after each 334.',
  starttls:
    'Send STARTTLS, wait for 220, then wrap the socket in TLS (ssl.create_default_context().wrap_socket).',
  'ehlo-after-starttls': 'After the TLS handshake the session starts over: send EHLO again.',
  'verifies-certificate':
    'Use a default TLS context (it verifies the certificate and the host name); never disable verification.',
  'refuses-downgrade':
    'If STARTTLS is required but the server does not offer it (or refuses it), stop: never send the password in plaintext.',
  'handles-rejection': 'Check every reply code: on a 5xx to MAIL or to every RCPT, do not go on to DATA.',
  'handles-temporary-failure': 'A 4xx reply means "try again later": wait and retry the transaction.',
  'mime-structure': 'Use multipart/mixed (or related) with a boundary, and close it with "--boundary--".',
  'image-intact': 'Base64-encode the image bytes exactly (open the file in binary mode).',
  'line-length': 'Wrap base64 at 76 characters per line (RFC 2045); no line may exceed 998 octets.',
  'header-encoding': 'Encode non-ASCII subjects as =?UTF-8?B?...?= (email.header.Header in Python).',
  'exits-cleanly': 'Exit with status 0 on success, non-zero on failure, and never wait forever.',
  'matches-reference':
    'Read the diff: "-" lines are what a correct client sent and received, "+" lines what yours did instead.',
};

/** A run's sessions with helpers the checks share. */
class Run {
  readonly brief: ClientBrief;
  constructor(readonly evidence: RunEvidence) {
    this.brief = evidence.scenario.client;
  }
  get sessions(): RunSession[] {
    return this.evidence.sessions;
  }
  get strict(): boolean {
    return Boolean(this.evidence.strict);
  }
  /** Complete client lines that the server read as commands or AUTH steps (not the body). */
  commands(session: RunSession): Array<{ line: ClientLine; index: number }> {
    return lines(session).filter(
      ({ line }) => !line.injected && (line.mode !== 'data' || line.dataEnd) && line.ending !== 'none',
    );
  }
  replyTo(session: RunSession, index: number): ServerReply | undefined {
    return session.items.find((item): item is ServerReply => item.kind === 'reply' && item.answers === index);
  }
  allCommands(): Array<{ session: RunSession; line: ClientLine; index: number }> {
    return this.sessions.flatMap((session) => this.commands(session).map((c) => ({ session, ...c })));
  }
  verb(line: ClientLine): string {
    return line.command?.verb ?? '';
  }
}

function lines(session: RunSession): Array<{ line: ClientLine; index: number }> {
  return session.items.flatMap((item, index) => (item.kind === 'line' ? [{ line: item, index }] : []));
}

function addressIn(args: string, keyword: 'FROM' | 'TO'): { address: string | undefined; strict: boolean } {
  const match = new RegExp(`^${keyword}:(\\s*)<([^>]*)>`, 'i').exec(args);
  if (!match) return { address: undefined, strict: false };
  return { address: match[2], strict: args.startsWith(`${keyword}:<`) && match[1] === '' };
}

const CHECKS: Record<string, Check> = {
  'waits-for-greeting': (run) => {
    const evidence: NonNullable<Verdict['evidence']> = [];
    let sent = false;
    for (const session of run.sessions) {
      const first = lines(session)[0];
      if (!first) continue;
      sent = true;
      // Waiting means reading the greeting's first bytes; reading all of it is reads-whole-replies.
      if (!serverBytesBetween(session, -1, first.line.event)) {
        evidence.push({ session, item: first.index, why: 'sent before the greeting had arrived' });
      }
    }
    if (!sent) return { passed: false, notes: ['the client sent nothing'] };
    return { passed: evidence.length === 0, evidence };
  },

  greets: (run) => {
    const first = run.sessions.map((s) => ({ session: s, c: run.commands(s)[0] })).find((x) => x.c);
    if (!first?.c) return { passed: false, notes: ['the client sent no command'] };
    const verb = run.verb(first.c.line);
    const ok = (verb === 'EHLO' || verb === 'HELO') && first.c.line.command!.args.trim() !== '';
    const notes = ok && !first.c.line.command!.upperCase ? ['the verb is not in upper case'] : [];
    return {
      passed: ok && !(run.strict && notes.length),
      evidence: ok && !notes.length ? [] : [{ session: first.session, item: first.c.index }],
      notes,
    };
  },

  crlf: (run) => {
    // Nothing sent is nothing done right: no points for it.
    if (!run.sessions.some((s) => lines(s).length))
      return { passed: false, notes: ['the client sent nothing'] };
    const evidence = run.sessions.flatMap((session) =>
      lines(session)
        .filter(({ line }) => !line.injected && (line.ending !== 'crlf' || line.bareCr))
        .slice(0, 3)
        .map(({ index, line }) => ({
          session,
          item: index,
          why: line.bareCr
            ? 'a bare CR inside the line'
            : `ends with ${line.ending === 'lf' ? 'a bare LF' : 'no line ending'}`,
        })),
    );
    return { passed: evidence.length === 0, evidence };
  },

  'waits-for-replies': (run) => pacing(run, 'any'),
  'reads-whole-replies': (run) => pacing(run, 'whole'),

  'mail-from': (run) => {
    const mails = run.allCommands().filter((c) => run.verb(c.line) === 'MAIL');
    if (!mails.length) return { passed: false, notes: ['no MAIL command was sent'] };
    const want = run.brief.from.toLowerCase();
    const good = mails.find((c) => addressIn(c.line.command!.args, 'FROM').address?.toLowerCase() === want);
    if (!good) {
      return {
        passed: false,
        evidence: mails
          .slice(0, 2)
          .map((c) => ({ session: c.session, item: c.index, why: `expected FROM:<${run.brief.from}>` })),
      };
    }
    return strictness(run, good, addressIn(good.line.command!.args, 'FROM').strict);
  },

  'rcpt-to': (run) => {
    const rcpts = run.allCommands().filter((c) => run.verb(c.line) === 'RCPT');
    const missing = run.brief.to.filter(
      (to) =>
        !rcpts.some((c) => addressIn(c.line.command!.args, 'TO').address?.toLowerCase() === to.toLowerCase()),
    );
    if (!rcpts.length) return { passed: false, notes: ['no RCPT command was sent'] };
    if (missing.length) {
      return {
        passed: false,
        notes: [`no RCPT TO:<${missing.join('>, <')}>`],
        evidence: rcpts.slice(0, 2).map((c) => ({ session: c.session, item: c.index })),
      };
    }
    const lax = rcpts.find(
      (c) => !addressIn(c.line.command!.args, 'TO').strict || !c.line.command!.upperCase,
    );
    return lax ? strictness(run, lax, false) : { passed: true };
  },

  data: (run) => {
    const datas = run.allCommands().filter((c) => run.verb(c.line) === 'DATA');
    if (!datas.length) return { passed: false, notes: ['DATA was never sent'] };
    for (const { session, index, line } of datas) {
      const body = lines(session).find((l) => l.index > index && l.line.mode === 'data');
      if (!body) continue;
      // The body must wait for the 354 (its first bytes: reading all of it is reads-whole-replies).
      if (!serverBytesBetween(session, line.event, body.line.event)) {
        return {
          passed: false,
          evidence: [{ session, item: body.index, why: 'message sent before the 354 arrived' }],
        };
      }
      return { passed: true };
    }
    const answered = datas.find((c) => run.replyTo(c.session, c.index));
    const why = answered
      ? `DATA answered ${run.replyTo(answered.session, answered.index)!.reply.code}, no message sent`
      : 'no message was sent';
    return {
      passed: false,
      evidence: datas.slice(0, 1).map((c) => ({ session: c.session, item: c.index, why })),
    };
  },

  'message-format': (run) => {
    const message = run.evidence.messages[0];
    if (!message) return { passed: false, notes: ['no message was stored'] };
    const { headers, blankLine } = splitMessage(body(message));
    const names = headers.map((h) => /^([!-9;-~]+):/.exec(h)?.[1]?.toLowerCase()).filter(Boolean);
    const missing = ['from', 'to', 'subject'].filter((n) => !names.includes(n));
    const malformed = headers.filter((h) => !/^[!-9;-~]+:/.test(h) && !/^[ \t]/.test(h));
    const notes = [
      ...(blankLine ? [] : ['no empty line between the headers and the body']),
      ...missing.map((n) => `no ${n[0]!.toUpperCase()}${n.slice(1)}: header`),
      ...malformed.slice(0, 2).map((h) => `not a header line: ${JSON.stringify(h.slice(0, 60))}`),
    ];
    return { passed: notes.length === 0, notes };
  },

  'dot-stuffing': (run) => {
    const evidence = run.sessions.flatMap((session) =>
      lines(session)
        .filter(({ line }) => line.mode === 'data' && !line.dataEnd && /^\.(?!\.)/.test(line.text))
        .slice(0, 3)
        .map(({ index }) => ({ session, item: index, why: 'a body line starting with "." was not doubled' })),
    );
    const notes: string[] = [];
    const want = run.brief.body;
    const message = run.evidence.messages[0];
    if (want !== undefined && message) {
      // As sent, or as text after undoing a quoted-printable or base64 transfer encoding.
      const expected = want.replace(/\r?\n/g, '\n').trimEnd();
      const found = [body(message).toString('utf8'), plainText(body(message))].some((text) =>
        text.replace(/\r\n/g, '\n').includes(expected),
      );
      if (!found) notes.push('the stored body differs from MAIL_BODY');
    } else if (want !== undefined) {
      notes.push('no message was stored');
    }
    return { passed: evidence.length === 0 && notes.length === 0, evidence, notes };
  },

  'data-terminator': (run) => {
    const evidence: NonNullable<Verdict['evidence']> = [];
    for (const session of run.sessions) {
      const all = lines(session);
      const inData = all.filter(({ line }) => line.mode === 'data');
      if (!inData.length || inData.some(({ line }) => line.dataEnd)) continue;
      const loneDot = inData.find(({ line }) => line.text === '.' || line.text === '.\r');
      const last = loneDot ?? inData.at(-1)!;
      evidence.push({
        session,
        item: last.index,
        why: loneDot
          ? `a "." line ended with ${loneDot.line.ending === 'lf' ? 'a bare LF' : 'something other than CRLF'}: the server is still waiting for <CRLF>.<CRLF>`
          : 'the message was never ended',
      });
    }
    const sentData = run.sessions.some((s) => lines(s).some(({ line }) => line.mode === 'data'));
    if (!sentData) return { passed: false, notes: ['no message body was sent'] };
    return { passed: evidence.length === 0, evidence };
  },

  quit: (run) => {
    const session = run.sessions.at(-1);
    if (!session) return { passed: false };
    const commands = run.commands(session);
    const quit = commands.findLast((c) => run.verb(c.line) === 'QUIT');
    if (!quit) {
      const last = commands.at(-1);
      return {
        passed: false,
        notes: ['QUIT was never sent'],
        evidence: last ? [{ session, item: last.index }] : [],
      };
    }
    const closedAt = session.events.findIndex(
      (e, n) => n > quit.line.event && e.type === 'note' && /^client (closed|connection closed)/.test(e.text),
    );
    if (!serverBytesBetween(session, quit.line.event, closedAt === -1 ? session.events.length : closedAt)) {
      return {
        passed: false,
        evidence: [{ session, item: quit.index, why: 'the client closed before the 221 arrived' }],
      };
    }
    return { passed: true };
  },

  auth: (run) => {
    const auths = run.allCommands().filter((c) => run.verb(c.line) === 'AUTH' && c.line.mode === 'command');
    if (!auths.length) return { passed: false, notes: ['the client never sent AUTH'] };
    for (const auth of auths) {
      // The reply that ends the exchange: the first non-334 after the AUTH command.
      const end = auth.session.items.find(
        (i, n): i is ServerReply => n > auth.index && i.kind === 'reply' && i.reply.code !== 334,
      );
      if (end?.reply.code === 235) return { passed: true };
    }
    const notes: string[] = [];
    for (const { session, index } of auths) {
      for (const { line } of lines(session).filter((l) => l.index > index && l.line.mode === 'auth')) {
        if (line.text !== '*' && !/^[A-Za-z0-9+/]*={0,2}$/.test(line.text.trim())) {
          notes.push('an AUTH response line is not base64 (encode the user name and password)');
          break;
        }
      }
    }
    return {
      passed: false,
      evidence: auths.slice(0, 2).map((c) => ({ session: c.session, item: c.index })),
      notes,
    };
  },

  starttls: (run) => {
    const tried = run.allCommands().find((c) => run.verb(c.line) === 'STARTTLS');
    if (!tried) return { passed: false, notes: ['STARTTLS was never sent'] };
    const started = tried.session.items.some((i) => i.kind === 'note' && i.text.startsWith('TLS started'));
    return started
      ? { passed: true }
      : {
          passed: false,
          evidence: [{ session: tried.session, item: tried.index, why: 'no TLS handshake followed' }],
        };
  },

  'ehlo-after-starttls': (run) => {
    for (const session of run.sessions) {
      const first = run
        .commands(session)
        .find(
          (c) =>
            c.line.tls && !session.items.some((i) => i.kind === 'note' && i.text.includes('implicit TLS')),
        );
      if (!first) continue;
      const verb = run.verb(first.line);
      if (verb === 'EHLO' || verb === 'HELO') return { passed: true };
      return {
        passed: false,
        evidence: [{ session, item: first.index, why: 'first command inside TLS is not EHLO' }],
      };
    }
    return { passed: false, notes: ['no command was sent inside TLS after STARTTLS'] };
  },

  'verifies-certificate': (run) => {
    // Refusing a certificate means having been shown one: a plaintext client verified nothing.
    const shown = run.sessions.some((s) =>
      s.items.some((i) => i.kind === 'note' && /TLS started|TLS handshake|implicit TLS/.test(i.text)),
    );
    if (!shown)
      return { passed: false, notes: ['the client never started TLS, so it never saw a certificate'] };
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
            why: 'went on inside TLS with a certificate it could not verify',
          },
        ],
      };
    }
    return { passed: true };
  },

  'refuses-downgrade': (run) => {
    if (!run.allCommands().length) return { passed: false, notes: ['the client sent nothing'] };
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
          evidence: [{ session: leaked.session, item: leaked.index, why: 'sent in plaintext' }],
        }
      : { passed: true };
  },

  'handles-rejection': (run) => {
    if (!run.allCommands().length) return { passed: false, notes: ['the client sent nothing'] };
    const evidence: NonNullable<Verdict['evidence']> = [];
    for (const session of run.sessions) {
      let mailRefused = false;
      let rcptAccepted = false;
      let rcptSeen = false;
      let authRefused = false;
      for (const { line, index } of run.commands(session)) {
        const verb = run.verb(line);
        const code = run.replyTo(session, index)?.reply.code;
        if (verb === 'AUTH' || line.mode === 'auth') {
          // A 5xx ends the AUTH exchange refused; a 235 (perhaps after a retry) accepts it.
          if (code !== undefined && code >= 500) authRefused = true;
          if (code === 235) authRefused = false;
        } else if (verb === 'MAIL' && authRefused) {
          evidence.push({ session, item: index, why: 'MAIL although AUTH was refused' });
        }
        if (verb === 'MAIL') {
          mailRefused = code !== undefined && code >= 400;
          rcptAccepted = false;
          rcptSeen = false;
        } else if (verb === 'RCPT') {
          if (mailRefused) evidence.push({ session, item: index, why: 'RCPT after MAIL was refused' });
          rcptSeen = true;
          if (code !== undefined && code < 400) rcptAccepted = true;
        } else if (verb === 'DATA' && (mailRefused || (rcptSeen && !rcptAccepted))) {
          evidence.push({ session, item: index, why: 'DATA although no recipient was accepted' });
        } else if (verb === 'RSET') {
          mailRefused = false;
          rcptSeen = false;
        }
      }
    }
    return { passed: evidence.length === 0, evidence };
  },

  'handles-temporary-failure': (run) => {
    const temp = run.allCommands().find((c) => {
      const code = run.replyTo(c.session, c.index)?.reply.code;
      return code !== undefined && code >= 400 && code < 500;
    });
    if (!temp) return { passed: run.evidence.messages.length > 0, notes: ['no temporary failure happened'] };
    const delivered = run.evidence.messages.length >= Math.max(1, run.evidence.scenario.expect.delivered);
    return delivered
      ? { passed: true }
      : {
          passed: false,
          evidence: [
            { session: temp.session, item: temp.index, why: 'a 4xx here was never retried to success' },
          ],
        };
  },

  'mime-structure': (run) => {
    const message = run.evidence.messages[0];
    if (!message) return { passed: false, notes: ['no message was stored'] };
    const problems = mimeProblems(body(message));
    return { passed: problems.length === 0, notes: problems };
  },

  'image-intact': (run) => {
    const message = run.evidence.messages[0];
    const image = run.evidence.image;
    if (!image) return { passed: false, applicable: false, notes: ['the scenario gives no image'] };
    if (!message) return { passed: false, notes: ['no message was stored'] };
    const want = sha256(image);
    const parts = base64Parts(body(message));
    if (parts.some((p) => sha256(p) === want)) return { passed: true };
    return {
      passed: false,
      notes: [parts.length ? 'no part decodes to the exact image bytes' : 'no base64 part found'],
    };
  },

  'line-length': (run) => {
    const sentBody = run.sessions.some((s) => lines(s).some(({ line }) => line.mode === 'data'));
    if (!sentBody) return { passed: false, notes: ['no message body was sent'] };
    const evidence = run.sessions.flatMap((session) =>
      lines(session)
        .filter(({ line }) => line.mode === 'data' && line.raw.length - 2 > 998)
        .slice(0, 2)
        .map(({ index, line }) => ({ session, item: index, why: `${line.raw.length - 2} octets` })),
    );
    const notes: string[] = [];
    const message = run.evidence.messages[0];
    if (message) {
      const longBase64 = body(message)
        .toString('latin1')
        .split('\r\n')
        .find((l) => l.length > 76 && /^[A-Za-z0-9+/]+=*$/.test(l));
      if (longBase64) notes.push(`a base64 line of ${longBase64.length} characters (wrap at 76)`);
    }
    return { passed: evidence.length === 0 && notes.length === 0, evidence, notes };
  },

  'header-encoding': (run) => {
    const message = run.evidence.messages[0];
    if (!message) return { passed: false, notes: ['no message was stored'] };
    const bad = splitMessage(body(message)).headers.find((h) => /[^\x00-\x7f]/.test(h));
    return bad
      ? { passed: false, notes: [`raw 8-bit text in a header: ${JSON.stringify(bad.slice(0, 60))}`] }
      : { passed: true };
  },

  'matches-reference': (run) => matchesReference(run),

  'exits-cleanly': (run) => {
    const client = run.evidence.client;
    if (!client) return { passed: false, applicable: false, notes: ['no client process in this run'] };
    if (client.timedOut) return { passed: false, notes: ['the client was killed after the time limit'] };
    const shouldFail = run.evidence.scenario.expect.failsAt !== undefined;
    const ok = shouldFail ? client.exitCode !== 0 : client.exitCode === 0;
    return {
      passed: ok,
      notes: ok
        ? []
        : [`exit status ${client.exitCode} (expected ${shouldFail ? 'non-zero: the send failed' : '0'})`],
    };
  },
};

/** Longest diff kept in a note; the rest is counted. */
const MAX_DIFF_LINES = 60;

/** The run against the scenario's reference transcript, both normalised (normalise.ts). */
function matchesReference(run: Run): Verdict {
  const reference = run.evidence.reference;
  if (!reference) {
    return { passed: false, applicable: false, notes: ['the scenario names no expected transcript'] };
  }
  if (!reference.transcript) {
    return {
      passed: false,
      notes: [`the expected transcript cannot be used: ${reference.error ?? 'unreadable'}`],
    };
  }
  const normalised = run.sessions.map((session) => ({ session, lines: normaliseSession(session.items) }));
  const actual = flatten(normalised.map((s) => ({ lines: s.lines.map((l) => l.text) })));
  const where = normalised.flatMap(({ session, lines }) => [
    undefined,
    ...lines.map((l) => ({ session, item: l.item })),
  ]);
  const expected = flatten(reference.transcript.sessions);
  const diff = diffLines(expected, actual, { labels: ['expected', 'this run'] });
  if (!diff.length) return { passed: true };
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  const at = where[first] ?? where.findLast((w) => w !== undefined);
  const changed = diff.filter((l) => /^[-+] /.test(l)).length;
  const shown =
    diff.length > MAX_DIFF_LINES
      ? [...diff.slice(0, MAX_DIFF_LINES), `... (${diff.length - MAX_DIFF_LINES} more diff lines)`]
      : diff;
  return {
    passed: false,
    notes: [`${changed} line(s) differ from the expected transcript (${reference.file})`, shown.join('\n')],
    evidence: at ? [{ ...at, why: 'first difference from the expected transcript' }] : [],
  };
}

/** Which checks exist: a scenario naming any other id is refused when it is loaded or graded. */
export const CHECK_IDS = Object.keys(CHECKS);

/**
 * waits-for-replies ('any': some of the previous reply arrived first) and reads-whole-replies
 * ('whole': all of it did). Commands that PIPELINING lets a client group are exempt when the
 * server advertised it.
 */
function pacing(run: Run, need: 'any' | 'whole'): Verdict {
  const evidence: NonNullable<Verdict['evidence']> = [];
  if (!run.sessions.some((s) => run.commands(s).length)) {
    return { passed: false, notes: ['the client sent no command'] };
  }
  for (const session of run.sessions) {
    const pipelining = session.items.some(
      (i) => i.kind === 'reply' && i.reply.lines.slice(1).some((l) => /^PIPELINING\b/i.test(l)),
    );
    const commands = run.commands(session);
    commands.forEach(({ line, index }, k) => {
      const previous = commands[k - 1];
      if (!previous) {
        // The first command waits for the whole greeting (its first bytes: waits-for-greeting).
        const greeting = session.items.find(
          (i): i is ServerReply => i.kind === 'reply' && i.answers === 'greeting',
        );
        if (need === 'whole' && greeting && greeting.event < line.event && greeting.lastEvent >= line.event) {
          evidence.push({ session, item: index, why: 'sent while the greeting was still arriving' });
        }
        return;
      }
      const verb = run.verb(previous.line);
      if (pipelining && (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET')) return;
      const what = verb || 'the previous command';
      if (!serverBytesBetween(session, previous.line.event, line.event)) {
        evidence.push({ session, item: index, why: `sent before any reply to ${what} arrived` });
        return;
      }
      const reply = run.replyTo(session, previous.index);
      if (need === 'whole' && (!reply || reply.lastEvent >= line.event)) {
        evidence.push({ session, item: index, why: `sent while the reply to ${what} was still arriving` });
      }
    });
  }
  return { passed: evidence.length === 0, evidence: evidence.slice(0, 3) };
}

/** Whether the server sent anything after event `after` and before event `before`. */
function serverBytesBetween(session: RunSession, after: number, before: number): boolean {
  for (let i = after + 1; i < before && i < session.events.length; i++) {
    const event = session.events[i]!;
    if (event.type === 'wire' && event.dir === 's2c') return true;
  }
  return false;
}

function strictness(
  run: Run,
  where: { session: RunSession; line: ClientLine; index: number },
  exact: boolean,
): Verdict {
  const notes: string[] = [];
  if (!where.line.command!.upperCase) notes.push('the verb is not in upper case');
  if (!exact) notes.push('RFC 5321 grammar has no space after the colon: "MAIL FROM:<a@b>"');
  if (!notes.length) return { passed: true };
  return { passed: !run.strict, notes, evidence: [{ session: where.session, item: where.index }] };
}

function body(message: RunMessage): Buffer {
  return message.eml.subarray(message.record.traceHeaderBytes);
}

function splitMessage(raw: Buffer): { headers: string[]; blankLine: boolean } {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  return { headers: head.split(/\r?\n/).filter((l) => l !== ''), blankLine: end !== -1 };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

interface Part {
  headers: string;
  body: string;
}

/** The leaf parts of a MIME message, read from the raw text (boundaries as declared). */
function mimeParts(raw: string): { parts: Part[]; problems: string[] } {
  const problems: string[] = [];
  const parts: Part[] = [];
  const walk = (entity: string, depth: number) => {
    const split = entity.search(/\r?\n\r?\n/);
    const headers = split === -1 ? entity : entity.slice(0, split);
    const content = split === -1 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
    const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
    const type = /^content-type:\s*([^;\r\n]+)(.*)$/im.exec(unfolded);
    if (!type || !/^multipart\//i.test(type[1]!.trim())) {
      parts.push({ headers: unfolded, body: content });
      return;
    }
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(type[2] ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) {
      problems.push('a multipart entity without a boundary parameter');
      return;
    }
    const delimiter = `--${b}`;
    const pieces = content.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}`));
    if (!content.includes(`${delimiter}--`))
      problems.push(`the boundary "${b}" is never closed with "${delimiter}--"`);
    if (depth > 10) return;
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      walk(piece.replace(/^[ \t]*\r?\n/, ''), depth + 1);
    }
  };
  walk(raw, 0);
  return { parts, problems };
}

/** The message's first text part (or its only body), its transfer encoding undone. */
function plainText(raw: Buffer): string {
  const { parts } = mimeParts(raw.toString('latin1'));
  const part =
    parts.find((p) => /^content-type:\s*text\/plain/im.test(p.headers)) ??
    parts.find((p) => !/^content-type:/im.test(p.headers)) ??
    parts[0];
  if (!part) return '';
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(part.headers)?.[1]?.toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            part.body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(part.body, 'latin1');
  return bytes.toString('utf8');
}

function mimeProblems(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const { parts, problems } = mimeParts(text);
  const out = [...problems];
  if (!/^content-type:\s*multipart\//im.test(text.split(/\r?\n\r?\n/)[0] ?? ''))
    out.push('the message is not multipart');
  if (!/^mime-version:\s*1\.0/im.test(text.split(/\r?\n\r?\n/)[0] ?? ''))
    out.push('no MIME-Version: 1.0 header');
  if (!parts.some((p) => /^content-type:\s*text\//im.test(p.headers) || !/content-type:/i.test(p.headers))) {
    out.push('no text part');
  }
  if (!parts.some((p) => /^content-type:\s*image\//im.test(p.headers))) out.push('no image/* part');
  return out;
}

function base64Parts(raw: Buffer): Buffer[] {
  const { parts } = mimeParts(raw.toString('latin1'));
  return parts
    .filter((p) => /^content-transfer-encoding:\s*base64/im.test(p.headers))
    .map((p) => Buffer.from(p.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An evidence line short enough to read (a base64 line can be thousands of characters). */
function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/** Judges every check the scenario lists; evidence points at lines of each session's rendering. */
export function evaluateChecks(evidence: RunEvidence): CheckResult[] {
  const run = new Run(evidence);
  const rendered = new Map(evidence.sessions.map((s) => [s, renderNumbered(s.items, { maxDataLines: 40 })]));
  return evidence.scenario.checks.map((spec: CheckSpec) => {
    const check = CHECKS[spec.id];
    const verdict: Verdict = check ? check(run) : { passed: false, notes: [`unknown check id "${spec.id}"`] };
    const applicable = verdict.applicable ?? true;
    const passed = applicable && verdict.passed;
    return {
      id: spec.id,
      title: CHECK_TITLES[spec.id] ?? spec.id,
      tier: spec.tier,
      passed,
      applicable,
      points: passed ? spec.points : 0,
      maxPoints: applicable ? spec.points : 0,
      evidence: (verdict.evidence ?? []).map(({ session, item, why }) => {
        const view = rendered.get(session)!;
        const line = view.lineOf[item] ?? 1;
        const text = clip((view.lines[line - 1] ?? '').trim());
        return { session: session.id, line, text: why ? `${text}  <- ${why}` : text };
      }),
      notes: verdict.notes ?? [],
      hint: passed ? null : (spec.hint ?? DEFAULT_HINTS[spec.id] ?? null),
    };
  });
}
