export * from './events.js';
export * from './framer.js';
export * from './jsonl.js';
export * from './redact.js';
export * from './render.js';
