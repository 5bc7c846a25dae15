/** Where the built-in scenario files are, and their ids. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The folder of built-in scenario files: `scenarios/` at the package root. */
export function builtinScenarioDir(): string {
  return fileURLToPath(new URL('../../scenarios/', import.meta.url));
}

/** The ids of the scenario files (`*.yaml`) in `dir`, sorted. */
export async function scenarioIds(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => n.slice(0, -'.yaml'.length))
    .sort();
}
