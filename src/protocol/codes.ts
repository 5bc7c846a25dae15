import { SmtpLabError } from './errors.js';
import { en } from '../i18n/en.js';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import {
  ZH_ENHANCED_CLASSES,
  ZH_ENHANCED_DETAILS,
  ZH_ENHANCED_SUBJECTS,
  ZH_FIRST_DIGITS,
  ZH_REPLY_CODES,
  ZH_SECOND_DIGITS,
  ZH_THIRD_DIGIT,
  type PartText,
} from './codes.zh-CN.js';

/**
 * The reply-code catalogue: what each SMTP reply code (RFC 5321 and the extensions a mail client
 * meets: STARTTLS, AUTH) and each RFC 3463 enhanced status code means, where it shows up, and
 * what a client should do next. The data is kept in plain tables below; every entry cites the
 * section it comes from. The tables are English; the zh-CN texts of every entry live in
 * codes.zh-CN.ts, keyed by code, and `lang: 'zh-CN'` explains with them.
 */

/** What a client should do after a reply. */
export type NextStep =
  /** The step succeeded or the server asks for more: go on with the session. */
  | 'continue'
  /** A transient failure: try the same message again later (a new connection, after a wait). */
  | 'retry-later'
  /** The client sent something wrong (syntax, order, parameter, missing TLS or AUTH): fix it. */
  | 'fix-command'
  /** This recipient is refused: drop it, keep delivering to the accepted ones. */
  | 'skip-recipient'
  /** Permanent failure of the message or the session: stop, report, do not resend unchanged. */
  | 'give-up';

/** The next steps in English words (the catalogue's `next.*` messages). */
export const NEXT_STEPS: Record<NextStep, string> = {
  continue: en['next.continue'],
  'retry-later': en['next.retry-later'],
  'fix-command': en['next.fix-command'],
  'skip-recipient': en['next.skip-recipient'],
  'give-up': en['next.give-up'],
};

/** Where in a session a reply arrives: the greeting, or the command it answers. */
export type ReplyContext =
  | 'greeting'
  | 'EHLO'
  | 'HELO'
  | 'STARTTLS'
  | 'AUTH'
  | 'MAIL'
  | 'RCPT'
  | 'DATA'
  /** The reply after the message's final `<CRLF>.<CRLF>`. */
  | 'end-of-data'
  | 'RSET'
  | 'VRFY'
  | 'EXPN'
  | 'HELP'
  | 'NOOP'
  | 'QUIT'
  /** Any command (syntax and sequence errors, a server shutting down). */
  | 'any';

export interface ReplyCodeEntry {
  code: number;
  /** Short name, e.g. "Service ready". */
  name: string;
  /** What the code means. */
  meaning: string;
  /** Where it typically appears, in words. */
  appears: string;
  /** The same, as contexts a program can match. */
  contexts: ReplyContext[];
  /** What a client should do next, in general. */
  next: NextStep;
  /** A more precise next step after particular commands (e.g. 550 to RCPT vs. after DATA). */
  nextAfter?: Partial<Record<ReplyContext, NextStep>>;
  /** What the next step means concretely for this code. */
  advice: string;
  /** Where it is defined, e.g. "RFC 5321 §4.2.3". */
  ref: string;
}

const R5321 = 'RFC 5321 §4.2.2, §4.2.3';

