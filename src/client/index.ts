export * from './connection.js';
export * from './credentials.js';
export * from './errors.js';
export * from './providers.js';
export * from './send.js';
export * from './session.js';
export * from './live.js';
