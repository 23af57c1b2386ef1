import type { ChartKey, ChartSnapshot, NormalisedEntry } from '../../domain/chart.js';
import { fileChartTitle, type RejectedLine } from '../../domain/chart-file.js';
import { KeyDerivation, sameDerived, withPlaceholders } from '../../domain/derivation.js';
import { ChartkeeperError } from '../../domain/errors.js';
import {
  type BulkChartArchive,
  type ChartWrite,
  chartLabel,
  type DerivedUpdate,
  type StoredRow,
} from '../../domain/ports/bulk-chart-archive.js';
import type { ChartFileReading } from '../../domain/ports/chart-files.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import { SOURCES } from '../../domain/sources.js';

/**
 * What importing one file did: `rows = imported + duplicates + rejected.length` (plus
 * `heldBack` with strict, and `rejectedNotListed` for a file with over 100,000 bad rows).
 */
export interface FileImportCounts {
  /** Charts (key and date) the file holds rows of. */
  charts: number;
  rows: number;
  imported: number;
  /** Rows already stored exactly so (a file imported again). */
  duplicates: number;
  rejected: RejectedLine[];
  /** With `strict` and a rejected row: the good rows, not imported. */
  heldBack?: number;
  /** The latest chart date the file holds rows of. */
  lastDate?: string | null;
  /** The chart ids (of source spotify-charts) the file holds rows of, in the order first met. */
  chartIds?: string[];
  /** Why reading stopped part-way; the rows read before it were imported and are counted. */
  error?: string;
  /** Rejected rows beyond the first MAX_REJECTS_LISTED, counted but not listed. */
  rejectedNotListed?: number;
}

/** Rejected rows listed per file; past them a file that is wrong throughout is only counted. */
export const MAX_REJECTS_LISTED = 100_000;

function reject(counts: FileImportCounts, bad: RejectedLine): void {
  if (counts.rejected.length < MAX_REJECTS_LISTED) counts.rejected.push(bad);
  else counts.rejectedNotListed = (counts.rejectedNotListed ?? 0) + 1;
}

export interface ImportChartFileOptions {
  /** Names the file in the charts' capture id ("file:…"). */
  fileName: string;
  /** When the rows were imported (the charts' capturedAt). */
  importedAt: string;
  /** Reads and checks everything, writes nothing. */
  dryRun?: boolean;
  /** About how many rows the file holds (from its size), so the store can ready itself. */
  expectedRows?: number;
  /** Called after each batch with the rows read so far, and the bytes where the reader knows. */
  progress?: (rows: number, bytes: number | null) => void;
}

/** Charts whose rows are still arriving; more are held only when a file interleaves its charts. */
const MAX_OPEN_CHARTS = 16;
/** Where the keys to derive again are kept (see StateValues). */
const PENDING = 'import.derive-pending';

/** Charts written per store call (one transaction in SQLite), unless the store says otherwise. */
const CHARTS_PER_WRITE = 128;

interface OpenChart {
  key: ChartKey;
  chartDate: string;
  entries: NormalisedEntry[];
  lines: number[];
  /** By position, the line of the chart's row there. */
  firstLine: number[];
}

/** The chart of the row read last, while it is open. */
interface LastChart {
  chartId: string | null;
  chartDate: string | null;
  chart: OpenChart | null;
}
const NO_CHART: LastChart = { chartId: null, chartDate: null, chart: null };

/** How far the import has taken a key's derived fields. */
interface KeyProgress {
  /** Derives the next chart of the key, while charts arrive after everything stored. */
  derivation: KeyDerivation | null;
  lastDate: string | null;
  /** The earliest chart of the key that arrived out of order: derived again after the file. */
  staleFrom: string | null;
}

/**
 * Imports one chart file: rows are grouped into charts, each chart is checked against what the
 * store holds (identical rows are duplicates, a position taken by another track is rejected,
 * never overwritten), new charts are derived in date order as they arrive and written many at a
 * time. A chart that arrives before charts already stored of its key (a file imported late) is
 * written as it is and its key derived again from that date once the file is read, so every
 * later chart's previous position, movement, days and peak stay right.
 */
