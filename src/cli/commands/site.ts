import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import type { SiteCounts } from '../../web/site.js';
import { parseChart } from '../options.js';
import { printJson, say } from '../output.js';
import { progressReporter } from '../progress.js';
import { withApp } from '../session.js';

interface SiteOptions {
  out: string;
  chart?: ChartKey[];
  force?: boolean;
  json?: boolean;
}

/**
 * `chartkeeper site`: the chart, track and artist pages as static files, for any static host.
 */
export function define(command: Command): void {
  command
    .requiredOption('-o, --out <dir>', 'the folder to write the site into (new or empty)')
    .option(
      '-c, --chart <key>',
      'only this chart (repeatable): an official chart id, a playlist id, URI or link (default: every stored chart)',
      (value: string, previous: ChartKey[] = []) => [...previous, parseChart(value)],
    )
    .option(
      '-f, --force',
      'write into a folder that is not empty (files of the same name are replaced)',
    )
    .option('--json', 'print a summary as JSON')
    .action(async (options: SiteOptions) => {
      let counts: SiteCounts = { charts: 0, tracks: 0, artists: 0, assets: 0 };
      const describe = () =>
        `wrote ${counts.charts} chart, ${counts.tracks} track and ${counts.artists} artist pages`;
      const progress = progressReporter(describe);
      await withApp({ access: 'read', mustExist: true }, async (app) => {
        const { writeSite } = await import('../../web/site.js');
        const result = await writeSite(app, {
          out: options.out,
          keys: options.chart,
          force: options.force,
          progress: (now) => {
            counts = now;
            progress.tick();
          },
        });
        counts = result;
        progress.done();
        if (options.json) return printJson({ ok: true, ...result });
        say(
          `${describe().replace(/^wrote/, 'Wrote')} and ${result.assets} assets to ${result.out}.`,
        );
        say('Publish the folder at the root of any static host (its links start at /).');
      });
    });
}
