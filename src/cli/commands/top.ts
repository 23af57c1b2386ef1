import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import type { TopMeasure } from '../../domain/history.js';
import { oneOf, parseCount, parseDate } from '../options.js';
import { printJson, say } from '../output.js';
import { renderTop } from '../render/history.js';
import { withApp } from '../session.js';
import { withChartOption } from './common.js';

const MEASURES: readonly TopMeasure[] = ['days', 'streams', 'points'];

/** `chartkeeper top`: tracks, songs or artists ranked over a period of one chart key. */
export function define(command: Command): void {
  withChartOption(command)
    .requiredOption('--from <YYYY-MM-DD>', 'first chart date of the period', parseDate)
    .requiredOption('--to <YYYY-MM-DD>', 'last chart date of the period', parseDate)
    .option(
      '--by <measure>',
      'days (charts appeared on), streams (summed) or points (N + 1 − position per chart, N its entry count)',
      oneOf(MEASURES),
      'points',
    )
    .option('--artists', 'rank artists (each track counts for every one of its artists)')
    .option('--group-versions', 'count tracks sharing an ISRC as one song')
    .option('-n, --limit <n>', 'how many', parseCount(1, 10_000), 20)
    .option('--json', 'print the ranking as JSON')
    .action(
      async (options: {
        from: string;
        to: string;
        chart?: ChartKey;
        by: TopMeasure;
        artists?: boolean;
        groupVersions?: boolean;
        limit: number;
        json?: boolean;
      }) => {
        await withApp({ access: 'read' }, async (app) => {
          const result = await app.top({
            key: options.chart,
            from: options.from,
            to: options.to,
            by: options.by,
            artists: options.artists,
            groupVersions: options.groupVersions,
            limit: options.limit,
          });
          if (options.json) return printJson(result);
          say(await renderTop(result));
        });
      },
    );
}
