/** The two ways a scenario cannot be had: a file with problems, and an id no built-in scenario has. */
import { SmtpLabError } from '../protocol/errors.js';
import type { ScenarioIssue } from './checker.js';
import { closest } from './suggest.js';

export type { ScenarioIssue } from './checker.js';

/** A scenario file that cannot be used: every problem found in it, each with line and field. */
export class ScenarioError extends SmtpLabError {
  /** The file as it was named to the loader. */
  readonly file: string;
  /** Where the first problem is (1-based). */
  readonly line: number;
  readonly column: number;
  /** The first problem's field path, e.g. `faults[1].do.fragment.size`; '' for YAML syntax. */
  readonly field: string;
  /** Every problem, in source order; the first is the one above. */
  readonly errors: ScenarioIssue[];

  constructor(file: string, errors: ScenarioIssue[]) {
    const lines = errors.map((e) => formatIssue(file, e));
    const first = errors[0] ?? { line: 1, column: 1, field: '', message: 'invalid scenario' };
    super('ERR_SCENARIO', lines.join('\n'), { shortMessage: lines[0] ?? file });
    this.file = file;
    this.line = first.line;
    this.column = first.column;
    this.field = first.field;
    this.errors = errors;
  }
}

/** `resolveScenario` or `loadBuiltinScenario` was given an id no built-in scenario has. */
export class UnknownScenarioError extends SmtpLabError {
  readonly id: string;
  /** The closest built-in ids, best first (may be empty). */
  readonly suggestions: string[];

  constructor(id: string, known: string[]) {
    const suggestions = closest(id, known, 5);
    const listed =
      suggestions.length > 0 ? `closest: ${suggestions.join(', ')}` : `built-in: ${known.join(', ')}`;
    super(
      'ERR_UNKNOWN_SCENARIO',
      `unknown scenario ${JSON.stringify(id)} (${listed}; or give the path of a .yaml file)`,
    );
    this.id = id;
    this.suggestions = suggestions;
  }
}

/** One problem as a line: `FILE:LINE:COL: FIELD: what is wrong (what was expected)`. */
export function formatIssue(file: string, e: ScenarioIssue): string {
  return `${file}:${e.line}:${e.column}: ${e.field === '' ? '' : `${e.field}: `}${e.message}`;
}
