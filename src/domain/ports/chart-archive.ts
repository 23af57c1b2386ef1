import type { ChartKey, ChartSnapshot, ChartSummary, TrackHistory } from '../chart.js';

/** The daily charts, one per key and date. */
export interface ChartArchive {
  /** Inserts or replaces the chart of (source, chartId, chartDate) in one atomic write. */
  saveChart(chart: ChartSnapshot): Promise<void>;
  /** The chart of that date, or the latest chart of the key when no date is given. */
  getChart(key: ChartKey, chartDate?: string): Promise<ChartSnapshot | null>;
  /** The latest chart of the key dated strictly before `chartDate`. */
  previousChart(key: ChartKey, chartDate: string): Promise<ChartSnapshot | null>;
  /** For each track id, what charts of the key dated before `chartDate` say about it. */
  trackHistory(
    key: ChartKey,
    trackIds: readonly string[],
    chartDate: string,
  ): Promise<Map<string, TrackHistory>>;
  /** Stored charts, newest date first, optionally of one key. */
  listCharts(options?: { key?: ChartKey; limit?: number }): Promise<ChartSummary[]>;
}
