import type { Command } from 'commander';
import { parseCount } from '../options.js';
import { printJson, say } from '../output.js';
import { withApp } from '../session.js';

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
      const { renderRuns } = await import('../render/runs.js');
      await withApp({ access: 'read' }, async (app) => {
        const runs = await app.listRuns(options.limit);
        if (options.json) printJson({ runs });
        else say(renderRuns(runs, app.config.timezone));
      });
    });
}
