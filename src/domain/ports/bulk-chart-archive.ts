import type { ChartEntry, ChartFacts, ChartKey, ChartSnapshot } from '../chart.js';
import type { KeySoFar } from '../derivation.js';

/** One chart of one key and date. */
export interface ChartAt extends ChartKey {
  chartDate: string;
}

/** A chart to write: stored whole when new; otherwise only its entries are added to the stored one. */
export interface ChartWrite {
  chart: ChartSnapshot;
  /** True when a chart of that key and date is stored already and `chart.entries` are added to it. */
  adding: boolean;
}

/** The derived fields of one stored chart's entries, set anew (after a chart arrived late). */
export interface DerivedUpdate extends ChartAt {
  entries: readonly ChartEntry[];
}

/** `source/chartId/chartDate`: a chart's label in maps and messages. */
export function chartLabel(chart: ChartAt): string {
  return `${chart.source}/${chart.chartId}/${chart.chartDate}`;
}

/** What is stored at one position of a chart: enough to tell a duplicate row from a different one. */
export interface StoredRow {
  trackId: string;
  streams: number | null;
  facts: ChartFacts | null;
}

/** Many charts at once, as an import writes them: few round trips, one transaction per call. */
export interface BulkChartArchive {
  /**
   * Charts the store takes best per writeCharts call, where it knows (an importer's default
   * otherwise): a store that writes them on a thread of its own wants small batches in flight.
   */
  readonly chartsPerWrite?: number;
  /** For each chart asked for that is stored, by label: what is stored at each position. */
  storedPositions(charts: readonly ChartAt[]): Promise<Map<string, Map<number, StoredRow>>>;
  /** The date of the key's latest stored chart, or null when none is. */
  latestChartDate(key: ChartKey): Promise<string | null>;
  /** What every stored chart of the key dated before `chartDate` says (see KeyDerivation). */
  keySoFar(key: ChartKey, chartDate: string): Promise<KeySoFar>;
  /** Writes the charts (new ones whole, entries added to stored ones), all or nothing where the store can. */
  writeCharts(writes: readonly ChartWrite[]): Promise<void>;
  /** The stored charts of the key dated `from` or later, in date order, read a page at a time. */
  chartsFrom(key: ChartKey, from: string): AsyncIterable<ChartSnapshot>;
  /** Sets the derived fields of stored entries, matched by position. */
  updateDerived(updates: readonly DerivedUpdate[]): Promise<void>;
  /**
   * Readies the store for about `rows` new entries; the returned function, called once they are
   * written (or the import failed), puts it back. A store may, for a load large against what it
   * holds, set aside an index and build it again after, which is much faster than keeping it up
   * row by row.
   */
  prepareLoad(rows: number): Promise<() => Promise<void>>;
}
