import type Database from 'better-sqlite3';
import type { ChartRow } from './rows.js';
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
    chartsAfter: () =>
      db.prepare<RangeParams & { source: string; chartId: string; after: string }, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts
       WHERE (source, chart_id, chart_date) > (@source, @chartId, @after)
         AND chart_date >= @from AND chart_date <= @to
       ORDER BY source, chart_id, chart_date LIMIT @limit`,
      ),
  });
}

export type RangeStatements = ReturnType<typeof prepareRangeStatements>;
