import type { Messages } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/en.js';
import type { FramedItem } from '../transcript/framer.js';

type Note = Extract<FramedItem, { kind: 'note' }>;

/**
 * The lab server's notes in the transcript (`=== connection from ...`) are recorded in English,
 * the language of the transcript files and of every tool that reads them. For a person who asked
 * for another language, the notes smtp-lab writes itself are shown translated: each pattern below
 * matches one note of src/server/connection.ts, and its named groups fill the message's
 * placeholders. A note no pattern knows (or the English catalogue) is shown as recorded.
 */
const NOTES: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^connection from (?<from>\S+) to port (?<port>\d+) \(implicit TLS\)$/, 'server.note.connectedTls'],
  [/^connection from (?<from>\S+) to port (?<port>\d+)$/, 'server.note.connected'],
  [/^client closed its sending side$/, 'server.note.halfClosed'],
  [/^client connection closed$/, 'server.note.closed'],
  [/^TLS started: (?<tls>.+)$/, 'server.note.tlsStarted'],
  [/^TLS handshake aborted by the scenario$/, 'server.note.tlsAborted'],
  [
    /^TLS handshake with the client failed: the client closed the connection before the handshake completed \(did it refuse the certificate\?\)$/,
    'server.note.tlsUnfinished',
  ],
  [/^TLS handshake with the client failed: (?<reason>.+)$/, 'server.note.tlsFailed'],
  [/^client error: (?<reason>.+)$/, 'server.note.clientError'],
  [/^idle timeout after (?<seconds>[\d.]+) s$/, 'server.note.idle'],
  [/^session time limit of (?<limit>.+) reached$/, 'server.note.sessionLimit'],
  [/^connection reset \(RST\) by the server$/, 'server.note.reset'],
  [
    /^message over the size limit \((?<bytes>\d+) bytes\): the rest is read, not stored; the server will refuse it \(552\)$/,
    'server.note.sizeLimit',
  ],
  [/^fault: (?<fault>.+)$/, 'server.note.fault'],
];

/** The note as a person reading `m`'s language sees it; every other item unchanged. */
export function translateNote(item: Note, m: Messages): Note {
  if (m.lang === 'en') return item;
  for (const [pattern, key] of NOTES) {
    const match = pattern.exec(item.text);
    if (!match) continue;
    const t = m.t as (key: MessageKey, params?: Record<string, string>) => string;
    return { ...item, text: t(key, { ...match.groups }) };
  }
  return item;
}
