import type { Db } from 'mongodb';
import type { ChartKey } from '../../../domain/chart.js';
import type { Appearance, ChartKeySummary, TrackInfo } from '../../../domain/history.js';
import { COLLECTIONS } from './collections.js';
import type { ChartDoc } from './documents.js';
import type { AppearanceDoc, TrackDoc } from './history-documents.js';
import {
  appearancesInPeriod,
  appearancesOfTracks,
  chartDatesOfKey,
  type FindQuery,
  find,
} from './queries.js';

/*
 * The reads of ChartHistory: a track's history from `appearances` by its trackId index (chart
 * documents are never scanned for it), tracks and artists from `tracks`, keys and dates from
 * `charts` by charts_by_key_date.
 */

export async function listChartKeys(db: Db): Promise<ChartKeySummary[]> {
  const charts = db.collection<ChartDoc>(COLLECTIONS.charts);
  // Counted by $group; FerretDB 1.24 has no $min, $max, $first or $last accumulators, so each
  // key's first and last chart are then read by charts_by_key_date (two index seeks per key).
  const groups = await charts
    .aggregate<{ _id: ChartKey; count: number }>([
      { $project: { _id: 0, source: 1, chartId: 1 } },
      { $group: { _id: { source: '$source', chartId: '$chartId' }, count: { $sum: 1 } } },
    ])
    .toArray();
  const keys = await Promise.all(
    groups.map(async ({ _id: key, count }) => {
      const filter = { source: key.source, chartId: key.chartId };
      const [first, last] = await Promise.all([
        charts.findOne(filter, { sort: { chartDate: 1 }, projection: { _id: 0, chartDate: 1 } }),
        charts.findOne(filter, {
          sort: { chartDate: -1 },
          projection: { _id: 0, chartDate: 1, title: 1 },
        }),
      ]);
      return {
        source: key.source,
        chartId: key.chartId,
        title: last?.title ?? '',
        firstDate: first?.chartDate ?? '',
        lastDate: last?.chartDate ?? '',
        chartCount: count,
      };
    }),
  );
  return keys.sort((a, b) => compare(a.source, b.source) || compare(a.chartId, b.chartId));
}

export async function chartDates(
  db: Db,
  key: ChartKey,
  range: { from?: string; to?: string },
): Promise<string[]> {
  const docs = await find<ChartDoc>(db, chartDatesOfKey(key, range)).toArray();
  return docs.map((doc) => doc.chartDate);
}

function toTrack(doc: TrackDoc): TrackInfo {
  return {
    id: doc._id,
    name: doc.name,
    artists: (doc.artists ?? []).map((a) => ({ id: a.id ?? null, name: a.name })),
    isrc: doc.isrc ?? null,
  };
}

/** The tracks `query` (see tracksWhere) finds. */
export async function findTracks(db: Db, query: FindQuery): Promise<TrackInfo[]> {
  return (await find<TrackDoc>(db, query).toArray()).map(toTrack);
}

/** A case-insensitive pattern matching `text` anywhere, its special characters taken literally. */
export function containsPattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

export async function appearancesOf(
  db: Db,
  trackIds: readonly string[],
  key?: ChartKey,
): Promise<Appearance[]> {
  if (trackIds.length === 0) return [];
  const docs = await find<AppearanceDoc>(db, appearancesOfTracks(trackIds, key)).toArray();
  return docs
    .map(toAppearance)
    .sort(
      (a, b) =>
        compare(a.source, b.source) ||
        compare(a.chartId, b.chartId) ||
        compare(a.chartDate, b.chartDate) ||
        a.position - b.position,
    );
}

export async function appearancesBetween(
  db: Db,
  key: ChartKey,
  from: string,
  to: string,
): Promise<Appearance[]> {
  const docs = await find<AppearanceDoc>(db, appearancesInPeriod(key, from, to)).toArray();
  return docs
    .map(toAppearance)
    .sort((a, b) => compare(a.chartDate, b.chartDate) || a.position - b.position);
}

function toAppearance(doc: AppearanceDoc): Appearance {
  return {
    source: doc.source,
    chartId: doc.chartId,
    chartDate: doc.chartDate,
    position: doc.position,
    trackId: doc.trackId,
    streams: doc.streams ?? null,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
