import type {
  ChartEntry,
  ChartKey,
  ChartSnapshot,
  NormalisedEntry,
} from '../../../domain/chart.js';
import { CHART_FILE_IMPORT_LEASE } from '../../../domain/chart-file.js';
import type { KeySoFar, TrackSoFar } from '../../../domain/derivation.js';
import {
  type ChartAt,
  type ChartWrite,
  chartLabel,
  type DerivedUpdate,
  type StoredRow,
} from '../../../domain/ports/bulk-chart-archive.js';
import { ownerIsDeadHere } from '../../../lib/lease-owner.js';
import type { Database } from './driver.js';
import { EntryTexts, loadBatch } from './load-batch.js';
import { LoadWriter } from './load-writer.js';
import {
  type ChartRow,
  ENTRY_COLUMNS,
  fromChart,
  isSparse,
  putEntryValues,
  SPARSE_ENTRY_COLUMNS,
  toChart,
  toEntry,
  trackRows,
} from './rows.js';
import type { Statements } from './statements.js';

/** Tracks remembered as written, at most (see newTrack). */
const MAX_KNOWN_TRACKS = 50_000;
/** Charts read per query when walking a key's charts in date order. */
const PAGE = 64;
/** Rows from which a load sets the track index aside (see prepareLoad). */
const LARGE_LOAD = 200_000;
/**
 * The track index takes entries in no order: with SQLite's 2 MB default page cache an import of
 * millions of rows spends much of its time reading index pages back. 32 MB, for imports.
 */
const LOAD_PRAGMAS = ['cache_size = -32768', 'wal_autocheckpoint = 16384'];
/**
 * Entries per INSERT statement: one statement of 50 rows costs SQLite and better-sqlite3 (a call,
 * a step and a reset) a third less per row than 50 statements of one, over millions of rows.
 */
const ROWS_PER_INSERT = 50;

interface EntryInsert {
  statement: Database.Statement<unknown[]>;
  values: unknown[];
}

/** The INSERT of `rows` entries, with every column or (`sparse`) NULL for those it leaves out. */
function insertEntriesSql(rows: number, sparse: boolean): string {
  const given = new Set<string>(sparse ? SPARSE_ENTRY_COLUMNS : ENTRY_COLUMNS);
  const row = `(${ENTRY_COLUMNS.map((column) => (given.has(column) ? '?' : 'NULL')).join(', ')})`;
  return `INSERT INTO chart_entries (${ENTRY_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`;
}

/**
 * Builds the index a track's history reads if it is missing: a large load was cut short, or (with
 * `unlessLoading`, as a store opens) none is under way, so it is not building it itself.
 */
export function ensureTrackIndex(db: Database.Database, options: { unlessLoading?: boolean } = {}) {
  const present = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'chart_entries_by_track'")
    .get();
  if (present) return;
  if (options.unlessLoading) {
    const lease = db
      .prepare<[string], { owner: string; expires_at: number }>(
        'SELECT owner, expires_at FROM leases WHERE name = ?',
      )
      .get(CHART_FILE_IMPORT_LEASE);
    // An import under way builds it when its load is written; one killed left it to us.
    if (lease && lease.expires_at > Date.now() && !ownerIsDeadHere(lease.owner)) return;
  }
  db.exec(
    'CREATE INDEX IF NOT EXISTS chart_entries_by_track ON chart_entries (track_id, chart, position, streams)',
  );
}

/**
 * The SQLite side of BulkChartArchive: many charts per transaction, each track's row written once
 * per process (an import meets the same few thousand tracks millions of times).
 */
export class SqliteBulkCharts {
  private readonly knownTracks = new Set<string>();
  private sized = false;
  /** While a large load is written (see prepareLoad), and the texts numbered for it. */
  private writer: LoadWriter | null = null;
  private texts = new EntryTexts();
  private readonly write: Database.Transaction<(writes: readonly ChartWrite[]) => void>;
  private readonly update: Database.Transaction<(updates: readonly DerivedUpdate[]) => void>;
  private readonly statements;
  /** The INSERTs of ROWS_PER_INSERT entries and of one, each with its values refilled for each run. */
  private readonly fullInserts: [EntryInsert, EntryInsert];
  private readonly sparseInserts: [EntryInsert, EntryInsert];

