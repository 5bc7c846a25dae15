import { catalogue, type MessageKey, type Messages } from '../i18n/index.js';

/**
 * The lab server's notes in the transcript (`=== connection from ...`) are recorded in English,
 * the language of the transcript files and of every tool that reads them. For a person who asked
 * for another language, the notes the server writes itself are shown translated: each note of
 * src/server/connection.ts is read back by the pattern its English template (`server.note.*`)
 * makes, whose named groups fill the message's placeholders. A fault's note is read back by the
 * very templates that wrote it (faults.ts' describeFault), so what the fault did is translated too. A note no pattern knows (or the
 * English catalogue) is shown as recorded. Used by the terminal (src/cli) and the browser view
 * (src/web), which is why it lives here, below both.
 */

type Table = ReadonlyArray<readonly [RegExp, MessageKey]>;

const english = catalogue('en');

/** The English template `key` as an anchored pattern whose named groups are its placeholders. */
function templatePattern(key: MessageKey): RegExp {
  const source = english[key]
    .split(/(\{[A-Za-z][A-Za-z0-9]*\})/)
    .map((part) => {
      const name = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(part)?.[1];
      return name ? `(?<${name}>.+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** How many characters of a template are its own words (not placeholders). */
const literal = (key: MessageKey) => english[key].replace(/\{[A-Za-z][A-Za-z0-9]*\}/g, '').length;

/** Patterns of these templates, most specific first (a bare `{verb}` last). */
function patterns(keys: readonly MessageKey[]): Table {
  return [...keys].sort((a, b) => literal(b) - literal(a)).map((key) => [templatePattern(key), key] as const);
}

/** The `server.fault.<family>.` templates. */
const family = (prefix: string): Table =>
  patterns((Object.keys(english) as MessageKey[]).filter((key) => key.startsWith(prefix)));

/** The notes src/server/connection.ts writes (a fault's note is read apart, below). */
const NOTES = patterns([
  'server.note.connected',
  'server.note.connectedTls',
  'server.note.halfClosed',
  'server.note.closed',
  'server.note.tlsStarted',
  'server.note.tlsAborted',
  'server.note.tlsUnfinished',
  'server.note.tlsFailed',
  'server.note.clientError',
  'server.note.idle',
  'server.note.sessionLimit',
  'server.note.reset',
  'server.note.sizeLimit',
]);
const FAULT = templatePattern('server.fault.note');
// The action is matched greedily up to the last " (on ": no trigger contains one.
const FAULT_GREEDY = new RegExp(FAULT.source.replace('(?<action>.+?)', '(?<action>.+)'));
const ACTIONS = family('server.fault.action.');
const TRIGGERS = family('server.fault.trigger.');

/** `text` by the first pattern of `table` that matches it, in `m`'s language; undefined if none does. */
function byTable(text: string, table: Table, m: Messages): string | undefined {
  for (const [pattern, key] of table) {
    const match = pattern.exec(text);
    if (!match) continue;
    const t = m.t as (key: MessageKey, params?: Record<string, string>) => string;
    return t(key, { ...match.groups });
  }
  return undefined;
}

/** A fault note (`fault: delay 200 ms (on command #2)`) in `m`'s language, when its parts are known. */
function faultNote(text: string, m: Messages): string | undefined {
  const match = FAULT_GREEDY.exec(text);
  if (!match?.groups) return undefined;
  const action = byTable(match.groups.action!, ACTIONS, m);
  const trigger = byTable(match.groups.trigger!, TRIGGERS, m);
  if (action === undefined || trigger === undefined) return undefined;
  return m.t('server.fault.note', { action, trigger });
}

/** The lab server's note `text` as a person reading `m`'s language sees it; as recorded if unknown. */
export function translateServerNote(text: string, m: Messages): string {
  if (m.lang === 'en') return text;
  const known = byTable(text, NOTES, m) ?? faultNote(text, m);
  if (known !== undefined) return known;
  // A fault note whose details this version does not know (an older or newer transcript).
  const fault = /^fault: (?<fault>.+)$/.exec(text);
  return fault ? m.t('server.note.fault', { fault: fault.groups!.fault! }) : text;
}
