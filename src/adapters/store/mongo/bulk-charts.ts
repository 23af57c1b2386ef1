import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { ChartKey, ChartSnapshot } from '../../../domain/chart.js';
import type { KeySoFar, TrackSoFar } from '../../../domain/derivation.js';
import {
  type ChartAt,
  type ChartWrite,
  chartLabel,
  type DerivedUpdate,
  type StoredRow,
} from '../../../domain/ports/bulk-chart-archive.js';
import { COLLECTIONS } from './collections.js';
import { type ChartDoc, chartDocId, chartKeyDocId, fromChart, toChart } from './documents.js';
import {
  type AppearanceDoc,
  appearancesOf,
  insertNew,
  onlyDuplicates,
  updatesInChunks,
  writeTracks,
} from './history-documents.js';

/** Charts read per query when walking a key's charts in date order. */
const PAGE = 32;

/** `chart_keys`: a key's first and last stored dates (see COLLECTIONS.chartKeys). */
interface ChartKeyDoc {
  _id: string;
  firstDate: string;
  lastDate: string;
}

/**
 * Whether charts written before schema 3 (with generated `_id`s) may be stored: then a chart not
 * found by its `_id` is looked for by its key too. Kept by migration 3 in the migrations document.
 */
export async function hasLegacyChartIds(db: Db): Promise<boolean> {
  const meta = await db
    .collection<{ _id: string; legacyChartIds?: boolean }>(COLLECTIONS.migrations)
    .findOne({ _id: 'schema' });
  return meta?.legacyChartIds ?? false;
}

/** Finds each chart by `_id` (an index look-up on every server), or by key in an older store. */
export async function storedPositions(
  db: Db,
  charts: readonly ChartAt[],
  legacy: boolean,
): Promise<Map<string, Map<number, StoredRow>>> {
  const found = new Map<string, Map<number, StoredRow>>();
  const collection = db.collection<ChartDoc & { _id: string }>(COLLECTIONS.charts);
  const projection = {
    _id: 0,
    chartDate: 1,
    'entries.position': 1,
    'entries.trackId': 1,
    'entries.streams': 1,
    'entries.facts': 1,
  };
  // A chart dated outside its key's stored range is not stored: no look-up. An import of new
  // charts then reads nothing but chart_keys, which matters on FerretDB 1.x, whose every look-up
  // reads the whole collection (its SQLite backend uses no index, not even for `_id`).
  const keyIds = [...new Set(charts.map((chart) => chartKeyDocId(chart)))];
  const ranges = new Map(
    (
      await db
        .collection<ChartKeyDoc>(COLLECTIONS.chartKeys)
        .find({ _id: { $in: keyIds } })
        .toArray()
    ).map((doc) => [doc._id, doc]),
  );
  const maybeStored = charts.filter((chart) => {
    const range = ranges.get(chartKeyDocId(chart));
    return (
      range !== undefined && chart.chartDate >= range.firstDate && chart.chartDate <= range.lastDate
    );
  });
  await Promise.all(
    maybeStored.map(async (chart) => {
      const doc =
        (await collection.findOne({ _id: chartDocId(chart) }, { projection })) ??
        (legacy
          ? await collection.findOne(
              { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate },
              { projection },
            )
          : null);
      if (!doc) return;
      const positions = new Map<number, StoredRow>();
      for (const entry of doc.entries) {
        positions.set(entry.position, {
          trackId: entry.trackId,
          streams: entry.streams ?? null,
          facts: entry.facts ?? null,
        });
      }
      found.set(chartLabel(chart), positions);
    }),
  );
  return found;
}

export async function latestChartDate(db: Db, key: ChartKey): Promise<string | null> {
  const doc = await db
    .collection<ChartKeyDoc>(COLLECTIONS.chartKeys)
    .findOne({ _id: chartKeyDocId(key) });
  return doc?.lastDate ?? null;
}

/**
 * Widens each key's first and last dates to take in `charts`. Done before the charts are written:
 * a date ahead of the charts (a write cut short) only makes a later import derive again.
 */
export async function noteChartDates(db: Db, charts: readonly ChartAt[]): Promise<void> {
  const ranges = new Map<string, { first: string; last: string }>();
  for (const chart of charts) {
    const id = chartKeyDocId(chart);
    const range = ranges.get(id);
    if (!range) ranges.set(id, { first: chart.chartDate, last: chart.chartDate });
    else {
      if (chart.chartDate < range.first) range.first = chart.chartDate;
      if (chart.chartDate > range.last) range.last = chart.chartDate;
    }
  }
  if (ranges.size === 0) return;
  await updatesInChunks(
    db.collection<ChartKeyDoc>(COLLECTIONS.chartKeys),
    [...ranges].map(([id, range]) => ({
      updateOne: {
        filter: { _id: id },
        update: { $min: { firstDate: range.first }, $max: { lastDate: range.last } },
        upsert: true,
      },
    })),
  );
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

/**
 * Writes the charts. MongoDB has no transaction here (FerretDB neither), so the order is what
 * keeps a write cut short repairable: the key's dates first, then the appearances and tracks
 * (the index of the charts; duplicates of a repeated write are skipped), the charts last. A
 * chart is then never stored without its appearances, and importing the file again completes
 * what was cut. A chart stored meanwhile by another writer is merged into, never replaced.
 */
export async function writeCharts(
  db: Db,
  writes: readonly ChartWrite[],
  knownTracks: Set<string>,
): Promise<void> {
  const charts = db.collection<ChartDoc & { _id: string }>(COLLECTIONS.charts);
  await noteChartDates(
    db,
    writes.map((w) => w.chart),
  );
  await insertNew(
    db.collection<AppearanceDoc>(COLLECTIONS.appearances),
    writes.flatMap((w) => appearancesOf(w.chart)),
  );
  await writeTracks(
    db,
    writes.flatMap((w) => w.chart.entries),
    knownTracks,
  );
  const fresh = writes.filter((w) => !w.adding);
  const merging = writes.filter((w) => w.adding).map((w) => w.chart);
  if (fresh.length > 0) {
    try {
      await charts.insertMany(
        fresh.map((w) => ({ _id: chartDocId(w.chart), ...fromChart(w.chart) })),
        { ordered: false },
      );
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
      // Stored meanwhile (another writer, or this write repeated): add what is missing.
      merging.push(...fresh.map((w) => w.chart));
    }
  }
  for (const chart of merging) await mergeEntries(charts, chart);
}

/**
 * Adds the entries of `chart` whose positions the stored chart lacks. Conditional on the stored
 * entry count, and tried again when another writer changed the chart in between.
 */
async function mergeEntries(
  charts: Collection<ChartDoc & { _id: string }>,
  chart: ChartSnapshot,
): Promise<void> {
  const filter = { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate };
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await charts.findOne(filter, { projection: { _id: 0 } });
    if (!stored) return;
    const current = toChart(stored);
    const taken = new Set(current.entries.map((e) => e.position));
    const adding = chart.entries.filter((e) => !taken.has(e.position));
    if (adding.length === 0) return;
    const entries = [...current.entries, ...adding].sort((a, b) => a.position - b.position);
    const merged = fromChart({ ...current, entries });
    const done = await charts.updateOne(
      { ...filter, entryCount: stored.entryCount },
      { $set: { entries: merged.entries, entryCount: merged.entryCount } },
    );
    if (done.matchedCount === 1) return;
  }
  throw new Error(`${chartLabel(chart)} kept changing while entries were added to it`);
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
  await updatesInChunks(charts, operations);
}
