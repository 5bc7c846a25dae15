import type { Argv } from 'yargs';
import { BatchUsageError } from '../grader/batch.js';
import { mergeShards } from '../grader/merge.js';
import type { Lang } from '../i18n/lang.js';

export function mergeOptions(y: Argv) {
  return y
    .usage(
      '$0 merge --out DIR SHARD_DIR...\n\n' +
        'Combine the out-dirs of `grade-all --shard K/N` (all N of them) into one: scores.csv, summary.txt,\n' +
        'batch.json and students/<name>/, as one unsharded run would have written them. Shards graded with\n' +
        'other scenarios or options, a missing or repeated shard, or a student in two shards are refused.\n\n' +
        'Exit status: 0 merged; 2 the shards cannot be merged (the reason on one line); 1 writing failed.',
    )
    .positional('shards', { type: 'string', array: true, describe: 'the shard out-dirs' })
    .option('out', {
      alias: 'o',
      type: 'string',
      demandOption: true,
      describe: 'folder for the merged results',
    })
    .example('$0 merge --out grades shard-*', 'after eight CI jobs wrote shard-1 ... shard-8');
}

type Args = Awaited<ReturnType<typeof mergeOptions>['argv']> & { shards?: string[]; lang?: Lang };

export async function merge(args: Args): Promise<void> {
  try {
    const result = await mergeShards(
      (args.shards ?? []).map(String),
      args.out,
      args.lang ? { lang: args.lang } : {},
    );
    const shards = (args.shards ?? []).length;
    process.stdout.write(
      `merged ${shards} shard${shards === 1 ? '' : 's'}: ${result.students.length} students into ${args.out}\n`,
    );
    process.exitCode = 0;
  } catch (err) {
    if (err instanceof BatchUsageError) {
      process.stderr.write(`smtp-lab merge: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`smtp-lab merge: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
