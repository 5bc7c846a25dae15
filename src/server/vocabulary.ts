/**
 * The vocabulary the lab server executes: wire faults (trigger and action), meaning-level rules,
 * the replies they make, personas and certificates. The server owns it; scenarios (YAML files read
 * by src/scenarios/load.ts) are written in it and re-export it from src/scenarios/types.ts.
 */

export type Persona = 'default' | 'qq' | 'gmail';
export type CertificateKind = 'valid' | 'expired' | 'wrong-host' | 'untrusted';
export type AuthMechanismName = 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

export interface ReplySpec {
  code: number;
  /** One line of text, or several for a multi-line reply. */
  text: string | string[];
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
