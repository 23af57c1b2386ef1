import type { ChartKey } from '../domain/chart.js';
import { type ChartWithChanges, findChartWithChanges } from './charts.js';
import type { AppContext } from './context.js';

/** A chart to show on its own page, with the stored dates around it to move to. */
export interface ChartPage extends ChartWithChanges {
  /** The stored chart date of the key before the one shown (or asked for), if any. */
  previousDate: string | null;
  /** The stored chart date after it, if any. */
  nextDate: string | null;
  /** The key's first and last stored dates (null when nothing of it is stored). */
  firstDate: string | null;
  lastDate: string | null;
}

/**
 * The chart of `key` on `date` (its latest without one), with the previous and next stored
 * dates of the key: a missing date still gets them, so a page can offer the nearest charts.
 */
export async function findChartPage(
  ctx: AppContext,
  request: { key: ChartKey; date?: string },
): Promise<ChartPage> {
  const found = await findChartWithChanges(ctx, request);
  const dates = await ctx.store.chartDates(request.key);
  const at = found.chart?.chartDate ?? request.date ?? dates.at(-1) ?? '';
  return {
    ...found,
    previousDate: dates.filter((d) => d < at).at(-1) ?? null,
    nextDate: dates.find((d) => d > at) ?? null,
    firstDate: dates[0] ?? null,
    lastDate: dates.at(-1) ?? null,
  };
}
