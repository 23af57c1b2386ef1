import type { Collection, Db, Filter, MongoClient } from 'mongodb';
import type { Capture } from '../../../domain/capture.js';
import type { ChartKey, ChartSnapshot, ChartSummary, TrackHistory } from '../../../domain/chart.js';
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
import { type StateKey, type StateValues, stateName } from '../../../domain/state.js';
import { noStoreYet } from '../store-errors.js';
import * as bulk from './bulk-charts.js';
import { createClient, type MongoTarget, parseMongoUri, toStoreError } from './connection.js';
import {
  type CaptureDoc,
  type ChartDoc,
  chartDocId,
  fromCapture,
  fromChart,
  fromRun,
  type RunDoc,
  toCapture,
  toChart,
  toRun,
  toSummary,
} from './documents.js';
import { writeAppearances } from './history-documents.js';
import * as history from './history-reads.js';
import { findFirst, newestChart, tracksOfArtist, tracksWhere } from './queries.js';
import { COLLECTIONS, checkSchema, ensureIndexes, migrateDocuments } from './schema.js';

type LeaseDoc = { _id: string; owner: string; expiresAt: Date };
type SettingDoc = { _id: string; value: unknown };

/** `write` prepares the database (indexes, migrations); `read` never writes a thing. */
export type MongoAccess = 'read' | 'write';

/** Charts per page of chartsInRange: each page is one query, so no cursor stays open. */
const RANGE_PAGE_SIZE = 20;

/** MongoDB's code for a unique index violation. */
const DUPLICATE_KEY = 11000;

/**
 * Opens the MongoDB store named by a mongodb:// or mongodb+srv:// URI. Only a malformed URI fails
 * here: the driver connects on first use, so a server that is down is reported by the operation
 * that needed it (and `run` can still fetch, keeping the capture in the outbox).
 */
export async function openMongoStore(
  uri: string,
  options: { access?: MongoAccess; setting?: string; mustExist?: boolean } = {},
): Promise<MongoStore> {
  const setting = options.setting ?? 'CHARTKEEPER_STORE';
  const target = parseMongoUri(uri, setting);
  return new MongoStore(
    createClient(target, setting),
    target,
    options.access ?? 'write',
    options.mustExist ?? false,
  );
}

/**
 * Captures, charts and the run ledger in MongoDB (or a server speaking its protocol, such as
 * FerretDB). Each write is one single-document operation, so no transactions are needed. Opened
 * for reading only, it creates nothing (no database, collection or index), so that a read-only
 * database user can use it.
 */
export class MongoStore implements ChartStore {
  readonly kind = 'mongodb';
  readonly location: string;
  readonly database: string;
  private ready: Promise<Db> | null = null;

