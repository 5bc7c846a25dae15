import { parseCommand, type Command } from '../protocol/command.js';
import { MAX_REPLY_LINE } from '../protocol/defaults.js';
import { SmtpProtocolError } from '../protocol/errors.js';
import { ReplyParser, type Reply } from '../protocol/reply.js';
import type { NoteKind, NoteLevel, TranscriptEvent, WireEvent } from './events.js';

/**
 * Frames the wire events of one SMTP session into client lines and server replies, the way the
 * server sees them: DATA mode after a 354, AUTH continuation lines after a 334, a TLS upgrade
 * after a 220 to STARTTLS. The live proxy feeds it chunk by chunk; the grader replays a stored
 * transcript through the same code.
 *
 * Memory is bounded whatever the client sends: a message body is not a line per item but one
 * `MessageBody` summary (counts, flags with a few samples, the first lines), at most
 * `MAX_ITEMS` items are kept, and a kept line holds at most `MAX_KEPT_LINE` bytes.
 */

export type LineEnding = 'crlf' | 'lf' | 'cr' | 'none';
export type LineMode = 'command' | 'auth' | 'data';

/** Where a line's bytes lie in the transcript's events (a line may span several chunks). */
export interface Span {
  event: number;
  start: number;
  end: number;
}

export interface ClientLine {
  kind: 'line';
  /** Time the line's first byte arrived, and the index of the event that carried it. */
  t: number;
  event: number;
  tls: boolean;
  /** The line without its ending, decoded as UTF-8. */
  text: string;
  /** The exact bytes, ending included. */
  raw: Buffer;
  /** crlf or lf for a complete line; cr or none for a piece cut off (over-long, or the session ended). */
  ending: LineEnding;
  /** A CR that is not part of the line ending: servers do not end a line there (RFC 5321 §2.3.8). */
  bareCr?: boolean;
  mode: LineMode;
  /** For command lines: verb and arguments. */
  command?: Command;
  /** The server still owed a reply when this line started: the client did not wait (or pipelined). */
  early: boolean;
  /** The "." that ends DATA (only ever with a CRLF before and after, as the server requires). */
  dataEnd?: boolean;
  /** Sent after STARTTLS but before the TLS upgrade: discarded, as RFC 3207 section 4.2 requires. */
  injected?: boolean;
  /** What the line carries that must never be shown, and where in `text` it starts. */
  secret?: { kind: 'password' | 'credentials' | 'token'; from: number };
  /** What a person reading the transcript should know: the decoded user name, a masked secret. */
  annotation?: string;
  /** Where the bytes are in the events. */
  spans?: Span[];
  /** The line was longer than what is kept of it (raw and text cut): its full length. */
  clipped?: number;
}

export interface ServerReply {
  kind: 'reply';
  /** Time of the reply's first and last byte, and the indexes of the events that carried them. */
  t: number;
  tEnd: number;
  event: number;
  lastEvent: number;
  tls: boolean;
  reply: Reply;
  /** How many separate writes (chunks) carried this reply: more than one means it was fragmented. */
  chunks: number;
  /** What the reply answers: the greeting, the framed item index of the client line, or nothing. */
  answers: 'greeting' | number | undefined;
}

/** Bytes from the server that are not a reply line. */
export interface ServerGarbage {
  kind: 'garbage';
  t: number;
  tls: boolean;
  raw: Buffer;
  error: string;
}

export interface FramedNote {
  kind: 'note';
  t: number;
  /** Index of the event that carried the note. */
  event: number;
  level: NoteLevel;
  text: string;
  /** The note event's typed kind (`kind` here is the item's own): what code reads. */
  noteKind?: NoteKind;
}

/** One line of a message body as a summary keeps it (never more than `MAX_KEPT_LINE` bytes of text). */
export interface BodyLine {
  /** 1-based line number in the body, and the offset of its first byte in the body. */
  n: number;
  offset: number;
  t: number;
  event: number;
  /** The line without its ending, decoded as UTF-8; cut after MAX_KEPT_LINE bytes. */
  text: string;
  /** Bytes of the whole line, ending included. */
  length: number;
  ending: LineEnding;
  bareCr?: boolean;
  /** Sent before the reply that opened DATA was complete. */
  early?: boolean;
}

/** Lines of a body with one property: how many, and the first few. */
export interface BodyFlag {
  count: number;
  samples: BodyLine[];
}

/**
 * A message body as the server read it (everything between the 354 and the final "."), kept as
 * a bounded summary rather than a line per item: counts, the properties the checks judge (line
 * endings, long lines, leading dots) with their first occurrences, and the first lines.
 */
export interface MessageBody {
  kind: 'body';
  /** Time and event of the first and of the last body byte. */
  t: number;
  event: number;
  tEnd: number;
  lastEvent: number;
  tls: boolean;
  /** Some of it was sent before the 354 arrived. */
  early: boolean;
  /** Bytes as sent (dot-stuffing and line endings included, the final "." line not). */
  bytes: number;
  lines: number;
  /** The first lines (at most BODY_HEAD_LINES and BODY_HEAD_BYTES). */
  head: BodyLine[];
  /** Lines after `head` that were counted, not kept. */
  notKept: number;
  /** The body was ended by <CRLF>.<CRLF> (false: the session ended first). */
  ended: boolean;
  bareLf: BodyFlag;
  bareCr: BodyFlag;
  /** Longer than 998 octets before the CRLF (RFC 5321 §4.5.3.1.6). */
  long: BodyFlag;
  /** The longest line, ending included. */
  longest: number;
  /** Start with one "." not doubled (RFC 5321 §4.5.2). */
  dotStart: BodyFlag;
  /** Lines that start with "..": a leading dot doubled (dot-stuffed). */
  stuffed: number;
  /** A "." alone on a line that did not end the body (wrong line ending, or not after a CRLF). */
  loneDot: BodyFlag;
  /** The last line had no LF when the session ended. */
  unfinished?: BodyLine;
}

