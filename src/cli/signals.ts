import { messages, type Messages } from '../i18n/messages.js';

/** Stops a long-running command cleanly on Ctrl-C (SIGINT) or SIGTERM: exit 0 once stopped. */
export function stopOnSignals(
  stop: () => Promise<void>,
  write: (text: string) => void,
  m: Messages = messages(),
): void {
  const handle = (signal: string) => {
    write(`=== ${m.t('cli.signal.stopping', { signal })}\n`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => handle('SIGINT'));
  process.once('SIGTERM', () => handle('SIGTERM'));
}