export async function importChartFile(
  archive: BulkChartArchive & Pick<Coordination, 'getState' | 'setState'>,
  reading: ChartFileReading,
  options: ImportChartFileOptions,
): Promise<FileImportCounts> {
  const counts: FileImportCounts = { charts: 0, rows: 0, imported: 0, duplicates: 0, rejected: [] };
  // The dates of each chart id the file holds, in the order first met: a set of the readers' own
  // date strings, not a label per chart (a file of years of charts holds a hundred thousand).
  const charts = new Map<string, Set<string>>();
  const open = new Map<string, OpenChart>();
  const keys = new Map<string, KeyProgress>();
  // Charts read whole, waiting to be written; a chart whose rows come back later is merged here.
  let ready = new Map<string, OpenChart>();

  const finish = (label: string, chart: OpenChart) => {
    const waiting = ready.get(label);
    if (waiting) mergeInto(waiting, chart, counts);
    else ready.set(label, chart);
  };
  // Keys left to derive again by an import that did not finish: derived by this one.
  let pending: Record<string, string> = options.dryRun
    ? {}
    : ((await archive.getState(PENDING)) ?? {});
  for (const [label, from] of Object.entries(pending)) {
    keys.set(label, { derivation: null, lastDate: null, staleFrom: from });
  }
  /** Notes in the store the keys to derive again, before charts that need it are written. */
  const notePending = async () => {
    const now: Record<string, string> = {};
    for (const [label, progress] of keys) if (progress.staleFrom) now[label] = progress.staleFrom;
    if (JSON.stringify(now) === JSON.stringify(pending)) return;
    await archive.setState(PENDING, now);
    pending = now;
  };
  const chartsPerWrite = archive.chartsPerWrite ?? CHARTS_PER_WRITE;
  const write = async () => {
    const charts = [...ready.values()];
    ready = new Map();
    await writeCharts(archive, charts, keys, counts, options, notePending);
  };

  const finishLoad =
    options.dryRun || !options.expectedRows
      ? null
      : await archive.prepareLoad(options.expectedRows);
  try {
    try {
      await readAll();
    } catch (error) {
      // A file that turns bad part-way (a broken byte, a quote never closed): what was read
      // before is kept and counted, and the error is the file's, reported with the counts.
      if (!isFileProblem(error)) throw error;
      counts.error = (error as Error).message;
    }
    for (const [label, chart] of open) finish(label, chart);
    open.clear();
    while (ready.size > 0) {
      const rest = [...ready].slice(chartsPerWrite);
      ready = new Map([...ready].slice(0, chartsPerWrite));
      await write();
      ready = new Map(rest);
    }
  } finally {
    await finishLoad?.();
    // Whatever was written, even by an import that failed, leaves later charts right.
    if (!options.dryRun) {
      for (const [label, progress] of keys) {
        if (progress.staleFrom) await deriveAgain(archive, keyOf(label), progress.staleFrom);
      }
      if (Object.keys(pending).length > 0) await archive.setState(PENDING, null);
    }
  }
  counts.chartIds = [...charts.keys()];
  counts.charts = 0;
  for (const dates of charts.values()) {
    counts.charts += dates.size;
    for (const date of dates)
      if (!counts.lastDate || date > counts.lastDate) counts.lastDate = date;
  }
  counts.rejected.sort((a, b) => a.line - b.line);
  return counts;

  async function readAll(): Promise<void> {
    let last: LastChart = NO_CHART;
    for await (const batch of reading.batches) {
      for (const bad of batch.rejected) reject(counts, bad);
      counts.rows += batch.rejected.length;
      for (const row of batch.rows) {
        counts.rows += 1;
        // A file lists a chart's rows together, and its readers give each row of a chart the
        // same strings: most rows are of the chart of the row before, found without a look-up.
        if (row.chartId === last.chartId && row.chartDate === last.chartDate && last.chart) {
          addRow(last.chart, row.entry, row.line, counts);
          continue;
        }
        const label = `${row.chartId}/${row.chartDate}`;
        let chart = open.get(label);
        if (!chart) {
          chart = newChart(row.chartId, row.chartDate);
          open.set(label, chart);
          const dates = charts.get(row.chartId) ?? new Set<string>();
          charts.set(row.chartId, dates.add(row.chartDate));
          if (open.size > MAX_OPEN_CHARTS) {
            const [oldest] = open;
            if (oldest) {
              open.delete(oldest[0]);
              finish(oldest[0], oldest[1]);
              if (last.chart === oldest[1]) last = NO_CHART;
            }
          }
        }
        addRow(chart, row.entry, row.line, counts);
        last = { chartId: row.chartId, chartDate: row.chartDate, chart };
      }
      // A chart is complete once another has begun after it (a file lists a chart's rows together).
      const current = [...open.values()].at(-1);
      for (const [label, chart] of open) {
        if (chart !== current) {
          open.delete(label);
          finish(label, chart);
          if (last.chart === chart) last = NO_CHART;
        }
      }
      if (ready.size >= chartsPerWrite) await write();
      options.progress?.(counts.rows, batch.bytesRead ?? null);
    }
  }
}

