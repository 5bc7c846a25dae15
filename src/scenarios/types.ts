/**
 * A scenario is data: one lesson about how a mail server can behave, what the lab server will
 * do (deterministically), what the client is told, and the checks a client must pass.
 * Scenario files are YAML with exactly this shape; src/scenarios/load.ts validates them.
 */

import type { CheckId } from './check-ids.js';
import type { Lang } from '../i18n/lang.js';

/** A teaching text in every language; a file that gives one language has it in both. */
export type LocalizedText = Readonly<Record<Lang, string>>;

export type TlsOffer = 'none' | 'starttls' | 'implicit';
/** What matches-reference compares: the exchange only, plus the envelope addresses, plus the message. */
export type CompareMode = 'exchange' | 'envelope' | 'message';
export type Persona = 'default' | 'qq' | 'gmail';
export type CertificateKind = 'valid' | 'expired' | 'wrong-host' | 'untrusted';
export type AuthMechanismName = 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

export interface ReplySpec {
  code: number;
  /** One line of text, or several for a multi-line reply. */
  text: string | string[];
}

/** What the lab server is: ports, TLS, AUTH, limits and the voice it speaks with. */
export interface ServerBehaviour {
  /** Which TLS the server offers: STARTTLS on the plain port, implicit TLS, or none. */
  tls: TlsOffer;
  /** STARTTLS is required before AUTH and MAIL (530 otherwise), as Gmail on 587. */
  requireTls: boolean;
  auth: 'required' | 'optional' | 'off';
  /** The AUTH mechanisms offered in EHLO and accepted (default PLAIN, LOGIN, CRAM-MD5). */
  authMechanisms: AuthMechanismName[];
  accounts: Array<{ user: string; pass: string }>;
  /**
   * Whose credentials AUTH accepts: `any` (the dialogue is the lesson; students hard-code their
   * own account) or `accounts` (only these; the default for a provider persona).
   */
  credentials: 'any' | 'accounts';
  /** SIZE limit in bytes. */
  maxSize: number;
  /** Greeting, EHLO keywords and reply texts of a real provider (src/server/personas.ts). */
  persona: Persona;
  /** The certificate the server presents. */
  certificate: CertificateKind;
  /** EHLO keywords to leave out of the EHLO reply (e.g. STARTTLS, PIPELINING). */
  hideExtensions: string[];
  /** Refuse at end of DATA a message without a From: header (550), as QQ and Gmail do. */
  requireFromHeader: boolean;
  /** 451 to the first attempt of each (sender, recipient) pair; accepted on a retry after this long. */
  greylistMs: number | undefined;
}

/** A meaning-level rule, applied in the smtp-server hooks: the client's command gets this reply. */
export interface Rule {
  when: 'mail' | 'rcpt' | 'auth' | 'data';
  /**
   * Only addresses (mail, rcpt) or user names (auth) matching this regular expression (RE2
   * syntax, case-insensitive, linear time: see compilePattern in server/rules.ts).
   */
  match: string | undefined;
  /** Only values NOT matching this regular expression (RE2 has no lookahead to say "anything but"). */
  notMatch?: string | undefined;
  /** Only the Nth occurrence, counted across all connections of the run (1 = the first). */
  nth: number | undefined;
  reply: ReplySpec;
}

/** When a wire fault fires. Replies are matched by what they answer or by their code. */
export type Trigger =
  | { kind: 'greeting' }
  | { kind: 'command'; n: number }
  | { kind: 'verb'; verb: string }
  | { kind: 'reply'; code: number }
  | { kind: 'every-reply' }
  | { kind: 'data-byte'; n: number }
  | { kind: 'after'; ms: number };

export type Action =
  | { kind: 'delay'; ms: number }
  | { kind: 'fragment'; size: number; gapMs: number }
  | { kind: 'throttle'; bytesPerSecond: number }
  | { kind: 'replace'; reply: ReplySpec }
  | { kind: 'multiline'; lines: string[] }
  | { kind: 'garbage'; bytes: string }
  | { kind: 'swallow' }
  | { kind: 'close'; how: 'fin' | 'rst' }
  | { kind: 'reply-and-close'; reply: ReplySpec }
  | { kind: 'tls-abort' };

export interface Fault {
  on: Trigger;
  do: Action;
  /** How many times it fires in a connection; default unlimited for replies, once otherwise. */
  times: number | undefined;
  /** Only in these connections of the run (1-based); default every connection. */
  connections: number[] | undefined;
  /** Fire with this probability (needs the scenario's seed). */
  chance: number | undefined;
}

/** What the client under test is told (as environment variables when graded). */
export interface ClientBrief {
  from: string;
  to: string[];
  tls: TlsOffer;
  /** Give SMTP_USER and SMTP_PASS. */
  auth: boolean;
  subject: string | undefined;
  body: string | undefined;
  /** Path (relative to the scenario file) of an image to give as IMAGE_FILE. */
  image: string | undefined;
}

export type Tier = 'baseline' | 'robustness' | 'optional';

export interface CheckSpec {
  /** A check id from the rubric vocabulary (check-ids.ts; ARCHITECTURE.md), e.g. `waits-for-greeting`. */
  id: CheckId;
  points: number;
  tier: Tier;
  /** Shown with a failed check (English, or the only language the file gives). */
  hint: string | undefined;
  /** The hint per language, when the file gives `hint: { en: ..., zh-CN: ... }`. */
  hints?: LocalizedText;
}

/** What the reference client does under this scenario: the documented outcome tests assert. */
export interface Expectation {
  /** Messages stored by the end. */
  delivered: number;
  /** The phase where a correct client stops, when failure is the lesson. */
  failsAt: string | undefined;
  /** The reply code a correct client ends up reporting, when failure is the lesson. */
  code: number | undefined;
}

export interface Scenario {
  id: string;
  title: string;
  /** The lesson, in about two sentences (English, or the only language the file gives). */
  lesson: string;
  /**
   * Title and lesson per language, when the file gives either as `{ en: ..., zh-CN: ... }`;
   * read them with scenarioTitle / scenarioLesson (src/scenarios/localized.ts).
   */
  localized?: { title: LocalizedText; lesson: LocalizedText };
  server: ServerBehaviour;
  rules: Rule[];
  faults: Fault[];
  /** Seed for faults with a chance; without one, no fault may use chance. */
  seed: number | undefined;
  client: ClientBrief;
  checks: CheckSpec[];
  expect: Expectation;
  /**
   * A reference transcript (`smtp-lab record`) the `matches-reference` check compares a run with;
   * relative to the scenario file as written, absolute once loaded from a file.
   */
  expectedTranscript?: string | undefined;
  /** What matches-reference compares (default `exchange`). */
  compare?: CompareMode | undefined;
  /** Where the scenario came from: a built-in id or a file path. */
  source: string;
}
