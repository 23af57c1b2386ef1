import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Capture } from '../../../domain/capture.js';
import type {
  ChartKey,
  ChartSnapshot,
  ChartSummary,
  NormalisedEntry,
  TrackHistory,
} from '../../../domain/chart.js';
import type { KeySoFar } from '../../../domain/derivation.js';
import { ChartkeeperError } from '../../../domain/errors.js';
import type { Appearance, ChartKeySummary, TrackInfo } from '../../../domain/history.js';
import type {
  ChartAt,
  ChartWrite,
  DerivedUpdate,
  StoredRow,
} from '../../../domain/ports/bulk-chart-archive.js';
import type { CaptureHead } from '../../../domain/ports/capture-log.js';
import { type ChartRange, rangeKeys } from '../../../domain/ports/chart-range.js';
import type { ChartStore } from '../../../domain/ports/chart-store.js';
import type { Lease } from '../../../domain/ports/coordination.js';
import type { StoreRecord } from '../../../domain/ports/record-export.js';
import type { RunQuery } from '../../../domain/ports/run-ledger.js';
import type { Run } from '../../../domain/run.js';
import {
  decodeState,
  encodeState,
  type StateKey,
  type StateValues,
  stateName,
} from '../../../domain/state.js';
import { noStoreYet } from '../store-errors.js';
import { ensureTrackIndex, SqliteBulkCharts } from './bulk-charts.js';
import { type Database, openDatabase } from './driver.js';
import { isDamage, storeError } from './errors.js';
import {
  containsPattern,
  type HistoryStatements,
  prepareHistoryStatements,
  toAppearance,
  toTrack,
} from './history-statements.js';
import { checkIdentity, LATEST_VERSION, migrate } from './migrations.js';
import {
  entryRow,
  FIRST_DATE,
  LAST_DATE,
  prepareRangeStatements,
  RANGE_PAGE_SIZE,
  type RangeStatements,
} from './range-statements.js';
import {
  type ChartRow,
  fromCapture,
  fromChart,
  fromEntry,
  fromRun,
  toCapture,
  toChart,
  toEntry,
  toRun,
  trackRows,
} from './rows.js';
import { RunQueries } from './run-query.js';
import { PAGE_SIZE, prepareStatements, type Statements } from './statements.js';

/** The scheduler and workers share the file: a writer waits this long for another's lock. */
const BUSY_TIMEOUT_MS = 10_000;

export interface SqliteOpenOptions {
  /**
   * `write` (the default) creates the file if it is missing, in a directory that must exist.
   * `read` never writes: a missing file reads as an empty store, and nothing is created.
   */
  access?: 'read' | 'write';
  /** Refuse to create the file: the command makes sense only for a store that exists. */
  mustExist?: boolean;
  /** Told how many records `records()` had to skip in a damaged file (null: the whole table). */
  onDamagedRecords?: (what: string, count: number | null) => void;
}

type SavedCapture = { capture: Capture; created: boolean };