export type FramedItem = ClientLine | ServerReply | ServerGarbage | FramedNote | MessageBody;

/**
 * Message body bytes for the live proxy to forward, as they arrive (never kept, never an item):
 * `push` returns them among the items, in order.
 */
export interface BodyBytes {
  kind: 'body-bytes';
  raw: Buffer;
}

export type Framed = FramedItem | BodyBytes;

interface AuthState {
  mechanism: string;
  /** Continuation lines sent so far. */
  step: number;
  /**
   * Credential lines still to come, where the mechanism fixes their number (PLAIN, LOGIN,
   * CRAM-MD5): a line after them is the next command, pipelined. Undefined: unknown, every line
   * until the server's final reply is a credential.
   */
  remaining: number | undefined;
}

/**
 * How the framer reads the client's next bytes: one state, so no two flags can disagree. The one
 * place the flow turns back is `awaiting-reply`: after DATA, AUTH or STARTTLS the server's reply
 * decides how what follows is read, so the client's bytes are held until it arrives.
 */
type ReadState =
  /** Commands, one per line. */
  | { phase: 'command' }
  /** DATA, AUTH or STARTTLS (item `item`) awaits its reply; the client's bytes since are `held`. */
  | {
      phase: 'awaiting-reply';
      verb: 'DATA' | 'AUTH' | 'STARTTLS';
      item: number;
      /** The AUTH command's exchange (for AUTH only). */
      auth: AuthState | undefined;
      held: HeldPiece[];
      heldBytes: number;
    }
  /** The message body, from the 354 to the final ".". */
  | { phase: 'data' }
  /** An AUTH exchange the server opened with a 334: lines are credentials until the mechanism's are sent. */
  | { phase: 'auth'; auth: AuthState }
  /**
   * An AUTH exchange the server ended or never opened (500 AUTH off, 503 before EHLO, 535, 538):
   * a client that does not read the reply sends its credential lines all the same, and they stay
   * secret until the exchange is over (as many lines as the mechanism sends, or a line that is a
   * command).
   */
  | { phase: 'auth-refused'; auth: AuthState }
  /**
   * STARTTLS was answered 220 and the client has sent nothing inside TLS yet: plaintext now is an
   * injection the server discards (RFC 3207 section 4.2). `injectedAuth`: an AUTH sent so, whose
   * credential lines follow (still secret).
   */
  | { phase: 'tls-upgrade'; injectedAuth: AuthState | undefined };

/** The mode a line is read in, as items record it. */
function modeOf(state: ReadState): LineMode {
  return state.phase === 'data' ? 'data' : state.phase === 'auth' ? 'auth' : 'command';
}

/** How many lines of credentials follow an AUTH command with this mechanism. */
function credentialLines(mechanism: string, initialResponse: boolean): number | undefined {
  if (mechanism === 'PLAIN') return initialResponse ? 0 : 1;
  if (mechanism === 'LOGIN') return initialResponse ? 1 : 2;
  if (mechanism === 'CRAM-MD5') return 1;
  return undefined;
}

/** What stands in for a secret in every rendering and redacted transcript. */
export const MASK = '********';
/** Longest client line kept whole (RFC 5321 allows 1000 octets); longer ones come out in pieces. */
const MAX_CLIENT_LINE = 64 * 1024;
/** Items kept per session; later ones are still returned by `push` (live view, proxy), not kept. */
export const MAX_ITEMS = 10_000;
/** Bytes of a client line kept in `items` (the returned item has them all, for forwarding). */
export const MAX_KEPT_LINE = 1024;
/** Body lines kept in a MessageBody's head, and their bytes; samples kept per flag. */
export const BODY_HEAD_LINES = 1000;
export const BODY_HEAD_BYTES = 64 * 1024;
const BODY_SAMPLES = 3;
const TERMINATOR = Buffer.from('.\r\n');

/** Bytes a client sent while a reply that decides how to read them was still awaited. */
interface HeldPiece {
  event: number;
  t: number;
  tls: boolean;
  /** The event's bytes; the held ones start at `start` (spans are offsets in the event). */
  data: Buffer;
  start: number;
}

/** The body line being read: counters and its first bytes, no copy of the rest. */
class BodyLineState {
  length = 0;
  t = 0;
  event = 0;
  offset = 0;
  early = false;
  bareCr = false;
  /** The last byte so far is a CR (a CRLF may be split over two chunks). */
  pendingCr = false;
  readonly head = Buffer.allocUnsafe(MAX_KEPT_LINE + 2);
  headLength = 0;
}

/** How far findByte looks byte by byte before it asks Buffer.indexOf (a native call per line costs more than a short loop). */
const NEAR = 16;

/**
 * data.indexOf(byte, from): the first bytes in a plain loop, then Buffer.indexOf. Body lines are
 * mostly short, and a flood of empty lines would otherwise make two native calls per line.
 */
function findByte(data: Buffer, byte: number, from: number): number {
  const near = Math.min(data.length, from + NEAR);
  for (let i = from; i < near; i++) if (data[i] === byte) return i;
  return near < data.length ? data.indexOf(byte, near) : -1;
}

