export * from './protocol/index.js';
export * from './transcript/index.js';