  constructor(
    private readonly db: Database.Database,
    private readonly sql: Statements,
  ) {
    this.statements = {
      chartId: db.prepare<ChartAt, { id: number }>(
        'SELECT id FROM charts WHERE source = @source AND chart_id = @chartId AND chart_date = @chartDate',
      ),
      positions: db.prepare<[number], { position: number; track_id: string }>(
        'SELECT position, track_id FROM chart_entries WHERE chart = ?',
      ),
      storedRows: db.prepare<
        [number],
        {
          position: number;
          track_id: string;
          streams: number | null;
          file_peak_rank: number | null;
          file_previous_rank: number | null;
          file_on_chart: number | null;
        }
      >(
        `SELECT position, track_id, streams, file_peak_rank, file_previous_rank, file_on_chart
         FROM chart_entries WHERE chart = ?`,
      ),
      latestDate: db.prepare<ChartKey, { date: string | null }>(
        'SELECT max(chart_date) AS date FROM charts WHERE source = @source AND chart_id = @chartId',
      ),
      tracksBefore: db.prepare<
        ChartKey & { chartDate: string },
        { track_id: string; days: number; peak: number }
      >(
        `SELECT e.track_id, count(DISTINCT c.id) AS days, min(e.position) AS peak
         FROM charts c JOIN chart_entries e ON e.chart = c.id
         WHERE c.source = @source AND c.chart_id = @chartId AND c.chart_date < @chartDate
         GROUP BY e.track_id`,
      ),
      // Positional: binding an array is cheaper than a named object, millions of times over.
      insertChart: db.prepare<Omit<ChartRow, 'id'>>(
        `INSERT INTO charts (source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped)
         VALUES (@source, @chart_id, @chart_date, @title, @capture_id, @run_id, @captured_at, @skipped)`,
      ),
      chartsFrom: db.prepare<ChartKey & { from: string; limit: number }, ChartRow>(
        `SELECT id, source, chart_id, chart_date, title, capture_id, run_id, captured_at, skipped
         FROM charts WHERE source = @source AND chart_id = @chartId AND chart_date >= @from
         ORDER BY chart_date LIMIT @limit`,
      ),
      setDerived: db.prepare<{
        chart: number;
        position: number;
        previous_position: number | null;
        movement: string;
        days_on_chart: number;
        peak: number;
      }>(
        `UPDATE chart_entries SET previous_position = @previous_position, movement = @movement,
           days_on_chart = @days_on_chart, peak = @peak
         WHERE chart = @chart AND position = @position`,
      ),
    };
    const insert = (rows: number, sparse: boolean): EntryInsert => ({
      // Positional: binding an array is cheaper than a named object, millions of times over.
      statement: db.prepare<unknown[]>(insertEntriesSql(rows, sparse)),
      values: new Array((sparse ? SPARSE_ENTRY_COLUMNS : ENTRY_COLUMNS).length * rows).fill(null),
    });
    this.fullInserts = [insert(ROWS_PER_INSERT, false), insert(1, false)];
    this.sparseInserts = [insert(ROWS_PER_INSERT, true), insert(1, true)];
    this.write = db.transaction((writes: readonly ChartWrite[]) => {
      for (const write of writes) this.writeChart(write);
    });
    this.update = db.transaction((updates: readonly DerivedUpdate[]) => {
      for (const update of updates) this.setDerived(update);
    });
  }

  /**
   * While a large load is written: when what it was given is written (from then on reads see
   * it). Null otherwise.
   */
  settled(): Promise<void> | null {
    return this.writer?.settled() ?? null;
  }