export class SessionFramer {
  /** The first MAX_ITEMS items, in the order they were completed (indexes are item numbers). */
  readonly items: FramedItem[] = [];
  /** Items completed so far, kept or not: the next item's number. */
  private itemCount = 0;
  /** Items not kept (over MAX_ITEMS). */
  dropped = 0;

  /** How the client's next bytes are read. */
  private state: ReadState = { phase: 'command' };
  /**
   * Set while held bytes are read again (releaseHeld): their lines were sent before the reply
   * (early). `behindAuth`: they were pipelined behind an AUTH that opened no exchange.
   */
  private release: { behindAuth: AuthState | undefined } | undefined;
  /** What awaits a reply, oldest first: the greeting, then client line item indexes. */
  private readonly owed: Array<'greeting' | number> = ['greeting'];

  private lineParts: Buffer[] = [];
  private lineLength = 0;
  private lineSpans: Span[] = [];
  private lineStart = 0;
  private lineEvent = 0;
  private lineTls = false;
  private lineEarly = false;
  /** True when the last data line ended with CRLF (or DATA mode just began): "." may end DATA. */
  private dataAtLineStart = true;
  /** The body being read, and its current line. */
  private body: MessageBody | undefined;
  private bodyLine = new BodyLineState();
  private bodyHeadBytes = 0;
  /** Bytes of a possible final "." line held back from `body-bytes` until the line is complete. */
  private dotHeld = 0;
  /** What `push` returns: the items completed and body bytes, in order. */
  private out: Framed[] = [];

  private replies = new ReplyParser();
  private replyStart = 0;
  private replyFirstEvent = 0;
  private replyChunks = 0;
  private replyTls = false;
  private replyLine: Buffer[] = [];
  private replyLineLength = 0;
  private replyEvent = -1;
  private eventIndex = -1;
  /** The first bytes the client sent (at most 16), when they were plaintext: what spoke first. */
  firstClientBytes: Buffer | undefined;
  private clientSpoke = false;
  /** Events that carried server bytes, as runs [first, last, first, last, ...]. */
  private readonly serverRuns: number[] = [];

  /** True between a 220 answer to STARTTLS and the start of TLS: plaintext now is an injection. */
  get awaitingTls(): boolean {
    const state = this.state;
    return state.phase === 'tls-upgrade' || (state.phase === 'awaiting-reply' && state.verb === 'STARTTLS');
  }

  /** True while the client is sending the message body. */
  get inData(): boolean {
    return this.state.phase === 'data';
  }

  /** Client bytes waiting for a reply that decides how to read them (after DATA, AUTH, STARTTLS). */
  get heldBytes(): number {
    return this.state.phase === 'awaiting-reply' ? this.state.heldBytes : 0;
  }

  /** Events pushed so far. */
  get events(): number {
    return this.eventIndex + 1;
  }

  /** Items completed so far (kept or not). */
  get count(): number {
    return this.itemCount;
  }

  /** Whether the server sent bytes in an event after event `after` and before event `before`. */
  serverSentBetween(after: number, before: number): boolean {
    const runs = this.serverRuns;
    for (let i = 0; i < runs.length; i += 2) {
      const first = runs[i]!;
      const last = runs[i + 1]!;
      if (first >= before) return false;
      if (last > after && Math.max(first, after + 1) < before) return true;
    }
    return false;
  }

  /** Feeds one event; returns the items it completed, and body bytes to forward, in order. */
  push(event: TranscriptEvent): Framed[] {
    this.eventIndex++;
    this.out = [];
    if (event.type === 'note') {
      this.add({
        kind: 'note',
        t: event.t,
        event: this.eventIndex,
        level: event.level,
        text: event.text,
        ...(event.kind ? { noteKind: event.kind } : {}),
      });
    } else if (event.dir === 'c2s') {
      this.pushClient(event);
    } else {
      const runs = this.serverRuns;
      if (runs.length && runs[runs.length - 1] === this.eventIndex - 1)
        runs[runs.length - 1] = this.eventIndex;
      else runs.push(this.eventIndex, this.eventIndex);
      this.pushServer(event);
    }
    return this.out;
  }

  /** Flushes an unterminated client line and an unfinished reply at the end of the session. */
  finish(t = 0): Framed[] {
    this.out = [];
    if (this.state.phase === 'data') this.endBody(false);
    else if (this.lineParts.length) this.endLine(true);
    // No reply will decide how the held bytes are read: read them as the session left them.
    let state = this.state;
    while (state.phase === 'awaiting-reply' && state.held.length) {
      this.state = { phase: 'command' };
      this.releaseHeld(state.held, undefined, state.verb === 'AUTH' ? state.auth : undefined, true);
      state = this.state;
    }
    const rest = Buffer.concat(this.replyLine);
    const partial = Buffer.concat([this.replies.pendingBytes(), rest]);
    if (partial.length) {
      this.add({
        kind: 'garbage',
        t: this.replyStart || t,
        tls: this.replyTls,
        raw: partial,
        error: 'the connection closed before the reply was complete',
      });
      this.replies = new ReplyParser();
      this.replyLine = [];
      this.replyLineLength = 0;
    }
    return this.out;
  }

