import type Database from 'better-sqlite3';
import type { RunQuery } from '../../../domain/ports/run-ledger.js';
import type { RunRow } from './rows.js';

interface RunQueryParams {
  limit: number;
  source?: string;
  chartId?: string;
  states?: string;
  trigger?: string;
  before?: string;
}

/**
 * The statements of `listRuns`, one per combination of filters: each names only the columns it
 * filters on, so SQLite picks the index that serves it (by key and time, by state and time, or
 * by time), which a single statement with optional filters would keep it from.
 */
export class RunQueries {
  private readonly prepared = new Map<string, Database.Statement<RunQueryParams, RunRow>>();

  constructor(private readonly db: Database.Database) {}

  all(query: RunQuery, limit: number): RunRow[] {
    const params: RunQueryParams = { limit };
    const where: string[] = [];
    if (query.key) {
      where.push('source = @source AND chart_id = @chartId');
      params.source = query.key.source;
      params.chartId = query.key.chartId;
    }
    if (query.states) {
      // States travel as one JSON array.
      where.push('state IN (SELECT value FROM json_each(@states))');
      params.states = JSON.stringify(query.states);
    }
    if (query.trigger) {
      where.push('trigger = @trigger');
      params.trigger = query.trigger;
    }
    if (query.before !== undefined) {
      // After the given run in the listing's order; no such run, no rows (the sub-select is NULL).
      where.push('(created_at, id) < (SELECT created_at, id FROM runs WHERE id = @before)');
      params.before = query.before;
    }
    const sql = `SELECT * FROM runs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT @limit`;
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare<RunQueryParams, RunRow>(sql);
      this.prepared.set(sql, statement);
    }
    return statement.all(params);
  }
}
