import type { Argv } from 'yargs';
import type { Lang } from '../i18n/index.js';
import { messages, type Messages } from '../i18n/messages.js';
import type { LabServer } from '../server/index.js';
import { DEFAULT_WEB_PORT, startWebServer, type WebServer } from '../web/index.js';

/** --web-port and --no-web, shared by serve, lab and demo. */
export function webOptions<T>(y: Argv<T>, m: Messages = messages()) {
  return y
    .option('web', {
      type: 'boolean',
      default: true,
      describe: m.t('cli.web.opt.web'),
    })
    .option('web-port', {
      type: 'number',
      default: DEFAULT_WEB_PORT,
      describe: m.t('cli.web.opt.webPort', { port: DEFAULT_WEB_PORT }),
    });
}

/**
 * Starts the browser view for a lab server, or nothing with --no-web. When the default port is
 * taken (another smtp-lab is running), a free port is used instead: the ready line prints it.
 * The page speaks the command's language (`--lang`, SMTP_LAB_LANG, the locale) unless the browser
 * asks for the other one with its switch.
 */
export async function startWebFor(
  server: LabServer,
  args: { web: boolean; 'web-port': number; lang?: Lang },
  host: string,
  m: Messages = messages(),
): Promise<WebServer | undefined> {
  if (!args.web) return undefined;
  try {
    return await startWebServer({ lab: server, host, port: args['web-port'], lang: args.lang });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (args['web-port'] === DEFAULT_WEB_PORT)
      return startWebServer({ lab: server, host, port: 0, lang: args.lang });
    await server.stop();
    process.stderr.write(`${m.t('cli.web.portInUse', { port: args['web-port'] })}\n`);
    process.exit(2);
  }
}
