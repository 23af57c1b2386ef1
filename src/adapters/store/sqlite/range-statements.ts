import type Database from 'better-sqlite3';
import { type ChartRow, ENTRY_COLUMNS, type EntryRow } from './rows.js';
import { CHART_COLUMNS, lazily } from './statements.js';

/** Charts per page when reading a range: with their entries, a few thousand rows at most. */
export const RANGE_PAGE_SIZE = 20;

/** Dates are YYYY-MM-DD text, so these bound every date and a range compares as text. */
export const FIRST_DATE = '';
export const LAST_DATE = '\uffff';

type RangeParams = { from: string; to: string; limit: number };

/**
 * The statements of chartsInRange, paging by key and date (keyset paging: each page starts after
 * the last chart of the previous one, on the charts_by_key_date index, never with an OFFSET).
 */
export function prepareRangeStatements(db: Database.Database) {
  return lazily({
    chartsOfKeyAfter: () =>
      db.prepare<RangeParams & { source: string; chartId: string; after: string }, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts
       WHERE source = @source AND chart_id = @chartId
         AND chart_date >= @from AND chart_date <= @to AND chart_date > @after
       ORDER BY chart_date LIMIT @limit`,
      ),
    // `+chart_date`: the dates filter rows found on charts_by_key_date, in its order; without the
    // plus SQLite may pick charts_by_date and sort every chart of the range for each page.
    chartsAfter: () =>
      db.prepare<RangeParams & { source: string; chartId: string; after: string }, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts
       WHERE (source, chart_id, chart_date) > (@source, @chartId, @after)
         AND +chart_date >= @from AND +chart_date <= @to
       ORDER BY source, chart_id, chart_date LIMIT @limit`,
      ),
    // Rows as arrays: better-sqlite3 makes a 19-column row object far slower than the object
    // literal of entryRow (a third of an export's time for a million entries).
    entriesOf: () =>
      db
        .prepare<[number], unknown[]>(
          `SELECT ${ENTRY_COLUMNS.join(', ')} FROM chart_entries WHERE chart = ? ORDER BY position`,
        )
        .raw(true),
  });
}

/** An entry row read as an array (entriesOf), as the object the rest of the store reads. */
export function entryRow(row: unknown[]): EntryRow {
  // Read by position in ENTRY_COLUMNS' order; each value is that column's as SQLite returns it.
  const at = (index: number) => row[index] as never;
  return {
    chart: at(0),
    position: at(1),
    track_id: at(2),
    uri: at(3),
    name: at(4),
    artists: at(5),
    album: at(6),
    duration_ms: at(7),
    explicit: at(8),
    isrc: at(9),
    added_at: at(10),
    streams: at(11),
    previous_position: at(12),
    movement: at(13),
    days_on_chart: at(14),
    peak: at(15),
    file_peak_rank: at(16),
    file_previous_rank: at(17),
    file_on_chart: at(18),
  };
}

export type RangeStatements = ReturnType<typeof prepareRangeStatements>;