function newChart(chartId: string, chartDate: string): OpenChart {
  return {
    key: { source: SOURCES.spotifyCharts, chartId },
    chartDate,
    entries: [],
    lines: [],
    firstLine: [],
  };
}

/** Adds a row to its chart; a position the chart has already is rejected (the first is kept). */
function addRow(chart: OpenChart, entry: NormalisedEntry, line: number, counts: FileImportCounts) {
  const first = chart.firstLine[entry.position];
  if (first !== undefined) {
    reject(counts, {
      line,
      reason: `position ${entry.position} of ${chart.key.chartId} ${chart.chartDate} is also on line ${first}; the first is kept`,
    });
    return;
  }
  chart.firstLine[entry.position] = line;
  chart.entries.push(entry);
  chart.lines.push(line);
}

/** The rows of a chart that came back later in the file, added to the part read before. */
function mergeInto(chart: OpenChart, later: OpenChart, counts: FileImportCounts): void {
  later.entries.forEach((entry, i) => {
    addRow(chart, entry, later.lines[i] ?? 0, counts);
  });
}

/** A problem of the file itself (as opposed to the store, or a bug). */
function isFileProblem(error: unknown): boolean {
  return error instanceof ChartkeeperError && !/^(store|outbox)-/.test(error.code);
}

async function writeCharts(
  archive: BulkChartArchive,
  charts: OpenChart[],
  keys: Map<string, KeyProgress>,
  counts: FileImportCounts,
  options: ImportChartFileOptions,
  notePending: () => Promise<void>,
): Promise<void> {
  if (charts.length === 0) return;
  const stored = await archive.storedPositions(
    charts.map((c) => ({ ...c.key, chartDate: c.chartDate })),
  );
  charts.sort((a, b) =>
    a.key.chartId === b.key.chartId
      ? a.chartDate.localeCompare(b.chartDate)
      : a.key.chartId.localeCompare(b.key.chartId),
  );
  const writes: ChartWrite[] = [];
  for (const chart of charts) {
    const at = { ...chart.key, chartDate: chart.chartDate };
    const progress = await keyProgress(archive, keys, chart.key, chart.chartDate);
    const positions = stored.get(chartLabel(at));
    chart.entries.sort((a, b) => a.position - b.position);
    if (positions) {
      const adding: NormalisedEntry[] = [];
      chart.entries.forEach((entry, i) => {
        const there = positions.get(entry.position);
        if (there === undefined) {
          adding.push(entry);
          return;
        }
        const difference = differenceFrom(there, entry);
        if (difference === null) counts.duplicates += 1;
        else {
          reject(counts, {
            line: chart.lines[i] ?? 0,
            reason: `position ${entry.position} of ${chart.key.chartId} ${chart.chartDate} is stored with ${difference}; the stored one is kept`,
          });
        }
      });
      if (adding.length === 0) continue;
      counts.imported += adding.length;
      stale(progress, chart.chartDate);
      writes.push({ chart: snapshot(chart, adding, options), adding: true });
      continue;
    }
    counts.imported += chart.entries.length;
    const inOrder =
      progress.derivation !== null &&
      (progress.lastDate === null || chart.chartDate > progress.lastDate);
    const entries = inOrder
      ? (progress.derivation as KeyDerivation).next(chart.entries)
      : chart.entries;
    if (inOrder) progress.lastDate = chart.chartDate;
    else stale(progress, chart.chartDate);
    writes.push({ chart: snapshot(chart, entries, options), adding: false });
  }
  if (options.dryRun || writes.length === 0) return;
  await notePending();
  await archive.writeCharts(writes);
}