  /** Records a completed item: kept while under MAX_ITEMS (a kept line bounded); returns its number. */
  private add(item: FramedItem, out = true): number {
    const index = this.itemCount++;
    if (out) this.out.push(item);
    if (this.items.length < MAX_ITEMS) {
      this.items.push(item.kind === 'line' ? keptLine(item) : item);
      if (this.items.length === MAX_ITEMS) {
        this.items.push({
          kind: 'note',
          t: 'tEnd' in item ? item.tEnd : item.t,
          event: this.eventIndex,
          level: 'error',
          text: `more than ${MAX_ITEMS} lines and replies in this session: the rest is in the transcript file, not kept here`,
        });
      }
    } else {
      this.dropped++;
    }
    return index;
  }

  // ----- client side -----

  private pushClient(event: WireEvent): void {
    if (!this.clientSpoke && event.data.length) {
      this.clientSpoke = true;
      if (!event.tls) this.firstClientBytes = Buffer.from(event.data.subarray(0, 16));
    }
    // The first bytes inside TLS: the upgrade is done (an AUTH injected before it is forgotten).
    if (event.tls && this.state.phase === 'tls-upgrade') this.state = { phase: 'command' };
    this.scanClient(event.data, event.t, event.tls, 0);
  }

  /** Reads client bytes from `from` in the current mode; holds them while a reply must decide it. */
  private scanClient(data: Buffer, t: number, tls: boolean, from: number): void {
    let start = from;
    // Lines end at LF, as smtp-server reads them; a CR elsewhere is part of the line (flagged).
    while (start < data.length) {
      const state = this.state;
      if (state.phase === 'awaiting-reply') {
        state.held.push({ event: this.eventIndex, t, tls, data, start });
        state.heldBytes += data.length - start;
        return;
      }
      if (state.phase === 'data') {
        start = this.scanBody(data, t, tls, start);
        continue;
      }
      const lf = data.indexOf(0x0a, start);
      if (lf === -1) {
        this.addPart(data, t, tls, start, data.length);
        // A line that never ends must not grow without bound: hand it on in pieces.
        if (this.lineLength > MAX_CLIENT_LINE) this.endLine(true);
        return;
      }
      this.addPart(data, t, tls, start, lf + 1);
      start = lf + 1;
      this.endLine(false);
    }
  }

  private beginLine(t: number, tls: boolean): void {
    this.lineStart = t;
    this.lineEvent = this.eventIndex;
    this.lineTls = tls;
    this.lineEarly =
      this.release !== undefined || this.owed.length > 0 || this.state.phase === 'awaiting-reply';
  }

  private addPart(data: Buffer, t: number, tls: boolean, start: number, end: number): void {
    if (this.lineParts.length === 0 && this.lineSpans.length === 0) this.beginLine(t, tls);
    this.lineParts.push(data.subarray(start, end));
    this.lineLength += end - start;
    this.lineSpans.push({ event: this.eventIndex, start, end });
  }

  /** Completes the line read so far; `piece` when it is cut (over-long, or the session ended). */
  private endLine(piece: boolean): void {
    const raw = this.lineParts.length === 1 ? this.lineParts[0]! : Buffer.concat(this.lineParts);
    const last = raw[raw.length - 1];
    const ending: LineEnding = piece
      ? last === 0x0d
        ? 'cr'
        : 'none'
      : raw.length >= 2 && raw[raw.length - 2] === 0x0d
        ? 'crlf'
        : 'lf';
    const body = raw.subarray(0, raw.length - (ending === 'crlf' ? 2 : ending === 'none' ? 0 : 1));
    const line: ClientLine = {
      kind: 'line',
      t: this.lineStart,
      event: this.lineEvent,
      tls: this.lineTls,
      text: body.toString('utf8'),
      raw,
      ending,
      mode: modeOf(this.state),
      early: this.lineEarly,
    };
    if (body.includes(0x0d)) line.bareCr = true;
    this.lineLength = 0;
    if (this.lineSpans.length) line.spans = this.lineSpans;
    this.lineParts = [];
    this.lineSpans = [];
    const behindAuth = this.release?.behindAuth;
    if (behindAuth && modeOf(this.state) === 'command' && !line.tls && behindAuth.remaining !== 0) {
      this.authContinuation(line, behindAuth);
      this.owe(line);
      return;
    }
    this.classify(line);
  }

  /** Decides what a finished line is, given the state it was read in, and records it. */
  private classify(line: ClientLine): void {
    const state = this.state;
    if (state.phase === 'tls-upgrade' && !line.tls) return this.injectedLine(line, state);
    line.mode = modeOf(state);
    if (state.phase === 'auth' && this.credentialLine(line, state.auth)) return;
    if (state.phase === 'auth-refused' && this.refusedCredentialLine(line, state.auth)) return;
    this.commandLine(line);
  }

  /** Plaintext sent after the 220 to STARTTLS, before TLS: recorded as injected, never answered. */
  private injectedLine(line: ClientLine, state: Extract<ReadState, { phase: 'tls-upgrade' }>): void {
    line.injected = true;
    line.mode = 'command';
    if (state.injectedAuth && state.injectedAuth.remaining !== 0) {
      // Credentials that followed an AUTH sent in plaintext: ignored by the server, still secret.
      this.authContinuation(line, state.injectedAuth);
    } else {
      const command = parseCommand(line.text);
      line.command = command;
      if (command.verb === 'AUTH') state.injectedAuth = this.authCommand(line, command.args);
    }
    this.add(line);
  }

