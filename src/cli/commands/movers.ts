import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { keyLabel } from '../../domain/sources.js';
import { parseCount } from '../options.js';
import { CliError, EXIT, printJson, say } from '../output.js';
import { renderMovers } from '../render/history.js';
import { withApp } from '../session.js';
import { withChartOption, withDateOption } from './common.js';

/** `chartkeeper movers`: what moved on a chart since the previous stored chart of its key. */
export function define(command: Command): void {
  withDateOption(withChartOption(command))
    .option('-n, --limit <n>', 'at most n entries in each list', parseCount(1, 10_000), 10)
    .option('--json', 'print the movers as JSON')
    .action(async (options: { chart?: ChartKey; date?: string; limit: number; json?: boolean }) => {
      await withApp({ access: 'read' }, async (app) => {
        const result = await app.movers({
          key: options.chart,
          date: options.date,
          limit: options.limit,
        });
        if ('chart' in result) {
          throw new CliError(
            `No chart of ${keyLabel(result.key)}${options.date ? ` for ${options.date}` : ''} is stored in the ${app.storeLocation}.`,
            {
              exitCode: EXIT.failed,
              code: 'not-found',
              hint: 'List the stored charts with: chartkeeper charts',
            },
          );
        }
        if (options.json) return printJson(result);
        const heading = `${result.title} · ${keyLabel(result)} · ${result.chartDate}${result.previousDate ? ` against ${result.previousDate}` : ''}`;
        if (!result.previousDate) {
          say(`${heading}\nNo earlier chart of this key is stored: nothing to compare with.`);
          return;
        }
        say(await renderMovers(heading, result.movers));
      });
    });
}
