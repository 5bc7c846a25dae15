/**
 * Scenario files: YAML with kebab-case keys, validated with every problem reported as
 * `FILE:LINE:COL: FIELD: what is wrong (what was expected)`, all of them at once, then mapped to a
 * Scenario with every default filled in. This module is the public entry; the work is done by
 *
 *   document.ts       the document walk: parseScenario, loadScenarioFile
 *   read-sections.ts  server, client (derived from server), reference
 *   read-checks.ts    checks: the baseline preset, a parent's checks changed and added to
 *   read-faults.ts    rules, faults (triggers and actions), replies
 *   read-values.ts    ids, lists, sizes, words, delays
 *   checker.ts        the field checker: values with their positions, problems collected
 *   catalogue.ts      the built-in scenarios: list, load, resolve an id or a path
 *   builtin-dir.ts    where the built-in files are
 *   json-schema.ts    the JSON Schema of a scenario file, from the same word lists
 *   errors.ts         ScenarioError, UnknownScenarioError, formatIssue, scenarioErrorText
 *   phrase.ts         a problem as a message key and its values, rendered in a language
 *   vocabulary.ts     the file's keys, tiers, compare modes, the preset, limits, defaults
 *   localized.ts      teaching texts given per language ({ en: ..., zh-CN: ... })
 *   suggest.ts        "did you mean" for misspelt keys, values and scenario ids
 *   check-ids.ts      every check id a scenario may name
 *   server.ts         serverOptionsFor: a loaded scenario as the lab server's options
 *
 * The words the server executes are its own: src/server/vocabulary.ts.
 */
export { PHASES } from '../protocol/phases.js';
export { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT } from '../protocol/defaults.js';
export {
  builtinScenarioDir,
  isScenarioPath,
  listBuiltinScenarios,
  loadBuiltinScenario,
  resolveScenario,
} from './catalogue.js';
export { loadScenarioFile, parseScenario } from './document.js';
export {
  formatIssue,
  ScenarioError,
  scenarioErrorText,
  UnknownScenarioError,
  type ScenarioIssue,
} from './errors.js';
export {
  DEFAULT_GREYLIST_MS,
  DEFAULT_MAX_SIZE,
  MAX_DELAY_MS,
  MAX_PATTERN_LENGTH,
  MAX_POINTS,
  MAX_SCENARIO_BYTES,
} from './vocabulary.js';
