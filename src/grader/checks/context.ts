import { messages, type Messages } from '../../i18n/messages.js';
import type { StoredMessage } from '../../server/mailbox.js';
import type { CheckId } from '../../scenarios/check-ids.js';
import type { ClientBrief, Scenario, Tier } from '../../scenarios/types.js';
import type { NoteKind, TranscriptEvent } from '../../transcript/events.js';
import {
  SessionFramer,
  type ClientLine,
  type FramedItem,
  type FramedNote,
  type MessageBody,
  type ServerReply,
} from '../../transcript/framer.js';
import type { ReferenceProblem, ReferenceTranscript } from '../normalise.js';

/**
 * What every check reads: a run's framed sessions (the proxy's bytes, never what the lenient
 * backend accepted), its stored messages and how the client process ended; and what a check
 * answers (a Verdict) and is (a CheckDef, one registry entry).
 */

export interface RunSession {
  id: string;
  /** The framed items (bounded: a message body is one summary item). */
  items: readonly FramedItem[];
  /** Whether the server sent bytes in an event after event `after` and before event `before`. */
  serverSentBetween(after: number, before: number): boolean;
  /** How many events the session had (item event indexes are below this). */
  events: number;
  /** The connection came in on the implicit-TLS port (TLS from the first byte). */
  implicitTls?: boolean;
  /** The first bytes the client sent (at most 16), when they were plaintext. */
  firstClientBytes?: Buffer | undefined;
  /** The session's JSON-lines transcript file (every byte), when the server kept one. */
  transcriptPath?: string | undefined;
}

/** A RunSession from a framer that has seen (and finished) a whole session. */
export function runSessionOf(
  id: string,
  framer: SessionFramer,
  implicitTls?: boolean,
  transcriptPath?: string,
): RunSession {
  return {
    ...(transcriptPath !== undefined ? { transcriptPath } : {}),
    id,
    items: framer.items,
    serverSentBetween: (after, before) => framer.serverSentBetween(after, before),
    events: framer.events,
    firstClientBytes: framer.firstClientBytes,
    ...(implicitTls !== undefined ? { implicitTls } : {}),
  };
}

/** A RunSession framed from a session's events (a transcript read back, a test). */
export function frameRunSession(
  id: string,
  events: Iterable<TranscriptEvent>,
  implicitTls?: boolean,
): RunSession {
  const framer = new SessionFramer();
  let t = 0;
  for (const event of events) {
    framer.push(event);
    t = event.t;
  }
  framer.finish(t);
  return runSessionOf(id, framer, implicitTls);
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

/** Everything a run left behind, as the checks see it (assembled by evidence.ts). */
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
  reference?: { file: string; transcript?: ReferenceTranscript; error?: string; problem?: ReferenceProblem };
  /** Stored messages a client changed after the server stored them (judged from the wire instead). */
  tampered?: TamperedMessage[];
}

/** Where in the transcript a verdict comes from: a session and a line of its rendering. */
export interface Evidence {
  session: string;
  line: number;
  text: string;
  /** For a client line: the server's reply to it (the 501 that started a failure, the 503 ignored). */
  reply?: { line: number; text: string };
}

/** A stored message whose file no longer holds what the server stored (found by ../integrity.ts). */
export interface TamperedMessage {
  /** The message id (`<session>-<n>`) and the file that was changed. */
  id: string;
  file: string;
  expectedSha256: string;
  /** sha256 of the file as found, or why it could not be read (e.g. "missing"). */
  foundSha256: string;
  /**
   * True when the exact stored bytes were rebuilt from the wire (hash verified again); false
   * when only the message body from the wire could be rebuilt (the trace header was lost too).
   */
  recovered: boolean;
}

