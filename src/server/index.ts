// The lab server's public surface: startLabServer (lab-server.ts) and the types and helpers its
// users need. Nothing is defined here.
export { startLabServer, type LabServer, type LabServerEvents, type LabServerOptions } from './lab-server.js';
export type { Account, AuthMode } from './backend.js';
export type { MessageRecord, StoredMessage } from './mailbox.js';
export type { LabSession, TlsMode } from './proxy.js';
export { createTestCa, createLeaf, type TestCa } from './ca.js';
export { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT } from '../protocol/defaults.js';