/** Captures, charts and the run ledger in one SQLite file (better-sqlite3, WAL mode). */
export class SqliteStore implements ChartStore {
  readonly kind = 'sqlite';
  /**
   * 1,600 entries of 200-entry charts a transaction: a large load holds two such batches in
   * flight to its writer thread besides those being read, and small ones die in V8's young
   * generation instead of being copied out of it (a 5-million-row import peaks lower, and spends
   * less time collecting). A transaction costs SQLite in WAL mode little more than its pages.
   */
  readonly chartsPerWrite = 8;
  private readonly sql: Statements;
  private readonly saveCaptureTx: Database.Transaction<(capture: Capture) => SavedCapture>;
  private readonly saveChartTx: Database.Transaction<(chart: ChartSnapshot) => void>;
  /** Imports' side of the store, made when first used (its statements cost a command ~0.5 ms). */
  private bulkCharts: SqliteBulkCharts | null = null;
  private readonly acquireLeaseTx: Database.Transaction<
    (name: string, owner: string, ttlMs: number) => Lease
  >;
  /** The statements of listRuns, prepared when first used. */
  private runQueries: RunQueries | undefined;
  /** The statements of chartsInRange, prepared when first used. */
  private rangeSql: RangeStatements | undefined;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly options: SqliteOpenOptions,
  ) {
    this.sql = prepareStatements(db);
    this.saveCaptureTx = db.transaction((capture: Capture) => this.appendCapture(capture));
    this.saveChartTx = db.transaction((chart: ChartSnapshot) => this.replaceChart(chart));
    this.acquireLeaseTx = db.transaction((name: string, owner: string, ttlMs: number) =>
      this.takeLease(name, owner, ttlMs),
    );
  }

  /**
   * Opens the store at `path` (`:memory:` for a private one). A file that is not chartkeeper's,
   * or not a database at all, is refused and left byte-for-byte untouched: nothing is written to
   * a file before it is known to be a chartkeeper store (or new).
   */
  static open(path: string, options: SqliteOpenOptions = {}): SqliteStore {
    const location = path === ':memory:' ? path : resolve(path);
    const write = options.access !== 'read';
    const exists = location !== ':memory:' && existsSync(location);
    if (location !== ':memory:') checkPlace(location, exists, options.mustExist ?? false);
    // A read finds nothing: an empty private store stands in, and no file or directory appears.
    if (location !== ':memory:' && !exists && !write) {
      return SqliteStore.fresh(':memory:', location, options);
    }
    let db: Database.Database | undefined;
    try {
      db = openDatabase(location, {
        timeout: BUSY_TIMEOUT_MS,
        readonly: !write && exists,
        fileMustExist: exists,
      });
      const version = checkIdentity(db, location);
      if (!write && version === 0) {
        // An empty file (or a database with nothing in it): read as an empty store, untouched.
        db.close();
        return SqliteStore.fresh(':memory:', location, options);
      }
      if (write || version < LATEST_VERSION) {
        if (!write) {
          // An older chartkeeper's store: reopened to bring its schema up to date, as any
          // chartkeeper would on its next write.
          db.close();
          return SqliteStore.open(location, { ...options, access: 'write' });
        }
        useWal(db);
        // In WAL mode NORMAL never corrupts and survives any process crash; only a power loss can
        // undo the last commits. FULL would fsync each of a run's ~10 ledger writes.
        db.pragma('synchronous = NORMAL');
        migrate(db, location);
        ensureTrackIndex(db, { unlessLoading: true });
      }
      db.pragma('foreign_keys = ON');
      return new SqliteStore(db, location, options);
    } catch (error) {
      db?.close();
      throw openError(location, error);
    }
  }

  private static fresh(file: string, location: string, options: SqliteOpenOptions): SqliteStore {
    const db = openDatabase(file);
    migrate(db, location);
    return new SqliteStore(db, location, options);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  saveCapture(capture: Capture): Promise<SavedCapture> {
    // IMMEDIATE: the check and the insert must see the same latest capture across processes.
    return this.use(() => this.saveCaptureTx.immediate(capture));
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

  getCapture(id: string): Promise<Capture | null> {
    return this.use(() => {
      const row = this.sql.captureById.get(id);
      return row ? toCapture(row) : null;
    });
  }

  latestCaptureHead(key: ChartKey): Promise<CaptureHead | null> {
    return this.use(() => {
      const head = this.sql.latestCaptureHead.get(key);
      return head ? { id: head.id, version: head.version } : null;
    });
  }

  saveChart(chart: ChartSnapshot): Promise<void> {
    return this.use(() => this.saveChartTx.immediate(chart));
  }

  private replaceChart(chart: ChartSnapshot): void {
    // An upsert keeps the chart's row id, so entries are replaced without re-keying anything.
    const { id } = this.sql.upsertChart.get(fromChart(chart))!;
    this.sql.deleteEntries.run(id);
    for (const entry of chart.entries) {
      this.sql.insertEntry.run(fromEntry(id, entry));
      this.saveTrack(entry);
    }
  }

  /** Keeps the track and its artists for history queries (see migration 3). */
  private saveTrack(entry: NormalisedEntry): void {
    const { track, artists } = trackRows(entry);
    this.sql.upsertTrack.run(track);
    for (const artist of artists) this.sql.insertTrackArtist.run(artist, track.id);
  }

  getChart(key: ChartKey, chartDate?: string): Promise<ChartSnapshot | null> {
    return this.use(() =>
      this.readChart(() =>
        chartDate === undefined
          ? this.sql.latestChart.get(key)
          : this.sql.chartByDate.get({ ...key, chartDate }),
      ),
    );
  }

  storedPositions(charts: readonly ChartAt[]): Promise<Map<string, Map<number, StoredRow>>> {
    return this.run(() => this.bulk.storedPositions(charts));
  }

  latestChartDate(key: ChartKey): Promise<string | null> {
    return this.use(() => this.bulk.latestChartDate(key));
  }

  keySoFar(key: ChartKey, chartDate: string): Promise<KeySoFar> {
    return this.use(() => this.bulk.keySoFar(key, chartDate));
  }

  async writeCharts(writes: readonly ChartWrite[]): Promise<void> {
    await this.run(() => this.bulk.writeCharts(writes));
  }

  async *chartsFrom(key: ChartKey, from: string): AsyncGenerator<ChartSnapshot> {
    const charts = this.bulk.chartsFrom(key, from);
    for (;;) {
      const next = await this.use(() => charts.next());
      if (next.done) return;
      yield next.value;
    }
  }

  updateDerived(updates: readonly DerivedUpdate[]): Promise<void> {
    return this.use(() => this.bulk.updateDerived(updates));
  }

  async prepareLoad(rows: number): Promise<() => Promise<void>> {
    const finish = await this.use(() => this.bulk.prepareLoad(rows));
    return () => this.run(finish);
  }

  previousChart(key: ChartKey, chartDate: string): Promise<ChartSnapshot | null> {
    return this.use(() => this.readChart(() => this.sql.chartBefore.get({ ...key, chartDate })));
  }

  trackHistory(
    key: ChartKey,
    trackIds: readonly string[],
    chartDate: string,
  ): Promise<Map<string, TrackHistory>> {
    return this.use(() => {
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
    });
  }

  listCharts(options: { key?: ChartKey; limit?: number } = {}): Promise<ChartSummary[]> {
    return this.use(() => {
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
    });
  }

  saveRun(run: Run): Promise<void> {
    return this.use(() => {
      this.sql.upsertRun.run(fromRun(run));
    });
  }

  getRun(id: string): Promise<Run | null> {
    return this.use(() => {
      const row = this.sql.runById.get(id);
      return row ? toRun(row) : null;
    });
  }

  listRuns(query: RunQuery): Promise<Run[]> {
    return this.use(() => {
      this.runQueries ??= new RunQueries(this.db);
      return this.runQueries.all(query, sqlLimit(query.limit)).map(toRun);
    });
  }

  findRunsByPrefix(prefix: string, limit: number): Promise<Run[]> {
    return this.use(() => {
      if (prefix === '') return [];
      // Every id starting with the prefix sorts between it and the prefix followed by U+FFFF.
      const rows = this.sql.runsByPrefix.all({
        from: prefix,
        to: `${prefix}\uffff`,
        limit: sqlLimit(limit),
      });
      return rows.map(toRun);
    });
  }

  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease> {
    return this.use(() => this.acquireLeaseTx.immediate(name, owner, ttlMs));
  }

  private takeLease(name: string, owner: string, ttlMs: number): Lease {
    const now = Date.now();
    this.sql.takeLease.run({ name, owner, now, expiresAt: now + Math.max(0, ttlMs) });
    const row = this.sql.leaseByName.get(name)!;
    return { name, owner: row.owner, expiresAt: new Date(row.expires_at).toISOString() };
  }

  releaseLease(name: string, owner: string): Promise<boolean> {
    return this.use(() => this.sql.releaseLease.run({ name, owner }).changes > 0);
  }

  getLease(name: string): Promise<Lease | null> {
    return this.use(() => {
      const row = this.sql.leaseByName.get(name);
      return row
        ? { name, owner: row.owner, expiresAt: new Date(row.expires_at).toISOString() }
        : null;
    });
  }

  getState<K extends StateKey>(key: K, scope?: string): Promise<StateValues[K] | null> {
    return this.use(() => {
      const text = this.sql.settingByKey.get(stateName(key, scope))?.value;
      return text === undefined ? null : decodeState<K>(text);
    });
  }

  setState<K extends StateKey>(
    key: K,
    value: StateValues[K] | null,
    scope?: string,
  ): Promise<void> {
    return this.use(() => {
      const name = stateName(key, scope);
      if (value === null) this.sql.deleteSetting.run(name);
      else this.sql.upsertSetting.run({ key: name, value: encodeState(value) });
    });
  }

  async *records(): AsyncGenerator<StoreRecord> {
    // Pages by row id rather than one open cursor: the connection stays free between pages, and
    // rows saved during an export are simply included or not. Rows are read back into records
    // inside the paging, so that a row that cannot be read is skipped like a damaged page.
    const { sql } = this;
    const captures = this.rows(
      'captures',
      (after) => sql.capturesAfter.all(after).map((row) => ({ row, capture: toCapture(row) })),
      (id) => {
        const row = sql.captureAt.get(id);
        return row ? { row, capture: toCapture(row) } : undefined;
      },
      ({ row }) => row.seq,
    );
    for (const { capture } of captures) yield { type: 'capture', capture };
    // A chart and its entries are read in one transaction, so that a chart replaced meanwhile by
    // another process is never mixed.
    const withEntries = (row: ChartRow) => ({
      id: row.id,
      chart: toChart(row, sql.entriesOf.all(row.id).map(toEntry)),
    });
    const charts = this.rows(
      'charts',
      this.db.transaction((after: number) => sql.chartsAfter.all(after).map(withEntries)),
      this.db.transaction((id: number) => {
        const row = sql.chartAt.get(id);
        return row ? withEntries(row) : undefined;
      }),
      (page) => page.id,
    );
    for (const { chart } of charts) yield { type: 'chart', chart };
    const runs = this.rows(
      'runs',
      (after) => sql.runsAfter.all(after).map((row) => ({ row, run: toRun(row) })),
      (id) => {
        const row = sql.runAt.get(id);
        return row ? { row, run: toRun(row) } : undefined;
      },
      ({ row }) => row.seq,
    );
    for (const { run } of runs) yield { type: 'run', run };
  }

  async *chartsInRange(range: ChartRange): AsyncGenerator<ChartSnapshot> {
    this.rangeSql ??= prepareRangeStatements(this.db);
    const sql = this.rangeSql;
    const from = range.from ?? FIRST_DATE;
    const to = range.to ?? LAST_DATE;
    // A page of charts with their entries in one read transaction, so that a chart replaced
    // meanwhile by another process is never mixed; nothing is held open between pages.
    const inTransaction = this.db.transaction((find: () => ChartRow[]) =>
      find().map((row) =>
        toChart(
          row,
          sql.entriesOf.all(row.id).map((entry) => toEntry(entryRow(entry))),
        ),
      ),
    );
    const page = (find: () => ChartRow[]): ChartSnapshot[] => {
      try {
        return inTransaction(find);
      } catch (error) {
        throw storeError(this.location, error);
      }
    };
    const limit = RANGE_PAGE_SIZE;
    if (range.keys?.length) {
      for (const key of rangeKeys(range.keys)) {
        let after = FIRST_DATE;
        for (;;) {
          const charts = page(() => sql.chartsOfKeyAfter.all({ ...key, from, to, after, limit }));
          yield* charts;
          const last = charts.at(-1);
          if (!last || charts.length < limit) break;
          after = last.chartDate;
        }
      }
      return;
    }
    let next = { source: '', chartId: '', after: FIRST_DATE };
    for (;;) {
      const charts = page(() => sql.chartsAfter.all({ ...next, from, to, limit }));
      yield* charts;
      const last = charts.at(-1);
      if (!last || charts.length < limit) break;
      next = { source: last.source, chartId: last.chartId, after: last.chartDate };
    }
  }

  /**
   * Every row of a table, a page at a time. In a damaged file, a page that cannot be read is
   * read again row by row; rows that still cannot be read are skipped and counted
   * (`onDamagedRecords`), so that an export saves whatever can be saved.
   */
  private *rows<T>(
    table: 'captures' | 'charts' | 'runs',
    page: (after: number) => T[],
    one: (id: number) => T | undefined,
    idOf: (row: T) => number,
  ): Generator<T> {
    let after = 0;
    let skipped = 0;
    for (;;) {
      let rows: T[];
      try {
        rows = page(after);
      } catch (error) {
        if (!isDamage(error)) throw storeError(this.location, error);
        const lastId = this.lastId(table);
        if (lastId === null) {
          // Not even the table's last row id can be read: nothing of it can be saved.
          this.options.onDamagedRecords?.(table, null);
          return;
        }
        // Row by row through the next page's worth of ids, then pages again.
        const last = after + PAGE_SIZE;
        for (let id = after + 1; id <= last; id++) {
          try {
            const row = one(id);
            if (row !== undefined) yield row;
          } catch (rowError) {
            if (!isDamage(rowError)) throw storeError(this.location, rowError);
            skipped++;
          }
        }
        if (last >= lastId) break;
        after = last;
        continue;
      }
      if (rows.length === 0) break;
      yield* rows;
      after = idOf(rows.at(-1) as T);
    }
    if (skipped > 0) this.options.onDamagedRecords?.(table, skipped);
  }

  /** The highest row id of a table (0 when empty); null when the table cannot be read. */
  private lastId(table: 'captures' | 'charts' | 'runs'): number | null {
    try {
      return this.sql.lastIds[table].get()?.last ?? 0;
    } catch (error) {
      if (isDamage(error)) return null;
      throw storeError(this.location, error);
    }
  }

  /* ChartHistory: reads for history and analytics (see history-statements.ts). */

  private historySql: HistoryStatements | null = null;

  private get hist(): HistoryStatements {
    this.historySql ??= prepareHistoryStatements(this.db);
    return this.historySql;
  }

  listChartKeys(): Promise<ChartKeySummary[]> {
    return this.use(() =>
      this.hist.chartKeys.all().map((row) => ({
        source: row.source,
        chartId: row.chart_id,
        title: row.title,
        firstDate: row.first_date,
        lastDate: row.last_date,
        chartCount: row.chart_count,
      })),
    );
  }

  chartDates(key: ChartKey, range: { from?: string; to?: string } = {}): Promise<string[]> {
    return this.use(() =>
      this.hist.chartDates
        .all({ ...key, from: range.from ?? '', to: range.to ?? '\uffff' })
        .map((row) => row.chart_date),
    );
  }

  getTracks(ids: readonly string[]): Promise<TrackInfo[]> {
    return this.use(() =>
      ids.length === 0 ? [] : this.hist.tracksById.all(JSON.stringify(ids)).map(toTrack),
    );
  }

  searchTracks(text: string, limit: number): Promise<TrackInfo[]> {
    return this.use(() =>
      this.hist.searchTracks
        .all({ pattern: containsPattern(text), limit: sqlLimit(limit) })
        .map(toTrack),
    );
  }

  tracksByIsrc(isrcs: readonly string[]): Promise<TrackInfo[]> {
    return this.use(() =>
      isrcs.length === 0 ? [] : this.hist.tracksByIsrc.all(JSON.stringify(isrcs)).map(toTrack),
    );
  }

  artistTracks(artist: string): Promise<TrackInfo[]> {
    return this.use(() =>
      this.hist.artistTracks
        .all({ id: artist.trim(), name: artist.trim().toLowerCase() })
        .map(toTrack),
    );
  }

  appearancesOf(trackIds: readonly string[], key?: ChartKey): Promise<Appearance[]> {
    return this.use(() =>
      trackIds.length === 0
        ? []
        : this.hist.appearancesOf
            .all({
              source: key?.source ?? null,
              chartId: key?.chartId ?? null,
              trackIds: JSON.stringify(trackIds),
            })
            .map(toAppearance),
    );
  }

  appearancesBetween(key: ChartKey, from: string, to: string): Promise<Appearance[]> {
    return this.use(() => this.hist.appearancesBetween.all({ ...key, from, to }).map(toAppearance));
  }

  private readChart(find: () => ChartRow | undefined): ChartSnapshot | null {
    // One read transaction, so a chart replaced meanwhile by another process is never mixed.
    return this.db.transaction(() => {
      const row = find();
      return row ? toChart(row, this.sql.entriesOf.all(row.id).map(toEntry)) : null;
    })();
  }

  backupTo(path: string): Promise<number> {
    return this.use(() => {
      // VACUUM INTO copies inside one read transaction: a consistent snapshot, while the WAL
      // lets writers go on. The copy is then checked before anyone relies on it.
      this.db.prepare('VACUUM INTO ?').run(path);
      const copy = openDatabase(path, { readonly: true, fileMustExist: true });
      try {
        const check = copy.pragma('quick_check', { simple: true });
        if (check !== 'ok') {
          throw new ChartkeeperError(
            'store-error',
            `The copy at ${path} failed its check: ${check}`,
          );
        }
      } finally {
        copy.close();
      }
      return statSync(path).size;
    });
  }

  /**
   * Runs a statement once a large load's writes are done (so that reads see them, and writes do
   * not wait on them), turning SQLite's failures into errors that name the store.
   */
  private get bulk(): SqliteBulkCharts {
    this.bulkCharts ??= new SqliteBulkCharts(this.db, this.sql);
    return this.bulkCharts;
  }

  private use<T>(work: () => T): Promise<T> {
    const writing = this.bulkCharts?.settled();
    return this.run(writing ? () => writing.then(work) : work);
  }

  /** Runs work at once, turning SQLite's failures into errors that name the store. */
  private async run<T>(work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw storeError(this.location, error);
    }
  }
}

