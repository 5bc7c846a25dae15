import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import type { LabSession } from '../server/index.js';
import { eventToJson, readJsonlEvents } from '../transcript/jsonl.js';
import { markKnownSecrets, Redactor } from '../transcript/redact.js';
import { renderNumbered } from '../transcript/render.js';

/**
 * Limits that keep one hostile client from hurting the grader: a client that floods the lab
 * server is killed once its traffic passes a budget, and a report keeps a bounded excerpt of each
 * session (the run folder keeps everything).
 *
 * What a session costs in memory is its framed items (a message body is one bounded summary,
 * whatever its size; at most MAX_ITEMS items per session), so the budget counts items and
 * sessions; wire bytes cost disk (the transcript file) and time, and are counted too.
 */

export interface TrafficLimits {
  /** Wire bytes, both directions and all sessions together. */
  maxWireBytes: number;
  /** Connections the client may open. */
  maxSessions: number;
  /** Framed items (lines, replies, notes, bodies), all sessions together. */
  maxItems: number;
}

export const DEFAULT_TRAFFIC_LIMITS: TrafficLimits = {
  // Far above any lab message (images included), low enough that reports stay small.
  maxWireBytes: 16 * 1024 * 1024,
  maxSessions: 64,
  // A lab session is a few dozen items; a client past this is sending commands in a loop.
  maxItems: 20_000,
};

/** How often the budget is looked at; a flood on loopback adds at most a few MB in this time. */
const WATCH_INTERVAL_MS = 25;

/**
 * Watches the sessions of a run; calls `onFlood` once, with the reason, when the client passes a
 * limit. Returns a function that stops watching.
 */
export function watchTraffic(
  sessions: readonly LabSession[],
  limits: TrafficLimits,
  onFlood: (reason: string) => void,
  lang?: Lang,
): () => void {
  const m = messages(lang);
  const { t } = m;
  const look = () => {
    let reason: string | undefined;
    let bytes = 0;
    let items = 0;
    for (const session of sessions) {
      bytes += session.wireBytes.c2s + session.wireBytes.s2c;
      items += session.framer.count;
    }
    if (sessions.length > limits.maxSessions) {
      reason = t('grader.flood.sessions', { count: limits.maxSessions });
    } else if (bytes > limits.maxWireBytes) {
      reason = t('grader.flood.bytes', { size: formatBytes(limits.maxWireBytes, m) });
    } else if (items > limits.maxItems) {
      reason = t('grader.flood.items', { count: limits.maxItems });
    }
    if (reason) {
      clearInterval(timer);
      onFlood(reason);
    }
  };
  const timer = setInterval(look, WATCH_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** What a report keeps of each session: rendered lines and redacted wire events. */
export const REPORT_LIMITS = { lines: 2000, eventBytes: 1024 * 1024 };

/**
 * One session for a report: its numbered lines (passwords masked) and redacted wire events, cut
 * after `REPORT_LIMITS` with a note saying how much was left out. Line numbers stay those of the
 * full rendering, so evidence still points at the right lines. The events are read back from
 * the session's transcript file as a stream: memory stays bounded whatever the session's size.
 * The notes are in `lang` (default English).
 */
export async function reportSession(
  session: LabSession,
  secrets: readonly string[] = [],
  lang?: Lang,
): Promise<{ id: string; lines: string[]; events: unknown[] }> {
  const m = messages(lang);
  const { t } = m;
  markKnownSecrets(session.items, secrets);
  const lines = renderNumbered(session.items, { maxDataLines: 40 }).lines;
  if (lines.length > REPORT_LIMITS.lines) {
    const more = lines.length - REPORT_LIMITS.lines;
    lines.length = REPORT_LIMITS.lines;
    lines.push(`=== ${t('grader.report.linesLeftOut', { count: more })}`);
  }
  const redactor = new Redactor(REPORT_LIMITS.eventBytes, secrets);
  let last = 0;
  if (session.transcriptPath) {
    try {
      for await (const event of readJsonlEvents(session.transcriptPath)) {
        redactor.push(event);
        last = event.t;
      }
    } catch {
      // An unreadable transcript file leaves the report with the events read so far.
    }
  }
  const { events: kept, left } = redactor.finish();
  const events: Array<ReturnType<typeof eventToJson>> = kept.map(eventToJson);
  if (left.events) {
    events.push({
      type: 'note',
      t: last,
      level: 'info',
      text: t('grader.report.eventsLeftOut', { count: left.events, size: formatBytes(left.bytes, m) }),
    });
  }
  return { id: session.id, lines, events };
}

/** A size for people: MiB, KiB, or bytes in `m`'s language (English by default). */
export function formatBytes(n: number, m: Messages = messages()): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return m.t('grader.size.bytes', { count: n });
}
