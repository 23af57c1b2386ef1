import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type Capture, payloadJson } from '../../../domain/capture.js';
import type {
  ChartEntry,
  ChartKey,
  ChartSnapshot,
  ChartSummary,
  Movement,
  TrackHistory,
} from '../../../domain/chart.js';
import { ChartkeeperError } from '../../../domain/errors.js';
import type { CaptureHead, ChartStore, Lease, StoreRecord } from '../../../domain/ports.js';
import type { Run, RunState, Trigger } from '../../../domain/run.js';
import { migrate } from './migrations.js';

/** The scheduler and workers share the file: a writer waits this long for another's lock. */
const BUSY_TIMEOUT_MS = 10_000;

/** Captures, charts and the run ledger in one SQLite file (better-sqlite3, WAL mode). */
export class SqliteStore implements ChartStore {
  readonly kind = 'sqlite';
  private readonly sql: Statements;
  private readonly saveCaptureTx: Database.Transaction<(capture: Capture) => SavedCapture>;
  private readonly saveChartTx: Database.Transaction<(chart: ChartSnapshot) => void>;
  private readonly acquireLeaseTx: Database.Transaction<
    (name: string, owner: string, ttlMs: number) => Lease
  >;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.sql = prepare(db);
    this.saveCaptureTx = db.transaction((capture: Capture) => this.appendCapture(capture));
    this.saveChartTx = db.transaction((chart: ChartSnapshot) => this.replaceChart(chart));
    this.acquireLeaseTx = db.transaction((name: string, owner: string, ttlMs: number) =>
      this.takeLease(name, owner, ttlMs),
    );
  }

  /** Opens (creating it and its directory if needed) and migrates the store at `path`. */
  static open(path: string): SqliteStore {
    const location = path === ':memory:' ? path : resolve(path);
    let db: Database.Database | undefined;
    try {
      if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
      db = new Database(location, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL never corrupts and survives any process crash; only a power loss can
      // undo the last commits. FULL would fsync each of a run's ~10 ledger writes.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, location);
      return new SqliteStore(db, location);
    } catch (error) {
      db?.close();
      throw openError(location, error);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async saveCapture(capture: Capture): Promise<SavedCapture> {
    // IMMEDIATE: the check and the insert must see the same latest capture across processes.
    return this.saveCaptureTx.immediate(capture);
  }

  private appendCapture(capture: Capture): SavedCapture {
    const same = this.sql.captureById.get(capture.id);
    if (same) return { capture: toCapture(same), created: false };
    const latest = this.sql.latestCaptureHead.get({
      source: capture.source,
      chartId: capture.chartId,
    });
    if (latest?.content_hash === capture.contentHash) {
      return { capture: toCapture(this.sql.captureById.get(latest.id)!), created: false };
    }
    this.sql.insertCapture.run(fromCapture(capture));
    return { capture, created: true };
  }

  async getCapture(id: string): Promise<Capture | null> {
    const row = this.sql.captureById.get(id);
    return row ? toCapture(row) : null;
  }

  async latestCapture(key: ChartKey): Promise<Capture | null> {
    const head = this.sql.latestCaptureHead.get(key);
    return head ? this.getCapture(head.id) : null;
  }

  async latestCaptureHead(key: ChartKey): Promise<CaptureHead | null> {
    const head = this.sql.latestCaptureHead.get(key);
    return head ? { id: head.id, version: head.version } : null;
  }

  async saveChart(chart: ChartSnapshot): Promise<void> {
    this.saveChartTx.immediate(chart);
  }

  private replaceChart(chart: ChartSnapshot): void {
    // An upsert keeps the chart's row id, so entries are replaced without re-keying anything.
    const { id } = this.sql.upsertChart.get(fromChart(chart))!;
    this.sql.deleteEntries.run(id);
    for (const entry of chart.entries) this.sql.insertEntry.run(fromEntry(id, entry));
  }

  async getChart(key: ChartKey, chartDate?: string): Promise<ChartSnapshot | null> {
    return this.readChart(() =>
      chartDate === undefined
        ? this.sql.latestChart.get(key)
        : this.sql.chartByDate.get({ ...key, chartDate }),
    );
  }

  async previousChart(key: ChartKey, chartDate: string): Promise<ChartSnapshot | null> {
    return this.readChart(() => this.sql.chartBefore.get({ ...key, chartDate }));
  }

  async trackHistory(
    key: ChartKey,
    trackIds: readonly string[],
    chartDate: string,
  ): Promise<Map<string, TrackHistory>> {
    const history = new Map<string, TrackHistory>();
    if (trackIds.length === 0) return history;
    // Ids travel as one JSON array, so no list can exceed SQLite's bound-variable limit.
    const rows = this.sql.trackHistory.all({
      ...key,
      chartDate,
      trackIds: JSON.stringify(trackIds),
    });
    for (const row of rows) {
      history.set(row.track_id, {
        daysOnChart: row.days_on_chart,
        peak: row.peak,
        lastDate: row.last_date,
      });
    }
    return history;
  }

  async listCharts(options: { key?: ChartKey; limit?: number } = {}): Promise<ChartSummary[]> {
    const limit = sqlLimit(options.limit);
    const rows = options.key
      ? this.sql.listChartsOfKey.all({ ...options.key, limit })
      : this.sql.listCharts.all({ limit });
    return rows.map((row) => ({
      source: row.source,
      chartId: row.chart_id,
      chartDate: row.chart_date,
      title: row.title,
      entryCount: row.entry_count,
      capturedAt: row.captured_at,
    }));
  }

  async saveRun(run: Run): Promise<void> {
    this.sql.upsertRun.run(fromRun(run));
  }

  async getRun(id: string): Promise<Run | null> {
    const row = this.sql.runById.get(id);
    return row ? toRun(row) : null;
  }

  async listRuns(options: {
    limit: number;
    key?: ChartKey;
    states?: readonly RunState[];
  }): Promise<Run[]> {
    const limit = sqlLimit(options.limit);
    const states = options.states ? JSON.stringify(options.states) : null;
    const rows = options.key
      ? this.sql.listRunsOfKey.all({
          source: options.key.source,
          chartId: options.key.chartId,
          limit,
          states,
        })
      : this.sql.listRuns.all({ limit, states });
    return rows.map(toRun);
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease> {
    return this.acquireLeaseTx.immediate(name, owner, ttlMs);
  }

  private takeLease(name: string, owner: string, ttlMs: number): Lease {
    const now = Date.now();
    this.sql.takeLease.run({ name, owner, now, expiresAt: now + Math.max(0, ttlMs) });
    const row = this.sql.leaseByName.get(name)!;
    return { name, owner: row.owner, expiresAt: new Date(row.expires_at).toISOString() };
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.sql.releaseLease.run({ name, owner }).changes > 0;
  }

  async getSetting(key: string): Promise<string | null> {
    return this.sql.settingByKey.get(key)?.value ?? null;
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    if (value === null) this.sql.deleteSetting.run(key);
    else this.sql.upsertSetting.run({ key, value });
  }

  async *records(): AsyncGenerator<StoreRecord> {
    // Pages by row id rather than one open cursor: the connection stays free between pages, and
    // rows saved during an export are simply included or not.
    for (let after = 0, rows = this.sql.capturesAfter.all(after); rows.length; ) {
      for (const row of rows) yield { type: 'capture', capture: toCapture(row) };
      after = rows.at(-1)!.seq;
      rows = this.sql.capturesAfter.all(after);
    }
    const chartsAfter = this.db.transaction((after: number) =>
      this.sql.chartsAfter.all(after).map((row) => ({
        id: row.id,
        chart: toChart(row, this.sql.entriesOf.all(row.id).map(toEntry)),
      })),
    );
    for (let after = 0, page = chartsAfter(after); page.length; ) {
      for (const { chart } of page) yield { type: 'chart', chart };
      after = page.at(-1)!.id;
      page = chartsAfter(after);
    }
    for (let after = 0, rows = this.sql.runsAfter.all(after); rows.length; ) {
      for (const row of rows) yield { type: 'run', run: toRun(row) };
      after = rows.at(-1)!.seq;
      rows = this.sql.runsAfter.all(after);
    }
  }

  private readChart(find: () => ChartRow | undefined): ChartSnapshot | null {
    // One read transaction, so a chart replaced meanwhile by another process is never mixed.
    return this.db.transaction(() => {
      const row = find();
      return row ? toChart(row, this.sql.entriesOf.all(row.id).map(toEntry)) : null;
    })();
  }
}

type SavedCapture = { capture: Capture; created: boolean };

interface CaptureRow {
  id: string;
  source: string;
  chart_id: string;
  run_id: string | null;
  captured_at: string;
  chart_date: string;
  content_hash: string;
  version: string | null;
  payload: string;
}

interface ChartRow {
  id: number;
  source: string;
  chart_id: string;
  chart_date: string;
  title: string;
  capture_id: string;
  run_id: string | null;
  captured_at: string;
  skipped: string;
}

interface EntryRow {
  chart: number;
  position: number;
  track_id: string;
  uri: string;
  name: string;
  artists: string;
  album: string | null;
  duration_ms: number | null;
  explicit: 0 | 1 | null;
  isrc: string | null;
  added_at: string | null;
  streams: number | null;
  previous_position: number | null;
  movement: string;
  days_on_chart: number;
  peak: number;
}

interface RunRow {
  id: string;
  source: string;
  chart_id: string;
  trigger: string;
  state: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  scheduled_for: string | null;
  chart_date: string | null;
  capture_id: string | null;
  entry_count: number | null;
  error: string | null;
  tasks: string;
}

interface HistoryRow {
  track_id: string;
  days_on_chart: number;
  peak: number;
  last_date: string;
}

type SummaryRow = Omit<ChartRow, 'id' | 'capture_id' | 'run_id' | 'skipped'> & {
  entry_count: number;
};

type KeyParams = ChartKey;
type Statements = ReturnType<typeof prepare>;

const CHART_COLUMNS =
  'id, source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped';
const SUMMARY_COLUMNS = `source, chart_id, chart_date, title, captured_at,
  (SELECT count(*) FROM chart_entries e WHERE e.chart = c.id) AS entry_count`;
const KEY_MATCH = 'source = @source AND chart_id = @chartId';
// States travel as one JSON array (or NULL for any state).
const STATE_MATCH = '(@states IS NULL OR state IN (SELECT value FROM json_each(@states)))';
/** Rows per page when streaming every record; a capture can be a few megabytes. */
const PAGE_SIZE = 50;

/** Every statement the store runs, prepared once per connection. */
function prepare(db: Database.Database) {
  return {
    captureById: db.prepare<[string], CaptureRow>('SELECT * FROM captures WHERE id = ?'),
    // rowid breaks ties between equal timestamps: captures are never deleted, so it only grows.
    latestCaptureHead: db.prepare<
      KeyParams,
      { id: string; content_hash: string; version: string | null }
    >(
      `SELECT id, content_hash, version FROM captures WHERE ${KEY_MATCH}
       ORDER BY captured_at DESC, rowid DESC LIMIT 1`,
    ),
    insertCapture: db.prepare<CaptureRow>(
      `INSERT INTO captures (id, source, chart_id, run_id, captured_at, chart_date, content_hash, version, payload)
       VALUES (@id, @source, @chart_id, @run_id, @captured_at, @chart_date, @content_hash, @version, @payload)`,
    ),
    upsertChart: db.prepare<Omit<ChartRow, 'id'>, { id: number }>(
      `INSERT INTO charts (source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped)
       VALUES (@source, @chart_id, @chart_date, @title, @capture_id, @run_id, @captured_at, @skipped)
       ON CONFLICT (source, chart_id, chart_date) DO UPDATE SET
         title = excluded.title, capture_id = excluded.capture_id, run_id = excluded.run_id,
         captured_at = excluded.captured_at, skipped = excluded.skipped
       RETURNING id`,
    ),
    deleteEntries: db.prepare<[number]>('DELETE FROM chart_entries WHERE chart = ?'),
    insertEntry: db.prepare<EntryRow>(
      `INSERT INTO chart_entries (chart, position, track_id, uri, name, artists, album, duration_ms,
         explicit, isrc, added_at, streams, previous_position, movement, days_on_chart, peak)
       VALUES (@chart, @position, @track_id, @uri, @name, @artists, @album, @duration_ms,
         @explicit, @isrc, @added_at, @streams, @previous_position, @movement, @days_on_chart, @peak)`,
    ),
    entriesOf: db.prepare<[number], EntryRow>(
      'SELECT * FROM chart_entries WHERE chart = ? ORDER BY position',
    ),
    chartByDate: db.prepare<KeyParams & { chartDate: string }, ChartRow>(
      `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} AND chart_date = @chartDate`,
    ),
    latestChart: db.prepare<KeyParams, ChartRow>(
      `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} ORDER BY chart_date DESC LIMIT 1`,
    ),
    chartBefore: db.prepare<KeyParams & { chartDate: string }, ChartRow>(
      `SELECT ${CHART_COLUMNS} FROM charts WHERE ${KEY_MATCH} AND chart_date < @chartDate
       ORDER BY chart_date DESC LIMIT 1`,
    ),
    // CROSS JOIN pins the order: look the few wanted tracks up by index, instead of scanning every
    // entry of every earlier chart, which grows by a chart a day.
    trackHistory: db.prepare<KeyParams & { chartDate: string; trackIds: string }, HistoryRow>(
      `SELECT e.track_id, count(DISTINCT c.id) AS days_on_chart, min(e.position) AS peak,
         max(c.chart_date) AS last_date
       FROM json_each(@trackIds) AS wanted
         CROSS JOIN chart_entries e ON e.track_id = wanted.value
         CROSS JOIN charts c ON c.id = e.chart
       WHERE c.source = @source AND c.chart_id = @chartId AND c.chart_date < @chartDate
       GROUP BY e.track_id`,
    ),
    listCharts: db.prepare<{ limit: number }, SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM charts c
       ORDER BY chart_date DESC, source, chart_id LIMIT @limit`,
    ),
    listChartsOfKey: db.prepare<KeyParams & { limit: number }, SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM charts c WHERE ${KEY_MATCH}
       ORDER BY chart_date DESC LIMIT @limit`,
    ),
    upsertRun: db.prepare<RunRow>(
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
    runById: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    capturesAfter: db.prepare<[number], CaptureRow & { seq: number }>(
      `SELECT rowid AS seq, * FROM captures WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_SIZE}`,
    ),
    chartsAfter: db.prepare<[number], ChartRow>(
      `SELECT ${CHART_COLUMNS} FROM charts WHERE id > ? ORDER BY id LIMIT ${PAGE_SIZE}`,
    ),
    runsAfter: db.prepare<[number], RunRow & { seq: number }>(
      `SELECT rowid AS seq, * FROM runs WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_SIZE}`,
    ),
    listRuns: db.prepare<{ limit: number; states: string | null }, RunRow>(
      `SELECT * FROM runs WHERE ${STATE_MATCH} ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ),
    listRunsOfKey: db.prepare<KeyParams & { limit: number; states: string | null }, RunRow>(
      `SELECT * FROM runs WHERE ${KEY_MATCH} AND ${STATE_MATCH}
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
    ),
    // Taken when free, expired or already the owner's; otherwise left as it is.
    takeLease: db.prepare<{ name: string; owner: string; now: number; expiresAt: number }>(
      `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
    ),
    leaseByName: db.prepare<[string], { owner: string; expires_at: number }>(
      'SELECT owner, expires_at FROM leases WHERE name = ?',
    ),
    releaseLease: db.prepare<{ name: string; owner: string }>(
      'DELETE FROM leases WHERE name = @name AND owner = @owner',
    ),
    settingByKey: db.prepare<[string], { value: string }>(
      'SELECT value FROM settings WHERE key = ?',
    ),
    upsertSetting: db.prepare<{ key: string; value: string }>(
      `INSERT INTO settings (key, value) VALUES (@key, @value)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    deleteSetting: db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
  };
}

/** SQLite reads a negative LIMIT as "no limit". */
function sqlLimit(limit: number | undefined): number {
  return limit === undefined || !Number.isFinite(limit) ? -1 : Math.max(0, Math.trunc(limit));
}

// JSON columns hold SQL NULL for a null value, so the sqlite3 CLI shows what is really missing.
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parsed<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function fromCapture(capture: Capture): CaptureRow {
  return {
    id: capture.id,
    source: capture.source,
    chart_id: capture.chartId,
    run_id: capture.runId ?? null,
    captured_at: capture.capturedAt,
    chart_date: capture.chartDate,
    content_hash: capture.contentHash,
    version: capture.version ?? null,
    // The payload is JSON as received; an absent one is stored as JSON null, not refused.
    payload: payloadJson(capture.payload),
  };
}

function toCapture(row: CaptureRow): Capture {
  return {
    id: row.id,
    source: row.source,
    chartId: row.chart_id,
    runId: row.run_id,
    capturedAt: row.captured_at,
    chartDate: row.chart_date,
    contentHash: row.content_hash,
    version: row.version,
    payload: JSON.parse(row.payload),
  };
}

function fromChart(chart: ChartSnapshot): Omit<ChartRow, 'id'> {
  return {
    source: chart.source,
    chart_id: chart.chartId,
    chart_date: chart.chartDate,
    title: chart.title,
    capture_id: chart.captureId,
    run_id: chart.runId ?? null,
    captured_at: chart.capturedAt,
    skipped: JSON.stringify(chart.skipped),
  };
}

function toChart(row: ChartRow, entries: ChartEntry[]): ChartSnapshot {
  return {
    source: row.source,
    chartId: row.chart_id,
    chartDate: row.chart_date,
    title: row.title,
    captureId: row.capture_id,
    runId: row.run_id,
    capturedAt: row.captured_at,
    entries,
    skipped: JSON.parse(row.skipped),
  };
}

function fromEntry(chart: number, entry: ChartEntry): EntryRow {
  return {
    chart,
    position: entry.position,
    track_id: entry.trackId,
    uri: entry.uri,
    name: entry.name,
    artists: JSON.stringify(entry.artists),
    album: json(entry.album),
    duration_ms: entry.durationMs ?? null,
    // SQLite has no boolean type, and better-sqlite3 refuses to bind one.
    explicit:
      entry.explicit === null || entry.explicit === undefined ? null : entry.explicit ? 1 : 0,
    isrc: entry.isrc ?? null,
    added_at: entry.addedAt ?? null,
    streams: entry.streams ?? null,
    previous_position: entry.previousPosition ?? null,
    movement: entry.movement,
    days_on_chart: entry.daysOnChart,
    peak: entry.peak,
  };
}

function toEntry(row: EntryRow): ChartEntry {
  return {
    position: row.position,
    trackId: row.track_id,
    uri: row.uri,
    name: row.name,
    artists: JSON.parse(row.artists),
    album: parsed(row.album),
    durationMs: row.duration_ms,
    explicit: row.explicit === null ? null : row.explicit === 1,
    isrc: row.isrc,
    addedAt: row.added_at,
    streams: row.streams,
    previousPosition: row.previous_position,
    movement: row.movement as Movement,
    daysOnChart: row.days_on_chart,
    peak: row.peak,
  };
}

function fromRun(run: Run): RunRow {
  return {
    id: run.id,
    source: run.source,
    chart_id: run.chartId,
    trigger: run.trigger,
    state: run.state,
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    scheduled_for: run.scheduledFor ?? null,
    chart_date: run.chartDate ?? null,
    capture_id: run.captureId ?? null,
    entry_count: run.entryCount ?? null,
    error: json(run.error),
    tasks: JSON.stringify(run.tasks),
  };
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    source: row.source,
    chartId: row.chart_id,
    trigger: row.trigger as Trigger,
    scheduledFor: row.scheduled_for,
    chartDate: row.chart_date,
    state: row.state as RunState,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    captureId: row.capture_id,
    entryCount: row.entry_count,
    error: parsed(row.error),
    tasks: JSON.parse(row.tasks),
  };
}

/** Turns a failure to open into one line the user can act on, naming the file. */
function openError(location: string, error: unknown): ChartkeeperError {
  if (error instanceof ChartkeeperError) return error;
  const code = (error as { code?: unknown }).code;
  const notADatabase = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
  const message = notADatabase
    ? `${location} is not a SQLite database, or it is damaged.`
    : `Cannot open the SQLite store ${location}: ${error instanceof Error ? error.message : String(error)}.`;
  return new ChartkeeperError('store-unreadable', message, {
    hint: notADatabase
      ? 'Point the store setting (CHARTKEEPER_STORE) at a chartkeeper database, or at a new path to start one.'
      : 'Check that the path is right and that chartkeeper may read and write it and its directory.',
    permanent: true,
    cause: error,
  });
}