export interface CheckResult {
  id: CheckId;
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

export interface Verdict {
  passed: boolean;
  /** `bodyLine`: for a message body item, the number of the body line meant. */
  evidence?: Array<{ session: RunSession; item: number; why?: string; bodyLine?: number }>;
  notes?: string[];
  applicable?: boolean;
}

/** One check: the registry entry (checks/index.ts) that `smtp-lab checks` lists. */
export interface CheckDef {
  id: CheckId;
  /** What passing means, one line (the report's check title). */
  title: string;
  /** What the verdict is judged from, for `smtp-lab checks`. */
  judges: string;
  /** The tier a scenario usually gives it (a scenario may say otherwise). */
  tier: Tier;
  /** Shown with a failed check unless the scenario gives its own. */
  hint: string;
  judge: (run: Run) => Verdict;
}

/** A run's sessions with helpers the checks share. */
export class Run {
  readonly brief: ClientBrief;
  // Every check asks for the same commands and replies: each session is walked once.
  private readonly commandCache = new Map<RunSession, Array<{ line: ClientLine; index: number }>>();
  private readonly replyCache = new Map<RunSession, Map<number, ServerReply>>();
  /**
   * @param m the language every reason, note and evidence caption is written in (never the
   *   verdicts: ids, passes and points do not depend on it)
   */
  constructor(
    readonly evidence: RunEvidence,
    readonly m: Messages = messages('en'),
  ) {
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
    let found = this.commandCache.get(session);
    if (!found) {
      found = lines(session).filter(
        ({ line }) => !line.injected && (line.mode !== 'data' || line.dataEnd) && line.ending !== 'none',
      );
      this.commandCache.set(session, found);
    }
    return found;
  }
  replyTo(session: RunSession, index: number): ServerReply | undefined {
    let replies = this.replyCache.get(session);
    if (!replies) {
      replies = new Map();
      for (const item of session.items) {
        if (item.kind === 'reply' && typeof item.answers === 'number') replies.set(item.answers, item);
      }
      this.replyCache.set(session, replies);
    }
    return replies.get(index);
  }
  allCommands(): Array<{ session: RunSession; line: ClientLine; index: number }> {
    return this.sessions.flatMap((session) => this.commands(session).map((c) => ({ session, ...c })));
  }
  verb(line: ClientLine): string {
    return line.command?.verb ?? '';
  }
  /** Whether the client sent any bytes at all, in any session. */
  sentAnything(): boolean {
    return this.sessions.some((s) => lines(s).length > 0 || bodies(s).length > 0);
  }
}

/** The client lines of a session with their item indexes (computed once per session object). */
export function lines(session: RunSession): Array<{ line: ClientLine; index: number }> {
  let found = lineCache.get(session);
  if (!found || found.items !== session.items.length) {
    const list: Array<{ line: ClientLine; index: number }> = [];
    session.items.forEach((item, index) => {
      if (item.kind === 'line') list.push({ line: item, index });
    });
    found = { items: session.items.length, list };
    lineCache.set(session, found);
  }
  return found.list;
}

const lineCache = new WeakMap<
  RunSession,
  { items: number; list: Array<{ line: ClientLine; index: number }> }
>();

/** The session's notes of these kinds (typed: their text is for people and may be reworded). */
export function notesOf(
  session: RunSession,
  ...kinds: NoteKind[]
): Array<{ note: FramedNote; index: number }> {
  return session.items.flatMap((item, index) =>
    item.kind === 'note' && item.noteKind !== undefined && kinds.includes(item.noteKind)
      ? [{ note: item, index }]
      : [],
  );
}

/** Whether the server sent anything after event `after` and before event `before`. */
export function serverBytesBetween(session: RunSession, after: number, before: number): boolean {
  return session.serverSentBetween(after, before);
}

/** The message bodies a session sent (summaries: counts, flagged lines, the first lines). */
export function bodies(session: RunSession): Array<{ body: MessageBody; index: number }> {
  return session.items.flatMap((item, index) => (item.kind === 'body' ? [{ body: item, index }] : []));
}

/** Whether a session sent any message body, or at least a final ".". */
export function sentData(session: RunSession): boolean {
  return session.items.some((i) => i.kind === 'body' || (i.kind === 'line' && i.mode === 'data'));
}

/**
 * Where in a body a flagged line is: the `{n}` and `{text}` (quoted) of a `verdict.` message such
 * as "body line {n} ({text}) ends with a bare LF".
 */
export function bodyWhere(line: { n: number; text: string }): { n: number; text: string } {
  return { n: line.n, text: JSON.stringify(line.text.slice(0, 60)) };
}

export function body(message: RunMessage): Buffer {
  return message.eml.subarray(message.record.traceHeaderBytes);
}
