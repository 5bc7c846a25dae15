export * from './command.js';
export * from './errors.js';
export * from './reply.js';
export * from './tls.js';
