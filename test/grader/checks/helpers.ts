import { expect } from 'vitest';
import {
  evaluateChecks,
  type CheckResult,
  type RunEvidence,
  type RunMessage,
} from '../../../src/grader/checks.js';
import type { Lang } from '../../../src/i18n/lang.js';
import type { CheckId } from '../../../src/scenarios/check-ids.js';
import { parseScenario } from '../../../src/scenarios/load.js';
import type { Scenario } from '../../../src/scenarios/types.js';
import { frameRunSession } from '../../../src/grader/checks/context.js';
import { c, note, s, transcriptOf, type Step } from '../../transcript/helpers.js';

/**
 * Framed transcripts -> verdicts, without processes or sockets: each check pinned by a table.
 * A row is one or more hand-written sessions (client and server bytes, notes with their kinds),
 * optionally a stored message and how the client ended; it expects pass, fail or not judged.
 */

export { c, note, s, type Step };

export const GREETING = s('220 lab.test ESMTP\r\n');
export const EHLO_REPLY = '250-lab.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n';

/** Client line, then the server's reply: one exchange. */
export function ex(line: string, reply: string, tls = false): Step[] {
  return [c(line, tls), s(reply, tls)];
}

/** The assignment's exchange with these MAIL and RCPT lines (CRLF added), ending with QUIT/221. */
export function dialogue(
  options: { mail?: string; rcpt?: string[]; body?: string[]; quit?: boolean } = {},
): Step[] {
  const body = options.body ?? ['Subject: hi', '', 'hello'];
  return [
    GREETING,
    ...ex('EHLO me\r\n', EHLO_REPLY),
    ...ex(`${options.mail ?? 'MAIL FROM:<alice@qq.com>'}\r\n`, '250 2.1.0 Ok\r\n'),
    ...(options.rcpt ?? ['RCPT TO:<bob@163.com>']).flatMap((r) => ex(`${r}\r\n`, '250 2.1.5 Ok\r\n')),
    ...ex('DATA\r\n', '354 End data with <CR><LF>.<CR><LF>\r\n'),
    ...ex(`${body.join('\r\n')}\r\n.\r\n`, '250 2.0.0 Ok: queued\r\n'),
    ...(options.quit === false ? [] : ex('QUIT\r\n', '221 2.0.0 Bye\r\n')),
    note('client connection closed', 'info', 'client-closed'),
  ];
}

/** A hand-written session framed as the grader frames a run's transcript. */
export const sessionOf = (steps: Step[], id = 's1') => frameRunSession(id, transcriptOf(steps).events);

/**
 * One recv per reply under fragmented replies: HELO after the first piece of the greeting, then
 * every command one reply behind (the 250 to MAIL read as the answer to RCPT, and so on).
 */
export const DESYNCED: Step[] = [
  s('220 lab'),
  c('HELO me\r\n'),
  s('.test ESMTP\r\n'),
  s('250 ok\r\n'),
  c('MAIL FROM:<a@b.c>\r\n'),
  s('250 ok\r\n'),
  c('RCPT TO:<d@e.f>\r\n'),
  c('DATA\r\n'),
  s('250 ok\r\n'),
  s('354 go\r\n'),
  c('hello\r\n.\r\n'),
  c('QUIT\r\n'),
  s('250 queued\r\n'),
  note('closed', 'info', 'client-closed'),
  s('221 bye\r\n'),
];

const HEAD = `id: table
title: Table
lesson: Checks pinned by framed transcripts.
`;
const CLIENT = 'from: student@smtp-lab.test, to: [friend@smtp-lab.test]';

/** A scenario listing `ids` (baseline unless `tiers` says otherwise), with extra top-level YAML. */
export function scenarioWith(
  ids: CheckId[],
  extra = '',
  tiers: Partial<Record<CheckId, string>> = {},
): Scenario {
  // Rows share a few scenarios: each is parsed once (the checks never change a scenario).
  const key = JSON.stringify([ids, extra, tiers]);
  let scenario = scenarios.get(key);
  if (!scenario) {
    scenario = parseScenarioWith(ids, extra, tiers);
    scenarios.set(key, scenario);
  }
  return scenario;
}

const scenarios = new Map<string, Scenario>();

function parseScenarioWith(ids: CheckId[], extra: string, tiers: Partial<Record<CheckId, string>>): Scenario {
  const checks = ids.map((id) => `  - { id: ${id}, points: 1${tiers[id] ? `, tier: ${tiers[id]}` : ''} }`);
  // A `client: { ... }` in extra adds to the default brief.
  const client = /^client: \{ (.*) \}$/m.exec(extra);
  const rest = extra.replace(/^client: .*\n?/m, '');
  const brief = `client: { ${CLIENT}${client ? `, ${client[1]}` : ''} }\n`;
  return parseScenario(`${HEAD}${brief}${rest}checks:\n${checks.join('\n')}\n`, 'table.yaml');
}

/** A stored message as the mailbox keeps it (no trace header). */
export function stored(raw: string): RunMessage {
  return {
    record: { traceHeaderBytes: 0 } as RunMessage['record'],
    eml: Buffer.from(raw, 'utf8'),
  };
}

export interface Row {
  name: string;
  sessions: Step[][];
  want: 'pass' | 'fail' | 'not judged';
  /** Text expected in the evidence or notes. */
  says?: string;
  messages?: RunMessage[];
  client?: RunEvidence['client'];
  strict?: boolean;
  /** Extra top-level YAML of the scenario. */
  scenario?: string;
  implicitTls?: boolean;
  /** The bytes of IMAGE_FILE (image-intact). */
  image?: Buffer;
}

/** The row's verdict on `id`, its reasons and notes written in `lang`. */
export function judge(id: CheckId, row: Row, lang: Lang = 'en'): CheckResult {
  const scenario = scenarioWith([id], row.scenario ?? '');
  const sessions = row.sessions.map((steps, i) =>
    frameRunSession(`s${i + 1}`, transcriptOf(steps).events, Boolean(row.implicitTls)),
  );
  const [result] = evaluateChecks(
    {
      scenario,
      sessions,
      messages: row.messages ?? [],
      ...(row.client ? { client: row.client } : {}),
      ...(row.image ? { image: row.image } : {}),
      strict: Boolean(row.strict),
    },
    { lang },
  );
  return result!;
}

/** What a result says: evidence lines (with the reply to them) and notes, one string. */
export function said(result: CheckResult): string {
  return [
    ...result.evidence.map((e) => `${e.text}${e.reply ? ` || ${e.reply.text}` : ''}`),
    ...result.notes,
  ].join('\n');
}

export function expectRow(id: CheckId, row: Row): void {
  const result = judge(id, row);
  const got = !result.applicable ? 'not judged' : result.passed ? 'pass' : 'fail';
  expect(got, `${id}: ${row.name}\n${said(result)}`).toBe(row.want);
  if (row.says !== undefined) expect(said(result)).toContain(row.says);
}
