import type { Command } from 'commander';
import { configSecrets, Redactor } from '../../lib/redact.js';
import { captureChart } from '../../services/capture-chart.js';
import { withChartLease } from '../../services/chart-lease.js';
import { readConfig, requireSpotifyCredentials, withStore } from '../context.js';
import { collectPlaylist } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { renderRunOutcome } from '../render/runs.js';
import { openSpotifySource } from '../stores.js';

/** `chartkeeper run`: captures the configured charts (or --playlist ones) now, once. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'capture the configured charts now, once; exits 0 only if every chart was captured',
    )
    .option(
      '-p, --playlist <id>',
      'capture this playlist (id, spotify: URI or link) instead of the configured charts; repeatable',
      collectPlaylist,
    )
    .option('--json', 'print the runs as JSON')
    .action(async (options: { playlist?: string[]; json?: boolean }) => {
      const config = readConfig();
      requireSpotifyCredentials(config);
      const chartIds = options.playlist ?? config.charts.map((c) => c.playlist);
      // The client secret, the store's and queue's passwords, and every token the source obtains.
      const redactor = new Redactor(configSecrets(config));
      // Paced by the configured rate limit (config `rateLimit`), as in `serve` and `worker`.
      const opened = await openSpotifySource(config, { redactor });
      const { source } = opened;
      const runs = await withStore(config, async (store) => {
        const done = [];
        for (const chartId of chartIds) {
          // Never alongside a capture of the same chart by `serve` or a worker.
          const run = await withChartLease(store, { source: source.source, chartId }, () =>
            captureChart(
              { store, source, timezone: config.timezone, redactor },
              { chartId, trigger: 'manual' },
            ),
          );
          if (!options.json) process.stdout.write(`${renderRunOutcome(run)}\n`);
          done.push(run);
        }
        return done;
      }).finally(() => opened.close());
      const ok = runs.every((run) => run.state === 'succeeded');
      if (options.json) printJson({ ok, runs });
      process.exitCode = ok ? EXIT.ok : EXIT.failed;
    });
}
