import type { Command } from 'commander';
import { parseCount } from '../options.js';
import { EXIT, printJson, say } from '../output.js';

/** `chartkeeper demo`: the whole pipeline offline, against the built-in Spotify emulator. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'offline demo: start the Spotify emulator, capture its daily chart for the last few days, print the latest',
    )
    .option('--days <n>', 'how many days to capture, ending today', parseCount(1, 60), 7)
    .option('--store <path>', 'SQLite file to keep the demo data in (default: a new temporary one)')
    .option('--json', 'print the runs and the latest chart as JSON')
    .action(async (options: { days: number; store?: string; json?: boolean }) => {
      const [{ runDemo }, { renderRunOutcome }, { renderChart }] = await Promise.all([
        import('../../app/demo.js'),
        import('../render/runs.js'),
        import('../render/chart.js'),
      ]);
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
        say(`\n${renderChart(result.chart, 'UTC', 20)}\n`);
        say(`Demo data is in ${result.store}. Look around with:`);
        say(`  CHARTKEEPER_STORE=${result.store} chartkeeper runs`);
        say(
          `  CHARTKEEPER_STORE=${result.store} chartkeeper chart --playlist ${result.chart.chartId}`,
        );
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.failed;
    });
}
