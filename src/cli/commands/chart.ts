import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { SOURCES } from '../../domain/sources.js';
import { parseCount, parsePlaylist } from '../options.js';
import { CliError, EXIT, printJson, say } from '../output.js';
import { renderChart } from '../render/chart.js';
import { withApp } from '../session.js';
import { withChartOption, withDateOption } from './common.js';

/** `chartkeeper chart`: shows a stored chart, the latest by default. */
export function define(command: Command): void {
  withDateOption(withChartOption(command))
    .option(
      '-p, --playlist <id>',
      'a playlist chart (the same as --chart with a playlist)',
      parsePlaylist,
    )
    .option('-n, --limit <n>', 'show only the first n entries', parseCount(1, 10_000))
    .option('--json', 'print the chart as JSON')
    .action(
      async (options: {
        chart?: ChartKey;
        playlist?: ChartKey;
        date?: string;
        limit?: number;
        json?: boolean;
      }) => {
        await withApp({ access: 'read' }, async (app) => {
          const { chart, key, fallback, previousDate, streamsChanges } =
            await app.findChartWithChanges({
              key: options.chart ?? options.playlist,
              date: options.date,
            });
          if (!chart) {
            const official = key?.source === SOURCES.spotifyCharts;
            throw new CliError(
              `No chart${key ? ` of ${key.chartId}` : ''}${options.date ? ` for ${options.date}` : ''} is stored in the ${app.storeLocation}.`,
              {
                exitCode: EXIT.failed,
                code: 'not-found',
                hint: options.date
                  ? 'List the stored charts and their dates with: chartkeeper charts'
                  : official || !key
                    ? 'Import its chart files first: chartkeeper import FILE (see chartkeeper import --help)'
                    : 'Capture it first with: chartkeeper run',
              },
            );
          }
          if (options.json) {
            return printJson({
              ...chart,
              previousChartDate: previousDate,
              entries: chart.entries.map((entry, i) => ({
                ...entry,
                streamsChange: streamsChanges[i] ?? null,
              })),
            });
          }
          if (fallback && key) {
            say(
              `No chart of the configured chart ${key.chartId} is stored; showing the chart stored most recently, ${chart.chartId}.\n`,
            );
          }
          say(
            await renderChart(chart, app.config.timezone, options.limit, undefined, streamsChanges),
          );
        });
      },
    );
}
