export * from './errors.js';
export * from './message.js';
export { DotStuffer, createDotStuffer } from './dot-stuff.js';
export { sniffContentType, sniffMagic } from './sniff.js';
export { formatDate, encodeQuotedPrintable, encodeBase64Stream, chooseTextEncoding } from './encode.js';
