import type { ChartKey, ChartSnapshot } from '../chart.js';

/** Which charts to read: of some keys (every key when absent), dated from `from` to `to`. */
export interface ChartRange {
  /** Only these keys; absent or empty: every key. */
  keys?: readonly ChartKey[];
  /** The first chart date read (YYYY-MM-DD, inclusive); absent: from the first. */
  from?: string;
  /** The last chart date read (YYYY-MM-DD, inclusive); absent: to the latest. */
  to?: string;
}

/** Reads many stored charts in order, a page at a time (exports). */
export interface ChartRangeReader {
  /**
   * The charts of the range with their entries, in (source, chartId, chartDate) order, each once.
   * Read in pages of a few charts, so memory stays bounded however much the store holds; a chart
   * saved while the iteration runs is included or not, never mixed with an older version of it.
   */
  chartsInRange(range: ChartRange): AsyncIterable<ChartSnapshot>;
}

/**
 * The keys of a range once each, in the order charts are read: by source, then chart id, compared
 * by UTF-16 code unit as stores compare text (SQLite's BINARY collation, MongoDB's simple one for
 * the ASCII ids charts have).
 */
export function rangeKeys(keys: readonly ChartKey[]): ChartKey[] {
  const unique = new Map(keys.map((key) => [`${key.source}\u0000${key.chartId}`, key]));
  return [...unique.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, key]) => ({ source: key.source, chartId: key.chartId }));
}
