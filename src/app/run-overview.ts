import type { ChartKey } from '../domain/chart.js';
import type { Run } from '../domain/run.js';
import { keyLabel } from '../domain/sources.js';
import type { AppContext } from './context.js';

/** How many recent runs are looked at for charts that are not configured (imports, `run -p`). */
const RECENT_RUNS = 50;

/** A chart and its latest run (null when it never ran). */
export interface LastRun {
  key: ChartKey;
  run: Run | null;
}

/**
 * The latest run of each configured chart, then of every other chart that ran lately, each
 * through the ledger's per-key index (one small read per chart).
 */
export async function lastRunPerChart(ctx: AppContext): Promise<LastRun[]> {
  const keys = new Map<string, ChartKey>();
  for (const key of ctx.config.charts) keys.set(keyLabel(key), key);
  for (const run of await ctx.ledger.listRuns({ limit: RECENT_RUNS })) {
    const key = { source: run.source, chartId: run.chartId };
    if (!keys.has(keyLabel(key))) keys.set(keyLabel(key), key);
  }
  return Promise.all(
    [...keys.values()].map(async (key) => {
      const [run] = await ctx.ledger.listRuns({ limit: 1, key });
      return { key, run: run ?? null };
    }),
  );
}
