import type { ChartKey, ChartSnapshot } from '../domain/chart.js';
import { ChartkeeperError } from '../domain/errors.js';
import { streamsChanges } from '../domain/history.js';
import type { AppContext } from './context.js';

/** A chart looked up for showing, and whether it is another one than the one asked for. */
export interface ChartLookup {
  chart: ChartSnapshot | null;
  /** The key looked for; null when none was asked for, none is configured and none is stored. */
  key: ChartKey | null;
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
  const key = request.key ?? ctx.config.charts[0] ?? null;
  if (key) {
    const chart = await ctx.charts.getChart(key, request.date);
    if (chart || request.key) return { chart, key, fallback: false };
    // A date with no chart of a chart that does exist is simply missing.
    if (request.date && (await ctx.charts.listCharts({ key, limit: 1 })).length > 0) {
      return { chart, key, fallback: false };
    }
  }
  const [latest] = await ctx.charts.listCharts({ limit: 1 });
  if (!latest) return { chart: null, key, fallback: false };
  const other = { source: latest.source, chartId: latest.chartId };
  return {
    chart: await ctx.charts.getChart(other, request.date),
    key: key ?? other,
    fallback: key !== null,
  };
}

/** A chart with each entry's change in streams against the previous stored chart of its key. */
export interface ChartWithChanges extends ChartLookup {
  /** The date of the previous stored chart of the key, or null when there is none. */
  previousDate: string | null;
  /** Per entry, in order: streams minus the previous chart's (null when unknown or new). */
  streamsChanges: (number | null)[];
}

/** findChart, with each entry's change in streams against the previous stored chart. */
export async function findChartWithChanges(
  ctx: AppContext,
  request: { key?: ChartKey; date?: string },
): Promise<ChartWithChanges> {
  const lookup = await findChart(ctx, request);
  if (!lookup.chart) return { ...lookup, previousDate: null, streamsChanges: [] };
  const { chart } = lookup;
  const hasStreams = chart.entries.some((e) => e.streams !== null);
  const key = { source: chart.source, chartId: chart.chartId };
  const previous = await ctx.charts.previousChart(key, chart.chartDate);
  return {
    ...lookup,
    previousDate: previous?.chartDate ?? null,
    streamsChanges: hasStreams ? streamsChanges(chart, previous) : chart.entries.map(() => null),
  };
}

/**
 * The key a command means: the one asked for; else the first configured chart when any chart of
 * it is stored; else the key stored most recently (as findChart falls back); else the configured
 * one (which then has nothing to show).
 */
export async function resolveChartKey(ctx: AppContext, key?: ChartKey): Promise<ChartKey> {
  if (key) return key;
  const configured = ctx.config.charts[0];
  if (configured && (await ctx.charts.listCharts({ key: configured, limit: 1 })).length > 0) {
    return configured;
  }
  const [latest] = await ctx.charts.listCharts({ limit: 1 });
  if (latest) return { source: latest.source, chartId: latest.chartId };
  if (configured) return configured;
  throw new ChartkeeperError('not-found', 'No chart is stored yet, and no chart is configured.', {
    hint: 'Import chart files (chartkeeper import FILE) or capture a playlist (chartkeeper run -p ID).',
    permanent: true,
  });
}