/**
 * How a row differs from what is stored at its position ("track X, not Y"), or null. Only known
 * values can differ: streams or file counts that one side does not give are not a difference.
 */
function differenceFrom(stored: StoredRow, entry: NormalisedEntry): string | null {
  if (stored.trackId !== entry.trackId) return `track ${stored.trackId}, not ${entry.trackId}`;
  const streams = entry.streams ?? null;
  if (stored.streams !== null && streams !== null && stored.streams !== streams) {
    return `streams ${stored.streams}, not ${streams}`;
  }
  for (const [field, name] of [
    ['peakRank', 'peak_rank'],
    ['previousRank', 'previous_rank'],
    ['onChart', 'days (or weeks) on chart'],
  ] as const) {
    const a = stored.facts?.[field] ?? null;
    const b = entry.facts?.[field] ?? null;
    if (stored.facts && entry.facts && a !== b)
      return `${name} ${a ?? 'unknown'}, not ${b ?? 'unknown'}`;
  }
  return null;
}

async function keyProgress(
  archive: BulkChartArchive,
  keys: Map<string, KeyProgress>,
  key: ChartKey,
  chartDate: string,
): Promise<KeyProgress> {
  const label = `${key.source}/${key.chartId}`;
  const known = keys.get(label);
  if (known) return known;
  const lastDate = await archive.latestChartDate(key);
  const progress: KeyProgress =
    lastDate === null
      ? { derivation: new KeyDerivation(), lastDate: null, staleFrom: null }
      : chartDate > lastDate
        ? {
            derivation: new KeyDerivation(await archive.keySoFar(key, chartDate)),
            lastDate,
            staleFrom: null,
          }
        : { derivation: null, lastDate, staleFrom: chartDate };
  keys.set(label, progress);
  return progress;
}

/** From here on the key is derived again after the file (see importChartFile). */
function stale(progress: KeyProgress, chartDate: string): void {
  progress.derivation = null;
  if (progress.staleFrom === null || chartDate < progress.staleFrom) progress.staleFrom = chartDate;
}

/** An imported chart's entries; those not derived carry placeholders until their key is derived again. */
function snapshot(
  chart: OpenChart,
  entries: readonly NormalisedEntry[],
  options: ImportChartFileOptions,
): ChartSnapshot {
  return {
    ...chart.key,
    chartDate: chart.chartDate,
    title: fileChartTitle(chart.key.chartId),
    captureId: `file:${options.fileName}`,
    runId: null,
    capturedAt: options.importedAt,
    entries: withPlaceholders(entries),
    skipped: [],
  };
}

/** Updates per store call when deriving a key again. */
const UPDATES_PER_WRITE = 64;

/** Derives every stored chart of `key` from `from` on again, writing only what changed. */
export async function deriveAgain(
  archive: BulkChartArchive,
  key: ChartKey,
  from: string,
): Promise<number> {
  const derivation = new KeyDerivation(await archive.keySoFar(key, from));
  let updates: DerivedUpdate[] = [];
  let changed = 0;
  for await (const chart of archive.chartsFrom(key, from)) {
    const entries = [...chart.entries].sort((a, b) => a.position - b.position);
    const derived = derivation.next(entries);
    const different = derived.filter((entry, i) => {
      const before = entries[i];
      return !before || !sameDerived(entry, before);
    });
    if (different.length === 0) continue;
    changed += different.length;
    updates.push({ ...key, chartDate: chart.chartDate, entries: different });
    if (updates.length >= UPDATES_PER_WRITE) {
      await archive.updateDerived(updates);
      updates = [];
    }
  }
  if (updates.length > 0) await archive.updateDerived(updates);
  return changed;
}

function keyOf(label: string): ChartKey {
  const slash = label.indexOf('/');
  return { source: label.slice(0, slash), chartId: label.slice(slash + 1) };
}
