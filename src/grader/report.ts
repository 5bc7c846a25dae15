import pc from 'picocolors';
import { visible } from '../transcript/render.js';
import type { CheckResult } from './checks.js';
import { TIERS } from '../scenarios/vocabulary.js';

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
 * as a whole, and its cause is printed once above).
 */
export function formatChecks(
  results: readonly CheckResult[],
  options: { color?: boolean; brief?: boolean } = {},
): string {
  const c = pc.createColors(Boolean(options.color));
  const out: string[] = [];
  for (const tier of TIERS) {
    const group = results.filter((r) => r.tier === tier);
    if (!group.length) continue;
    out.push(c.bold(`${tier}:`));
    for (const r of group) {
      const mark = !r.applicable ? c.dim('-') : r.passed ? c.green('✓') : c.red('✗');
      const points = r.applicable ? `${r.points}/${r.maxPoints}` : 'n/a';
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
        // A note of several lines (a diff) stays indented under its check.
        const indented = visible(note).replace(/\n/g, `\n${' '.repeat(11)}`);
        out.push(`      ${r.passed ? c.dim('note:') : c.yellow('why:')} ${indented}`);
      }
      if (!r.passed && r.hint) out.push(`      ${c.cyan('hint:')} ${r.hint}`);
    }
  }
  const { score, maxScore } = totalScore(results);
  out.push(c.bold(`score ${score}/${maxScore}`));
  return out.join('\n') + '\n';
}