// prettier-ignore
/** Basic reply codes: RFC 5321 §4.2.2 / §4.2.3 / §4.3.2, RFC 3207, RFC 4954, RFC 7504, RFC 5248. */
export const REPLY_CODES: readonly ReplyCodeEntry[] = [
  {
    code: 211, name: 'System status',
    meaning: 'System status, or system help reply.',
    appears: 'reply to HELP (and non-standard status requests)', contexts: ['HELP'],
    next: 'continue', advice: 'Informational; nothing to do.',
    ref: R5321,
  },
  {
    code: 214, name: 'Help message',
    meaning: 'Help text for a human: how to use this server or what a non-standard command means.',
    appears: 'reply to HELP', contexts: ['HELP'],
    next: 'continue', advice: 'Informational, useful only to a human reader.',
    ref: `${R5321}, §4.3.2`,
  },
  {
    code: 220, name: 'Service ready',
    meaning: 'The server is ready: the greeting that opens every session (its text names the server). Also the go-ahead for the TLS handshake after STARTTLS.',
    appears: 'greeting on connect; reply to STARTTLS ("Ready to start TLS")', contexts: ['greeting', 'STARTTLS'],
    next: 'continue',
    advice: 'After the greeting: send EHLO (or HELO). After STARTTLS: start the TLS handshake at once, then send EHLO again, since the server forgets everything it said before TLS.',
    ref: `${R5321}, §3.1; RFC 3207 §4`,
  },
  {
    code: 221, name: 'Service closing transmission channel',
    meaning: 'The server says goodbye and will close the connection.',
    appears: 'reply to QUIT', contexts: ['QUIT'],
    next: 'continue',
    advice: 'The session is over: close the socket. Anything accepted with 250 earlier stays delivered.',
    ref: `${R5321}, §4.1.1.10`,
  },
  {
    code: 235, name: 'Authentication succeeded',
    meaning: 'The AUTH exchange succeeded: the client is authenticated for this session.',
    appears: 'reply to AUTH (after the last credentials line)', contexts: ['AUTH'],
    next: 'continue', advice: 'Go on with MAIL FROM.',
    ref: 'RFC 4954 §4',
  },
  {
    code: 250, name: 'Requested mail action okay, completed',
    meaning: 'The command succeeded. To EHLO it is usually multi-line, one extension per line (SIZE, STARTTLS, AUTH ...); after the final dot of DATA it means the server has taken responsibility for the message.',
    appears: 'reply to EHLO, HELO, MAIL, RCPT, end of DATA, RSET, NOOP, VRFY',
    contexts: ['EHLO', 'HELO', 'MAIL', 'RCPT', 'end-of-data', 'RSET', 'NOOP', 'VRFY'],
    next: 'continue',
    advice: 'Send the next command. Read the whole reply first: a multi-line reply ends only at the line whose code is followed by a space.',
    ref: `${R5321}, §4.3.2`,
  },
  {
    code: 251, name: 'User not local; will forward',
    meaning: 'The recipient is accepted; the server will forward the message to another address.',
    appears: 'reply to RCPT (and VRFY)', contexts: ['RCPT', 'VRFY'],
    next: 'continue', advice: 'The recipient counts as accepted: go on.',
    ref: `${R5321}, §3.4`,
  },
  {
    code: 252, name: 'Cannot VRFY user, but will accept message',
    meaning: 'The server will not verify the address, but will accept a message for it and attempt delivery.',
    appears: 'reply to VRFY', contexts: ['VRFY'],
    next: 'continue', advice: 'The address is neither confirmed nor refused; sending to it may still work.',
    ref: `${R5321}, §3.5.3`,
  },
  {
    code: 334, name: 'Server challenge',
    meaning: 'An AUTH continuation: the text is a base64 challenge (AUTH LOGIN: "VXNlcm5hbWU6" is "Username:", "UGFzc3dvcmQ6" is "Password:"; empty for PLAIN without an initial response).',
    appears: 'reply to AUTH and to each AUTH response line', contexts: ['AUTH'],
    next: 'continue',
    advice: 'Send one line: the base64 answer to the challenge (user name, password, or the PLAIN string), or "*" to cancel the exchange.',
    ref: 'RFC 4954 §4',
  },
  {
    code: 354, name: 'Start mail input',
    meaning: 'The server is ready for the message: headers, an empty line, the body, ended by <CRLF>.<CRLF>.',
    appears: 'reply to DATA', contexts: ['DATA'],
    next: 'continue',
    advice: 'Send the message with CRLF line endings, double every leading "." of a line (dot-stuffing), then end it with "\\r\\n.\\r\\n" and wait for the final reply.',
    ref: `${R5321}, §4.1.1.4, §4.5.2`,
  },
  {
    code: 421, name: 'Service not available, closing transmission channel',
    meaning: 'The server cannot serve this session (overload, shutdown, idle timeout, rate limit) and closes the connection.',
    appears: 'greeting (instead of 220); reply to any command when the server must shut down', contexts: ['greeting', 'any'],
    next: 'retry-later',
    advice: 'The connection is closing: do not send more. Reconnect later and send the whole message again; nothing of the unfinished transaction was delivered.',
    ref: `${R5321}, §3.8`,
  },
  {
    code: 450, name: 'Mailbox unavailable (temporary)',
    meaning: 'Requested mail action not taken: mailbox unavailable, e.g. busy or temporarily blocked for policy reasons. Greylisting servers answer this to a first attempt.',
    appears: 'reply to RCPT, MAIL (and end of DATA)', contexts: ['RCPT', 'MAIL', 'end-of-data'],
    next: 'retry-later',
    advice: 'Try the same message again later (greylisting accepts a retry after a few minutes); do not treat it as a bounce.',
    ref: R5321,
  },
  {
    code: 451, name: 'Local error in processing',
    meaning: 'Requested action aborted: local error in processing. Also a common greylisting answer.',
    appears: 'reply to MAIL, RCPT, end of DATA', contexts: ['MAIL', 'RCPT', 'end-of-data'],
    next: 'retry-later', advice: 'Try the same message again later.',
    ref: R5321,
  },
  {
    code: 452, name: 'Insufficient system storage',
    meaning: 'Requested action not taken: insufficient system storage. To RCPT it also means "too many recipients" in this transaction.',
    appears: 'reply to MAIL, RCPT, end of DATA', contexts: ['MAIL', 'RCPT', 'end-of-data'],
    next: 'retry-later',
    advice: 'Try again later. To RCPT: finish the transaction with the recipients already accepted and send the rest in a later transaction.',
    ref: `${R5321}, §4.5.3.1.10`,
  },
  {
    code: 454, name: 'TLS not available / temporary authentication failure',
    meaning: 'To STARTTLS: TLS is not available for a temporary reason. To AUTH: a temporary server failure prevented authentication.',
    appears: 'reply to STARTTLS, AUTH', contexts: ['STARTTLS', 'AUTH'],
    next: 'retry-later',
    advice: 'Try again later. Never fall back to sending the password or the message in the clear because STARTTLS failed.',
    ref: 'RFC 3207 §4; RFC 4954 §6',
  },
  {
    code: 455, name: 'Server unable to accommodate parameters',
    meaning: 'The server cannot accommodate the MAIL or RCPT parameters now (a temporary condition).',
    appears: 'reply to MAIL, RCPT', contexts: ['MAIL', 'RCPT'],
    next: 'retry-later', advice: 'Try again later, or without the parameters.',
    ref: R5321,
  },
  {
    code: 500, name: 'Syntax error, command unrecognized',
    meaning: 'The server did not recognize the command, or the command line was too long (RFC 4954: an AUTH line too long, 5.5.6).',
    appears: 'reply to any command', contexts: ['any'],
    next: 'fix-command',
    advice: 'Check the verb spelling, the CRLF line ending and the line length (at most 512 octets with CRLF).',
    ref: `${R5321}, §4.5.3.1.4; RFC 4954 §6`,
  },
  {
    code: 501, name: 'Syntax error in parameters or arguments',
    meaning: 'The command was recognized but its arguments are wrong, e.g. MAIL FROM without <...>, EHLO without a domain, bad base64 in AUTH, or (QQ) a MAIL FROM that differs from the authenticated user.',
    appears: 'reply to any command with arguments: EHLO, HELO, MAIL, RCPT, AUTH, STARTTLS', contexts: ['any'],
    next: 'fix-command',
    advice: 'Fix the arguments: "MAIL FROM:<user@example.org>" with angle brackets and no space after the colon.',
    ref: `${R5321}, §4.1.2`,
  },
  {
    code: 502, name: 'Command not implemented',
    meaning: 'The server knows the command but does not implement it (e.g. EHLO on a very old server, VRFY, EXPN).',
    appears: 'reply to any command', contexts: ['any'],
    next: 'fix-command',
    advice: 'Do without the command: after 502 to EHLO, fall back to HELO.',
    ref: `${R5321}, §4.2.4`,
  },
  {
    code: 503, name: 'Bad sequence of commands',
    meaning: 'The command is valid but not now: e.g. RCPT before MAIL, DATA before an accepted RCPT, MAIL before EHLO, a second MAIL without RSET, or AUTH twice.',
    appears: 'reply to any command', contexts: ['any'],
    next: 'fix-command',
    advice: 'Follow the order of RFC 5321 §4.3.2: greeting, EHLO, [STARTTLS, EHLO], [AUTH], MAIL, RCPT..., DATA, QUIT; wait for each reply before the next command.',
    ref: `${R5321}, §4.3.2`,
  },
  {
    code: 504, name: 'Command parameter not implemented',
    meaning: 'A parameter of the command is not supported, e.g. an AUTH mechanism the server does not offer.',
    appears: 'reply to AUTH, MAIL, RCPT, EHLO', contexts: ['AUTH', 'MAIL', 'RCPT', 'EHLO'],
    next: 'fix-command',
    advice: 'Use only what the EHLO reply advertised (for AUTH: one of the listed mechanisms).',
    ref: `${R5321}; RFC 4954 §4`,
  },
  {
    code: 521, name: 'Host does not accept mail',
    meaning: 'This host never accepts mail (it answers every connection this way).',
    appears: 'greeting (instead of 220)', contexts: ['greeting'],
    next: 'give-up', advice: 'Wrong server for mail: stop; check the host and port.',
    ref: 'RFC 7504',
  },
  {
    code: 523, name: 'Encryption needed',
    meaning: 'The requested authentication mechanism may only be used over an encrypted connection (registered with enhanced code X.7.10).',
    appears: 'reply to AUTH', contexts: ['AUTH'],
    next: 'fix-command', advice: 'Start TLS first (STARTTLS, or implicit TLS on 465), or use a stronger mechanism.',
    ref: 'RFC 5248 (enhanced status code registry, X.7.10)',
  },
  {
    code: 530, name: 'Authentication required',
    meaning: 'The server requires authentication (or TLS first) before this command. Gmail on 587: "530 5.7.0 Must issue a STARTTLS command first".',
    appears: 'reply to MAIL (also RCPT, DATA, AUTH) before AUTH or STARTTLS', contexts: ['MAIL', 'RCPT', 'DATA', 'AUTH'],
    next: 'fix-command',
    advice: 'Do STARTTLS (then EHLO again) and AUTH before MAIL FROM, as the server asks, then start the transaction again.',
    ref: 'RFC 4954 §6; RFC 3207 §4',
  },
  {
    code: 534, name: 'Authentication mechanism is too weak',
    meaning: 'The selected AUTH mechanism is weaker than the server\'s policy allows for this user. Gmail also uses 534 5.7.9 to ask for an app password.',
    appears: 'reply to AUTH', contexts: ['AUTH'],
    next: 'fix-command', advice: 'Use a stronger mechanism (or, for Gmail, an app password).',
    ref: 'RFC 4954 §6',
  },
  {
    code: 535, name: 'Authentication credentials invalid',
    meaning: 'The user name or password was refused.',
    appears: 'reply to AUTH (after the credentials)', contexts: ['AUTH'],
    next: 'give-up',
    advice: 'Do not retry the same credentials (servers lock accounts). Check the user name and the base64 encoding; QQ Mail wants the 16-letter authorization code, Gmail an app password, not the account password.',
    ref: 'RFC 4954 §6',
  },
  {
    code: 538, name: 'Encryption required for requested authentication mechanism',
    meaning: 'This AUTH mechanism (e.g. PLAIN or LOGIN, which send the password readably) is allowed only inside TLS.',
    appears: 'reply to AUTH', contexts: ['AUTH'],
    next: 'fix-command', advice: 'Do STARTTLS (then EHLO again) or connect with implicit TLS, then AUTH.',
    ref: 'RFC 4954 §6',
  },
  {
    code: 550, name: 'Mailbox unavailable',
    meaning: 'Requested action not taken: mailbox unavailable, e.g. not found, no access, or the command or message was rejected for policy reasons (spam, a missing From header, rate limits).',
    appears: 'reply to RCPT (unknown user), MAIL (sender refused), end of DATA (message refused)', contexts: ['RCPT', 'MAIL', 'end-of-data'],
    next: 'skip-recipient',
    nextAfter: { MAIL: 'give-up', DATA: 'give-up', 'end-of-data': 'give-up', greeting: 'give-up' },
    advice: 'To RCPT: drop this recipient, keep the others. To MAIL or after DATA: the message is refused; do not resend it unchanged (read the text: e.g. a missing From header).',
    ref: `${R5321}, §3.3`,
  },
  {
    code: 551, name: 'User not local; please try <forward-path>',
    meaning: 'The recipient is not served here; the text may name the address to use instead.',
    appears: 'reply to RCPT (and VRFY)', contexts: ['RCPT', 'VRFY'],
    next: 'skip-recipient', advice: 'Drop this recipient (or resend to the address given in the text).',
    ref: `${R5321}, §3.4`,
  },
  {
    code: 552, name: 'Exceeded storage allocation',
    meaning: 'Requested mail action aborted: exceeded storage allocation, typically the message is larger than the server accepts (see SIZE in the EHLO reply).',
    appears: 'reply to end of DATA, MAIL with SIZE=, RCPT', contexts: ['end-of-data', 'MAIL', 'RCPT'],
    next: 'give-up', nextAfter: { RCPT: 'retry-later' },
    advice: 'The message as sent is too big: make it smaller. To RCPT, treat it like 452 (too many recipients): send the remaining recipients later.',
    ref: `${R5321}, §4.5.3.1.10`,
  },
  {
    code: 553, name: 'Mailbox name not allowed',
    meaning: 'Requested action not taken: mailbox name not allowed, e.g. the address syntax is incorrect or the sender address may not be used here.',
    appears: 'reply to MAIL, RCPT', contexts: ['MAIL', 'RCPT'],
    next: 'fix-command', nextAfter: { RCPT: 'skip-recipient' },
    advice: 'To MAIL: fix the sender address (syntax, or use the authenticated account). To RCPT: drop or correct this recipient.',
    ref: R5321,
  },
  {
    code: 554, name: 'Transaction failed',
    meaning: 'The transaction failed, usually rejected for policy or content reasons. As a greeting: "No SMTP service here".',
    appears: 'greeting; reply to end of DATA, RCPT, MAIL', contexts: ['greeting', 'end-of-data', 'RCPT', 'MAIL'],
    next: 'give-up', nextAfter: { RCPT: 'skip-recipient' },
    advice: 'Stop and report the server\'s text; resending the same message will fail the same way.',
    ref: `${R5321}, §3.1`,
  },
  {
    code: 555, name: 'MAIL FROM/RCPT TO parameters not recognized or not implemented',
    meaning: 'A parameter after the address in MAIL or RCPT (e.g. SIZE=, BODY=, SMTPUTF8) is not supported.',
    appears: 'reply to MAIL, RCPT', contexts: ['MAIL', 'RCPT'],
    next: 'fix-command', advice: 'Send only parameters of extensions the EHLO reply advertised.',
    ref: R5321,
  },
  {
    code: 556, name: 'Domain does not accept mail',
    meaning: 'The recipient\'s domain does not accept mail at all (e.g. it publishes a "null MX").',
    appears: 'reply to RCPT', contexts: ['RCPT'],
    next: 'skip-recipient', advice: 'Drop this recipient: its domain never receives mail.',
    ref: 'RFC 7504; RFC 7505',
  },
];