  constructor(
    private readonly client: MongoClient,
    private readonly target: MongoTarget,
    private readonly access: MongoAccess = 'write',
    /** Refuse to start a store in a database chartkeeper never wrote (see noStoreYet). */
    private readonly mustExist = false,
  ) {
    this.location = target.location;
    this.database = target.database;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async saveCapture(capture: Capture): Promise<{ capture: Capture; created: boolean }> {
    return this.use(async (db) => {
      const captures = db.collection<CaptureDoc>(COLLECTIONS.captures);
      const same = await captures.findOne({ _id: capture.id });
      if (same) return { capture: toCapture(same), created: false };
      // Check, then insert: without transactions two processes saving the same content at the
      // same moment could both store it; the scheduler never runs one chart twice at once.
      const latest = await this.latestHead(captures, capture);
      if (latest?.contentHash === capture.contentHash) {
        const stored = await captures.findOne({ _id: latest._id });
        if (stored) return { capture: toCapture(stored), created: false };
      }
      try {
        await captures.insertOne(fromCapture(capture, await this.nextSeq(db)));
        return { capture, created: true };
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
        const raced = await captures.findOne({ _id: capture.id });
        if (!raced) throw error;
        return { capture: toCapture(raced), created: false };
      }
    });
  }

  async getCapture(id: string): Promise<Capture | null> {
    return this.use(async (db) => {
      const doc = await db.collection<CaptureDoc>(COLLECTIONS.captures).findOne({ _id: id });
      return doc ? toCapture(doc) : null;
    });
  }

  async latestCaptureHead(key: ChartKey): Promise<CaptureHead | null> {
    return this.use(async (db) => {
      const head = await this.latestHead(db.collection<CaptureDoc>(COLLECTIONS.captures), key);
      return head ? { id: head._id, version: head.version ?? null } : null;
    });
  }

  async saveChart(chart: ChartSnapshot): Promise<void> {
    await this.use(async (db) => {
      const charts = db.collection<ChartDoc & { _id: string }>(COLLECTIONS.charts);
      // By `_id` (see chartDocId); a chart an older chartkeeper wrote has another `_id`, and is
      // then replaced where it is, found by its key.
      const byKey = { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate };
      const filter = (await this.legacyChartIds(db)) ? byKey : { _id: chartDocId(chart) };
      await bulk.noteChartDates(db, [chart]);
      try {
        await charts.replaceOne(filter, fromChart(chart), { upsert: true });
      } catch (error) {
        // Two upserts of a new key can race on the unique index; the second then replaces.
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
        await charts.replaceOne(byKey, fromChart(chart), { upsert: true });
      }
      await writeAppearances(db, chart, this.knownTracks);
    });
  }

  /** Tracks this process has written (see writeTracks). */
  private readonly knownTracks = new Set<string>();
  private legacy: Promise<boolean> | null = null;

  private legacyChartIds(db: Db): Promise<boolean> {
    this.legacy ??= bulk.hasLegacyChartIds(db);
    return this.legacy;
  }

  storedPositions(charts: readonly ChartAt[]): Promise<Map<string, Map<number, StoredRow>>> {
    return this.use(async (db) => bulk.storedPositions(db, charts, await this.legacyChartIds(db)));
  }

  latestChartDate(key: ChartKey): Promise<string | null> {
    return this.use((db) => bulk.latestChartDate(db, key));
  }

  keySoFar(key: ChartKey, chartDate: string): Promise<KeySoFar> {
    return this.use((db) => bulk.keySoFar(db, key, chartDate));
  }

  writeCharts(writes: readonly ChartWrite[]): Promise<void> {
    return this.use((db) => bulk.writeCharts(db, writes, this.knownTracks));
  }

  async *chartsFrom(key: ChartKey, from: string): AsyncGenerator<ChartSnapshot> {
    const charts = bulk.chartsFrom(await this.use(async (db) => db), key, from);
    for (;;) {
      const next = await this.use(() => charts.next());
      if (next.done) return;
      yield next.value;
    }
  }

  updateDerived(updates: readonly DerivedUpdate[]): Promise<void> {
    return this.use((db) => bulk.updateDerived(db, updates));
  }

  /** MongoDB keeps its indexes up as it goes: nothing to set aside. */
  async prepareLoad(): Promise<() => Promise<void>> {
    return async () => {};
  }

  async getChart(key: ChartKey, chartDate?: string): Promise<ChartSnapshot | null> {
    return this.use(async (db) => {
      const doc = await findFirst<ChartDoc>(db, newestChart(key, chartDate));
      return doc ? toChart(doc) : null;
    });
  }

  async previousChart(key: ChartKey, chartDate: string): Promise<ChartSnapshot | null> {
    return this.use(async (db) => {
      const doc = await findFirst<ChartDoc>(db, newestChart(key, { $lt: chartDate }));
      return doc ? toChart(doc) : null;
    });
  }

  async trackHistory(
    key: ChartKey,
    trackIds: readonly string[],
    chartDate: string,
  ): Promise<Map<string, TrackHistory>> {
    const history = new Map<string, TrackHistory>();
    if (trackIds.length === 0) return history;
    const wanted = new Set(trackIds);
    // Summed here rather than by $group: FerretDB 1.x has no $min/$max accumulators.
    const charts = await this.use((db) =>
      db
        .collection<ChartDoc>(COLLECTIONS.charts)
        .find(
          {
            source: key.source,
            chartId: key.chartId,
            chartDate: { $lt: chartDate },
            'entries.trackId': { $in: [...wanted] },
          },
          { projection: { _id: 0, chartDate: 1, entries: 1 } },
        )
        .toArray(),
    );
    for (const chart of charts) {
      const best = new Map<string, number>();
      for (const entry of chart.entries) {
        if (!wanted.has(entry.trackId)) continue;
        best.set(entry.trackId, Math.min(best.get(entry.trackId) ?? Infinity, entry.position));
      }
      for (const [trackId, position] of best) {
        const seen = history.get(trackId);
        history.set(trackId, {
          daysOnChart: (seen?.daysOnChart ?? 0) + 1,
          peak: Math.min(seen?.peak ?? position, position),
          lastDate: seen && seen.lastDate > chart.chartDate ? seen.lastDate : chart.chartDate,
        });
      }
    }
    return history;
  }

  async listCharts(options: { key?: ChartKey; limit?: number } = {}): Promise<ChartSummary[]> {
    const limit = mongoLimit(options.limit);
    if (limit === 0) return [];
    const filter = options.key ? { source: options.key.source, chartId: options.key.chartId } : {};
    const docs = await this.use((db) =>
      db
        .collection<ChartDoc>(COLLECTIONS.charts)
        .find(filter, { projection: { entries: 0, skipped: 0 } })
        .sort({ chartDate: -1, source: 1, chartId: 1 })
        .limit(limit ?? 0)
        .toArray(),
    );
    return docs.map(toSummary);
  }

  async saveRun(run: Run): Promise<void> {
    await this.use((db) =>
      db.collection<RunDoc>(COLLECTIONS.runs).replaceOne({ _id: run.id }, fromRun(run), {
        upsert: true,
      }),
    );
  }

  async getRun(id: string): Promise<Run | null> {
    return this.use(async (db) => {
      const doc = await db.collection<RunDoc>(COLLECTIONS.runs).findOne({ _id: id });
      return doc ? toRun(doc) : null;
    });
  }

  async findRunsByPrefix(prefix: string, limit: number): Promise<Run[]> {
    if (prefix === '' || limit <= 0) return [];
    // Anchored and with no special characters, the expression is served by the _id index.
    const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    const docs = await this.use((db) =>
      db
        .collection<RunDoc>(COLLECTIONS.runs)
        .find({ _id: { $regex: pattern } } as never)
        .sort({ _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return docs.map(toRun);
  }

  async listRuns(query: RunQuery): Promise<Run[]> {
    const limit = mongoLimit(query.limit);
    if (limit === 0) return [];
    return this.use(async (db) => {
      const runs = db.collection<RunDoc>(COLLECTIONS.runs);
      const filter: Filter<RunDoc> = {
        ...(query.key ? { source: query.key.source, chartId: query.key.chartId } : {}),
        ...(query.states ? { state: { $in: [...query.states] } } : {}),
        ...(query.trigger ? { trigger: query.trigger } : {}),
      };
      if (query.before !== undefined) {
        // After the given run in the listing's order; no such run, nothing.
        const from = await runs.findOne({ _id: query.before }, { projection: { createdAt: 1 } });
        if (!from) return [];
        filter.$or = [
          { createdAt: { $lt: from.createdAt } },
          { createdAt: from.createdAt, _id: { $lt: from._id } },
        ];
      }
      const docs = await runs
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit ?? 0)
        .toArray();
      return docs.map(toRun);
    });
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease> {
    return this.use(async (db) => {
      const leases = db.collection<LeaseDoc>(COLLECTIONS.leases);
      const now = new Date();
      const lease = { owner, expiresAt: new Date(now.getTime() + Math.max(0, ttlMs)) };
      // One atomic step: matches only a lease that is ours or expired; a lease held by someone
      // else makes the upsert collide with its _id instead, and then it is read and returned.
      // An update, not findAndModify: FerretDB 2 reports that collision from findAndModify as an
      // internal error (code 1) instead of a duplicate key, and the document is read below anyway.
      try {
        await leases.updateOne(
          { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
          { $set: lease },
          { upsert: true },
        );
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      }
      const held = await leases.findOne({ _id: name });
      const holder = held ?? { owner, expiresAt: lease.expiresAt };
      return { name, owner: holder.owner, expiresAt: new Date(holder.expiresAt).toISOString() };
    });
  }

  async getLease(name: string): Promise<Lease | null> {
    return this.use(async (db) => {
      const held = await db.collection<LeaseDoc>(COLLECTIONS.leases).findOne({ _id: name });
      return held
        ? { name, owner: held.owner, expiresAt: new Date(held.expiresAt).toISOString() }
        : null;
    });
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.use(async (db) => {
      const result = await db
        .collection<LeaseDoc>(COLLECTIONS.leases)
        .deleteOne({ _id: name, owner });
      return result.deletedCount > 0;
    });
  }

  async getState<K extends StateKey>(key: K, scope?: string): Promise<StateValues[K] | null> {
    return this.use(async (db) => {
      const doc = await db
        .collection<SettingDoc>(COLLECTIONS.settings)
        .findOne({ _id: stateName(key, scope) });
      // Kept as native values, readable in any MongoDB tool.
      return doc ? (doc.value as StateValues[K]) : null;
    });
  }

  async setState<K extends StateKey>(
    key: K,
    value: StateValues[K] | null,
    scope?: string,
  ): Promise<void> {
    await this.use(async (db) => {
      const settings = db.collection<SettingDoc>(COLLECTIONS.settings);
      const _id = stateName(key, scope);
      if (value === null) await settings.deleteOne({ _id });
      else await settings.replaceOne({ _id }, { value }, { upsert: true });
    });
  }

  async *records(): AsyncGenerator<StoreRecord> {
    const db = await this.use(async (db) => db);
    // Small batches: a capture can be a few megabytes, and only one batch is held at a time.
    const captures = db
      .collection<CaptureDoc>(COLLECTIONS.captures)
      .find()
      .sort({ seq: 1 })
      .batchSize(20);
    for await (const doc of this.guard(captures))
      yield { type: 'capture', capture: toCapture(doc) };
    const charts = db
      .collection<ChartDoc>(COLLECTIONS.charts)
      .find({}, { projection: { _id: 0 } })
      .sort({ source: 1, chartId: 1, chartDate: 1 })
      .batchSize(50);
    for await (const doc of this.guard(charts)) yield { type: 'chart', chart: toChart(doc) };
    const runs = db
      .collection<RunDoc>(COLLECTIONS.runs)
      .find()
      .sort({ createdAt: 1, _id: 1 })
      .batchSize(200);
    for await (const doc of this.guard(runs)) yield { type: 'run', run: toRun(doc) };
  }

  async *chartsInRange(range: ChartRange): AsyncGenerator<ChartSnapshot> {
    // Keyset paging on charts_by_key_date: each page a query of its own starting after the last
    // chart read, so a slow reader never lets a server cursor time out.
    const dates = {
      ...(range.from !== undefined ? { $gte: range.from } : {}),
      ...(range.to !== undefined ? { $lte: range.to } : {}),
    };
    const inRange = Object.keys(dates).length > 0 ? { chartDate: dates } : {};
    const page = (filter: Filter<ChartDoc>) =>
      this.use((db) =>
        db
          .collection<ChartDoc>(COLLECTIONS.charts)
          .find(filter, { projection: { _id: 0 } })
          .sort({ source: 1, chartId: 1, chartDate: 1 })
          .limit(RANGE_PAGE_SIZE)
          .toArray(),
      );
    if (range.keys?.length) {
      for (const key of rangeKeys(range.keys)) {
        let after: string | null = null;
        for (;;) {
          const docs: ChartDoc[] = await page({
            source: key.source,
            chartId: key.chartId,
            ...(after === null ? inRange : { $and: [inRange, { chartDate: { $gt: after } }] }),
          });
          for (const doc of docs) yield toChart(doc);
          const last = docs.at(-1);
          if (!last || docs.length < RANGE_PAGE_SIZE) break;
          after = last.chartDate;
        }
      }
      return;
    }
    let last: ChartDoc | undefined;
    for (;;) {
      const docs: ChartDoc[] = await page(
        last
          ? {
              $and: [
                inRange,
                {
                  $or: [
                    { source: { $gt: last.source } },
                    { source: last.source, chartId: { $gt: last.chartId } },
                    {
                      source: last.source,
                      chartId: last.chartId,
                      chartDate: { $gt: last.chartDate },
                    },
                  ],
                },
              ],
            }
          : inRange,
      );
      for (const doc of docs) yield toChart(doc);
      last = docs.at(-1);
      if (!last || docs.length < RANGE_PAGE_SIZE) break;
    }
  }

  /* ChartHistory (see history-reads.ts). */

  listChartKeys(): Promise<ChartKeySummary[]> {
    return this.use((db) => history.listChartKeys(db));
  }

  chartDates(key: ChartKey, range: { from?: string; to?: string } = {}): Promise<string[]> {
    return this.use((db) => history.chartDates(db, key, range));
  }

  async getTracks(ids: readonly string[]): Promise<TrackInfo[]> {
    if (ids.length === 0) return [];
    return this.use((db) =>
      history.findTracks(db, tracksWhere({ _id: { $in: [...new Set(ids)] } }, '_id_')),
    );
  }

  async searchTracks(text: string, limit: number): Promise<TrackInfo[]> {
    const max = mongoLimit(limit);
    if (max === 0) return [];
    return this.use((db) =>
      history.findTracks(
        db,
        tracksWhere({ name: { $regex: history.containsPattern(text) } }, null, max),
      ),
    );
  }

  async tracksByIsrc(isrcs: readonly string[]): Promise<TrackInfo[]> {
    if (isrcs.length === 0) return [];
    return this.use((db) =>
      history.findTracks(db, tracksWhere({ isrc: { $in: [...new Set(isrcs)] } }, 'tracks_by_isrc')),
    );
  }

  artistTracks(artist: string): Promise<TrackInfo[]> {
    return this.use((db) => history.findTracks(db, tracksOfArtist(artist)));
  }

  appearancesOf(trackIds: readonly string[], key?: ChartKey): Promise<Appearance[]> {
    return this.use((db) => history.appearancesOf(db, trackIds, key));
  }

  appearancesBetween(key: ChartKey, from: string, to: string): Promise<Appearance[]> {
    return this.use((db) => history.appearancesBetween(db, key, from, to));
  }

  /** Connects (once) and creates the indexes, then runs `work`, translating driver errors. */
  async backupTo(): Promise<number> {
    throw new ChartkeeperError(
      'usage',
      `chartkeeper backup copies SQLite stores; ${this.location} is a MongoDB database.`,
      {
        hint: 'Back it up with MongoDB\'s own tools: mongodump --uri "$CHARTKEEPER_STORE" --archive=chartkeeper.archive (and mongorestore to restore).',
        permanent: true,
      },
    );
  }

  private async use<T>(work: (db: Db) => Promise<T>): Promise<T> {
    try {
      return await work(await this.db());
    } catch (error) {
      throw toStoreError(error, this.target);
    }
  }

  private db(): Promise<Db> {
    this.ready ??= (async () => {
      await this.client.connect();
      const db = this.client.db(this.target.database);
      if (this.mustExist) {
        const ours = await db
          .listCollections({ name: COLLECTIONS.runs }, { nameOnly: true })
          .toArray();
        if (ours.length === 0) throw noStoreYet(this.location);
      }
      if (this.access === 'write') {
        await ensureIndexes(db, this.location);
        await migrateDocuments(db, this.location);
      } else {
        await checkSchema(db, this.location);
      }
      return db;
    })().catch((error) => {
      // Not cached: the next operation tries again, so a server that comes back is used.
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async *guard<T>(cursor: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* cursor;
    } catch (error) {
      throw toStoreError(error, this.target);
    }
  }

  private latestHead(captures: Collection<CaptureDoc>, key: ChartKey) {
    return captures.findOne(
      { source: key.source, chartId: key.chartId },
      {
        sort: { capturedAt: -1, seq: -1 },
        projection: { _id: 1, contentHash: 1, version: 1 },
      },
    );
  }

  private async nextSeq(db: Db): Promise<number> {
    const counter = await db
      .collection<{ _id: string; seq: number }>(COLLECTIONS.counters)
      .findOneAndUpdate(
        { _id: 'captures' },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    return counter?.seq ?? 0;
  }
}

/** undefined means no limit; MongoDB reads a limit of 0 as "no limit", so 0 is handled apart. */
function mongoLimit(limit: number | undefined): number | undefined {
  if (limit === undefined || !Number.isFinite(limit)) return undefined;
  return Math.max(0, Math.trunc(limit));
}
