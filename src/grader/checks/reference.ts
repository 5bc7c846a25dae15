import type { MessageKey, Messages } from '../../i18n/messages.js';
import type { CompareMode } from '../../scenarios/types.js';
import { COMPARE_MODES } from '../../scenarios/vocabulary.js';
import { diffLines, flatten, normaliseSession, referenceProblemText } from '../normalise.js';
import type { CheckDef, Run, Verdict } from './context.js';

/** The run against the scenario's expected transcript (`smtp-lab record`, normalise.ts). */

/** Longest diff kept in a note; the rest is counted. */
const MAX_DIFF_LINES = 60;

/** What a run that differs in a mode is told: one whole sentence per mode, for every language. */
const DIFFERS = {
  exchange: 'verdict.reference.differsExchange',
  envelope: 'verdict.reference.differsEnvelope',
  message: 'verdict.reference.differsMessage',
} as const satisfies Record<CompareMode, MessageKey>;

const FIRST_DIFFERENCE = {
  exchange: 'verdict.reference.firstExchange',
  envelope: 'verdict.reference.firstEnvelope',
  message: 'verdict.reference.firstMessage',
} as const satisfies Record<CompareMode, MessageKey>;

/**
 * The note on parts that differ but are not compared. Only the finer parts can be left out
 * (`compare: exchange` leaves envelope and message, `compare: envelope` leaves message), and the
 * message comparison keeps every line the envelope one does: a run that differs in its envelope
 * differs in its message too.
 */
function aside(others: readonly CompareMode[], mode: CompareMode, m: Messages): string[] {
  if (others.includes('envelope')) return [m.t('verdict.reference.alsoBoth', { mode })];
  if (others.includes('message')) return [m.t('verdict.reference.alsoMessage', { mode })];
  return [];
}

export const REFERENCE_CHECKS: readonly CheckDef[] = [
  {
    id: 'matches-reference',
    title: 'the exchange matches the expected transcript',
    judges:
      'the normalised run against the expected transcript: by default the exchange; addresses and message only where the scenario says `compare: envelope` or `message`',
    tier: 'optional',
    hint: 'Read the diff: "-" lines are what a correct client sent and received, "+" lines what yours did instead.',
    judge: matchesReference,
  },
];

/**
 * A normalised transcript cut down to what a compare mode looks at: `message` keeps everything;
 * `envelope` drops the message lines between the 354 and the final "."; `exchange` also reduces
 * MAIL and RCPT to the shape of their path.
 */
export function project(lines: readonly string[], mode: CompareMode): string[] {
  return kept(lines, mode).map((l) => l.text);
}

/** project(), with the index in `lines` each kept line came from. */
function kept(lines: readonly string[], mode: CompareMode): Array<{ text: string; index: number }> {
  if (mode === 'message') return lines.map((text, index) => ({ text, index }));
  const out: Array<{ text: string; index: number }> = [];
  let dataAsked = false;
  let inData = false;
  lines.forEach((line, index) => {
    if (inData) {
      if (/^[-~]> \.$/.test(line)) {
        inData = false;
        out.push({ text: line, index });
      }
      return;
    }
    if (dataAsked && /^<[-~] 354$/.test(line)) inData = true;
    dataAsked = /^[-~]> DATA$/.test(line) || (dataAsked && !/^[-~]> /.test(line) && !/^<[-~] /.test(line));
    out.push({ text: mode === 'exchange' ? pathShape(line) : line, index });
  });
  return out;
}

/** `-> MAIL FROM:<alice@x> SIZE=<n>` becomes `-> MAIL FROM:<address> SIZE=<n>`. */
function pathShape(line: string): string {
  return line.replace(
    /^([-~]> (?:\(ignored\) )?(?:MAIL|RCPT) )(FROM|TO)(\s*):\s*(<[^>]*>|\S*)/i,
    (_, head: string, keyword: string, _space: string, path: string) =>
      `${head}${keyword.toUpperCase()}:${path.startsWith('<') ? (path === '<>' ? '<>' : '<address>') : 'address'}`,
  );
}

function matchesReference(run: Run): Verdict {
  const reference = run.evidence.reference;
  if (!reference) {
    return { passed: false, applicable: false, notes: [run.m.t('verdict.reference.none')] };
  }
  if (!reference.transcript) {
    return {
      passed: false,
      notes: [
        run.m.t('verdict.reference.unusable', {
          error: reference.problem
            ? referenceProblemText(reference.file, reference.problem, run.m)
            : (reference.error ?? run.m.t('verdict.reference.unreadable')),
        }),
      ],
    };
  }
  const mode = run.evidence.scenario.compare ?? 'exchange';
  const normalised = run.sessions.map((session) => ({ session, lines: normaliseSession(session.items) }));
  const expectedSessions = reference.transcript.sessions;
  // Which parts differ at all, from the coarsest: the first one is what the diff shows.
  const differs = COMPARE_MODES.filter((m) => {
    const a = flatten(expectedSessions.map((s) => ({ lines: project(s.lines, m) })));
    const b = flatten(
      normalised.map((s) => ({
        lines: project(
          s.lines.map((l) => l.text),
          m,
        ),
      })),
    );
    return a.length !== b.length || a.some((x, i) => x !== b[i]);
  });
  const counted = COMPARE_MODES.slice(0, COMPARE_MODES.indexOf(mode) + 1);
  const failing = counted.find((m) => differs.includes(m));
  const notCompared = aside(
    differs.filter((m) => !counted.includes(m)),
    mode,
    run.m,
  );
  if (!failing) return { passed: true, notes: notCompared };

  // The diff of the part that differs, with evidence at its first differing line of this run.
  const where = normalised.flatMap(({ session, lines }) => {
    const kept = projectWithItems(lines, failing);
    return [undefined, ...kept.map((l) => ({ session, item: l.item }))];
  });
  const expected = flatten(expectedSessions.map((s) => ({ lines: project(s.lines, failing) })));
  const actual = flatten(
    normalised.map((s) => ({ lines: projectWithItems(s.lines, failing).map((l) => l.text) })),
  );
  const diff = diffLines(expected, actual, {
    labels: [run.m.t('verdict.reference.diffExpected'), run.m.t('verdict.reference.diffThisRun')],
  });
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  const at = where[first] ?? where.findLast((w) => w !== undefined);
  const changed = diff.filter((l) => /^[-+] /.test(l)).length;
  const shown =
    diff.length > MAX_DIFF_LINES
      ? [
          ...diff.slice(0, MAX_DIFF_LINES),
          run.m.t('verdict.reference.diffMore', { count: diff.length - MAX_DIFF_LINES }),
        ]
      : diff;
  return {
    passed: false,
    notes: [run.m.t(DIFFERS[failing], { file: reference.file, changed }), shown.join('\n'), ...notCompared],
    evidence: at ? [{ ...at, why: run.m.t(FIRST_DIFFERENCE[failing]) }] : [],
  };
}

/** project() for lines that remember their framed item. */
function projectWithItems(
  lines: ReadonlyArray<{ text: string; item: number }>,
  mode: CompareMode,
): Array<{ text: string; item: number }> {
  return kept(
    lines.map((l) => l.text),
    mode,
  ).map(({ text, index }) => ({ text, item: lines[index]!.item }));
}
