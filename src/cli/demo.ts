import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { DEFAULT_RECIPIENT } from '../protocol/defaults.js';
import { startLabServer, type StoredMessage } from '../server/index.js';
import { stopOnSignals } from './signals.js';
import { startWebFor, webOptions } from './web.js';

/** The image the demo sends: shipped with the package (assets/), next to dist/. */
export const DEMO_IMAGE = fileURLToPath(new URL('../../assets/smtp-lab.png', import.meta.url));

export function demoOptions(y: Argv, m: Messages = messages()) {
  return webOptions(y, m)
    .usage(m.t('cli.demo.usage'))
    .option('mailbox', {
      alias: 'm',
      type: 'string',
      describe: m.t('cli.demo.opt.mailbox'),
    });
}

type Args = Awaited<ReturnType<typeof demoOptions>['argv']> & { lang?: Lang };

export async function demo(args: Args): Promise<void> {
  const lang = args.lang ?? 'en';
  const t = messages(lang).t;
  const mailbox = args.mailbox
    ? path.resolve(args.mailbox)
    : await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-demo-'));
  const server = await startLabServer({ mailbox, auth: 'required', requireTls: true });
  const web = await startWebFor(server, args, '127.0.0.1');
  const account = server.accounts[0]!;
  const stored: StoredMessage[] = [];
  server.on('message', (m) => stored.push(m));
  const out = (text: string) => process.stdout.write(text);
  out(
    `=== ${t('cli.demo.server', { port: server.port, ca: server.caFile })}\n` +
      `=== ${t('cli.demo.sending', { user: account.user })}\n\n`,
  );
  // The lab account's password, handed over the way a user's would be: never on the command line.
  process.env.SMTP_PASS = account.pass;
  // The send command itself, its options parsed as `smtp-lab send` parses them (not through main:
  // the CLI's entry imports this module, so this module does not import it back).
  const { send, sendOptions } = await import('./send.js');
  try {
    const sendArgs = [
      '--server',
      `127.0.0.1:${server.port}`,
      '--tls',
      'starttls',
      '--ca',
      server.caFile,
      '--user',
      account.user,
      '--auth',
      'login',
      '--from',
      account.user,
      '--to',
      DEFAULT_RECIPIENT,
      '--subject',
      'I love computer networks! 我爱计算机网络 🚀',
      '--text',
      'Hello from the smtp-lab reference client.\n.A line that starts with a dot travels dot-stuffed.\n',
      '--inline',
      DEMO_IMAGE,
    ];
    await send({ ...(await sendOptions(yargs(sendArgs)).parseAsync()), lang });
  } finally {
    delete process.env.SMTP_PASS;
    if (!web) await server.stop();
  }
  for (const m of stored) {
    out(
      `\n=== ${t('cli.demo.stored', { file: m.emlPath, size: m.size, sha256: m.sha256.slice(0, 16) })}\n` +
        `=== ${t('cli.demo.transcript', { file: path.join(server.sessionsDir, `${m.sessionId}.jsonl`) })}\n`,
    );
  }
  // Nothing to show when nothing arrived (the send failed: its exit status stands).
  if (web && !stored.length) {
    await web.close();
    await server.stop();
    return;
  }
  if (!web) return;
  const link = stored[0] ? `${web.url}#/messages/${stored[0].id}` : web.url;
  out(
    `\n=== ${t('cli.demo.browser', { link })}\n` +
      `=== ${t('cli.demo.browserWhat')}\n` +
      `=== ${t('cli.demo.running', { port: server.port })}\n`,
  );
  stopOnSignals(
    async () => {
      await web.close();
      await server.stop();
    },
    out,
    messages(lang),
  );
}
