import type { Db, Document, Filter, FindCursor, FindOptions, WithId } from 'mongodb';
import type { ChartKey } from '../../../domain/chart.js';
import { COLLECTIONS } from './collections.js';
import { appearanceTrackKey } from './history-documents.js';

/*
 * The finds behind history and movers, as data: the store runs them through `find`, and the tests
 * run the very same ones through `explain` to check that each is answered by its index
 * (history-index.test.ts). The index each one relies on is named beside it.
 */

/** One find: a collection, a filter and its options (projection, sort, limit). */
export interface FindQuery {
  collection: string;
  filter: Document;
  options: FindOptions;
  /** The index (see INDEXES in schema.ts) that answers it; null for a search no index serves. */
  index: string | null;
}

/** The cursor of `query` on `db`. */
export function find<T extends Document>(db: Db, query: FindQuery): FindCursor<WithId<T>> {
  return db.collection<T>(query.collection).find(query.filter as Filter<T>, query.options);
}

/** The first document `query` finds on `db` (a find with limit 1, as `find` would send it). */
export async function findFirst<T extends Document>(db: Db, query: FindQuery): Promise<T | null> {
  return (await db.collection(query.collection).findOne(query.filter, query.options)) as T | null;
}

const APPEARANCE_FIELDS = {
  _id: 0,
  source: 1,
  chartId: 1,
  chartDate: 1,
  position: 1,
  trackId: 1,
  streams: 1,
} as const;

const TRACK_FIELDS = { name: 1, artists: 1, isrc: 1 } as const;

/** The appearances of some tracks (on one key, or on every key): a track's history. */
export function appearancesOfTracks(trackIds: readonly string[], key?: ChartKey): FindQuery {
  const ids = [...new Set(trackIds)];
  return key
    ? {
        collection: COLLECTIONS.appearances,
        filter: { trackKey: { $in: ids.map((id) => appearanceTrackKey(id, key)) } },
        options: { projection: APPEARANCE_FIELDS },
        index: 'appearances_by_track_key',
      }
    : {
        collection: COLLECTIONS.appearances,
        filter: { trackId: { $in: ids } },
        options: { projection: APPEARANCE_FIELDS },
        index: 'appearances_by_track',
      };
}

/** Every entry of a key's charts in a period (`top`). */
export function appearancesInPeriod(key: ChartKey, from: string, to: string): FindQuery {
  return {
    collection: COLLECTIONS.appearances,
    filter: { source: key.source, chartId: key.chartId, chartDate: { $gte: from, $lte: to } },
    options: { projection: APPEARANCE_FIELDS },
    index: 'appearances_by_key_date',
  };
}

/** The tracks of an artist, by Spotify id or lower-cased name: an artist's history. */
export function tracksOfArtist(artist: string): FindQuery {
  const keys = [...new Set([artist.trim(), artist.trim().toLowerCase()])];
  return tracksWhere({ artistKeys: { $in: keys } }, 'tracks_by_artist');
}

/** Tracks matching `filter`, by title then id. */
export function tracksWhere(filter: Document, index: string | null, limit?: number): FindQuery {
  return {
    collection: COLLECTIONS.tracks,
    filter,
    options: {
      projection: TRACK_FIELDS,
      sort: { name: 1, _id: 1 },
      ...(limit !== undefined ? { limit } : {}),
    },
    index,
  };
}

/** A key's chart dates in a range, in order (a track's streaks). */
export function chartDatesOfKey(key: ChartKey, range: { from?: string; to?: string }): FindQuery {
  const dates: Record<string, string> = {};
  if (range.from !== undefined) dates.$gte = range.from;
  if (range.to !== undefined) dates.$lte = range.to;
  return {
    collection: COLLECTIONS.charts,
    filter: {
      source: key.source,
      chartId: key.chartId,
      ...(Object.keys(dates).length > 0 ? { chartDate: dates } : {}),
    },
    options: { projection: { _id: 0, chartDate: 1 }, sort: { chartDate: 1 } },
    index: 'charts_by_key_date',
  };
}

/**
 * A key's newest chart within `dates` (a chartDate condition such as `{ $lt: '2026-01-10' }`), or
 * at all: the chart `movers` shows and the one it compares with.
 */
export function newestChart(key: ChartKey, dates?: Record<string, string> | string): FindQuery {
  return {
    collection: COLLECTIONS.charts,
    filter: {
      source: key.source,
      chartId: key.chartId,
      ...(dates !== undefined ? { chartDate: dates } : {}),
    },
    options: { projection: { _id: 0 }, sort: { chartDate: -1 }, limit: 1 },
    index: 'charts_by_key_date',
  };
}
