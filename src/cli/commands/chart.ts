import type { Command } from 'commander';
import { redactUrlPassword } from '../../lib/redact.js';
import { readConfig, withStore } from '../context.js';
import { parseCount, parseDate, parsePlaylist } from '../options.js';
import { CliError, EXIT, printJson } from '../output.js';
import { renderChart } from '../render/chart.js';

const SOURCE = 'spotify-playlist';

/** `chartkeeper chart`: shows a stored chart, the latest by default. */
export function registerChart(program: Command): void {
  program
    .command('chart')
    .description("show a stored chart with each entry's movement (the latest by default)")
    .option(
      '-p, --playlist <id>',
      'which chart (default: the first configured chart)',
      parsePlaylist,
    )
    .option(
      '-d, --date <YYYY-MM-DD>',
      'the chart of that date (default: the latest stored)',
      parseDate,
    )
    .option('-n, --limit <n>', 'show only the first n entries', parseCount(1, 10_000))
    .option('--json', 'print the chart as JSON')
    .action(
      async (options: { playlist?: string; date?: string; limit?: number; json?: boolean }) => {
        const config = readConfig();
        const chartId = options.playlist ?? config.charts[0]?.playlist ?? '';
        const chart = await withStore(config, (store) =>
          store.getChart({ source: SOURCE, chartId }, options.date),
        );
        if (!chart) {
          throw new CliError(
            `no chart of playlist ${chartId}${options.date ? ` for ${options.date}` : ''} is stored in ${redactUrlPassword(config.store)}`,
            {
              exitCode: EXIT.failed,
              code: 'not-found',
              hint: options.date
                ? 'List the stored dates with: chartkeeper runs'
                : 'Capture it first with: chartkeeper run',
            },
          );
        }
        if (options.json) printJson(chart);
        else process.stdout.write(`${renderChart(chart, options.limit)}\n`);
      },
    );
}
