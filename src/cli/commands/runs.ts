import type { Command } from 'commander';
import { parseCount } from '../options.js';
import { printJson, say } from '../output.js';
import { renderRuns } from '../render/runs.js';
import { withApp } from '../session.js';

/** `chartkeeper runs`: the run ledger, newest first. */
export function define(command: Command): void {
  command
    .option('-n, --limit <n>', 'how many runs', parseCount(1, 10_000), 20)
    .option(
      '--json',
      'print the runs (with every task, its attempts, timings, error and log) as JSON',
    )
    .action(async (options: { limit: number; json?: boolean }) => {
      await withApp({ access: 'read' }, async (app) => {
        const runs = await app.listRuns({ limit: options.limit });
        if (options.json) return printJson({ runs });
        say(await renderRuns(runs, app.config.timezone));
      });
    });
}
