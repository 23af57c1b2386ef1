import type { ChartKey, ChartSnapshot } from '../domain/chart.js';
import type { AppContext } from './context.js';

/** A chart looked up for showing, and whether it is another one than the one asked for. */
export interface ChartLookup {
  chart: ChartSnapshot | null;
  /** The key looked for. */
  key: ChartKey;
  /** True when no chart was asked for, the default one was never stored, and the chart stored most recently stands in. */
  fallback: boolean;
}

/**
 * The chart of `key` on `date` (default: its latest). Without a key, the first configured chart;
 * when that was never stored (`run -p` captured another), the chart stored most recently, which
 * is what a user most likely wants to see.
 */
export async function findChart(
  ctx: AppContext,
  request: { key?: ChartKey; date?: string },
): Promise<ChartLookup> {
  const key = request.key ?? ctx.config.charts[0]!;
  const chart = await ctx.charts.getChart(key, request.date);
  if (chart || request.key) return { chart, key, fallback: false };
  // A date with no chart of a chart that does exist is simply missing.
  if (request.date && (await ctx.charts.listCharts({ key, limit: 1 })).length > 0) {
    return { chart, key, fallback: false };
  }
  const [latest] = await ctx.charts.listCharts({ limit: 1 });
  if (!latest) return { chart, key, fallback: false };
  const other = { source: latest.source, chartId: latest.chartId };
  return { chart: await ctx.charts.getChart(other, request.date), key, fallback: true };
}
