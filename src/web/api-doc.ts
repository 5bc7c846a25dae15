/**
 * The JSON API of the browser view, as `GET /api` returns it (and README.md describes). The UI
 * uses exactly these routes; every body is JSON unless said otherwise.
 */
export const API_DOC = {
  name: 'smtp-lab web API',
  routes: {
    'GET /api/messages?offset=0&limit=50':
      'newest first: { total, offset, limit, items: [{ id, sessionId, receivedAt, mailFrom, rcptTo, size, tls, auth, subject, from }] }',
    'GET /api/messages/:id?lang=zh-CN':
      'one message (problems said in ?lang=, else the server language): { record (the <id>.json), subject, from, to, cc, date, messageId, headers (RFC 2047 decoded), text, hasHtml, attachments, tree (MIME parts with problems) }',
    'GET /api/messages/:id/raw': 'the stored bytes (text/plain)',
    'GET /api/messages/:id/html':
      'the HTML part, cid: images inlined, under a CSP that runs no script and loads nothing',
    'GET /api/messages/:id/attachments/:index':
      'an attachment, as a download (?inline for PNG, JPEG, GIF, WebP images)',
    'GET /api/sessions?offset=0&limit=50':
      'newest first: { total, offset, limit, items: [{ id, startedAt, peer, bytes, live }] }',
    'GET /api/sessions/:id?lang=zh-CN':
      'the conversation as diagram rows (flags said in ?lang=, else the server language): { id, startedAt, peer, live, duration, rows: [{ n, line, kind, dir, t, tEnd, tls, text, code, flags, b64, bytes, pieces }], checks }',
    'GET /api/sessions/:id/events':
      'the wire events, secrets masked: { meta, events: [{ type, t, dir, tls, text | b64 }] }',
    'GET /api/checks':
      'lab: the latest verdicts { checks: [{ id, title, passed, points, maxPoints, evidence, notes, hint }] } (GET /api/sessions/:id carries those of its own session)',
    'GET /api/stream':
      'server-sent events: message { id, sessionId }, session { id }, session-change { id }, session-end { id }, checks',
  },
} as const;
