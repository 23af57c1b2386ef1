import type { Command } from 'commander';
import { redactUrlPassword } from '../../lib/redact.js';
import { readConfig, withReadOnlyStore } from '../context.js';
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
      'which chart (default: the first configured chart, or else the latest captured one)',
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
        const configured = config.charts[0]?.playlist ?? '';
        const chartId = options.playlist ?? configured;
        const { chart, fallback } = await withReadOnlyStore(config, async (store) => {
          const key = { source: SOURCE, chartId };
          const chart = await store.getChart(key, options.date);
          if (chart || options.playlist) return { chart, fallback: false };
          // Not asked for a chart, and the default one was never captured (`run -p` captured
          // another): the chart captured most recently is what the user most likely wants.
          if (options.date && (await store.listCharts({ key, limit: 1 })).length > 0) {
            return { chart, fallback: false };
          }
          const [latest] = await store.listCharts({ limit: 1 });
          if (!latest) return { chart, fallback: false };
          const other = { source: latest.source, chartId: latest.chartId };
          return { chart: await store.getChart(other, options.date), fallback: true };
        });
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
        if (fallback && !options.json) {
          process.stdout.write(
            `No chart of the configured playlist ${configured} is stored; showing the latest captured chart, playlist ${chart.chartId}.\n\n`,
          );
        }
        if (options.json) printJson(chart);
        else process.stdout.write(`${renderChart(chart, options.limit)}\n`);
      },
    );
}
