/**
 * The scenario file's own vocabulary and limits: its keys, the check tiers, the comparison modes,
 * the `baseline` preset. The words the lab server executes (TLS offers, AUTH, personas,
 * certificates, rules, triggers and actions) are the server's: src/server/vocabulary.ts. Every
 * list is declared once, `as const`, with its type derived from it; the loader (read-*.ts) and
 * the JSON Schema generator (scripts/gen-schema.mjs) both read these lists.
 */
import type { CheckId } from './check-ids.js';

/** Keys of the top-level mapping. `expect` is the old spelling of `reference`, still read. */
export const TOP_KEYS = [
  'id',
  'title',
  'lesson',
  'extends',
  'server',
  'rules',
  'faults',
  'seed',
  'client',
  'checks',
  'reference',
  'expect',
  'expected-transcript',
  'compare',
] as const;
export const SERVER_KEYS = [
  'tls',
  'require-tls',
  'auth',
  'auth-mechanisms',
  'accounts',
  'max-size',
  'persona',
  'certificate',
  'hide-extensions',
  'require-from-header',
  'greylist',
  'credentials',
] as const;
export const CLIENT_KEYS = ['from', 'to', 'tls', 'auth', 'subject', 'body', 'image'] as const;
export const ACCOUNT_KEYS = ['user', 'pass'] as const;
export const GREYLIST_KEYS = ['retry-after-ms'] as const;
export const CHECK_KEYS = ['id', 'points', 'tier', 'hint'] as const;
/** What the reference client does under the scenario (`reference:`; `expect:` before). */
export const REFERENCE_KEYS = ['delivered', 'fails-at', 'code'] as const;

/** A check's tier: what a client must do, what a robust one does, what is extra. */
export const TIERS = ['baseline', 'robustness', 'optional'] as const;
export type Tier = (typeof TIERS)[number];

/** What matches-reference compares: the exchange only, plus the envelope addresses, plus the message. */
export const COMPARE_MODES = ['exchange', 'envelope', 'message'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/** The word in `checks:` that stands for the baseline checks; `baseline: { except: [...] }` leaves some out. */
export const BASELINE_PRESET = 'baseline';
export const PRESET_KEYS = ['except'] as const;

/**
 * The baseline checks, in the order a session meets them, one point each, tier baseline: what
 * every client of the assignment must do. `- baseline` in `checks:` stands for these.
 */
export const BASELINE_CHECKS = [
  'waits-for-greeting',
  'greets',
  'crlf',
  'waits-for-replies',
  'mail-from',
  'rcpt-to',
  'data',
  'data-terminator',
  'quit',
  'exits-cleanly',
] as const satisfies readonly CheckId[];
export type BaselineCheckId = (typeof BASELINE_CHECKS)[number];
export const BASELINE_POINTS = 1;

/**
 * Where a check that is not in the preset goes when a file writes `- baseline`: just before this
 * baseline check, so a report lists checks in the order a session meets them (checks placed
 * before the same one keep the order the file gives them); `last` after them all. Every check id
 * has a place: a new id does not compile until it is given one.
 */
export const PLACED_BEFORE: Readonly<Record<Exclude<CheckId, BaselineCheckId>, BaselineCheckId | 'last'>> = {
  // The opening of a session: replies read whole, TLS, AUTH.
  'reads-whole-replies': 'mail-from',
  starttls: 'mail-from',
  'ehlo-after-starttls': 'mail-from',
  'verifies-certificate': 'mail-from',
  auth: 'mail-from',
  'refuses-downgrade': 'mail-from',
  'uses-given-addresses': 'data',
  // What the envelope's replies teach.
  'handles-temporary-failure': 'data',
  'handles-rejection': 'data',
  // The message itself.
  'message-format': 'data-terminator',
  'dot-stuffing': 'data-terminator',
  'mime-structure': 'data-terminator',
  'image-intact': 'data-terminator',
  'line-length': 'data-terminator',
  'header-encoding': 'data-terminator',
  // Compares the whole session: after it.
  'matches-reference': 'last',
};

/** Largest scenario file read: a scenario is a page of YAML (the built-in ones are 1-3 KB). */
export const MAX_SCENARIO_BYTES = 256 * 1024;
/**
 * The longest delay a scenario may ask for: Node.js timers hold at most 2^31 - 1 ms (about 24.8
 * days) and fire a longer one after 1 ms, with only a warning. Refused here instead.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;
/** Most points one check can give: totals stay exact, finite sums whatever a file says. */
export const MAX_POINTS = 1000;
/** Longest `match` / `not-match` pattern, in characters. */
export const MAX_PATTERN_LENGTH = 1000;

export { DEFAULT_MAX_SIZE } from '../protocol/defaults.js';
export const DEFAULT_GREYLIST_MS = 1000;