  /**
   * A line inside an AUTH exchange the server opened: a credential while the mechanism owes one
   * (true), else the exchange is over and the line is the next command (false).
   */
  private credentialLine(line: ClientLine, auth: AuthState): boolean {
    if (auth.remaining !== 0) {
      this.authContinuation(line, auth);
      this.owe(line);
      return true;
    }
    this.state = { phase: 'command' };
    line.mode = 'command';
    return false;
  }

  /**
   * A line after an AUTH the server refused: a credential the client sent all the same (true), or
   * the next command, which ends the exchange (false).
   */
  private refusedCredentialLine(line: ClientLine, auth: AuthState): boolean {
    if (auth.remaining !== 0 && !looksLikeCommand(line.text)) {
      this.authContinuation(line, auth);
      // Only a whole line is read (and answered) by the server.
      if (line.ending === 'crlf' || line.ending === 'lf') this.owe(line);
      else this.add(line);
      return true;
    }
    this.state = { phase: 'command' };
    return false;
  }

  /** A command line: owed a reply; DATA, AUTH and STARTTLS hold what follows until it arrives. */
  private commandLine(line: ClientLine): void {
    if (line.ending === 'none' || line.ending === 'cr') {
      // Only part of a line (cut off, or the session ended): the server has not read a command yet.
      line.command = parseCommand(line.text);
      this.add(line);
      return;
    }
    const command = parseCommand(line.text);
    line.command = command;
    // Everything about the line is known before it is recorded (items keep their own copy).
    const auth = command.verb === 'AUTH' ? this.authCommand(line, command.args) : undefined;
    const item = this.owe(line);
    const verb =
      command.verb === 'DATA' && !command.args
        ? 'DATA'
        : command.verb === 'STARTTLS' || command.verb === 'AUTH'
          ? command.verb
          : undefined;
    if (verb) this.state = { phase: 'awaiting-reply', verb, item, auth, held: [], heldBytes: 0 };
  }

  private owe(line: ClientLine): number {
    const index = this.add(line);
    this.owed.push(index);
    return index;
  }

  // ----- message body -----

  /**
   * Reads body bytes from `from`: counts lines and their properties without a record per line,
   * hands the bytes on as `body-bytes`, and stops after the final "." line (returns where the
   * bytes after it start). A possible final "." is held back until its line is complete. Lines
   * inside one chunk are read in place; only a line that spans chunks has its first bytes copied.
   */
  private scanBody(data: Buffer, t: number, tls: boolean, from: number): number {
    if (!this.body) {
      // Kept where the body starts (as its lines were), filled in as it arrives; handed out by
      // `push` once complete.
      this.body = newBody(t, this.eventIndex, tls);
      this.add(this.body, false);
    }
    const body = this.body;
    const line = this.bodyLine;
    const early = this.release !== undefined || this.owed.length > 0;
    if (early) body.early = true;
    body.tEnd = t;
    body.lastEvent = this.eventIndex;
    let pos = from;
    const emitFrom = from;
    /** The next CR at or after `pos` in this chunk (data.length: none). */
    let nextCr = -1;
    // Where and when every line read in place was sent (one object for the chunk, not per line).
    const at = { t, event: this.eventIndex, early };
    while (pos < data.length) {
      if (line.length === 0) {
        const lf = findByte(data, 0x0a, pos);
        if (lf !== -1) {
          // The whole line is in this chunk: read it in place.
          const length = lf + 1 - pos;
          const crlf = length >= 2 && data[lf - 1] === 0x0d;
          if (nextCr < pos) {
            nextCr = findByte(data, 0x0d, pos);
            if (nextCr === -1) nextCr = data.length;
          }
          const contentEnd = crlf ? lf - 1 : lf;
          if (length === 3 && crlf && data[pos] === 0x2e && this.dataAtLineStart) {
            if (pos > emitFrom) this.emitBody(data.subarray(emitFrom, pos));
            this.endDot(t, this.eventIndex, early, tls);
            return lf + 1;
          }
          this.countLine(
            body,
            data,
            pos,
            contentEnd - pos,
            length,
            crlf ? 'crlf' : 'lf',
            nextCr < contentEnd,
            at,
          );
          pos = lf + 1;
          continue;
        }
        line.t = t;
        line.event = this.eventIndex;
        line.offset = body.bytes;
        line.early = early;
        line.bareCr = false;
        line.pendingCr = false;
        line.headLength = 0;
      }
      // A line that spans chunks: its first bytes are copied, the rest counted.
      const lf = data.indexOf(0x0a, pos);
      const end = lf === -1 ? data.length : lf + 1;
      const crlf = this.bodyPart(data, pos, end, lf !== -1);
      pos = end;
      if (lf === -1) break;
      if (line.length === 3 && this.dataAtLineStart && line.head[0] === 0x2e && line.head[1] === 0x0d) {
        // The final ".", partly held back from an earlier chunk.
        const startInChunk = end - (3 - this.dotHeld);
        if (startInChunk > emitFrom) this.emitBody(data.subarray(emitFrom, startInChunk));
        this.dotHeld = 0;
        line.length = 0;
        this.endDot(line.t, line.event, line.early, tls);
        return end;
      }
      if (this.dotHeld) {
        // Held back as a possible final ".": it was body after all, and comes first.
        this.emitBody(Buffer.from(line.head.subarray(0, this.dotHeld)));
        this.dotHeld = 0;
      }
      this.endSpanningLine(body, crlf ? 'crlf' : 'lf');
    }
    // The chunk ends inside a line: hold back "." or ".\r" that may yet be the final ".".
    const possibleDot =
      this.dataAtLineStart &&
      line.length > 0 &&
      line.length <= 2 &&
      line.head[0] === 0x2e &&
      (line.length === 1 || line.head[1] === 0x0d);
    if (possibleDot) {
      const inChunk = line.length - this.dotHeld;
      const end = data.length - inChunk;
      if (end > emitFrom) this.emitBody(data.subarray(emitFrom, end));
      this.dotHeld = line.length;
      return data.length;
    }
    if (this.dotHeld) {
      this.emitBody(Buffer.from(line.head.subarray(0, this.dotHeld)));
      this.dotHeld = 0;
    }
    if (data.length > emitFrom) this.emitBody(data.subarray(emitFrom));
    return data.length;
  }

