import type { Messages } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/en.js';
import type { TranscriptEvent } from '../transcript/events.js';
import type { FramedItem } from '../transcript/framer.js';
import { translateServerNote } from '../server/notes.js';

type Note = Extract<FramedItem, { kind: 'note' }>;

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
  [/^connection closed by the server$/, 'cli.send.failure.closedByServer'],
  [/^connection closed in the middle of a reply$/, 'cli.send.failure.closedMidReply'],
  [/^the server closed the connection during the TLS handshake$/, 'cli.send.failure.closedInTls'],
  [/^connection timed out after (?<time>.+)$/, 'cli.send.failure.connectTimeout'],
  [/^TLS handshake timed out after (?<time>.+)$/, 'cli.send.failure.tlsTimeout'],
  [/^the server stopped reading \(timed out after (?<time>.+)\)$/, 'cli.send.failure.stoppedReading'],
  [/^plaintext data after STARTTLS: refusing to continue$/, 'cli.send.failure.plaintextInjection'],
  [/^protocol error: more than (?<count>\d+) unsolicited replies$/, 'cli.send.failure.unsolicited'],
  [/^protocol error: malformed reply line$/, 'cli.send.failure.protocolMalformed'],
  [/^protocol error: reply line longer than (?<limit>\d+) octets$/, 'cli.send.failure.protocolLongLine'],
  [
    /^protocol error: reply code changed from (?<from>\d+) to (?<to>\d+) within one reply$/,
    'cli.send.failure.protocolCodeChanged',
  ],
  [/^protocol error: reply has more than (?<limit>\d+) lines$/, 'cli.send.failure.protocolManyLines'],
  [/^protocol error: (?<detail>.+)$/, 'cli.send.failure.protocol'],
  [/^connection error \((?<reason>[^)]*)\)$/, 'cli.send.failure.connection'],
  [/^reading the message failed; connection closed without sending it$/, 'cli.send.failure.messageSource'],
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

/** The lab server's note as a person reading `m`'s language sees it (src/server/notes.ts). */
export function translateNote(item: Note, m: Messages): Note {
  const text = translateServerNote(item.text, m);
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