export interface DigitEntry {
  digit: number;
  name: string;
  meaning: string;
  /** What a client should do for an unknown code with this first digit. */
  next?: NextStep;
  ref: string;
}

const DIGITS_REF = 'RFC 5321 §4.2.1';

// prettier-ignore
/** First digit of a basic reply code: the kind of answer. */
export const FIRST_DIGITS: readonly DigitEntry[] = [
  { digit: 1, name: 'positive preliminary', meaning: 'Accepted, but a confirming reply will follow. No SMTP command uses this.', next: 'continue', ref: DIGITS_REF },
  { digit: 2, name: 'positive completion', meaning: 'The requested action completed successfully; a new request may be sent.', next: 'continue', ref: DIGITS_REF },
  { digit: 3, name: 'positive intermediate', meaning: 'Accepted so far; the server waits for more information (the message after DATA, the next AUTH line).', next: 'continue', ref: DIGITS_REF },
  { digit: 4, name: 'transient negative completion', meaning: 'Not accepted, but the condition is temporary: the same request may succeed later.', next: 'retry-later', ref: DIGITS_REF },
  { digit: 5, name: 'permanent negative completion', meaning: 'Not accepted, and repeating the same request unchanged will fail again.', next: 'give-up', ref: DIGITS_REF },
];

