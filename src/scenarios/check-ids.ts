/**
 * The rubric vocabulary (ARCHITECTURE.md, "Contracts": check ids): every id a scenario may name. The grader's
 * registry (src/grader/checks/) has exactly one entry per id; the loader refuses any other.
 */
export const CHECK_IDS = [
  'waits-for-greeting',
  'greets',
  'crlf',
  'waits-for-replies',
  'reads-whole-replies',
  'mail-from',
  'rcpt-to',
  'uses-given-addresses',
  'data',
  'message-format',
  'dot-stuffing',
  'data-terminator',
  'quit',
  'auth',
  'starttls',
  'ehlo-after-starttls',
  'verifies-certificate',
  'refuses-downgrade',
  'handles-rejection',
  'handles-temporary-failure',
  'mime-structure',
  'image-intact',
  'line-length',
  'header-encoding',
  'exits-cleanly',
  'matches-reference',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id);
}
