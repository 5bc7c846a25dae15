import type { Messages } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/en.js';
import type { TranscriptEvent } from '../transcript/events.js';
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

/** The notes the reference client writes (src/client), as `send` shows them live. */
const CLIENT_NOTES: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^Trying (?<peer>\S+)\.\.\.$/, 'cli.send.note.trying'],
  [/^Connected to (?<host>\S+) \((?<address>\S+)\)\.$/, 'cli.send.note.connected'],
  [/^Connection closed by the server\.$/, 'cli.send.note.closedByServer'],
  [/^Connection closed with remote host\.$/, 'cli.send.note.closed'],
  [/^TLS started with (?<tls>.+)$/, 'cli.send.note.tlsStarted'],
  [/^TLS certificate verified: CN=(?<cn>.*), issued by (?<issuer>.*)$/, 'cli.send.note.verified'],
  [
    /^WARNING: the server's certificate was NOT verified \(--insecure\): (?<reason>.*)$/,
    'cli.send.note.notVerified',
  ],
  [
    /^The server offers STARTTLS; not used \(--tls none\): everything below travels in plaintext\.$/,
    'cli.send.note.starttlsUnused',
  ],
  [/^Recipient <(?<address>[^>]*)> refused: (?<reply>.*)$/, 'cli.send.note.recipientRefused'],
  [/^EHLO refused with (?<code>\d+): trying HELO$/, 'cli.send.note.heloFallback'],
  [/^message body beyond (?<limit>\d+) bytes not kept in this transcript$/, 'cli.send.note.bodyNotKept'],
];

/** Why a send failed (the client errors' short messages), as send's last line and transcript say it. */
const FAILURES: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^recipient <(?<address>[^>]*)> refused: (?<reply>.*)$/, 'cli.send.failure.recipient'],
  [
    /^all (?<count>\d+) recipients refused \(first: <(?<address>[^>]*)> (?<reply>.*)\)$/,
    'cli.send.failure.recipients',
  ],
  [
    /^(?<command>[A-Z][A-Z ]*(?::<[^>]*>)?|greeting) refused: (?<reply>\d{3}\b.*)$/,
    'cli.send.failure.refused',
  ],
  [
    /^cannot connect to (?<peer>\S+): connection refused \(nothing listens on that port\)$/,
    'cli.send.failure.connectRefused',
  ],
  [/^cannot connect to (?<peer>\S+): host name not found$/, 'cli.send.failure.connectNotFound'],
  [
    /^cannot connect to (?<peer>\S+): host unreachable \(a firewall may drop the port\)$/,
    'cli.send.failure.connectUnreachable',
  ],
  [/^cannot connect to (?<peer>\S+): (?<reason>.+)$/, 'cli.send.failure.connect'],
  [/^no reply from the server within (?<time>.+)$/, 'cli.send.failure.noReply'],
  [/^certificate of (?<host>\S+) not trusted \((?<code>[^)]*)\)$/, 'cli.send.failure.certificate'],
  [/^TLS handshake failed \((?<reason>.*)\)$/, 'cli.send.failure.tls'],
  [/^the server does not offer STARTTLS, and TLS is required$/, 'cli.send.failure.noStarttls'],
  [/^refusing to send the password without TLS$/, 'cli.send.failure.plaintextAuth'],
  [/^the server does not offer AUTH$/, 'cli.send.failure.noAuth'],
  [/^no usable AUTH mechanism \(server offers: (?<offered>.*)\)$/, 'cli.send.failure.noMechanism'],
  [/^connection closed$/, 'cli.send.failure.closed'],
];

/** `text` in `m`'s language when a pattern of `table` knows it; as recorded otherwise. */
function translated(text: string, table: ReadonlyArray<readonly [RegExp, MessageKey]>, m: Messages): string {
  if (m.lang === 'en') return text;
  for (const [pattern, key] of table) {
    const match = pattern.exec(text);
    if (!match) continue;
    const t = m.t as (key: MessageKey, params?: Record<string, string>) => string;
    return t(key, { ...match.groups });
  }
  return text;
}

/** The lab server's note as a person reading `m`'s language sees it. */
export function translateNote(item: Note, m: Messages): Note {
  const text = translated(item.text, NOTES, m);
  return text === item.text ? item : { ...item, text };
}

/** A note of the reference client's transcript as `send` shows it live; other events unchanged. */
export function translateClientEvent(event: TranscriptEvent, m: Messages): TranscriptEvent {
  if (event.type !== 'note') return event;
  const text = translated(event.text, [...CLIENT_NOTES, ...FAILURES], m);
  return text === event.text ? event : { ...event, text };
}

/** The short message of a failed send in `m`'s language, where a pattern knows it. */
export function translateFailure(message: string, m: Messages): string {
  return translated(message, FAILURES, m);
}