// prettier-ignore
/** Second digit of a basic reply code: the category. */
export const SECOND_DIGITS: readonly DigitEntry[] = [
  { digit: 0, name: 'syntax', meaning: 'Syntax errors, commands that fit no functional category, unimplemented or superfluous commands.', ref: DIGITS_REF },
  { digit: 1, name: 'information', meaning: 'Replies to requests for information, such as status or help.', ref: DIGITS_REF },
  { digit: 2, name: 'connections', meaning: 'Replies about the transmission channel.', ref: DIGITS_REF },
  { digit: 3, name: 'unspecified', meaning: 'Not assigned a category by RFC 5321 (used by extensions, e.g. AUTH replies).', ref: DIGITS_REF },
  { digit: 4, name: 'unspecified', meaning: 'Not assigned a category by RFC 5321.', ref: DIGITS_REF },
  { digit: 5, name: 'mail system', meaning: 'The state of the receiving mail system regarding the requested transfer or other mail system action.', ref: DIGITS_REF },
];

/** Third digit: no fixed meaning. */
export const THIRD_DIGIT: Omit<DigitEntry, 'digit'> = {
  name: 'detail',
  meaning: 'A finer gradation of meaning within the category of the second digit.',
  ref: DIGITS_REF,
};

export interface EnhancedClassEntry {
  digit: 2 | 4 | 5;
  name: string;
  meaning: string;
  next: NextStep;
  ref: string;
}

// prettier-ignore
/** Class of an RFC 3463 enhanced status code (its first number). */
export const ENHANCED_CLASSES: readonly EnhancedClassEntry[] = [
  { digit: 2, name: 'success', meaning: 'The action succeeded; the detail may report a transformation made for delivery.', next: 'continue', ref: 'RFC 3463 §2' },
  { digit: 4, name: 'persistent transient failure', meaning: 'The message as sent is valid, but a temporary condition prevents delivery now; sending later may succeed.', next: 'retry-later', ref: 'RFC 3463 §2' },
  { digit: 5, name: 'permanent failure', meaning: 'Resending the message in its current form will not succeed; the message or the destination must change.', next: 'give-up', ref: 'RFC 3463 §2' },
];

export interface EnhancedSubjectEntry {
  subject: number;
  name: string;
  meaning: string;
  ref: string;
}

// prettier-ignore
/** Subject of an enhanced status code (its second number). */
export const ENHANCED_SUBJECTS: readonly EnhancedSubjectEntry[] = [
  { subject: 0, name: 'other or undefined status', meaning: 'No further subject information is available.', ref: 'RFC 3463 §2, §3.1' },
  { subject: 1, name: 'addressing status', meaning: 'About the originator or destination address: its syntax or validity. Usually correctable by the sender.', ref: 'RFC 3463 §2, §3.2' },
  { subject: 2, name: 'mailbox status', meaning: 'About the recipient\'s mailbox, which is under the recipient\'s control.', ref: 'RFC 3463 §2, §3.3' },
  { subject: 3, name: 'mail system status', meaning: 'About the destination mail system, under its administrator\'s control.', ref: 'RFC 3463 §2, §3.4' },
  { subject: 4, name: 'network and routing status', meaning: 'About the network or the routing of the message.', ref: 'RFC 3463 §2, §3.5' },
  { subject: 5, name: 'mail delivery protocol status', meaning: 'About the mail delivery protocol (SMTP) itself: commands, syntax, sequence.', ref: 'RFC 3463 §2, §3.6' },
  { subject: 6, name: 'message content or media status', meaning: 'About the content of the message or its conversion.', ref: 'RFC 3463 §2, §3.7' },
  { subject: 7, name: 'security or policy status', meaning: 'About security or policy: authentication, authorization, encryption, refusal by policy.', ref: 'RFC 3463 §2, §3.8' },
];