  /**
   * Adds data[start, end) to the current body line (`complete`: it ends with the line's LF).
   * Returns whether a complete line ends with CRLF (its CR may have ended the previous chunk).
   */
  private bodyPart(data: Buffer, start: number, end: number, complete: boolean): boolean {
    const line = this.bodyLine;
    const crBefore = line.pendingCr;
    if (crBefore && data[start] !== 0x0a) line.bareCr = true;
    // A CR that ends the chunk may be the first half of the line's CRLF: decided by the next byte.
    line.pendingCr = !complete && data[end - 1] === 0x0d;
    if (!line.bareCr) {
      // Any CR before the last content byte is inside the line; the last one is the ending's
      // (complete) or pending (above).
      const contentEnd = complete ? end - 1 : end;
      const cr = data.indexOf(0x0d, start);
      if (cr !== -1 && cr < contentEnd - 1) line.bareCr = true;
    }
    const room = line.head.length - line.headLength;
    if (room > 0) {
      const n = Math.min(room, end - start);
      data.copy(line.head, line.headLength, start, start + n);
      line.headLength += n;
    }
    line.length += end - start;
    if (!complete) return false;
    return end - start >= 2 ? data[end - 2] === 0x0d : crBefore;
  }

  private emitBody(raw: Buffer): void {
    if (raw.length) this.out.push({ kind: 'body-bytes', raw });
  }

  /** Counts the body line that spanned chunks (or the unfinished last one); resets it. */
  private endSpanningLine(body: MessageBody, ending: LineEnding): void {
    const line = this.bodyLine;
    const endingLength = ending === 'crlf' ? 2 : ending === 'none' ? 0 : 1;
    const content = line.length - endingLength;
    this.countLine(
      body,
      line.head,
      0,
      Math.min(content, line.headLength),
      line.length,
      ending,
      line.bareCr,
      line,
    );
    line.length = 0;
  }

  /**
   * Counts one body line into the summary: `src[start, start + available)` holds (the first bytes
   * of) its content; `length` is the whole line with its ending.
   */
  private countLine(
    body: MessageBody,
    src: Buffer,
    start: number,
    available: number,
    length: number,
    ending: LineEnding,
    bareCr: boolean,
    at: { t: number; event: number; early: boolean },
  ): void {
    const endingLength = ending === 'crlf' ? 2 : ending === 'none' ? 0 : 1;
    const contentLength = length - endingLength;
    const offset = body.bytes;
    body.bytes += length;
    body.lines++;
    if (length > body.longest) body.longest = length;
    this.dataAtLineStart = ending === 'crlf';
    const first = contentLength >= 1 ? src[start] : undefined;
    const second = contentLength >= 2 ? src[start + 1] : undefined;
    const dotStart = first === 0x2e && second !== 0x2e;
    if (first === 0x2e && second === 0x2e) body.stuffed++;
    const loneDot = first === 0x2e && (contentLength === 1 || (contentLength === 2 && second === 0x0d));
    const long = contentLength > 998;
    const unfinished = ending === 'none' || ending === 'cr';
    const flagged = ending === 'lf' || bareCr || long || dotStart || loneDot || unfinished;
    const kept = Math.min(contentLength, MAX_KEPT_LINE, available);
    const inHead =
      body.notKept === 0 &&
      body.head.length < BODY_HEAD_LINES &&
      this.bodyHeadBytes + kept <= BODY_HEAD_BYTES;
    if (!inHead) body.notKept++;
    if (!inHead && !flagged) return;
    const record: BodyLine = {
      n: body.lines,
      offset,
      t: at.t,
      event: at.event,
      text: src.toString('utf8', start, start + kept),
      length,
      ending,
    };
    if (bareCr) record.bareCr = true;
    if (at.early) record.early = true;
    if (inHead) {
      body.head.push(record);
      this.bodyHeadBytes += kept;
    }
    if (ending === 'lf') sample(body.bareLf, record);
    if (bareCr) sample(body.bareCr, record);
    if (long) sample(body.long, record);
    if (dotStart) sample(body.dotStart, record);
    if (loneDot) sample(body.loneDot, record);
    if (unfinished) body.unfinished = record;
  }

  /** The final "." line: ends the body (recorded first), then the line itself is owed a reply. */
  private endDot(t: number, event: number, early: boolean, tls: boolean): void {
    const dot: ClientLine = {
      kind: 'line',
      t,
      event,
      tls,
      text: '.',
      raw: Buffer.from(TERMINATOR),
      ending: 'crlf',
      mode: 'data',
      early,
      dataEnd: true,
    };
    this.endBody(true);
    this.state = { phase: 'command' };
    this.owe(dot);
  }