  async storedPositions(charts: readonly ChartAt[]): Promise<Map<string, Map<number, StoredRow>>> {
    // Only a chart being written has to be waited for (a file that comes back to a chart).
    await this.writer?.writtenAll(charts.map(chartLabel));
    const found = new Map<string, Map<number, StoredRow>>();
    this.db.transaction(() => {
      for (const chart of charts) {
        const row = this.statements.chartId.get(chart);
        if (!row) continue;
        const positions = new Map<number, StoredRow>();
        for (const entry of this.statements.storedRows.all(row.id)) {
          const known =
            entry.file_peak_rank !== null ||
            entry.file_previous_rank !== null ||
            entry.file_on_chart !== null;
          positions.set(entry.position, {
            trackId: entry.track_id,
            streams: entry.streams,
            facts: known
              ? {
                  peakRank: entry.file_peak_rank,
                  previousRank: entry.file_previous_rank,
                  onChart: entry.file_on_chart,
                }
              : null,
          });
        }
        found.set(chartLabel(chart), positions);
      }
    })();
    return found;
  }

  latestChartDate(key: ChartKey): string | null {
    return this.statements.latestDate.get(key)?.date ?? null;
  }

  keySoFar(key: ChartKey, chartDate: string): KeySoFar {
    return this.db.transaction(() => {
      const tracks = new Map<string, TrackSoFar>();
      for (const row of this.statements.tracksBefore.all({ ...key, chartDate })) {
        tracks.set(row.track_id, { days: row.days, peak: row.peak });
      }
      const before = this.sql.chartBefore.get({ ...key, chartDate });
      let previous: Map<string, number> | null = null;
      if (before) {
        previous = new Map();
        for (const entry of this.statements.positions.all(before.id)) {
          const seen = previous.get(entry.track_id);
          if (seen === undefined || entry.position < seen) {
            previous.set(entry.track_id, entry.position);
          }
        }
      }
      return { tracks, previous };
    })();
  }

  async writeCharts(writes: readonly ChartWrite[]): Promise<void> {
    const writer = this.writer;
    if (writer) {
      const batch = loadBatch(
        writes,
        this.texts,
        (entry) => this.newTrack(entry),
        (bytes) => writer.buffer(bytes),
      );
      return writer.write(batch);
    }
    if (!this.sized) {
      for (const pragma of LOAD_PRAGMAS) this.db.pragma(pragma);
      this.sized = true;
    }
    try {
      this.write.immediate(writes);
    } catch (error) {
      this.forgetTracks();
      throw error;
    }
  }

  *chartsFrom(key: ChartKey, from: string): Generator<ChartSnapshot> {
    let next = from;
    let first = true;
    for (;;) {
      const rows = this.statements.chartsFrom.all({ ...key, from: next, limit: PAGE });
      const page = first ? rows : rows.filter((row) => row.chart_date > next);
      first = false;
      if (page.length === 0) return;
      for (const row of page) {
        yield toChart(row, this.sql.entriesOf.all(row.id).map(toEntry));
        next = row.chart_date;
      }
      if (rows.length < PAGE) return;
    }
  }

  /**
   * For a load of at least LARGE_LOAD rows and a quarter of the entries stored, the track index
   * is dropped and built again once the load is written: kept up row by row, its inserts in no
   * order make an import of millions of rows three to four times slower than sorting it once.
   * Until then a track's history reads without the index (slower, still right); a process that
   * died meanwhile leaves it to the next writer to build (see ensureTrackIndex).
   */
  prepareLoad(rows: number): () => Promise<void> {
    const stored = this.db.prepare('SELECT max(rowid) AS n FROM chart_entries').get() as {
      n: number | null;
    };
    // A small load keeps the index up; it still builds one a load cut short (kill -9) left out.
    if (rows < LARGE_LOAD || rows < (stored.n ?? 0) / 4) {
      return async () => ensureTrackIndex(this.db);
    }
    this.db.exec('DROP INDEX IF EXISTS chart_entries_by_track');
    const sql = this.statements;
    this.texts = new EntryTexts();
    this.writer = new LoadWriter(
      this.db,
      {
        chartId: sql.chartId.source,
        insertChart: sql.insertChart.source,
        insertEntries: {
          full: [this.fullInserts[0].statement.source, this.fullInserts[1].statement.source],
          sparse: [this.sparseInserts[0].statement.source, this.sparseInserts[1].statement.source],
        },
        upsertTrack: this.sql.upsertTrack.source,
        insertTrackArtist: this.sql.insertTrackArtist.source,
      },
      {
        rowsPerInsert: ROWS_PER_INSERT,
        widths: { full: ENTRY_COLUMNS.length, sparse: SPARSE_ENTRY_COLUMNS.length },
      },
      [
        // The index set aside, the load appends in order: SQLite's default page cache suffices.
        'cache_size = -2000',
        'wal_autocheckpoint = 16384',
        // The writer inserts each chart just before its entries, and the artists as
        // JSON.stringify wrote them: checking every entry's chart and JSON again cost the load
        // a fifth of its time. On the writer's own connection only, for the load.
        'foreign_keys = OFF',
        'ignore_check_constraints = ON',
      ],
    );
    return async () => {
      const writer = this.writer;
      this.writer = null;
      try {
        await writer?.close();
      } catch (error) {
        this.forgetTracks();
        throw error;
      } finally {
        // The import's larger page cache would also be the sort's memory: back to the default.
        if (this.sized) this.db.pragma('cache_size = -2000');
        this.sized = false;
        // The sort of every entry then runs on two threads (this one and one helper): nothing
        // else is left to do, and at 5 million rows the build takes 2.6 s instead of 3.2 s, for
        // some 20 MB more while it runs.
        this.db.pragma('threads = 1');
        try {
          ensureTrackIndex(this.db);
        } finally {
          this.db.pragma('threads = 0');
        }
      }
    };
  }

