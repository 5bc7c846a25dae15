import type { LabSession } from '../server/index.js';
import { eventToJson } from '../transcript/jsonl.js';
import { markKnownSecrets, redactTranscript } from '../transcript/redact.js';
import { renderNumbered } from '../transcript/render.js';

/**
 * Limits that keep one hostile client from hurting the grader: a client that floods the lab
 * server is killed once its traffic passes a budget, and a report keeps a bounded excerpt of each
 * session (the run folder keeps everything).
 */

export interface TrafficLimits {
  /** Wire bytes, both directions and all sessions together. */
  maxWireBytes: number;
  /** Connections the client may open. */
  maxSessions: number;
}

export const DEFAULT_TRAFFIC_LIMITS: TrafficLimits = {
  // Far above any lab message (images included), low enough that memory and reports stay small.
  maxWireBytes: 16 * 1024 * 1024,
  maxSessions: 64,
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
): () => void {
  const counted = new Map<LabSession, number>();
  let bytes = 0;
  const look = () => {
    let reason: string | undefined;
    if (sessions.length > limits.maxSessions) {
      reason = `opened more than ${limits.maxSessions} connections`;
    } else {
      for (const session of sessions) {
        const events = session.transcript.events;
        let i = counted.get(session) ?? 0;
        for (; i < events.length; i++) {
          const event = events[i]!;
          if (event.type === 'wire') bytes += event.data.length;
        }
        counted.set(session, i);
      }
      if (bytes > limits.maxWireBytes) {
        reason = `more than ${formatBytes(limits.maxWireBytes)} crossed the wire`;
      }
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
 * full rendering, so evidence still points at the right lines.
 */
export function reportSession(
  session: LabSession,
  secrets: readonly string[] = [],
): { id: string; lines: string[]; events: unknown[] } {
  markKnownSecrets(session.items, secrets);
  const lines = renderNumbered(session.items, { maxDataLines: 40 }).lines;
  if (lines.length > REPORT_LIMITS.lines) {
    const more = lines.length - REPORT_LIMITS.lines;
    lines.length = REPORT_LIMITS.lines;
    lines.push(`=== ${more} more lines left out of this report`);
  }
  const all = redactTranscript(session.transcript, secrets).events;
  const events: Array<ReturnType<typeof eventToJson>> = [];
  let bytes = 0;
  let i = 0;
  for (; i < all.length && bytes <= REPORT_LIMITS.eventBytes; i++) {
    const event = all[i]!;
    if (event.type === 'wire') bytes += event.data.length;
    events.push(eventToJson(event));
  }
  if (i < all.length) {
    let left = 0;
    for (let j = i; j < all.length; j++) {
      const event = all[j]!;
      if (event.type === 'wire') left += event.data.length;
    }
    events.push({
      type: 'note',
      t: all[all.length - 1]!.t,
      level: 'info',
      text: `${all.length - i} more events (${formatBytes(left)}) left out of this report; the run folder keeps them`,
    });
  }
  return { id: session.id, lines, events };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
