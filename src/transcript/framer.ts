import { parseCommand, type Command } from '../protocol/command.js';
import { SmtpProtocolError } from '../protocol/errors.js';
import { ReplyParser, type Reply } from '../protocol/reply.js';
import type { NoteKind, TranscriptEvent, WireEvent } from './events.js';

/**
 * Frames the wire events of one SMTP session into client lines and server replies, the way the
 * server sees them: DATA mode after a 354, AUTH continuation lines after a 334, a TLS upgrade
 * after a 220 to STARTTLS. The live proxy feeds it chunk by chunk; the grader replays a stored
 * transcript through the same code.
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
  /** Where the bytes are in the events (not kept for DATA lines). */
  spans?: Span[];
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
  level: 'info' | 'error';
  text: string;
  /** The note event's typed kind (`kind` here is the item's own): what code reads. */
  noteKind?: NoteKind;
}

export type FramedItem = ClientLine | ServerReply | ServerGarbage | FramedNote;

/** A command whose reply decides how the following client lines are read. */
type ModeChange = { verb: 'DATA' | 'AUTH' | 'STARTTLS'; item: number };

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

/** How many lines of credentials follow an AUTH command with this mechanism. */
function credentialLines(mechanism: string, initialResponse: boolean): number | undefined {
  if (mechanism === 'PLAIN') return initialResponse ? 0 : 1;
  if (mechanism === 'LOGIN') return initialResponse ? 1 : 2;
  if (mechanism === 'CRAM-MD5') return 1;
  return undefined;
}

/** What stands in for a secret in every rendering and redacted transcript. */
export const MASK = '********';
const MAX_REPLY_LINE = 4096;
/** Longest client line kept whole (RFC 5321 allows 1000 octets); longer ones come out in pieces. */
const MAX_CLIENT_LINE = 64 * 1024;

export class SessionFramer {
  /** Everything framed so far, in the order it was completed. */
  readonly items: FramedItem[] = [];

  private mode: LineMode = 'command';
  private auth: AuthState | undefined;
  /** What awaits a reply, oldest first: the greeting, then client line item indexes. */
  private readonly owed: Array<'greeting' | number> = ['greeting'];
  private pendingChange: ModeChange | undefined;
  /** Lines that arrived before the reply that decides their mode. */
  private held: ClientLine[] = [];
  /** Since STARTTLS was answered 220 and until the first TLS bytes, plaintext is not forwarded. */
  private tlsUpgradePending = false;
  /** An AUTH was sent in plaintext while the TLS upgrade was pending: what follows is credentials. */
  private injectedAuth = false;
  /**
   * An AUTH exchange the server ended or never opened (500 AUTH off, 503 before EHLO, 535, 538):
   * a client that does not read the reply sends its credential lines all the same, and they stay
   * secret until the exchange is over (as many lines as the mechanism sends, or a line that is a
   * command).
   */
  private refusedAuth: AuthState | undefined;

  private lineParts: Buffer[] = [];
  private lineLength = 0;
  private lineSpans: Span[] = [];
  private lineStart = 0;
  private lineEvent = 0;
  private lineTls = false;
  private lineEarly = false;
  /** True when the last data line ended with CRLF (or DATA mode just began): "." may end DATA. */
  private dataAtLineStart = true;

  private replies = new ReplyParser();
  private replyStart = 0;
  private replyFirstEvent = 0;
  private replyChunks = 0;
  private replyTls = false;
  private replyLine: Buffer[] = [];
  private replyLineLength = 0;
  private replyEvent = -1;
  private eventIndex = -1;

  constructor(private readonly keepDataSpans = false) {}

  /** True between a 220 answer to STARTTLS and the start of TLS: plaintext now is an injection. */
  get awaitingTls(): boolean {
    return this.tlsUpgradePending || this.pendingChange?.verb === 'STARTTLS';
  }

  /** True once STARTTLS was answered 220 and the client has not yet sent anything inside TLS. */
  get startTlsAccepted(): boolean {
    return this.tlsUpgradePending;
  }

  /** True while the client is sending the message body. */
  get inData(): boolean {
    return this.mode === 'data';
  }

