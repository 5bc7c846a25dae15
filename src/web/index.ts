export {
  startWebServer,
  DEFAULT_WEB_PORT,
  MESSAGE_CSP,
  type WebServer,
  type WebServerOptions,
} from './server.js';
export {
  buildSessionView,
  readSessionFile,
  readSessionView,
  type SessionView,
  type DiagramRow,
} from './session-view.js';
export { parseMessage, mimeTree, type ParsedView, type MimePart } from './message-view.js';
export { MailboxReader } from './store.js';
