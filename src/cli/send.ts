import type { Argv } from 'yargs';

// Placeholder until the reference client lands (issue 3).
export function sendOptions(y: Argv): Argv {
  return y;
}

export async function send(_args: unknown): Promise<void> {
  process.stderr.write('smtp-lab send: not built yet\n');
  process.exitCode = 70;
}