  /** Feeds one event; returns the items it completed. */
  push(event: TranscriptEvent): FramedItem[] {
    this.eventIndex++;
    const before = this.items.length;
    if (event.type === 'note') {
      this.items.push({
        kind: 'note',
        t: event.t,
        level: event.level,
        text: event.text,
        ...(event.kind ? { noteKind: event.kind } : {}),
      });
    } else if (event.dir === 'c2s') {
      this.pushClient(event);
    } else {
      this.pushServer(event);
    }
    return this.items.slice(before);
  }

  /** Flushes an unterminated client line and an unfinished reply at the end of the session. */
  finish(t = 0): FramedItem[] {
    const before = this.items.length;
    if (this.lineParts.length) this.endLine(true);
    // No reply will decide how the held lines are read: read them as the session left them.
    while (this.held.length) {
      const change = this.pendingChange;
      this.pendingChange = undefined;
      this.releaseHeld(undefined, change?.verb === 'AUTH');
    }
    const rest = Buffer.concat(this.replyLine);
    const partial = Buffer.concat([this.replies.pendingBytes(), rest]);
    if (partial.length) {
      this.items.push({
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
    return this.items.slice(before);
  }

  // ----- client side -----

  private pushClient(event: WireEvent): void {
    if (event.tls && this.tlsUpgradePending) {
      this.tlsUpgradePending = false;
      if (this.injectedAuth) {
        this.injectedAuth = false;
        this.auth = undefined;
      }
    }
    const data = event.data;
    let start = 0;
    // Lines end at LF, as smtp-server reads them; a CR elsewhere is part of the line (flagged).
    while (start < data.length) {
      const lf = data.indexOf(0x0a, start);
      if (lf === -1) break;
      this.addPart(event, start, lf + 1);
      start = lf + 1;
      this.endLine(false);
    }
    if (start < data.length) {
      this.addPart(event, start, data.length);
      // A line that never ends must not grow without bound: hand it on in pieces.
      if (this.lineLength > MAX_CLIENT_LINE) this.endLine(true);
    }
  }

  private beginLine(event: WireEvent): void {
    this.lineStart = event.t;
    this.lineEvent = this.eventIndex;
    this.lineTls = event.tls;
    this.lineEarly = this.owed.length > 0 || this.pendingChange !== undefined;
  }

  private addPart(event: WireEvent, start: number, end: number): void {
    if (this.lineParts.length === 0 && this.lineSpans.length === 0) this.beginLine(event);
    this.lineParts.push(event.data.subarray(start, end));
    this.lineLength += end - start;
    if (this.mode !== 'data' || this.keepDataSpans)
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
      mode: this.mode,
      early: this.lineEarly,
    };
    if (body.includes(0x0d)) line.bareCr = true;
    this.lineLength = 0;
    if (this.lineSpans.length) line.spans = this.lineSpans;
    this.lineParts = [];
    this.lineSpans = [];
    if (this.pendingChange) {
      this.held.push(line);
      return;
    }
    this.classify(line);
  }

  /** Decides what a finished line is, given the mode it was read in, and records it. */
  private classify(line: ClientLine): void {
    if (this.tlsUpgradePending && !line.tls) {
      line.injected = true;
      line.mode = 'command';
      if (this.injectedAuth && this.auth?.remaining !== 0) {
        // Credentials that followed an AUTH sent in plaintext: ignored by the server, still secret.
        this.authContinuation(line);
      } else {
        const command = parseCommand(line.text);
        line.command = command;
        if (command.verb === 'AUTH') {
          this.authCommand(line, command.args);
          this.injectedAuth = true;
        }
      }
      this.items.push(line);
      return;
    }
    line.mode = this.mode;
    if (this.mode === 'data') {
      if (line.text === '.' && line.ending === 'crlf' && this.dataAtLineStart) {
        line.dataEnd = true;
        this.mode = 'command';
        this.owe(line);
        return;
      }
      this.dataAtLineStart = line.ending === 'crlf';
      this.items.push(line);
      return;
    }
    if (this.mode === 'auth') {
      if (this.auth?.remaining !== 0) {
        this.authContinuation(line);
        this.owe(line);
        return;
      }
      // The mechanism's credentials have all been sent: this line is the next command.
      this.mode = 'command';
      line.mode = 'command';
    }
    if (this.refusedAuth) {
      if (this.refusedAuth.remaining !== 0 && !looksLikeCommand(line.text)) {
        this.authContinuation(line, this.refusedAuth);
        // Only a whole line is read (and answered) by the server.
        if (line.ending === 'crlf' || line.ending === 'lf') this.owe(line);
        else this.items.push(line);
        return;
      }
      this.refusedAuth = undefined;
    }
    if (line.ending === 'none' || line.ending === 'cr') {
      // Only part of a line (cut off, or the session ended): the server has not read a command yet.
      line.command = parseCommand(line.text);
      this.items.push(line);
      return;
    }
    const command = parseCommand(line.text);
    line.command = command;
    const index = this.owe(line);
    if (command.verb === 'DATA' && !command.args) this.pendingChange = { verb: 'DATA', item: index };
    if (command.verb === 'STARTTLS') this.pendingChange = { verb: 'STARTTLS', item: index };
    if (command.verb === 'AUTH') {
      this.pendingChange = { verb: 'AUTH', item: index };
      this.authCommand(line, command.args);
    }
  }

  private owe(line: ClientLine): number {
    const index = this.items.push(line) - 1;
    this.owed.push(index);
    return index;
  }

  private authCommand(line: ClientLine, args: string): void {
    const [mechanismRaw = '', initial] = args.split(' ');
    const mechanism = mechanismRaw.toUpperCase();
    this.refusedAuth = undefined;
    this.auth = { mechanism, step: 0, remaining: credentialLines(mechanism, initial !== undefined) };
    if (initial === undefined || initial === '=') return;
    // Where the initial response starts; everything from there to the end of the line is masked.
    const from = line.text.length - args.length + mechanismRaw.length + 1;
    if (mechanism === 'LOGIN') {
      line.annotation = `user ${JSON.stringify(decodeBase64(initial))}`;
      this.auth.step = 1;
    } else {
      this.maskSecret(line, mechanism, initial, from);
    }
  }

  private authContinuation(line: ClientLine, state = this.auth): void {
    const auth = state ?? { mechanism: '', step: 0, remaining: undefined };
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
    this.items.push({ kind: 'garbage', t: this.replyStart, tls: this.replyTls, raw, error });
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
    const change = this.pendingChange;
    if (change && answers === change.item) {
      this.pendingChange = undefined;
      if (change.verb === 'DATA') {
        if (reply.code === 354) {
          this.mode = 'data';
          this.dataAtLineStart = true;
        }
      } else if (change.verb === 'AUTH') {
        this.mode = reply.code === 334 ? 'auth' : 'command';
        if (reply.code !== 334) this.refuseAuth();
      } else if (change.verb === 'STARTTLS' && reply.code === 220) {
        this.tlsUpgradePending = true;
      }
      this.releaseHeld(item, change.verb === 'AUTH' && this.mode !== 'auth');
      return;
    }
    if (this.mode === 'auth' && reply.code !== 334) {
      this.mode = 'command';
      this.refuseAuth();
      this.auth = undefined;
    }
    this.items.push(item);
  }

  /** The server ended the AUTH exchange: credential lines the mechanism still owes stay secret. */
  private refuseAuth(): void {
    if (this.auth && this.auth.remaining !== 0) this.refusedAuth = this.auth;
  }

  /**
   * Classifies the lines that waited for `reply`, then records the reply after them. `behindAuth`:
   * the lines were pipelined behind an AUTH that did not open an exchange (refused, or never
   * answered); as many as the mechanism sends are credentials all the same and stay masked.
   */
  private releaseHeld(reply: ServerReply | undefined, behindAuth: boolean): void {
    const held = this.held;
    this.held = [];
    for (const [i, line] of held.entries()) {
      if (this.pendingChange) {
        // A held line was itself DATA, AUTH or STARTTLS: the rest waits for that command's reply.
        this.held = held.slice(i);
        break;
      }
      if (behindAuth && this.mode === 'command' && !line.tls && this.auth?.remaining !== 0) {
        this.authContinuation(line);
        this.owe(line);
        continue;
      }
      this.classify(line);
    }
    if (reply) {
      // The reply answered the command before the held lines: show it where it was sent, after them.
      this.items.push(reply);
    }
    if (!this.pendingChange && this.mode !== 'auth' && reply && reply.reply.code !== 334)
      this.auth = undefined;
  }
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
export function frameEvents(events: readonly TranscriptEvent[], keepDataSpans = false): FramedItem[] {
  const framer = new SessionFramer(keepDataSpans);
  for (const event of events) framer.push(event);
  framer.finish(events.at(-1)?.t ?? 0);
  return framer.items;
}