/** SQLite reads a negative LIMIT as "no limit". */
function sqlLimit(limit: number | undefined): number {
  return limit === undefined || !Number.isFinite(limit) ? -1 : Math.max(0, Math.trunc(limit));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Turns a failure to open into one line the user can act on, naming the file. */
function openError(location: string, error: unknown): unknown {
  if (error instanceof ChartkeeperError) return error;
  if (isDamage(error)) {
    return new ChartkeeperError(
      'store-unreadable',
      `${location} is not a SQLite database, or its first page is damaged; it was left untouched.`,
      {
        hint: 'Point the store setting (CHARTKEEPER_STORE) at a chartkeeper database, or at a new path to start one; if it is a damaged chartkeeper store, restore it from a backup.',
        permanent: true,
        cause: error,
      },
    );
  }
  return storeError(location, error);
}

/**
 * Switches the file to WAL mode. While another process is creating or migrating the same new
 * file, SQLite answers this SQLITE_BUSY at once rather than waiting (its busy timeout does not
 * apply); that lasts milliseconds, so it is tried again for as long as a busy store is waited for.
 */
function useWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

/**
 * Refuses a store setting that cannot name a SQLite file: a directory, a file in a directory
 * that does not exist (never created: a typo must not grow a tree of directories), or a file
 * that does not exist when the command needs one (`mustExist`).
 */
function checkPlace(location: string, exists: boolean, mustExist: boolean): void {
  if (exists && isDirectory(location)) {
    throw new ChartkeeperError(
      'config',
      `The SQLite store (CHARTKEEPER_STORE) ${location} is a directory, not a file.`,
      {
        hint: `Name a file, for example ${join(location, 'chartkeeper.db')}.`,
        permanent: true,
      },
    );
  }
  const directory = dirname(location);
  if (!exists && !isDirectory(directory)) {
    throw new ChartkeeperError(
      'config',
      `The directory ${directory} of the SQLite store (CHARTKEEPER_STORE) does not exist.`,
      {
        hint: `Create it first (mkdir -p ${directory}), or point CHARTKEEPER_STORE at a file in an existing directory.`,
        permanent: true,
      },
    );
  }
  if (!exists && mustExist) throw noStoreYet(location);
}
