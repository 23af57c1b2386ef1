import type { Db } from 'mongodb';
import type { ChartKey } from '../../../domain/chart.js';
import type { Appearance, ChartKeySummary, TrackInfo } from '../../../domain/history.js';
import { COLLECTIONS } from './collections.js';
import type { ChartDoc } from './documents.js';
import type { AppearanceDoc, TrackDoc } from './history-documents.js';

/*
 * The reads of ChartHistory: a track's history from `appearances` by its trackId index (chart
 * documents are never scanned for it), tracks and artists from `tracks`, keys and dates from
 * `charts` by charts_by_key_date.
 */

const APPEARANCE_FIELDS = {
  _id: 0,
  source: 1,
  chartId: 1,
  chartDate: 1,
  position: 1,
  trackId: 1,
  streams: 1,
} as const;

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
  const dates: Record<string, string> = {};
  if (range.from !== undefined) dates.$gte = range.from;
  if (range.to !== undefined) dates.$lte = range.to;
  const docs = await db
    .collection<ChartDoc>(COLLECTIONS.charts)
    .find(
      {
        source: key.source,
        chartId: key.chartId,
        ...(Object.keys(dates).length > 0 ? { chartDate: dates } : {}),
      },
      { projection: { _id: 0, chartDate: 1 } },
    )
    .sort({ chartDate: 1 })
    .toArray();
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

const TRACK_FIELDS = { name: 1, artists: 1, isrc: 1 } as const;

export async function findTracks(
  db: Db,
  filter: Record<string, unknown>,
  limit?: number,
): Promise<TrackInfo[]> {
  let cursor = db
    .collection<TrackDoc>(COLLECTIONS.tracks)
    .find(filter, { projection: TRACK_FIELDS })
    .sort({ name: 1, _id: 1 });
  if (limit !== undefined) cursor = cursor.limit(limit);
  return (await cursor.toArray()).map(toTrack);
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
  const docs = await db
    .collection<AppearanceDoc>(COLLECTIONS.appearances)
    .find(
      {
        trackId: { $in: [...new Set(trackIds)] },
        ...(key ? { source: key.source, chartId: key.chartId } : {}),
      },
      { projection: APPEARANCE_FIELDS },
    )
    .toArray();
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
  const docs = await db
    .collection<AppearanceDoc>(COLLECTIONS.appearances)
    .find(
      { source: key.source, chartId: key.chartId, chartDate: { $gte: from, $lte: to } },
      { projection: APPEARANCE_FIELDS },
    )
    .toArray();
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