  /** Records the body read so far (ended by the final ".", or by the end of the session). */
  private endBody(ended: boolean): void {
    const body = this.body;
    const line = this.bodyLine;
    if (!ended && body && line.length > 0) {
      if (this.dotHeld) {
        this.emitBody(Buffer.from(line.head.subarray(0, this.dotHeld)));
        this.dotHeld = 0;
      }
      this.endSpanningLine(body, line.pendingCr ? 'cr' : 'none');
    }
    this.body = undefined;
    this.bodyHeadBytes = 0;
    this.dataAtLineStart = true;
    if (body) {
      body.ended = ended;
      this.out.push(body);
    }
  }

  /** Reads an AUTH command line (masks an initial response); returns the exchange it starts. */
  private authCommand(line: ClientLine, args: string): AuthState {
    const [mechanismRaw = '', initial] = args.split(' ');
    const mechanism = mechanismRaw.toUpperCase();
    const auth: AuthState = {
      mechanism,
      step: 0,
      remaining: credentialLines(mechanism, initial !== undefined),
    };
    if (initial === undefined || initial === '=') return auth;
    // Where the initial response starts; everything from there to the end of the line is masked.
    const from = line.text.length - args.length + mechanismRaw.length + 1;
    if (mechanism === 'LOGIN') {
      line.annotation = `user ${JSON.stringify(decodeBase64(initial))}`;
      auth.step = 1;
    } else {
      this.maskSecret(line, mechanism, initial, from);
    }
    return auth;
  }

  private authContinuation(line: ClientLine, auth: AuthState): void {
    line.mode = 'auth';
    const value = line.text.trim();
    if (value === '*') {
      line.annotation = 'authentication cancelled';
    } else if (auth.mechanism === 'LOGIN' && auth.step === 0) {
      line.annotation = `user ${JSON.stringify(decodeBase64(value))}`;
    } else if (auth.mechanism === 'CRAM-MD5') {
      // The digest of a known challenge can be attacked offline for the password: hide it too.
      const [user = ''] = decodeBase64(value).split(' ');
      line.secret = { kind: 'token', from: 0 };
      line.annotation = `user ${JSON.stringify(user)}, HMAC-MD5 digest hidden`;
    } else {
      this.maskSecret(line, auth.mechanism === 'LOGIN' ? 'PASSWORD' : auth.mechanism, value, 0);
    }
    auth.step++;
    if (auth.remaining !== undefined && auth.remaining > 0) auth.remaining--;
  }

  private maskSecret(line: ClientLine, mechanism: string, value: string, from: number): void {
    if (mechanism === 'PLAIN') {
      const [authzid = '', authcid = ''] = decodeBase64(value).split('\0');
      line.secret = { kind: 'credentials', from };
      line.annotation = `authzid ${JSON.stringify(authzid)}, user ${JSON.stringify(authcid)}, password ${MASK}`;
    } else if (mechanism === 'PASSWORD') {
      line.secret = { kind: 'password', from };
      line.annotation = 'password, hidden';
    } else {
      line.secret = { kind: 'token', from };
      line.annotation = `${mechanism || 'AUTH'} response, hidden`;
    }
  }

  // ----- server side -----

  private pushServer(event: WireEvent): void {
    const data = event.data;
    let start = 0;
    while (start < data.length) {
      if (!this.replies.pending && this.replyLine.length === 0) {
        this.replyStart = event.t;
        this.replyFirstEvent = this.eventIndex;
        this.replyTls = event.tls;
        this.replyChunks = 0;
      }
      if (this.replyEvent !== this.eventIndex) {
        this.replyEvent = this.eventIndex;
        this.replyChunks++;
      }
      const lf = data.indexOf(0x0a, start);
      const end = lf === -1 ? data.length : lf + 1;
      const piece = data.subarray(start, end);
      start = end;
      if (lf === -1) {
        this.replyLine.push(piece);
        this.replyLineLength += piece.length;
        if (this.replyLineLength > MAX_REPLY_LINE) {
          this.garbage('reply line too long', this.replies.pendingBytes(), Buffer.alloc(0));
        }
        break;
      }
      const line = this.replyLine.length ? Buffer.concat([...this.replyLine, piece]) : piece;
      this.replyLine = [];
      this.replyLineLength = 0;
      // The lines of this reply read so far: after an error the parser's own state is unusable.
      const before = this.replies.pendingBytes();
      let done: Reply[];
      try {
        done = this.replies.push(line);
      } catch (err) {
        this.garbage(err instanceof SmtpProtocolError ? err.shortMessage : String(err), before, line);
        continue;
      }
      for (const reply of done) this.acceptReply(reply, event);
      // The next reply in this chunk starts here and counts this chunk as its first.
      if (done.length) this.replyEvent = -1;
    }
  }

  /** Records `before` (the reply's earlier lines), the partial line and `line` as garbage; starts over. */
  private garbage(error: string, before: Buffer, line: Buffer): void {
    const raw = Buffer.concat([before, ...this.replyLine, line]);
    this.replies = new ReplyParser();
    this.replyLine = [];
    this.replyLineLength = 0;
    // A reply that follows in the same chunk starts afresh and counts this chunk.
    this.replyEvent = -1;
    this.add({ kind: 'garbage', t: this.replyStart, tls: this.replyTls, raw, error });
  }

