/**
 * The vocabulary the lab server executes: wire faults (trigger and action), meaning-level rules,
 * the replies they make, personas, certificates, AUTH. The server owns it; scenarios (YAML files
 * read by src/scenarios/load.ts) are written in it and re-export it from src/scenarios/types.ts.
 *
 * Every closed set of words is declared once, here, as an `as const` list, and its type is derived
 * from the list: the scenario loader checks files against these lists, and the JSON Schema
 * (scripts/gen-schema.mjs, scenarios/scenario.schema.json) is generated from them.
 */
import { TLS_MODES } from '../protocol/tls.js';

/** Which TLS the server offers (the toolkit's one TLS mode, src/protocol/tls.ts). */
export const TLS_OFFERS = TLS_MODES;

/** AUTH before MAIL: required, optional, or not offered. */
export const AUTH_MODES = ['required', 'optional', 'off'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The AUTH mechanisms the lab server can offer, in the order it offers them. */
export const AUTH_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const;
export type AuthMechanismName = (typeof AUTH_MECHANISMS)[number];

/** Whose credentials AUTH accepts: any (the dialogue is judged), or only the accounts listed. */
export const CREDENTIALS = ['any', 'accounts'] as const;
export type AcceptedCredentials = (typeof CREDENTIALS)[number];

/** The voices the server can speak with (src/server/personas.ts). */
export const PERSONAS = ['default', 'qq', 'gmail'] as const;
export type Persona = (typeof PERSONAS)[number];

/** The certificates the server can present. */
export const CERTIFICATES = ['valid', 'expired', 'wrong-host', 'untrusted'] as const;
export type CertificateKind = (typeof CERTIFICATES)[number];

/** The command a rule answers. */
export const RULE_WHEN = ['mail', 'rcpt', 'auth', 'data'] as const;
export type RuleWhen = (typeof RULE_WHEN)[number];

/** A trigger written as a plain word, or as a mapping with exactly one of these keys. */
export const TRIGGER_WORDS = ['greeting', 'every-reply'] as const;
export const TRIGGER_KEYS = ['command', 'verb', 'reply', 'data-byte', 'after-ms'] as const;
export type TriggerKey = (typeof TRIGGER_KEYS)[number];

/** An action written as a plain word, or as a mapping with exactly one of these keys. */
export const ACTION_WORDS = ['swallow', 'close', 'tls-abort'] as const;
export const ACTION_KEYS = [
  'delay-ms',
  'fragment',
  'throttle',
  'replace',
  'multiline',
  'garbage',
  'close',
  'reply-and-close',
] as const;
export type ActionKey = (typeof ACTION_KEYS)[number];

/** How `close` ends the connection: a FIN, or a reset. */
export const CLOSE_HOW = ['fin', 'rst'] as const;
export type CloseHow = (typeof CLOSE_HOW)[number];

/** The keys of the mappings inside a fault, a rule and a reply. */
export const FAULT_KEYS = ['on', 'do', 'times', 'connections', 'chance'] as const;
export const RULE_KEYS = ['when', 'match', 'not-match', 'nth', 'reply'] as const;
export const REPLY_KEYS = ['code', 'text'] as const;
export const FRAGMENT_KEYS = ['size', 'gap-ms'] as const;

export interface ReplySpec {
  code: number;
  /** One line of text, or several for a multi-line reply. */
  text: string | string[];
}

/** A meaning-level rule, applied in the smtp-server hooks: the client's command gets this reply. */
export interface Rule {
  when: RuleWhen;
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
  | { kind: 'close'; how: CloseHow }
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
