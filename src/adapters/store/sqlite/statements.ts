import type Database from 'better-sqlite3';
import type { ChartKey } from '../../../domain/chart.js';
import type { CaptureRow, ChartRow, EntryRow, HistoryRow, RunRow, SummaryRow } from './rows.js';

type KeyParams = ChartKey;
export type Statements = ReturnType<typeof prepareStatements>;

export const CHART_COLUMNS =
  'id, source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped';
const SUMMARY_COLUMNS = `source, chart_id, chart_date, title, captured_at,
  (SELECT count(*) FROM chart_entries e WHERE e.chart = c.id) AS entry_count`;
const KEY_MATCH = 'source = @source AND chart_id = @chartId';
/** Rows per page when streaming every record; a capture can be a few megabytes. */
export const PAGE_SIZE = 50;

/**
 * Every statement the store runs, each prepared on first use and then kept for the connection: a
 * command that runs three of them does not compile forty.
 */
export function prepareStatements(db: Database.Database) {
  return lazily({
    captureById: () => db.prepare<[string], CaptureRow>('SELECT * FROM captures WHERE id = ?'),
    // rowid breaks ties between equal timestamps: captures are never deleted, so it only grows.
    latestCaptureHead: () =>
      db.prepare<KeyParams, { id: string; content_hash: string; version: string | null }>(
        `SELECT id, content_hash, version FROM captures WHERE ${KEY_MATCH}
       ORDER BY captured_at DESC, rowid DESC LIMIT 1`,
      ),
    insertCapture: () =>
      db.prepare<CaptureRow>(
        `INSERT INTO captures (id, source, chart_id, run_id, captured_at, chart_date, content_hash, version, payload)
       VALUES (@id, @source, @chart_id, @run_id, @captured_at, @chart_date, @content_hash, @version, @payload)`,
      ),
    upsertChart: () =>
      db.prepare<Omit<ChartRow, 'id'>, { id: number }>(
        `INSERT INTO charts (source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped)
       VALUES (@source, @chart_id, @chart_date, @title, @capture_id, @run_id, @captured_at, @skipped)
       ON CONFLICT (source, chart_id, chart_date) DO UPDATE SET
         title = excluded.title, capture_id = excluded.capture_id, run_id = excluded.run_id,
         captured_at = excluded.captured_at, skipped = excluded.skipped
       RETURNING id`,
      ),
    deleteEntries: () => db.prepare<[number]>('DELETE FROM chart_entries WHERE chart = ?'),
    insertEntry: () =>
      db.prepare<EntryRow>(
        `INSERT INTO chart_entries (chart, position, track_id, uri, name, artists, album, duration_ms,
         explicit, isrc, added_at, streams, previous_position, movement, days_on_chart, peak,
         file_peak_rank, file_previous_rank, file_on_chart)
       VALUES (@chart, @position, @track_id, @uri, @name, @artists, @album, @duration_ms,
         @explicit, @isrc, @added_at, @streams, @previous_position, @movement, @days_on_chart, @peak,
         @file_peak_rank, @file_previous_rank, @file_on_chart)`,
      ),
    // A track keeps its first title and artists; an ISRC learnt later is added.
    upsertTrack: () =>
      db.prepare<{ id: string; name: string; artists: string; isrc: string | null }>(
        `INSERT INTO tracks (id, name, artists, isrc) VALUES (@id, @name, @artists, @isrc)
       ON CONFLICT (id) DO UPDATE SET isrc = coalesce(tracks.isrc, excluded.isrc)
       WHERE tracks.isrc IS NULL AND excluded.isrc IS NOT NULL`,
      ),
    insertTrackArtist: () =>
      db.prepare<[string, string]>(
        'INSERT OR IGNORE INTO track_artists (artist, track_id) VALUES (?, ?)',
      ),
    entriesOf: () =>
      db.prepare<[number], EntryRow>(
        'SELECT * FROM chart_entries WHERE chart = ? ORDER BY position',
      ),
    chartByDate: () =>
      db.prepare<KeyParams & { chartDate: string }, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} AND chart_date = @chartDate`,
      ),
    latestChart: () =>
      db.prepare<KeyParams, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} ORDER BY chart_date DESC LIMIT 1`,
      ),
    chartBefore: () =>
      db.prepare<KeyParams & { chartDate: string }, ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} AND chart_date < @chartDate
       ORDER BY chart_date DESC LIMIT 1`,
      ),
    // CROSS JOIN pins the order: look the few wanted tracks up by index, instead of scanning every
    // entry of every earlier chart, which grows by a chart a day.
    trackHistory: () =>
      db.prepare<KeyParams & { chartDate: string; trackIds: string }, HistoryRow>(
        `SELECT e.track_id, count(DISTINCT c.id) AS days_on_chart, min(e.position) AS peak,
         max(c.chart_date) AS last_date
       FROM json_each(@trackIds) AS wanted
         CROSS JOIN chart_entries e ON e.track_id = wanted.value
         CROSS JOIN charts c ON c.id = e.chart
       WHERE c.source = @source AND c.chart_id = @chartId AND c.chart_date < @chartDate
       GROUP BY e.track_id`,
      ),
    listCharts: () =>
      db.prepare<{ limit: number }, SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM charts c
       ORDER BY chart_date DESC, source, chart_id LIMIT @limit`,
      ),
    listChartsOfKey: () =>
      db.prepare<KeyParams & { limit: number }, SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM charts c WHERE ${KEY_MATCH}
       ORDER BY chart_date DESC LIMIT @limit`,
      ),
    upsertRun: () =>
      db.prepare<RunRow>(
        `INSERT INTO runs (id, source, chart_id, trigger, state, created_at, started_at, finished_at,
         scheduled_for, chart_date, capture_id, entry_count, error, tasks)
       VALUES (@id, @source, @chart_id, @trigger, @state, @created_at, @started_at, @finished_at,
         @scheduled_for, @chart_date, @capture_id, @entry_count, @error, @tasks)
       ON CONFLICT (id) DO UPDATE SET
         source = excluded.source, chart_id = excluded.chart_id, trigger = excluded.trigger,
         state = excluded.state, created_at = excluded.created_at, started_at = excluded.started_at,
         finished_at = excluded.finished_at, scheduled_for = excluded.scheduled_for,
         chart_date = excluded.chart_date, capture_id = excluded.capture_id,
         entry_count = excluded.entry_count, error = excluded.error, tasks = excluded.tasks`,
      ),
    runById: () => db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    // A range on the primary key: an indexed look-up however long the ledger.
    runsByPrefix: () =>
      db.prepare<{ from: string; to: string; limit: number }, RunRow>(
        'SELECT * FROM runs WHERE id >= @from AND id < @to ORDER BY id LIMIT @limit',
      ),
    capturesAfter: () =>
      db.prepare<[number], CaptureRow & { seq: number }>(
        `SELECT rowid AS seq, * FROM captures WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_SIZE}`,
      ),
    captureAt: () =>
      db.prepare<[number], CaptureRow & { seq: number }>(
        'SELECT rowid AS seq, * FROM captures WHERE rowid = ?',
      ),
    chartAt: () =>
      db.prepare<[number], ChartRow>(`SELECT ${CHART_COLUMNS} FROM charts WHERE id = ?`),
    runAt: () =>
      db.prepare<[number], RunRow & { seq: number }>(
        'SELECT rowid AS seq, * FROM runs WHERE rowid = ?',
      ),
    lastIds: () => ({
      captures: db.prepare<[], { last: number | null }>('SELECT max(rowid) AS last FROM captures'),
      charts: db.prepare<[], { last: number | null }>('SELECT max(id) AS last FROM charts'),
      runs: db.prepare<[], { last: number | null }>('SELECT max(rowid) AS last FROM runs'),
    }),
    chartsAfter: () =>
      db.prepare<[number], ChartRow>(
        `SELECT ${CHART_COLUMNS} FROM charts WHERE id > ? ORDER BY id LIMIT ${PAGE_SIZE}`,
      ),
    runsAfter: () =>
      db.prepare<[number], RunRow & { seq: number }>(
        `SELECT rowid AS seq, * FROM runs WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_SIZE}`,
      ),
    // Taken when free, expired or already the owner's; otherwise left as it is.
    takeLease: () =>
      db.prepare<{ name: string; owner: string; now: number; expiresAt: number }>(
        `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
      ),
    leaseByName: () =>
      db.prepare<[string], { owner: string; expires_at: number }>(
        'SELECT owner, expires_at FROM leases WHERE name = ?',
      ),
    releaseLease: () =>
      db.prepare<{ name: string; owner: string }>(
        'DELETE FROM leases WHERE name = @name AND owner = @owner',
      ),
    settingByKey: () =>
      db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    upsertSetting: () =>
      db.prepare<{ key: string; value: string }>(
        `INSERT INTO settings (key, value) VALUES (@key, @value)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ),
    deleteSetting: () => db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
  });
}

/** An object whose properties are made by `makers` on first read, then kept. */
export function lazily<T extends Record<string, () => unknown>>(
  makers: T,
): { [K in keyof T]: ReturnType<T[K]> } {
  const made: Partial<Record<keyof T, unknown>> = {};
  const target = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const name of Object.keys(makers) as (keyof T)[]) {
    Object.defineProperty(target, name, {
      get: () => {
        if (!(name in made)) made[name] = makers[name]!();
        return made[name];
      },
    });
  }
  return target;
}
