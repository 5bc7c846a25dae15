/** Stops a long-running command cleanly on Ctrl-C (SIGINT) or SIGTERM: exit 0 once stopped. */
export function stopOnSignals(stop: () => Promise<void>, write: (text: string) => void): void {
  const handle = (signal: string) => {
    write(`=== ${signal}: stopping\n`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => handle('SIGINT'));
  process.once('SIGTERM', () => handle('SIGTERM'));
}
