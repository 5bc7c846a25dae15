/** "Did you mean" suggestions for misspelt keys, values and scenario ids. */
import { phrase, type Phrase } from './phrase.js';

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]![j]!;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i]![j] = best;
    }
  }
  return at(a.length, b.length);
}

/** `requireTls`, `require_tls` and `Require-TLS` all become `require-tls`. */
function normalise(word: string): string {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

/**
 * The candidates closest to `word`, best first: a spelling that differs only in case, camelCase
 * or snake_case wins outright; otherwise those within a small edit distance (about one edit in
 * three characters), or that contain the word or are contained in it.
 */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const norm = normalise(word);
  const exact = candidates.filter((c) => normalise(c) === norm);
  if (exact.length > 0) return exact.slice(0, max);
  const limit = Math.max(1, Math.floor(norm.length / 3));
  const scored: Array<{ c: string; score: number }> = [];
  for (const c of candidates) {
    const nc = normalise(c);
    // The distance is at least the difference in length: skip the table when that already fails.
    const distance = Math.abs(norm.length - nc.length) > limit ? Infinity : editDistance(norm, nc);
    if (distance <= limit) scored.push({ c, score: distance });
    else if (norm.length >= 3 && (nc.includes(norm) || norm.includes(nc))) {
      scored.push({ c, score: limit + 1 });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}

/** `did you mean "fragment"?` (as a phrase, rendered in the message's language), or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): Phrase | '' {
  const [first, second] = closest(word, candidates, 2).map((b) => JSON.stringify(b));
  if (first === undefined) return '';
  if (second === undefined) return phrase('scenario.didYouMean', { first });
  return phrase('scenario.didYouMeanEither', { first, second });
}
