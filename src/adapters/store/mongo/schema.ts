import type { Db, IndexDescription } from 'mongodb';
import { ChartkeeperError } from '../../../domain/errors.js';
import { noteChartDates } from './bulk-charts.js';
import { COLLECTIONS } from './collections.js';
import { type ChartDoc, fromRun, type RunDoc, toChart, toRun } from './documents.js';
import {
  type AppearanceDoc,
  appearanceDocId,
  appearanceTrackKey,
  onlyDuplicates,
  writeAppearances,
} from './history-documents.js';

export { COLLECTIONS };

/** Every index chartkeeper relies on, by collection. Named, so that creating them is idempotent. */
export const INDEXES: Record<
  'captures' | 'charts' | 'runs' | 'appearances' | 'tracks',
  IndexDescription[]
> = {
  captures: [
    { name: 'captures_by_key_time', key: { source: 1, chartId: 1, capturedAt: -1, seq: -1 } },
    { name: 'captures_by_seq', key: { seq: 1 } },
  ],
  charts: [
    {
      name: 'charts_by_key_date',
      key: { source: 1, chartId: 1, chartDate: 1 },
      unique: true,
    },
    // Multikey: one index entry per embedded entry, for a track's history across charts.
    { name: 'charts_by_track', key: { 'entries.trackId': 1 } },
    { name: 'charts_by_date', key: { chartDate: -1 } },
  ],
  runs: [
    { name: 'runs_by_time', key: { createdAt: -1 } },
    // Runs by start time (null until a run starts), for listings by when captures ran.
    { name: 'runs_by_start', key: { startedAt: -1 } },
    { name: 'runs_by_key_time', key: { source: 1, chartId: 1, createdAt: -1 } },
    // The scheduler looks for queued and running runs.
    { name: 'runs_by_state_time', key: { state: 1, createdAt: -1 } },
  ],
  appearances: [
    // Not unique: the `_id` keeps one appearance per chart and position (see appearanceDocId).
    { name: 'appearances_by_key_date', key: { source: 1, chartId: 1, chartDate: 1, position: 1 } },
    { name: 'appearances_by_track', key: { trackId: 1, source: 1, chartId: 1, chartDate: 1 } },
    // A track on one key (see appearanceTrackKey).
    { name: 'appearances_by_track_key', key: { trackKey: 1 } },
  ],
  tracks: [
    { name: 'tracks_by_artist', key: { artistKeys: 1 } },
    { name: 'tracks_by_isrc', key: { isrc: 1 } },
  ],
};

/** Creates the collections' indexes; a no-op when they exist as specified. */
export async function ensureIndexes(db: Db, location: string): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    try {
      // One index per command: FerretDB 1.24 drops the connection when a command lists several
      // indexes that all exist already.
      for (const index of indexes) await db.collection(collection).createIndexes([index]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // 85/86: an index of that name exists with another definition (made by hand, or by a newer
      // chartkeeper); changing it silently could break whoever made it.
      if (code !== 85 && code !== 86) throw error;
      throw new ChartkeeperError(
        'store-unreadable',
        `MongoDB at ${location}: the ${collection} collection has an index that conflicts with chartkeeper's: ${(error as Error).message.split('\n')[0]}`,
        {
          hint: 'Point CHARTKEEPER_STORE at a database of its own, or drop the conflicting index.',
          permanent: true,
          cause: error,
        },
      );
    }
  }
}

/** One step of the documents' schema; `version` is what the migrations document holds after it. */
interface Migration {
  version: number;
  description: string;
  apply(db: Db): Promise<void>;
}

