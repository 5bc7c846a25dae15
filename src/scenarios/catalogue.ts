/** The built-in scenarios: the `scenarios/` folder of the package, and ids or paths resolved to one. */
import path from 'node:path';
import { builtinScenarioDir, scenarioIds } from './builtin-dir.js';
import { loadScenarioFile } from './document.js';
import { UnknownScenarioError } from './errors.js';
import type { Scenario } from './types.js';

export { builtinScenarioDir } from './builtin-dir.js';

/** Every built-in scenario (`*.yaml` in `dir`), sorted by id; `source` is the id. */
export async function listBuiltinScenarios(dir: string = builtinScenarioDir()): Promise<Scenario[]> {
  const ids = await scenarioIds(dir);
  const out: Scenario[] = [];
  for (const id of ids) {
    const scenario = await loadScenarioFile(path.join(dir, `${id}.yaml`));
    out.push({ ...scenario, source: id });
  }
  return out;
}

/**
 * The built-in scenario with this id; `source` is the id.
 * @throws UnknownScenarioError naming the closest ids; ScenarioError if the file is malformed.
 */
export async function loadBuiltinScenario(id: string, dir: string = builtinScenarioDir()): Promise<Scenario> {
  const ids = await scenarioIds(dir);
  if (!ids.includes(id)) throw new UnknownScenarioError(id, ids);
  const scenario = await loadScenarioFile(path.join(dir, `${id}.yaml`));
  return { ...scenario, source: id };
}

/** A path (contains a slash, or ends in .yaml or .yml) loads that file; anything else is a built-in id. */
export function isScenarioPath(idOrFile: string): boolean {
  return /[\\/]/.test(idOrFile) || /\.ya?ml$/i.test(idOrFile);
}

/** `serve --scenario ID|FILE`: a built-in id or the path of a scenario file. */
export async function resolveScenario(
  idOrFile: string,
  dir: string = builtinScenarioDir(),
): Promise<Scenario> {
  return isScenarioPath(idOrFile) ? loadScenarioFile(idOrFile) : loadBuiltinScenario(idOrFile, dir);
}
