import type { App } from '../../app/app.js';
import type { ChartKey } from '../../domain/chart.js';
import type { Run, RunState, Trigger } from '../../domain/run.js';

/** What the runs page filters by. */
export interface RunFilter {
  limit: number;
  key?: ChartKey;
  states?: readonly RunState[];
  trigger?: Trigger;
  /** Only runs created before this time (ISO 8601): the next page. */
  before?: string;
}

/** How many of the latest runs are read to filter from until the ledger filters by itself. */
const SCAN = 1_000;

/**
 * The runs matching the filter, newest first. The ledger is read and filtered here for now;
 * once `App.listRuns` takes this query, this becomes one call to it.
 */
export async function findRuns(app: App, filter: RunFilter): Promise<Run[]> {
  const runs = await app.listRuns(SCAN);
  return runs
    .filter(
      (run) =>
        (!filter.key || (run.source === filter.key.source && run.chartId === filter.key.chartId)) &&
        (!filter.states || filter.states.includes(run.state)) &&
        (!filter.trigger || run.trigger === filter.trigger) &&
        (!filter.before || run.createdAt < filter.before),
    )
    .slice(0, filter.limit);
}
