import type {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Document,
  OptionalUnlessRequiredId,
} from 'mongodb';
import type { ChartKey, ChartSnapshot, NormalisedEntry } from '../../../domain/chart.js';
import type { ChartAt } from '../../../domain/ports/bulk-chart-archive.js';
import { COLLECTIONS } from './collections.js';

/**
 * `appearances`: one entry of one chart, what a track's history reads. Its `_id` (see
 * appearanceDocId) keeps one appearance per chart and position.
 */
export interface AppearanceDoc extends ChartKey {
  _id: string;
  chartDate: string;
  position: number;
  trackId: string;
  /** "trackId|source|chartId" (see appearanceTrackKey): a track's history on one key. */
  trackKey: string;
  streams: number | null;
}

/** `tracks`: a track as first seen; `artistKeys` holds lower-cased names and artist ids. */
export interface TrackDoc {
  _id: string;
  name: string;
  artists: { id: string | null; name: string }[];
  isrc: string | null;
  artistKeys: string[];
}

/**
 * An appearance's `_id`, "source|chartId|chartDate|position": what makes an appearance unique
 * (schema 4 on), through the `_id` index every server keeps cheaply. A unique compound index did
 * that before, but FerretDB 2 (DocumentDB) checks one by scanning: each insert took longer the
 * more appearances there were, 3 ms at 10,000.
 */
export function appearanceDocId(chart: ChartAt, position: number): string {
  return `${chart.source}|${chart.chartId}|${chart.chartDate}|${position}`;
}

/**
 * "trackId|source|chartId": one term for a track on one key. FerretDB 2 (DocumentDB) answers
 * `{trackId, source, chartId}` by intersecting the index's entries for each field, and the one
 * for `source` holds nearly every appearance: 20 ms at 300,000 appearances, against 1 ms for
 * this one field.
 */
export function appearanceTrackKey(trackId: string, key: ChartKey): string {
  return `${trackId}|${key.source}|${key.chartId}`;
}

/** The appearances of `chart`, one per entry. */
export function appearancesOf(chart: ChartSnapshot): AppearanceDoc[] {
  return chart.entries.map((entry) => ({
    _id: appearanceDocId(chart, entry.position),
    source: chart.source,
    chartId: chart.chartId,
    chartDate: chart.chartDate,
    position: entry.position,
    trackId: entry.trackId,
    trackKey: appearanceTrackKey(entry.trackId, chart),
    streams: entry.streams ?? null,
  }));
}

export function artistKeys(entry: Pick<NormalisedEntry, 'artists'>): string[] {
  const keys: string[] = [];
  for (const artist of entry.artists) {
    keys.push(artist.name.toLowerCase());
    if (artist.id) keys.push(artist.id);
  }
  return keys;
}

/**
 * Replaces the appearances of `chart` and records its tracks. Written after the chart itself: the
 * chart is the fact, appearances an index of it (migration 3 rebuilds them from the charts).
 */
export async function writeAppearances(
  db: Db,
  chart: ChartSnapshot,
  knownTracks?: Set<string>,
): Promise<void> {
  const key = { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate };
  const appearances = db.collection<AppearanceDoc>(COLLECTIONS.appearances);
  await appearances.deleteMany(key);
  if (chart.entries.length === 0) return;
  await appearances.insertMany(appearancesOf(chart), { ordered: false });
  await writeTracks(db, chart.entries, knownTracks);
}

/**
 * Records tracks not seen before: inserted as first seen (a track stored already makes a
 * duplicate-key error, ignored), or, with an ISRC, upserted so that an ISRC learnt later is kept.
 * Inserts, not upserts, for the rest: FerretDB takes thousands of inserts in the time of a few
 * upserts. `known` remembers the tracks this process wrote, so an import writes each once.
 */
export async function writeTracks(
  db: Db,
  entries: readonly NormalisedEntry[],
  known: Set<string> = new Set(),
): Promise<void> {
  const fresh: TrackDoc[] = [];
  const withIsrc: AnyBulkWriteOperation<TrackDoc>[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.trackId) || (known.has(entry.trackId) && !entry.isrc)) continue;
    seen.add(entry.trackId);
    const track = {
      name: entry.name,
      artists: entry.artists.map((a) => ({ id: a.id ?? null, name: a.name })),
      artistKeys: artistKeys(entry),
    };
    if (entry.isrc) {
      withIsrc.push({
        updateOne: {
          filter: { _id: entry.trackId },
          update: { $setOnInsert: track, $set: { isrc: entry.isrc } },
          upsert: true,
        },
      });
    } else fresh.push({ _id: entry.trackId, ...track, isrc: null });
  }
  const tracks = db.collection<TrackDoc>(COLLECTIONS.tracks);
  await insertNew(tracks, fresh);
  await updatesInChunks(tracks, withIsrc);
  for (const id of seen) known.add(id);
}

/**
 * Update operations sent per command. FerretDB 1.x on PostgreSQL keeps a pooled connection for
 * each statement of an update command that matched a document until the whole command ends, and
 * needs another to apply it: a command of 50 such statements or more takes its whole pool (50
 * connections) and the server hangs, answering nobody. An import's dates of 70 keys were one.
 */
export const UPDATES_PER_COMMAND = 16;

/** Unordered bulk updates, UPDATES_PER_COMMAND to a command (see there). */
export async function updatesInChunks<T extends Document>(
  collection: Collection<T>,
  operations: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  await inChunks(operations, UPDATES_PER_COMMAND, (chunk) =>
    collection.bulkWrite(chunk, { ordered: false }),
  );
}

/** Runs `write` on `items`, `size` at a time, one after another. */
async function inChunks<T>(
  items: readonly T[],
  size: number,
  write: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}

/**
 * Documents sent per insert command. FerretDB 2 advertises MongoDB's limit of 100,000 writes a
 * command (hello's maxWriteBatchSize, by which the driver splits bulk writes), but DocumentDB under
 * it refuses more than 25,000 (documentdb.maxWriteBatchSize): an import's batch of 129 charts
 * (25,800 appearances) failed there.
 */
export const INSERTS_PER_COMMAND = 10_000;

/**
 * Unordered inserts of documents that may exist already (those are left as they are),
 * INSERTS_PER_COMMAND to a command (see there).
 */
export async function insertNew<T extends Document>(
  collection: Collection<T>,
  docs: readonly OptionalUnlessRequiredId<T>[],
): Promise<void> {
  await inChunks(docs, INSERTS_PER_COMMAND, (chunk) =>
    ignoringDuplicates(() => collection.insertMany(chunk, { ordered: false })),
  );
}

/** Runs a bulk insert whose documents may exist already (those are left as they are). */
async function ignoringDuplicates(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
  }
}

/** Whether a bulk write failed only on documents that exist already. */
export function onlyDuplicates(error: unknown): boolean {
  const errors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
  return list.length > 0 && list.every((e) => e.code === 11000);
}
