import { type Command, InvalidArgumentError } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { type RunState, RUN_STATES as STATES, TRIGGERS, type Trigger } from '../../domain/run.js';
import { oneOf, parseChart, parseCount } from '../options.js';
import { printJson, say } from '../output.js';
import { renderRuns } from '../render/runs.js';
import { withApp } from '../session.js';

/** Commander parser for --state: one state or several separated by commas. */
function parseStates(value: string): RunState[] {
  const states = value.split(',').map((s) => s.trim());
  for (const state of states) {
    if (!(STATES as readonly string[]).includes(state)) {
      throw new InvalidArgumentError(`expected states among ${STATES.join(', ')}.`);
    }
  }
  return states as RunState[];
}

/** `chartkeeper runs`: the run ledger, newest first (the same filters as GET /api/runs). */
export function define(command: Command): void {
  command
    .option('-n, --limit <n>', 'how many runs', parseCount(1, 10_000), 20)
    .option(
      '-c, --chart <key>',
      'only runs of this chart: a playlist id, URI or link, or an official chart id',
      parseChart,
    )
    .option('--state <states>', `only runs in these states (${STATES.join(',')})`, parseStates)
    .option('--trigger <trigger>', `only runs started so (${TRIGGERS.join(', ')})`, oneOf(TRIGGERS))
    .option(
      '--json',
      'print the runs (with every task, its attempts, timings, error and log) as JSON',
    )
    .action(
      async (options: {
        limit: number;
        chart?: ChartKey;
        state?: RunState[];
        trigger?: Trigger;
        json?: boolean;
      }) => {
        await withApp({ access: 'read' }, async (app) => {
          const runs = await app.listRuns({
            limit: options.limit,
            key: options.chart,
            states: options.state,
            trigger: options.trigger,
          });
          if (options.json) return printJson({ runs });
          say(await renderRuns(runs, app.config.timezone));
        });
      },
    );
}
