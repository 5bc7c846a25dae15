/**
 * The steps of one client session, in the order they happen. Every error the reference client
 * raises names the step that failed (its exit code follows from it), and a scenario's `fails-at`
 * names one of them.
 */
export const PHASES = [
  'connect',
  'greeting',
  'ehlo',
  'tls',
  'auth',
  'mail',
  'rcpt',
  'data',
  'message',
  'quit',
] as const;
export type Phase = (typeof PHASES)[number];
