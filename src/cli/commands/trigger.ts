import type { Command } from 'commander';
import { currentRun, queueManualRun, serveIsAlive, waitForRuns } from '../../services/trigger.js';
import { readConfig, withStore } from '../context.js';
import { collectPlaylist, parseCount } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { renderRunOutcome } from '../render/runs.js';

/** The source scheduled and triggered captures read. */
const SOURCE = 'spotify-playlist';

/** `chartkeeper trigger`: asks the running `serve` to capture now, through the ledger. */
export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description(
      'queue a capture of the configured charts (or --playlist ones) for the running `chartkeeper serve` to run now',
    )
    .option(
      '-p, --playlist <id>',
      'capture this playlist (id, spotify: URI or link) instead of the configured charts; repeatable',
      collectPlaylist,
    )
    .option('--wait', 'wait until the captures have finished; exit 0 only if all succeeded')
    .option('--timeout <seconds>', 'with --wait: how long to wait', parseCount(1, 86_400), 300)
    .option('--json', 'print the runs as JSON')
    .action(
      async (options: { playlist?: string[]; wait?: boolean; timeout: number; json?: boolean }) => {
        const config = readConfig();
        const chartIds = options.playlist ?? config.charts.map((c) => c.playlist);
        await withStore(config, async (store) => {
          const queued = [];
          for (const chartId of chartIds) {
            queued.push(await queueManualRun(store, { source: SOURCE, chartId }));
          }
          const alive = await serveIsAlive(store);
          if (!options.json) {
            for (const run of queued) {
              process.stdout.write(`queued run ${run.id.slice(0, 8)} for ${run.chartId}\n`);
            }
          }
          if (!alive) {
            process.stderr.write(
              'chartkeeper: no `chartkeeper serve` has been seen on this store in the last few seconds; the runs wait until one starts.\n',
            );
          }
          if (!options.wait) {
            if (options.json) printJson({ ok: true, runs: queued });
            return;
          }
          const { runs, finished } = await waitForRuns(
            store,
            queued.map((run) => run.id),
            { timeoutMs: options.timeout * 1000 },
          );
          const ok = finished && runs.every((run) => run.state === 'succeeded');
          if (options.json) {
            printJson({ ok, runs });
          } else {
            for (const run of runs) process.stdout.write(`${renderRunOutcome(run)}\n`);
            if (!finished) {
              const left = [];
              for (const run of queued) left.push((await currentRun(store, run.id))?.state);
              process.stderr.write(
                `chartkeeper: not finished after ${options.timeout} s (states: ${left.join(', ')}); they still run in serve.\n`,
              );
            }
          }
          process.exitCode = ok ? EXIT.ok : EXIT.failed;
        });
      },
    );
}
