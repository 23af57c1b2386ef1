import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { ChartKey, ChartSnapshot } from '../../../domain/chart.js';
import type { KeySoFar, TrackSoFar } from '../../../domain/derivation.js';
import {
  type ChartAt,
  type ChartWrite,
  chartLabel,
  type DerivedUpdate,
} from '../../../domain/ports/bulk-chart-archive.js';
import { COLLECTIONS } from './collections.js';
import { type ChartDoc, fromChart, toChart } from './documents.js';
import { type AppearanceDoc, writeTracks } from './history-documents.js';

/** Charts read per query when walking a key's charts in date order. */
const PAGE = 32;

/** The MongoDB side of BulkChartArchive: a few bulk commands per call, never one per entry. */
export async function storedPositions(
  db: Db,
  charts: readonly ChartAt[],
): Promise<Map<string, Map<number, string>>> {
  const found = new Map<string, Map<number, string>>();
  const byKey = new Map<string, { key: ChartKey; dates: string[] }>();
  for (const chart of charts) {
    const label = `${chart.source}/${chart.chartId}`;
    const group = byKey.get(label) ?? { key: chart, dates: [] };
    group.dates.push(chart.chartDate);
    byKey.set(label, group);
  }
  for (const { key, dates } of byKey.values()) {
    const stored = db
      .collection<ChartDoc>(COLLECTIONS.charts)
      .find(
        { source: key.source, chartId: key.chartId, chartDate: { $in: dates } },
        { projection: { _id: 0, chartDate: 1, 'entries.position': 1, 'entries.trackId': 1 } },
      );
    for await (const doc of stored) {
      const positions = new Map<number, string>();
      for (const entry of doc.entries) positions.set(entry.position, entry.trackId);
      found.set(chartLabel({ ...key, chartDate: doc.chartDate }), positions);
    }
  }
  return found;
}

export async function latestChartDate(db: Db, key: ChartKey): Promise<string | null> {
  const doc = await db
    .collection<ChartDoc>(COLLECTIONS.charts)
    .findOne(
      { source: key.source, chartId: key.chartId },
      { sort: { chartDate: -1 }, projection: { _id: 0, chartDate: 1 } },
    );
  return doc?.chartDate ?? null;
}

/** Read from appearances (small documents) and summed here: FerretDB 1.x lacks $min in $group. */
export async function keySoFar(db: Db, key: ChartKey, chartDate: string): Promise<KeySoFar> {
  const seen = new Map<string, { dates: Set<string>; peak: number }>();
  let lastDate: string | null = null;
  const appearances = db
    .collection<AppearanceDoc>(COLLECTIONS.appearances)
    .find(
      { source: key.source, chartId: key.chartId, chartDate: { $lt: chartDate } },
      { projection: { _id: 0, trackId: 1, position: 1, chartDate: 1 } },
    );
  for await (const doc of appearances) {
    if (lastDate === null || doc.chartDate > lastDate) lastDate = doc.chartDate;
    const track = seen.get(doc.trackId);
    if (track) {
      track.dates.add(doc.chartDate);
      track.peak = Math.min(track.peak, doc.position);
    } else seen.set(doc.trackId, { dates: new Set([doc.chartDate]), peak: doc.position });
  }
  const tracks = new Map<string, TrackSoFar>();
  let previous: Map<string, number> | null = lastDate === null ? null : new Map();
  for (const [trackId, track] of seen)
    tracks.set(trackId, { days: track.dates.size, peak: track.peak });
  if (lastDate !== null && previous) {
    const last = db
      .collection<AppearanceDoc>(COLLECTIONS.appearances)
      .find(
        { source: key.source, chartId: key.chartId, chartDate: lastDate },
        { projection: { _id: 0, trackId: 1, position: 1 } },
      );
    for await (const doc of last) {
      const best = previous.get(doc.trackId);
      if (best === undefined || doc.position < best) previous.set(doc.trackId, doc.position);
    }
  } else previous = null;
  return { tracks, previous };
}

export async function writeCharts(db: Db, writes: readonly ChartWrite[]): Promise<void> {
  const charts = db.collection<ChartDoc>(COLLECTIONS.charts);
  const fresh = writes.filter((w) => !w.adding).map((w) => fromChart(w.chart));
  if (fresh.length > 0) await charts.insertMany(fresh, { ordered: false });
  for (const { chart } of writes.filter((w) => w.adding)) {
    const stored = await charts.findOne(
      { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate },
      { projection: { _id: 0 } },
    );
    if (!stored) continue;
    const entries = [...toChart(stored).entries, ...chart.entries].sort(
      (a, b) => a.position - b.position,
    );
    const merged = fromChart({ ...toChart(stored), entries });
    await charts.updateOne(
      { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate },
      { $set: { entries: merged.entries, entryCount: merged.entryCount } },
    );
  }
  const appearances: AppearanceDoc[] = [];
  for (const { chart } of writes) {
    for (const entry of chart.entries) {
      appearances.push({
        source: chart.source,
        chartId: chart.chartId,
        chartDate: chart.chartDate,
        position: entry.position,
        trackId: entry.trackId,
        streams: entry.streams ?? null,
      });
    }
  }
  if (appearances.length > 0) {
    await db
      .collection<AppearanceDoc>(COLLECTIONS.appearances)
      .insertMany(appearances, { ordered: false });
  }
  await writeTracks(
    db,
    writes.flatMap((w) => w.chart.entries),
  );
}

export async function* chartsFrom(
  db: Db,
  key: ChartKey,
  from: string,
): AsyncGenerator<ChartSnapshot> {
  let after: string | null = null;
  for (;;) {
    const page: ChartDoc[] = await db
      .collection<ChartDoc>(COLLECTIONS.charts)
      .find(
        {
          source: key.source,
          chartId: key.chartId,
          chartDate: after === null ? { $gte: from } : { $gt: after },
        },
        { sort: { chartDate: 1 }, limit: PAGE, projection: { _id: 0 } },
      )
      .toArray();
    for (const doc of page) {
      yield toChart(doc);
      after = doc.chartDate;
    }
    if (page.length < PAGE) return;
  }
}

export async function updateDerived(db: Db, updates: readonly DerivedUpdate[]): Promise<void> {
  const charts = db.collection<ChartDoc>(COLLECTIONS.charts);
  const operations: AnyBulkWriteOperation<ChartDoc>[] = [];
  for (const update of updates) {
    const filter = { source: update.source, chartId: update.chartId, chartDate: update.chartDate };
    const stored = await charts.findOne(filter, { projection: { _id: 0 } });
    if (!stored) continue;
    const derived = new Map(update.entries.map((e) => [e.position, e]));
    const chart = toChart(stored);
    const entries = chart.entries.map((entry) => {
      const d = derived.get(entry.position);
      return d
        ? {
            ...entry,
            previousPosition: d.previousPosition,
            movement: d.movement,
            daysOnChart: d.daysOnChart,
            peak: d.peak,
          }
        : entry;
    });
    operations.push({
      updateOne: {
        filter,
        update: { $set: { entries: fromChart({ ...chart, entries }).entries } },
      },
    });
  }
  if (operations.length > 0) await charts.bulkWrite(operations, { ordered: false });
}
