/**
 * The lab's shared defaults, each written once: the server (src/server/lab-server.ts), the
 * scenario loader, the grader and the CLI import them from here. Protocol is the lowest layer, so
 * every layer may; the values are plain data with no behaviour. (The AUTH mechanisms offered by
 * default are all the server knows: AUTH_MECHANISMS in src/server/vocabulary.ts.)
 */

/** The lab's built-in test account and recipient: a lab password, printed on purpose. */
export const DEFAULT_ACCOUNT = { user: 'student@smtp-lab.test', pass: 'lab-password' } as const;
export const DEFAULT_RECIPIENT = 'teacher@smtp-lab.test';

/** SIZE limit of the lab server in bytes (RFC 1870): 50 MiB. */
export const DEFAULT_MAX_SIZE = 50 * 1024 * 1024;

/** Close a client idle this long (ms) with a 421: RFC 5321 section 4.5.3.2's five minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** End any session this long after it began (ms), with a 421: ten minutes. */
export const DEFAULT_SESSION_TIMEOUT_MS = 600_000;
/** Drop a client whose TLS handshake takes longer than this (ms). */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** How long a graded client may run (ms) before it is killed, per scenario: 20 s. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 20_000;

/**
 * Longest reply line read, in octets without the line ending (RFC 5321 asks for 512): the reply
 * reader refuses a longer one, the framer records it as garbage.
 */
export const MAX_REPLY_LINE = 4096;
