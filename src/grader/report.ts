import pc from 'picocolors';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { displayWidth } from '../i18n/width.js';
import { visible } from '../transcript/render.js';
import type { CheckResult } from './checks.js';
import { TIERS } from '../scenarios/vocabulary.js';
import type { RunDiagnosis } from './diagnosis.js';
import type { TamperedMessage } from './integrity.js';

/**
 * The grade report: its type (the JSON contract every format is made from), its score, and the
 * check verdicts as a person reads them (also what `lab` prints after a run).
 */

/** The grade report of one scenario (ARCHITECTURE.md, "Contracts"). */
export interface GradeReport {
  scenario: string;
  title: string;
  /**
   * The command as run, and how it ended (stdout/stderr capped at `outputCap` bytes each);
   * `stderrTail` is what every format shows of it: the traceback, or the last lines.
   * `sandboxed`: it ran under --sandbox (bubblewrap).
   */
  client: { command: string; stderrTail: string; sandboxed?: boolean } & ClientRun;
  /**
   * The real cause when the run could not be judged check by check (never started, missing file,
   * no connection, TLS spoken to a plaintext port): every check then fails with this reason.
   */
  diagnosis?: RunDiagnosis;
  score: number;
  maxScore: number;
  checks: CheckResult[];
  /** Every session, rendered (passwords masked) and as redacted wire events. */
  transcript: { sessions: Array<{ id: string; lines: string[]; events: unknown[] }> };
  /**
   * Stored messages whose file no longer held what the server stored (the client rewrote or
   * removed it): judged from the wire instead. Absent when every message was intact.
   */
  tampered?: TamperedMessage[];
}

/** How the client process ran and ended, as `runClient` saw it. */
export interface ClientRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Why the grader killed it for its traffic (too many bytes or connections), when it did. */
  flooded?: string;
  /** Why the program could not be started at all (not found, not executable), when it could not. */
  startError?: string;
  /** From spawn to the client's exit. */
  durationMs: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

export interface Score {
  score: number;
  maxScore: number;
}

export function totalScore(results: readonly CheckResult[]): Score {
  return {
    score: results.reduce((sum, r) => sum + r.points, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
  };
}

/**
 * The verdicts for a person: one line per check grouped by tier, and under each failed one its
 * evidence (transcript lines) and hint. `brief`: one line per check only (the run was diagnosed
 * as a whole, and its cause is printed once above). `lang`: the language of the headings and
 * labels (default English; the tier ids and check ids stay as they are).
 */
export function formatChecks(
  results: readonly CheckResult[],
  options: { color?: boolean; brief?: boolean; lang?: Lang } = {},
): string {
  const c = pc.createColors(Boolean(options.color));
  const { t } = messages(options.lang);
  // A label and the text after it; a note's later lines (a diff) stay under its first.
  const labelled = (label: string, text: string, colour: (s: string) => string) => {
    const indent = ' '.repeat(6 + displayWidth(t('report.labelled', { label, text: '' })));
    return `      ${t('report.labelled', { label: colour(label), text: text.replace(/\n/g, `\n${indent}`) })}`;
  };
  const hint = (text: string) =>
    `      ${t('report.labelled', { label: c.cyan(t('report.label.hint')), text })}`;
  const out: string[] = [];
  for (const tier of TIERS) {
    const group = results.filter((r) => r.tier === tier);
    if (!group.length) continue;
    out.push(c.bold(t('report.tier.heading', { tier: t(`checks.tier.${tier}`) })));
    for (const r of group) {
      const mark = !r.applicable ? c.dim('-') : r.passed ? c.green('✓') : c.red('✗');
      const points = r.applicable ? `${r.points}/${r.maxPoints}` : t('report.na');
      out.push(`  ${mark} ${r.title} ${c.dim(`[${r.id}, ${points}]`)}`);
      if (!r.applicable) {
        // Why it was not judged (e.g. not scored after a desync), said once.
        if (r.notes[0] && !options.brief) out.push(c.dim(`      ${visible(r.notes[0])}`));
        continue;
      }
      if (options.brief) continue;
      // Evidence and notes quote the client's bytes: shown escaped, like every transcript line.
      for (const e of r.evidence) {
        out.push(c.dim(`      ${e.session.slice(0, 6)}:${e.line}  ${visible(e.text)}`));
        // Both sides: the server's reply to that line.
        if (e.reply)
          out.push(c.dim(`      ${e.session.slice(0, 6)}:${e.reply.line}  ${visible(e.reply.text)}`));
      }
      for (const note of r.notes) {
        out.push(
          r.passed
            ? labelled(t('report.label.note'), visible(note), c.dim)
            : labelled(t('report.label.why'), visible(note), c.yellow),
        );
      }
      if (!r.passed && r.hint) out.push(hint(r.hint));
    }
  }
  const { score, maxScore } = totalScore(results);
  out.push(c.bold(t('report.score', { score, maxScore })));
  return out.join('\n') + '\n';
}