export interface EnhancedDetailEntry {
  /** "X.1.1": subject and detail, any class. */
  code: string;
  name: string;
  meaning: string;
  /** With class 5, a more precise next step than "give up" (e.g. skip this recipient). */
  permanentNext?: NextStep;
  /** What a client should do, when the code is given without a basic reply code. */
  advice?: string;
  ref: string;
}

// prettier-ignore
/** Enhanced status codes: RFC 3463 §3, RFC 4954 §6, RFC 5248. */
export const ENHANCED_DETAILS: readonly EnhancedDetailEntry[] = [
  { code: 'X.0.0', name: 'Other undefined status', meaning: 'Only the class of the status is known.', ref: 'RFC 3463 §3.1' },

  { code: 'X.1.0', name: 'Other address status', meaning: 'Something about the address caused this status.', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.1', name: 'Bad destination mailbox address', meaning: 'The recipient mailbox does not exist: the part left of "@" is invalid.', permanentNext: 'skip-recipient', advice: 'Check the recipient address for typos; drop this recipient and keep the others.', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.2', name: 'Bad destination system address', meaning: 'The destination system does not exist or cannot accept mail: the part right of "@" is invalid.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.3', name: 'Bad destination mailbox address syntax', meaning: 'The destination address is syntactically invalid.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.4', name: 'Destination mailbox address ambiguous', meaning: 'The address matches more than one recipient on the destination system.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.5', name: 'Destination address valid', meaning: 'The destination address is valid (used with success class).', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.6', name: 'Destination mailbox has moved, no forwarding address', meaning: 'The mailbox existed but is gone and no forwarding address is known.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.7', name: 'Bad sender\'s mailbox address syntax', meaning: 'The sender address (MAIL FROM) is syntactically invalid.', permanentNext: 'fix-command', advice: 'Fix the MAIL FROM address: angle brackets, a full address, the authenticated account.', ref: 'RFC 3463 §3.2' },
  { code: 'X.1.8', name: 'Bad sender\'s system address', meaning: 'The sender\'s domain does not exist or cannot accept replies.', permanentNext: 'fix-command', ref: 'RFC 3463 §3.2' },

  { code: 'X.2.0', name: 'Other or undefined mailbox status', meaning: 'The mailbox exists, but something about it caused this status.', ref: 'RFC 3463 §3.3' },
  { code: 'X.2.1', name: 'Mailbox disabled, not accepting messages', meaning: 'The mailbox exists but does not accept messages.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.3' },
  { code: 'X.2.2', name: 'Mailbox full', meaning: 'The recipient\'s mailbox has exceeded its storage limit.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.3' },
  { code: 'X.2.3', name: 'Message length exceeds administrative limit', meaning: 'The message is larger than a per-mailbox limit.', ref: 'RFC 3463 §3.3' },
  { code: 'X.2.4', name: 'Mailing list expansion problem', meaning: 'The mailbox is a mailing list that could not be expanded.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.3' },

  { code: 'X.3.0', name: 'Other or undefined mail system status', meaning: 'The destination system caused this status.', ref: 'RFC 3463 §3.4' },
  { code: 'X.3.1', name: 'Mail system full', meaning: 'The destination system is out of storage.', ref: 'RFC 3463 §3.4' },
  { code: 'X.3.2', name: 'System not accepting network messages', meaning: 'The host does not accept messages now (e.g. shutting down).', ref: 'RFC 3463 §3.4' },
  { code: 'X.3.3', name: 'System not capable of selected features', meaning: 'Features requested for this message are not supported by the destination.', ref: 'RFC 3463 §3.4' },
  { code: 'X.3.4', name: 'Message too big for system', meaning: 'The message is larger than the system-wide limit.', advice: 'Make the message smaller (see SIZE in the EHLO reply).', ref: 'RFC 3463 §3.4' },
  { code: 'X.3.5', name: 'System incorrectly configured', meaning: 'The system is not configured to accept this message.', ref: 'RFC 3463 §3.4' },

  { code: 'X.4.0', name: 'Other or undefined network or routing status', meaning: 'Something in the network caused this status.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.1', name: 'No answer from host', meaning: 'The outbound connection attempt was not answered.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.2', name: 'Bad connection', meaning: 'The connection was established but the transaction could not complete.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.3', name: 'Directory server failure', meaning: 'A directory server (e.g. DNS) needed for routing is unavailable.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.4', name: 'Unable to route', meaning: 'No route to the destination could be found.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.5', name: 'Mail system congestion', meaning: 'The mail system is congested; try later.', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.6', name: 'Routing loop detected', meaning: 'The message was forwarded too many times (a loop).', ref: 'RFC 3463 §3.5' },
  { code: 'X.4.7', name: 'Delivery time expired', meaning: 'The message was considered too old or its delivery time ran out.', ref: 'RFC 3463 §3.5' },

  { code: 'X.5.0', name: 'Other or undefined protocol status', meaning: 'A protocol error caused this status.', permanentNext: 'fix-command', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.1', name: 'Invalid command', meaning: 'The command was out of sequence or unsupported.', permanentNext: 'fix-command', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.2', name: 'Syntax error', meaning: 'The command could not be parsed.', permanentNext: 'fix-command', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.3', name: 'Too many recipients', meaning: 'More recipients than the server accepts in one message.', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.4', name: 'Invalid command arguments', meaning: 'The command\'s arguments are invalid or not supported.', permanentNext: 'fix-command', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.5', name: 'Wrong protocol version', meaning: 'The protocol version negotiation failed.', ref: 'RFC 3463 §3.6' },
  { code: 'X.5.6', name: 'Authentication exchange line is too long', meaning: 'An AUTH line was longer than the server accepts.', permanentNext: 'fix-command', ref: 'RFC 4954 §6' },

  { code: 'X.6.0', name: 'Other or undefined media error', meaning: 'Something about the content of the message caused this status.', ref: 'RFC 3463 §3.7' },
  { code: 'X.6.1', name: 'Media not supported', meaning: 'The content type or encoding is not supported by the destination.', ref: 'RFC 3463 §3.7' },
  { code: 'X.6.2', name: 'Conversion required and prohibited', meaning: 'The content must be converted for delivery, but conversion is not allowed.', ref: 'RFC 3463 §3.7' },
  { code: 'X.6.3', name: 'Conversion required but not supported', meaning: 'The content must be converted, but the system cannot do it.', ref: 'RFC 3463 §3.7' },
  { code: 'X.6.4', name: 'Conversion with loss performed', meaning: 'The message was delivered after a conversion that lost information.', ref: 'RFC 3463 §3.7' },
  { code: 'X.6.5', name: 'Conversion failed', meaning: 'A conversion was attempted and failed.', ref: 'RFC 3463 §3.7' },

  { code: 'X.7.0', name: 'Other or undefined security status', meaning: 'A security or policy issue; with 530 and 454 commonly "authentication required" or a temporary authentication failure.', advice: 'Read the server\'s text: with 530 (5.7.0) it asks for STARTTLS or AUTH first; with 454 (4.7.0) authentication failed temporarily.', ref: 'RFC 3463 §3.8; RFC 4954 §6' },
  { code: 'X.7.1', name: 'Delivery not authorized, message refused', meaning: 'The sender is not authorized to send to this destination (relaying denied, policy or spam refusal).', advice: "Read the server's text: relaying needs AUTH; a policy refusal (spam, missing From header) needs a changed message.", ref: 'RFC 3463 §3.8' },
  { code: 'X.7.2', name: 'Mailing list expansion prohibited', meaning: 'The sender may not send to this mailing list.', permanentNext: 'skip-recipient', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.3', name: 'Security conversion required but not possible', meaning: 'A conversion between secure messaging protocols was needed and not possible.', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.4', name: 'Security features not supported', meaning: 'A security feature requested for the message is not supported.', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.5', name: 'Cryptographic failure', meaning: 'A cryptographic operation (e.g. decrypting or verifying) failed.', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.6', name: 'Cryptographic algorithm not supported', meaning: 'The requested cryptographic algorithm is not supported.', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.7', name: 'Message integrity failure', meaning: 'The message was found to be corrupted.', ref: 'RFC 3463 §3.8' },
  { code: 'X.7.8', name: 'Authentication credentials invalid', meaning: 'The AUTH user name or password was refused.', advice: 'Do not retry the same credentials. QQ Mail wants the authorization code, Gmail an app password.', ref: 'RFC 4954 §6' },
  { code: 'X.7.9', name: 'Authentication mechanism is too weak', meaning: 'The AUTH mechanism is weaker than policy requires.', permanentNext: 'fix-command', advice: 'Use a stronger AUTH mechanism (for Gmail: an app password).', ref: 'RFC 4954 §6' },
  { code: 'X.7.10', name: 'Encryption needed', meaning: 'An encrypted connection is needed to use the requested authentication mechanism.', permanentNext: 'fix-command', advice: 'Start TLS first, then AUTH.', ref: 'RFC 5248 (enhanced status code registry)' },
  { code: 'X.7.11', name: 'Encryption required for requested authentication mechanism', meaning: 'The AUTH mechanism may only be used over TLS.', permanentNext: 'fix-command', advice: 'Do STARTTLS (then EHLO again) or use implicit TLS, then AUTH.', ref: 'RFC 4954 §6' },
  { code: 'X.7.12', name: 'A password transition is needed', meaning: 'The user must change or re-establish the password (e.g. by a plain mechanism once) before this mechanism works.', ref: 'RFC 4954 §6' },
];

/** The meaning of one digit or sub-code, as shown in an explanation. */
export interface PartExplanation {
  value: number;
  name: string;
  meaning: string;
  ref: string;
}

export interface ReplyExplanation {
  code: number;
  /** True when the code is in the catalogue; false when explained from its digits only. */
  known: boolean;
  name: string;
  meaning: string;
  appears?: string;
  contexts?: ReplyContext[];
  ref: string;
  digits: { first: PartExplanation; second: PartExplanation; third: PartExplanation };
}

export interface EnhancedExplanation {
  /** Normalised, e.g. "5.7.8". */
  code: string;
  /** True when the detail is in the catalogue. */
  known: boolean;
  name: string;
  meaning: string;
  ref: string;
  class: PartExplanation;
  subject: PartExplanation;
}

export interface Explanation {
  /** The code as explained: "535", "5.7.8" or "535 5.7.8". */
  query: string;
  /** A one-line title: the most specific name known. */
  title: string;
  reply?: ReplyExplanation;
  enhanced?: EnhancedExplanation;
  next: NextStep;
  /** The next step in words, e.g. "give up on this recipient, continue with the others". */
  nextText: string;
  /** What the next step means for this code. */
  advice: string;
  /** Every source cited, in order, without repeats. */
  refs: string[];
  /** Inconsistencies worth showing, e.g. an enhanced class that does not match the reply. */
  notes: string[];
}

/** A reply code or enhanced status code that cannot be parsed or is out of range. */
export class ReplyCodeSyntaxError extends SmtpLabError {
  /** What was given, as text. */
  readonly input: string;

  /** `reason` is in the language of `m`, as is the message built from it. */
  constructor(input: string, reason: string, m: Messages = messages()) {
    const shown = input.length > 40 ? `${input.slice(0, 40)}...` : input;
    const quoted = JSON.stringify(shown);
    super('ERR_REPLY_CODE_SYNTAX', m.t('explain.error.notACode', { input: quoted, reason }), {
      shortMessage: m.t('explain.error.notACodeShort', { input: quoted }),
    });
    this.input = shown;
  }
}

/** The texts of catalogue entries in one language: English as written above, or zh-CN. */
interface Texts {
  m: Messages;
  reply(entry: ReplyCodeEntry): Pick<ReplyCodeEntry, 'name' | 'meaning' | 'appears' | 'advice'>;
  first(entry: DigitEntry): PartText;
  second(entry: DigitEntry): PartText;
  third: PartText;
  cls(entry: EnhancedClassEntry): PartText;
  subject(entry: EnhancedSubjectEntry): PartText;
  detail(entry: EnhancedDetailEntry): Pick<EnhancedDetailEntry, 'name' | 'meaning' | 'advice'>;
}

const ENGLISH: Texts = {
  m: messages('en'),
  reply: (entry) => entry,
  first: (entry) => entry,
  second: (entry) => entry,
  third: THIRD_DIGIT,
  cls: (entry) => entry,
  subject: (entry) => entry,
  detail: (entry) => entry,
};

/** A missing translation falls back to English (test/protocol/codes-i18n.test.ts forbids one). */
const CHINESE: Texts = {
  m: messages('zh-CN'),
  reply: (entry) => ZH_REPLY_CODES[entry.code] ?? entry,
  first: (entry) => ZH_FIRST_DIGITS[entry.digit as keyof typeof ZH_FIRST_DIGITS] ?? entry,
  second: (entry) => ZH_SECOND_DIGITS[entry.digit as keyof typeof ZH_SECOND_DIGITS] ?? entry,
  third: ZH_THIRD_DIGIT,
  cls: (entry) => ZH_ENHANCED_CLASSES[entry.digit],
  subject: (entry) => ZH_ENHANCED_SUBJECTS[entry.subject as keyof typeof ZH_ENHANCED_SUBJECTS] ?? entry,
  detail: (entry) => ZH_ENHANCED_DETAILS[entry.code] ?? entry,
};

function nameAndMeaning(part: PartText): PartText {
  return { name: part.name, meaning: part.meaning };
}

function textsOf(lang: Lang | undefined): Texts {
  return lang === 'zh-CN' ? CHINESE : ENGLISH;
}

const REPLY_BY_CODE = new Map(REPLY_CODES.map((entry) => [entry.code, entry]));
const DETAIL_BY_CODE = new Map(ENHANCED_DETAILS.map((entry) => [entry.code, entry]));

/** The catalogue entry of a basic reply code, if it has one. */
export function replyCodeEntry(code: number): ReplyCodeEntry | undefined {
  return REPLY_BY_CODE.get(code);
}

/** The catalogue entry of an enhanced status code's subject and detail ("5.1.1" -> X.1.1). */
export function enhancedDetailEntry(enhanced: string): EnhancedDetailEntry | undefined {
  const parsed = parseEnhanced(enhanced);
  return parsed ? DETAIL_BY_CODE.get(`X.${parsed.subject}.${parsed.detail}`) : undefined;
}

const ENHANCED_RE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

function parseEnhanced(text: string): { cls: 2 | 4 | 5; subject: number; detail: number } | undefined {
  const match = ENHANCED_RE.exec(text);
  if (!match) return undefined;
  return { cls: Number(match[1]) as 2 | 4 | 5, subject: Number(match[2]), detail: Number(match[3]) };
}

function explainDigits(code: number, x: Texts): ReplyExplanation['digits'] {
  const [d1, d2, d3] = [Math.floor(code / 100), Math.floor(code / 10) % 10, code % 10];
  const first = FIRST_DIGITS.find((entry) => entry.digit === d1);
  const second = SECOND_DIGITS.find((entry) => entry.digit === d2);
  const undefinedName = x.m.t('explain.digits.undefinedName');
  return {
    first: first
      ? { value: d1, ...nameAndMeaning(x.first(first)), ref: first.ref }
      : { value: d1, name: undefinedName, meaning: x.m.t('explain.digits.firstUndefined'), ref: DIGITS_REF },
    second: second
      ? { value: d2, ...nameAndMeaning(x.second(second)), ref: second.ref }
      : {
          value: d2,
          name: undefinedName,
          meaning: x.m.t('explain.digits.secondUndefined'),
          ref: DIGITS_REF,
        },
    third: { value: d3, name: x.third.name, meaning: x.third.meaning, ref: THIRD_DIGIT.ref },
  };
}

function explainBasic(code: number, x: Texts): ReplyExplanation {
  const digits = explainDigits(code, x);
  const entry = REPLY_BY_CODE.get(code);
  if (entry) {
    const text = x.reply(entry);
    return {
      code,
      known: true,
      name: text.name,
      meaning: text.meaning,
      appears: text.appears,
      contexts: [...entry.contexts],
      ref: entry.ref,
      digits,
    };
  }
  const secondKnown = SECOND_DIGITS.some((entry) => entry.digit === digits.second.value);
  return {
    code,
    known: false,
    name: secondKnown
      ? x.m.t('explain.unlisted.nameWithCategory', { first: digits.first.name, second: digits.second.name })
      : x.m.t('explain.unlisted.name', { first: digits.first.name }),
    meaning: x.m.t('explain.unlisted.meaning', {
      code,
      firstMeaning: digits.first.meaning,
      secondMeaning: digits.second.meaning,
    }),
    ref: DIGITS_REF,
    digits,
  };
}

function explainEnhancedPart(text: string, x: Texts): EnhancedExplanation {
  const parsed = parseEnhanced(text);
  if (!parsed) throw new ReplyCodeSyntaxError(text, x.m.t('explain.error.expected'), x.m);
  const code = `${parsed.cls}.${parsed.subject}.${parsed.detail}`;
  const cls = ENHANCED_CLASSES.find((entry) => entry.digit === parsed.cls)!;
  const clsText = x.cls(cls);
  const subject = ENHANCED_SUBJECTS.find((entry) => entry.subject === parsed.subject);
  const subjectPart: PartExplanation = subject
    ? { value: parsed.subject, ...nameAndMeaning(x.subject(subject)), ref: subject.ref }
    : {
        value: parsed.subject,
        name: x.m.t('explain.subject.unknownName'),
        meaning: x.m.t('explain.subject.unknownMeaning'),
        ref: 'RFC 3463 §2',
      };
  const detail = DETAIL_BY_CODE.get(`X.${parsed.subject}.${parsed.detail}`);
  const detailText = detail && x.detail(detail);
  return {
    code,
    known: detail !== undefined,
    name:
      detailText?.name ??
      x.m.t('explain.enhanced.unlistedName', { cls: clsText.name, subject: subjectPart.name }),
    meaning:
      detailText?.meaning ?? x.m.t('explain.enhanced.unlistedMeaning', { code, clsMeaning: clsText.meaning }),
    ref: detail?.ref ?? subjectPart.ref,
    class: { value: cls.digit, name: clsText.name, meaning: clsText.meaning, ref: cls.ref },
    subject: subjectPart,
  };
}

/** The next step a digit-only analysis gives: 5x0 syntax errors are the client's to fix. */
function nextFromDigits(code: number): NextStep {
  const first = Math.floor(code / 100);
  if (first === 5 && Math.floor(code / 10) % 10 === 0) return 'fix-command';
  return FIRST_DIGITS.find((entry) => entry.digit === first)?.next ?? 'give-up';
}

export interface ExplainOptions {
  /** What the reply answered; refines the next step (550 to RCPT: skip; after DATA: give up). */
  context?: ReplyContext;
  /** The language of every text in the explanation (default English); codes and refs stay. */
  lang?: Lang;
}

/**
 * Explains a basic reply code, optionally with the enhanced status code the server gave with it.
 * Unknown codes are explained from their digits. Never throws for an integer 200-599 alone;
 * throws ReplyCodeSyntaxError for anything outside that or a malformed enhanced code.
 */
export function explainReply(code: number, enhanced?: string, options: ExplainOptions = {}): Explanation {
  const x = textsOf(options.lang);
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    throw new ReplyCodeSyntaxError(String(code), x.m.t('explain.error.integer'), x.m);
  }
  const reply = explainBasic(code, x);
  const entry = REPLY_BY_CODE.get(code);
  const enh = enhanced === undefined ? undefined : explainEnhancedPart(enhanced, x);
  const notes: string[] = [];
  const classMatches = enh === undefined || enh.class.value === Math.floor(code / 100);
  if (!classMatches && enh) {
    notes.push(x.m.t('explain.note.classMismatch', { cls: enh.class.value, code }));
  }
  const context = options.context;
  let next: NextStep = entry?.next ?? nextFromDigits(code);
  const detail = enh && classMatches ? DETAIL_BY_CODE.get(enhancedKey(enh.code)) : undefined;
  if (detail?.permanentNext && enh?.class.value === 5) next = detail.permanentNext;
  if (context && entry?.nextAfter?.[context]) next = entry.nextAfter[context]!;

  const advice = entry ? x.reply(entry).advice : adviceFromDigits(code, x.m);
  const title =
    enh?.known && classMatches
      ? x.m.t('explain.title.both', { reply: reply.name, enhanced: enh.name })
      : reply.name;
  return {
    query: enh ? `${code} ${enh.code}` : String(code),
    title,
    reply,
    ...(enh ? { enhanced: enh } : {}),
    next,
    nextText: x.m.t(`next.${next}`),
    advice,
    refs: unique([reply.ref, ...(enh ? [enh.ref] : []), ...(reply.known ? [] : [DIGITS_REF])]),
    notes,
  };
}

function enhancedKey(code: string): string {
  return `X.${code.split('.').slice(1).join('.')}`;
}

function adviceFromDigits(code: number, m: Messages): string {
  switch (nextFromDigits(code)) {
    case 'continue':
      return Math.floor(code / 100) === 3
        ? m.t('explain.advice.intermediate')
        : m.t('explain.advice.success');
    case 'retry-later':
      return m.t('explain.advice.transient');
    case 'fix-command':
      return m.t('explain.advice.syntax');
    default:
      return m.t('explain.advice.permanent');
  }
}

/** Explains an enhanced status code on its own ("5.7.8"). */
function explainEnhancedOnly(text: string, x: Texts): Explanation {
  const enh = explainEnhancedPart(text, x);
  const cls = ENHANCED_CLASSES.find((entry) => entry.digit === enh.class.value)!;
  const detail = DETAIL_BY_CODE.get(enhancedKey(enh.code));
  const next = enh.class.value === 5 && detail?.permanentNext ? detail.permanentNext : cls.next;
  const advice = detail?.advice === undefined ? undefined : x.detail(detail).advice;
  return {
    query: enh.code,
    title: enh.name,
    enhanced: enh,
    next,
    nextText: x.m.t(`next.${next}`),
    advice:
      advice ??
      x.m.t('explain.enhanced.classAdvice', {
        cls: capitalise(enh.class.name),
        clsMeaning: enh.class.meaning,
      }),
    refs: unique([enh.ref, cls.ref]),
    notes: [],
  };
}

const BASIC_ONLY = /^(\d{3})$/;
const ENHANCED_ONLY = /^(\d+\.\d+\.\d+)$/;
const BASIC_AND_ENHANCED = /^(\d{3})(?:\s+|-)(\d+\.\d+\.\d+)$/;

/**
 * Parses and explains "550", "5.7.8" or "535 5.7.8" (also "535-5.7.8" as pasted from a
 * multi-line reply). Throws ReplyCodeSyntaxError for anything else.
 */
export function explainCode(text: string, options: { lang?: Lang } = {}): Explanation {
  const x = textsOf(options.lang);
  const expected = x.m.t('explain.error.expected');
  if (typeof text !== 'string') throw new ReplyCodeSyntaxError(String(text), expected, x.m);
  const trimmed = text.trim();
  let basic: string | undefined;
  let enhanced: string | undefined;
  let match: RegExpExecArray | null;
  if ((match = BASIC_ONLY.exec(trimmed))) basic = match[1];
  else if ((match = ENHANCED_ONLY.exec(trimmed))) enhanced = match[1];
  else if ((match = BASIC_AND_ENHANCED.exec(trimmed))) [basic, enhanced] = [match[1], match[2]];
  else throw new ReplyCodeSyntaxError(trimmed, expected, x.m);

  if (basic !== undefined) {
    const code = Number(basic);
    if (code < 200 || code > 599) {
      throw new ReplyCodeSyntaxError(trimmed, x.m.t('explain.error.range'), x.m);
    }
  }
  if (enhanced !== undefined && !ENHANCED_RE.test(enhanced)) {
    throw new ReplyCodeSyntaxError(trimmed, x.m.t('explain.error.enhancedSyntax'), x.m);
  }
  if (basic === undefined) return explainEnhancedOnly(enhanced!, x);
  return explainReply(Number(basic), enhanced, options);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
