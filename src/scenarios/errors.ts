/** The two ways a scenario cannot be had: a file with problems, and an id no built-in scenario has. */
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { SmtpLabError } from '../protocol/errors.js';
import type { ScenarioIssue } from './checker.js';
import { phrase, render, type Phrase } from './phrase.js';
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

  /** The message (every problem, one a line) is English; `render(lang)` gives it in another language. */
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

  /** Every problem, one a line, in `lang`: the same files, lines, columns and fields as the message. */
  render(lang: Lang = DEFAULT_LANG): string {
    if (this.errors.length === 0) return this.message;
    return this.errors.map((e) => formatIssue(this.file, e, lang)).join('\n');
  }
}

/** `resolveScenario` or `loadBuiltinScenario` was given an id no built-in scenario has. */
export class UnknownScenarioError extends SmtpLabError {
  readonly id: string;
  /** The closest built-in ids, best first (may be empty). */
  readonly suggestions: string[];
  /** The message as data, to render in any language. */
  readonly text: Phrase;

  constructor(id: string, known: string[]) {
    const suggestions = closest(id, known, 5);
    const text =
      suggestions.length > 0
        ? phrase('scenario.unknownId.closest', { id: JSON.stringify(id), ids: suggestions.join(', ') })
        : phrase('scenario.unknownId.builtin', { id: JSON.stringify(id), ids: known.join(', ') });
    super('ERR_UNKNOWN_SCENARIO', render(text));
    this.id = id;
    this.suggestions = suggestions;
    this.text = text;
  }

  /** The message in `lang`. */
  render(lang: Lang = DEFAULT_LANG): string {
    return render(this.text, lang);
  }
}

/**
 * One problem as a line: `FILE:LINE:COL: FIELD: what is wrong (what was expected)`, the part after
 * the field in `lang` (English by default); the place is written the same in every language.
 */
export function formatIssue(file: string, e: ScenarioIssue, lang: Lang = DEFAULT_LANG): string {
  const message = lang === DEFAULT_LANG || e.text === undefined ? e.message : render(e.text, lang);
  return `${file}:${e.line}:${e.column}: ${e.field === '' ? '' : `${e.field}: `}${message}`;
}

/** A ScenarioError or UnknownScenarioError's message in `lang`; any other error's own message. */
export function scenarioErrorText(err: Error, lang: Lang = DEFAULT_LANG): string {
  return err instanceof ScenarioError || err instanceof UnknownScenarioError ? err.render(lang) : err.message;
}
