import type { Command } from 'commander';
import { printJson, say } from '../output.js';
import { renderChartKeys } from '../render/history.js';
import { withApp } from '../session.js';

/** `chartkeeper charts`: every stored chart key, with its dates and number of charts. */
export function define(command: Command): void {
  command
    .option('--json', 'print the chart keys as JSON')
    .action(async (options: { json?: boolean }) => {
      await withApp({ access: 'read' }, async (app) => {
        const charts = await app.listChartKeys();
        if (options.json) return printJson({ charts });
        say(await renderChartKeys(charts));
      });
    });
}
