/** The lab's built-in test account and recipient: a lab password, printed on purpose. */
export const DEFAULT_ACCOUNT = { user: 'student@smtp-lab.test', pass: 'lab-password' } as const;
export const DEFAULT_RECIPIENT = 'teacher@smtp-lab.test';
