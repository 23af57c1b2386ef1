import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { ChartKey, ChartSnapshot, NormalisedEntry } from '../../../domain/chart.js';
import { COLLECTIONS } from './collections.js';

/** `appearances`: one entry of one chart, what a track's history reads. */
export interface AppearanceDoc extends ChartKey {
  chartDate: string;
  position: number;
  trackId: string;
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
export async function writeAppearances(db: Db, chart: ChartSnapshot): Promise<void> {
  const key = { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate };
  const appearances = db.collection<AppearanceDoc>(COLLECTIONS.appearances);
  await appearances.deleteMany(key);
  if (chart.entries.length === 0) return;
  await appearances.insertMany(
    chart.entries.map((entry) => ({
      ...key,
      position: entry.position,
      trackId: entry.trackId,
      streams: entry.streams ?? null,
    })),
    { ordered: false },
  );
  await writeTracks(db, chart.entries);
}

/** Records tracks not seen before (an ISRC learnt later is added). */
export async function writeTracks(db: Db, entries: readonly NormalisedEntry[]): Promise<void> {
  const seen = new Set<string>();
  const operations: AnyBulkWriteOperation<TrackDoc>[] = [];
  for (const entry of entries) {
    if (seen.has(entry.trackId)) continue;
    seen.add(entry.trackId);
    operations.push({
      updateOne: {
        filter: { _id: entry.trackId },
        // One $setOnInsert: a second one spread in would replace the first (name and artists).
        update: {
          $setOnInsert: {
            name: entry.name,
            artists: entry.artists.map((a) => ({ id: a.id ?? null, name: a.name })),
            artistKeys: artistKeys(entry),
            ...(entry.isrc ? {} : { isrc: null }),
          },
          ...(entry.isrc ? { $set: { isrc: entry.isrc } } : {}),
        },
        upsert: true,
      },
    });
  }
  if (operations.length > 0) {
    await db.collection<TrackDoc>(COLLECTIONS.tracks).bulkWrite(operations, { ordered: false });
  }
}