/** Every schema step, oldest first. Append only; each step is idempotent. */
const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'captures, charts, runs, leases and settings', apply: async () => {} },
  {
    version: 2,
    description: 'instants (capturedAt, createdAt, startedAt, finishedAt...) as BSON dates',
    apply: instantsAsDates,
  },
  {
    version: 3,
    description: 'appearances and tracks for history queries, from the stored charts',
    apply: appearancesFromCharts,
  },
  {
    version: 4,
    description:
      'appearances keyed by chart and position (no unique appearances_by_chart), with trackKey',
    apply: appearancesById,
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 1;

/**
 * Brings the documents up to SCHEMA_VERSION, step by step, once: each step is idempotent, so two
 * processes migrating at once, or a migration cut short and run again, do no harm. Refuses a
 * database written by a newer chartkeeper.
 */
export async function migrateDocuments(db: Db, location: string): Promise<void> {
  const meta = db.collection<{ _id: string; version: number }>(COLLECTIONS.migrations);
  const current = (await meta.findOne({ _id: 'schema' }))?.version ?? 1;
  if (current > SCHEMA_VERSION) throw tooNew(location, current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await migration.apply(db);
    await meta.updateOne(
      { _id: 'schema' },
      { $max: { version: migration.version } },
      { upsert: true },
    );
  }
}

/** Checks, without writing, that this code can read the database's documents. */
export async function checkSchema(db: Db, location: string): Promise<void> {
  const meta = db.collection<{ _id: string; version: number }>(COLLECTIONS.migrations);
  const current = (await meta.findOne({ _id: 'schema' }))?.version ?? 1;
  if (current > SCHEMA_VERSION) throw tooNew(location, current);
}

function tooNew(location: string, version: number): ChartkeeperError {
  return new ChartkeeperError(
    'store-too-new',
    `MongoDB at ${location} was written by a newer chartkeeper (schema version ${version}; this one knows up to ${SCHEMA_VERSION}).`,
    { hint: 'Upgrade chartkeeper to use this database.', permanent: true },
  );
}

/**
 * Version 2: instants stored as ISO strings by earlier versions become BSON dates. Only fields
 * that are still strings are touched, each update conditional on the value read.
 */
async function instantsAsDates(db: Db): Promise<void> {
  for (const name of [COLLECTIONS.captures, COLLECTIONS.charts] as const) {
    const collection = db.collection<{ _id: unknown; capturedAt: unknown }>(name);
    const old = collection.find(
      { capturedAt: { $type: 'string' } },
      { projection: { capturedAt: 1 } },
    );
    for await (const doc of old) {
      if (typeof doc.capturedAt !== 'string') continue;
      await collection.updateOne(
        { _id: doc._id, capturedAt: doc.capturedAt },
        { $set: { capturedAt: new Date(doc.capturedAt) } },
      );
    }
  }
  const runs = db.collection<RunDoc>(COLLECTIONS.runs);
  for await (const doc of runs.find({ createdAt: { $type: 'string' } })) {
    const { _id, ...converted } = fromRun(toRun(doc));
    await runs.replaceOne({ _id, createdAt: doc.createdAt }, converted);
  }
  const leases = db.collection<{ _id: string; expiresAt: unknown }>(COLLECTIONS.leases);
  for await (const lease of leases.find({})) {
    if (typeof lease.expiresAt !== 'number') continue;
    await leases.updateOne(
      { _id: lease._id, expiresAt: lease.expiresAt },
      { $set: { expiresAt: new Date(lease.expiresAt) } },
    );
  }
}

/**
 * Version 3: each stored chart's entries as appearances, its tracks, and its key's dates
 * (idempotent upserts). Charts stored so far keep their generated `_id`s, which is noted, so that
 * they are still found by key (charts written from now on are found by `_id`; see chartDocId).
 */
async function appearancesFromCharts(db: Db): Promise<void> {
  const charts = db.collection<ChartDoc>(COLLECTIONS.charts);
  let any = false;
  for await (const doc of charts.find({})) {
    any = true;
    const chart = toChart(doc);
    await noteChartDates(db, [chart]);
    await writeAppearances(db, chart);
  }
  if (any) {
    await db
      .collection<{ _id: string; legacyChartIds?: boolean }>(COLLECTIONS.migrations)
      .updateOne({ _id: 'schema' }, { $set: { legacyChartIds: true } }, { upsert: true });
  }
}

/** The previous name of appearances_by_key_date, a unique index (see appearanceDocId). */
const UNIQUE_APPEARANCES_INDEX = 'appearances_by_chart';

/** Appearances moved per round trip by version 4. */
const MOVED_PER_WRITE = 1_000;

/**
 * Version 4: the unique index of appearances gives way to their `_id`s (see appearanceDocId).
 * Every appearance with a generated `_id` (those of stored charts, and those an import cut short
 * left before its chart) is written again under its own `_id` with its `trackKey` (see
 * appearanceTrackKey), then the old one removed: inserted first, so that none is missing at any
 * moment, and one there already (written meanwhile) is kept. Two processes migrating at once
 * both finish: what one moved, the other finds moved.
 */
async function appearancesById(db: Db): Promise<void> {
  const appearances = db.collection<AppearanceDoc>(COLLECTIONS.appearances);
  // No collection yet (26, NamespaceNotFound) has no index either; another process may have
  // dropped it first (27, IndexNotFound).
  await appearances.dropIndex(UNIQUE_APPEARANCES_INDEX).catch((error: { code?: unknown }) => {
    if (error.code !== 26 && error.code !== 27) throw error;
  });
  const generated = { _id: { $not: { $type: 'string' } } } as never;
  let batch: AppearanceDoc[] = [];
  for await (const doc of appearances.find(generated)) {
    batch.push(doc);
    if (batch.length >= MOVED_PER_WRITE) {
      await moveAppearances(db, batch);
      batch = [];
    }
  }
  await moveAppearances(db, batch);
}

async function moveAppearances(db: Db, docs: readonly AppearanceDoc[]): Promise<void> {
  if (docs.length === 0) return;
  const appearances = db.collection<AppearanceDoc>(COLLECTIONS.appearances);
  const moved = docs.map((doc) => ({
    _id: appearanceDocId(doc, doc.position),
    source: doc.source,
    chartId: doc.chartId,
    chartDate: doc.chartDate,
    position: doc.position,
    trackId: doc.trackId,
    trackKey: appearanceTrackKey(doc.trackId, doc),
    streams: doc.streams ?? null,
  }));
  try {
    await appearances.insertMany(moved, { ordered: false });
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
  }
  await appearances.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } } as never);
}
