import type { Command } from 'commander';
import { runDemo } from '../../app/demo.js';
import { parseCount } from '../options.js';
import { EXIT, printJson, say } from '../output.js';
import { renderChart } from '../render/chart.js';
import { renderRunOutcome } from '../render/runs.js';

/** `chartkeeper demo`: the whole pipeline offline, against the built-in Spotify emulator. */
export function define(command: Command): void {
  command
    .option('--days <n>', 'how many days to capture, ending today', parseCount(1, 60), 7)
    .option('--store <path>', 'SQLite file to keep the demo data in (default: a new temporary one)')
    .option('--json', 'print the runs and the latest chart as JSON')
    .action(async (options: { days: number; store?: string; json?: boolean }) => {
      const result = await runDemo({
        days: options.days,
        store: options.store,
        onRun: (run) => {
          if (!options.json) say(renderRunOutcome(run));
        },
      });
      if (options.json) {
        printJson(result);
      } else if (result.chart) {
        say(`\n${await renderChart(result.chart, 'UTC', 20)}\n`);
        say(`Demo data is in ${result.store}. Look around with:`);
        say(`  CHARTKEEPER_STORE=${result.store} chartkeeper runs`);
        say(
          `  CHARTKEEPER_STORE=${result.store} chartkeeper chart --playlist ${result.chart.chartId}`,
        );
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.failed;
    });
}