  updateDerived(updates: readonly DerivedUpdate[]): void {
    this.update.immediate(updates);
  }

  private writeChart({ chart, adding }: ChartWrite): void {
    let id: number;
    if (adding) {
      const row = this.statements.chartId.get(chart);
      if (!row)
        throw new Error(`${chartLabel(chart)} is not stored, so nothing can be added to it`);
      id = row.id;
    } else {
      id = Number(this.statements.insertChart.run(fromChart(chart)).lastInsertRowid);
    }
    this.insertEntries(id, chart.entries);
    for (const entry of chart.entries) {
      const rows = this.newTrack(entry);
      if (rows === null) continue;
      this.sql.upsertTrack.run(rows.track);
      for (const artist of rows.artists) this.sql.insertTrackArtist.run(artist, rows.track.id);
    }
  }

  /**
   * After a failed write, tracks of it may be missing: they are written again as they come
   * (their inserts change nothing where the track is stored).
   */
  private forgetTracks(): void {
    this.knownTracks.clear();
  }

  /** A track's rows the first time this process writes it, else null. */
  private newTrack(entry: NormalisedEntry): ReturnType<typeof trackRows> | null {
    if (this.knownTracks.has(entry.trackId)) return null;
    // Years of charts meet hundreds of thousands of tracks. Writing one again loses nothing: it
    // can only add an ISRC or an artist its first row did not name.
    if (this.knownTracks.size >= MAX_KNOWN_TRACKS) this.knownTracks.clear();
    this.knownTracks.add(entry.trackId);
    return trackRows(entry);
  }

  /** A chart's entries, ROWS_PER_INSERT to a statement, sparse ones binding only what they have. */
  private insertEntries(chart: number, entries: readonly ChartEntry[]): void {
    const sparse = entries.every(isSparse);
    const [many, one] = sparse ? this.sparseInserts : this.fullInserts;
    let i = 0;
    for (; i + ROWS_PER_INSERT <= entries.length; i += ROWS_PER_INSERT) {
      let at = 0;
      for (let j = i; j < i + ROWS_PER_INSERT; j++) {
        at = putEntryValues(many.values, at, chart, entries[j]!, sparse);
      }
      many.statement.run(many.values);
    }
    for (; i < entries.length; i++) {
      putEntryValues(one.values, 0, chart, entries[i]!, sparse);
      one.statement.run(one.values);
    }
  }

  private setDerived(update: DerivedUpdate): void {
    const row = this.statements.chartId.get(update);
    if (!row) return;
    for (const entry of update.entries) {
      this.statements.setDerived.run({
        chart: row.id,
        position: entry.position,
        previous_position: entry.previousPosition,
        movement: entry.movement,
        days_on_chart: entry.daysOnChart,
        peak: entry.peak,
      });
    }
  }
}
