import type { Command } from 'commander';
import { readConfig, withReadOnlyStore } from '../context.js';
import { parseCount } from '../options.js';
import { printJson } from '../output.js';
import { renderRuns } from '../render/runs.js';

/** `chartkeeper runs`: the run ledger, newest first. */
export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('show the run ledger, newest first')
    .option('-n, --limit <n>', 'how many runs', parseCount(1, 10_000), 20)
    .option(
      '--json',
      'print the runs (with every task, its attempts, timings, error and log) as JSON',
    )
    .action(async (options: { limit: number; json?: boolean }) => {
      const config = readConfig();
      const runs = await withReadOnlyStore(config, (store) =>
        store.listRuns({ limit: options.limit }),
      );
      if (options.json) printJson({ runs });
      else process.stdout.write(`${renderRuns(runs)}\n`);
    });
}
