import type { Argv } from 'yargs';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { UsageError } from '../protocol/errors.js';
import { mergeShards } from '../grader/merge.js';

export function mergeOptions(y: Argv, m: Messages = messages()) {
  return y
    .usage(m.t('cli.merge.usage'))
    .positional('shards', { type: 'string', array: true, describe: m.t('cli.merge.opt.shards') })
    .option('out', {
      alias: 'o',
      type: 'string',
      demandOption: true,
      describe: m.t('cli.merge.opt.out'),
    })
    .example('$0 merge --out grades shard-*', m.t('cli.merge.example.1'));
}

type Args = Awaited<ReturnType<typeof mergeOptions>['argv']> & { shards?: string[]; lang?: Lang };

export async function merge(args: Args): Promise<void> {
  const m = messages(args.lang);
  try {
    const result = await mergeShards(
      (args.shards ?? []).map(String),
      args.out,
      args.lang ? { lang: args.lang } : {},
    );
    const shards = (args.shards ?? []).length;
    const params = { count: shards, students: result.students.length, out: args.out };
    process.stdout.write(`${m.t(shards === 1 ? 'cli.merge.done.one' : 'cli.merge.done.many', params)}\n`);
    process.exitCode = 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${m.t('cli.commandError', { command: 'merge', message: err.message })}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `${m.t('cli.commandError', { command: 'merge', message: (err as Error).message })}\n`,
    );
    process.exitCode = 1;
  }
}
