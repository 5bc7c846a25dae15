import type { Argv } from 'yargs';

export function serveOptions(y: Argv): Argv {
  return y;
}

export async function serve(_args: unknown): Promise<void> {
  process.stderr.write('smtp-lab serve: not built yet\n');
  process.exitCode = 70;
}
