/** The checks live in checks/ (one registry entry each, split by concern); this is their entry point. */
export * from './checks/index.js';