  private acceptReply(reply: Reply, event: WireEvent): void {
    const answers = this.owed.shift();
    const item: ServerReply = {
      kind: 'reply',
      t: this.replyStart,
      tEnd: event.t,
      event: this.replyFirstEvent,
      lastEvent: this.eventIndex,
      tls: this.replyTls,
      reply,
      chunks: this.replyChunks,
      answers,
    };
    const state = this.state;
    if (state.phase === 'awaiting-reply' && answers === state.item) {
      this.decided(state, item);
      return;
    }
    // The server ended the AUTH exchange it had opened.
    if (state.phase === 'auth' && reply.code !== 334) this.state = afterAuth(state.auth);
    this.add(item);
  }

  /** The reply to DATA, AUTH or STARTTLS has come: it sets how the held bytes (and what follows) are read. */
  private decided(awaited: Extract<ReadState, { phase: 'awaiting-reply' }>, item: ServerReply): void {
    const code = item.reply.code;
    let behindAuth: AuthState | undefined;
    if (awaited.verb === 'DATA' && code === 354) {
      this.state = { phase: 'data' };
      this.dataAtLineStart = true;
    } else if (awaited.verb === 'AUTH' && code === 334) {
      this.state = { phase: 'auth', auth: awaited.auth! };
    } else if (awaited.verb === 'AUTH') {
      this.state = afterAuth(awaited.auth!);
      behindAuth = awaited.auth;
    } else if (awaited.verb === 'STARTTLS' && code === 220) {
      this.state = { phase: 'tls-upgrade', injectedAuth: undefined };
    } else {
      this.state = { phase: 'command' };
    }
    this.releaseHeld(awaited.held, item, behindAuth);
  }

  /**
   * Reads the bytes that waited for `reply` in the state it decided, then records the reply after
   * them. `behindAuth`: the bytes were pipelined behind an AUTH that did not open an exchange
   * (refused, or never answered); as many lines as the mechanism sends are credentials all the
   * same and stay masked. `ending`: the session is over, what is left is read as it stands.
   */
  private releaseHeld(
    held: readonly HeldPiece[],
    reply: ServerReply | undefined,
    behindAuth: AuthState | undefined,
    ending = false,
  ): void {
    const event = this.eventIndex;
    this.release = { behindAuth };
    try {
      this.replayHeld(held);
      if (ending && this.state.phase !== 'awaiting-reply') {
        if (this.state.phase === 'data') this.endBody(false);
        else if (this.lineParts.length) this.endLine(true);
      }
    } finally {
      this.eventIndex = event;
      this.release = undefined;
    }
    // The reply answered the command before the held lines: show it where it was sent, after them.
    if (reply) this.add(reply);
    const state = this.state;
    if (reply && reply.reply.code !== 334 && state.phase === 'tls-upgrade' && state.injectedAuth) {
      // An AUTH injected among the held lines is not followed line by line: every plaintext line
      // until TLS is taken for its credentials, and stays secret.
      state.injectedAuth = { mechanism: '', step: 0, remaining: undefined };
    }
  }

  /**
   * Reads held bytes as if they arrived now; the lines keep their events. A held line that is
   * itself DATA, AUTH or STARTTLS holds the rest again for its own reply.
   */
  private replayHeld(held: readonly HeldPiece[]): void {
    for (const piece of held) {
      this.eventIndex = piece.event;
      this.scanClient(piece.data, piece.t, piece.tls, piece.start);
    }
  }
}

/** After an AUTH exchange the server ended: credential lines the mechanism still owes stay secret. */
function afterAuth(auth: AuthState): ReadState {
  return auth.remaining !== 0 ? { phase: 'auth-refused', auth } : { phase: 'command' };
}

/** Counts a flagged body line and keeps it as a sample while there are few. */
function sample(flag: BodyFlag, line: BodyLine): void {
  flag.count++;
  if (flag.samples.length < BODY_SAMPLES) flag.samples.push(line);
}

function newBody(t: number, event: number, tls: boolean): MessageBody {
  const flag = (): BodyFlag => ({ count: 0, samples: [] });
  return {
    kind: 'body',
    t,
    event,
    tEnd: t,
    lastEvent: event,
    tls,
    early: false,
    bytes: 0,
    lines: 0,
    head: [],
    notKept: 0,
    ended: false,
    bareLf: flag(),
    bareCr: flag(),
    long: flag(),
    longest: 0,
    dotStart: flag(),
    stuffed: 0,
    loneDot: flag(),
  };
}

/** The copy of a line that `items` keeps: its own bytes (not a slice of a chunk), at most MAX_KEPT_LINE. */
function keptLine(line: ClientLine): ClientLine {
  if (line.raw.length <= MAX_KEPT_LINE) {
    // Its own bytes, not a slice that would keep a whole chunk alive.
    line.raw = Buffer.from(line.raw);
    return line;
  }
  const raw = Buffer.from(line.raw.subarray(0, MAX_KEPT_LINE));
  return { ...line, raw, text: line.text.slice(0, MAX_KEPT_LINE), clipped: line.raw.length };
}

/** A line a client sends as a command, not as a credential (base64 has no spaces or colons). */
function looksLikeCommand(text: string): boolean {
  return /^(HELO|EHLO|MAIL|RCPT|DATA|RSET|NOOP|QUIT|VRFY|EXPN|HELP|AUTH|STARTTLS|BDAT)(\s|$)/i.test(text);
}

function decodeBase64(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('utf8');
}

/** Frames a whole transcript's events (grader, renderer, redaction). */
export function frameEvents(events: readonly TranscriptEvent[]): FramedItem[] {
  const framer = new SessionFramer();
  for (const event of events) framer.push(event);
  framer.finish(events.at(-1)?.t ?? 0);
  return framer.items;
}
