import { enterLoopbackNetwork, SandboxUnavailableError } from '../grader/sandbox.js';
import { messages, type Messages } from '../i18n/messages.js';

/**
 * For `--sandbox`: moves this grading into a loopback-only network namespace (bwrap re-runs the
 * same command line there). Returns true when this process should go on grading; false when it
 * has finished (the re-run did the work and its exit code is set, or the sandbox is unavailable:
 * a one-line message naming the package, exit 2).
 */
export async function enterSandboxNetwork(command: string, m: Messages = messages()): Promise<boolean> {
  try {
    const code = await enterLoopbackNetwork();
    if (code === undefined) return true;
    process.exitCode = code;
    return false;
  } catch (err) {
    if (!(err instanceof SandboxUnavailableError)) throw err;
    process.stderr.write(`${m.t('cli.commandError', { command, message: err.text(m) })}\n`);
    process.exitCode = 2;
    return false;
  }
}
