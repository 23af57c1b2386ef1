import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { shortId } from '../../domain/run.js';
import { collectPlaylist, parseCount } from '../options.js';
import { complain, EXIT, printJson, say } from '../output.js';
import { renderRunOutcome } from '../render/runs.js';
import { withApp } from '../session.js';

/**
 * `chartkeeper trigger`: asks the running `serve` to capture now, through its HTTP API (it starts
 * at once), or through the ledger when none answers there.
 */
export function define(command: Command): void {
  command
    .option(
      '-p, --playlist <id>',
      'capture this playlist (id, spotify: URI or link) instead of the configured charts; repeatable',
      collectPlaylist,
    )
    .option('--wait', 'wait until the captures have finished; exit 0 only if all succeeded')
    .option('--timeout <seconds>', 'with --wait: how long to wait', parseCount(1, 86_400), 300)
    .option('--json', 'print the runs as JSON')
    .action(
      async (options: {
        playlist?: ChartKey[];
        wait?: boolean;
        timeout: number;
        json?: boolean;
      }) => {
        await withApp({ access: 'write', mustExist: true }, async (app) => {
          const { queued, runs, serving, end } = await app.triggerThroughServe({
            keys: options.playlist,
            waitMs: options.wait ? options.timeout * 1000 : undefined,
          });
          const ok =
            end === null ? true : end === 'finished' && runs.every((r) => r.state === 'succeeded');
          if (options.json) {
            printJson({ ok, serving, end, runs });
          } else {
            for (const run of queued) say(`queued run ${shortId(run.id)} for ${run.chartId}`);
          }
          if (!options.json && end !== null) {
            for (const run of runs) {
              if (run.state === 'succeeded') say(renderRunOutcome(run));
              else complain(renderRunOutcome(run));
            }
          }
          if (!serving) {
            complain(
              options.wait
                ? 'chartkeeper: no `chartkeeper serve` is running on this store, so nothing will run these captures; they stay queued until one starts.'
                : 'chartkeeper: no `chartkeeper serve` has been seen on this store in the last few seconds; the runs wait until one starts.',
            );
            if (options.wait)
              complain(
                '  Start one with: chartkeeper serve (or capture at once with: chartkeeper run)',
              );
          } else if (end === 'timeout') {
            complain(
              `chartkeeper: not finished after ${options.timeout} s; they still run in serve.`,
            );
          } else if (end === 'no-serve') {
            complain(
              'chartkeeper: the `chartkeeper serve` stopped while the runs waited; they stay queued until one starts.',
            );
          }
          process.exitCode = ok ? EXIT.ok : EXIT.failed;
        });
      },
    );
}
