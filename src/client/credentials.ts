import { SmtpArgumentError } from './errors.js';
import { problem } from './problem.js';

/**
 * Where the password comes from: the SMTP_PASS environment variable, or a prompt on the terminal
 * that does not echo. Never from the command line, where `ps` and shell history would keep it.
 */

export interface PasswordSources {
  env?: NodeJS.ProcessEnv;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WritableStream;
  prompt?: string;
}

export async function readPassword(sources: PasswordSources = {}): Promise<string> {
  const env = sources.env ?? process.env;
  if (env.SMTP_PASS !== undefined) return env.SMTP_PASS;
  const input = sources.input ?? process.stdin;
  const output = sources.output ?? process.stderr;
  if (!input.isTTY || typeof input.setRawMode !== 'function') {
    throw new SmtpArgumentError('password', problem('cli.send.problem.noPassword', { field: 'password' }));
  }
  return promptHidden(sources.prompt ?? 'Password: ', input, output);
}

/** Reads one line from a TTY in raw mode, echoing nothing. Ctrl-C cancels. */
export function promptHidden(
  prompt: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  output.write(prompt);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(
            new SmtpArgumentError('password', problem('cli.send.problem.cancelled', { field: 'password' })),
          );
          return;
        }
        if (ch === '\u007f' || ch === '\b') {
          value = Array.from(value).slice(0, -1).join('');
          continue;
        }
        value += ch;
      }
    };
    input.on('data', onData);
  });
}
