import type { ChartEntry, ChartSnapshot, Movement } from '../../../domain/chart.js';
import type { ChartWrite } from '../../../domain/ports/bulk-chart-archive.js';
import { chartLabel } from '../../../domain/ports/bulk-chart-archive.js';
import { artistsText, fromChart, isSparse } from './rows.js';

/**
 * What a large load sends its writer thread (see LoadWriter), made so that almost nothing but
 * numbers crosses threads: an import meets the same few thousand tracks millions of times, so each
 * entry's texts (track id, URI, name, artists) are sent once, numbered, and each entry is a row of
 * numbers in one buffer that is handed over, not copied. Cloning a string or an object per value
 * cost both threads more than SQLite's own work.
 */
export interface LoadBatch {
  charts: {
    /** The charts row of a new chart (insertChart's parameters); null when entries are added. */
    row: object | null;
    /** The chart's key and date, to find a stored chart to add to (chartId's parameters). */
    at: object;
    label: string;
    entries: number;
    /**
     * Null for sparse entries (SPARSE_ENTRY_COLUMNS), else EXTRA_WIDTH values per entry: album
     * (JSON), duration, explicit (0/1), ISRC, added date.
     */
    extras: unknown[] | null;
  }[];
  /** The rows of `tracks` and `track_artists` of tracks met the first time. */
  tracks: { track: object; artists: string[] }[];
  /** Texts numbered in this batch, TEXT_WIDTH values each: number, track id, URI, name, artists. */
  texts: unknown[];
  /** Whether the writer forgets every text numbered before this batch (see EntryTexts). */
  resetTexts: boolean;
  /** NUMBER_WIDTH numbers per entry (see NUMBER_FIELDS), the charts' one after another. */
  numbers: Float64Array;
}

/** An entry's numbers in LoadBatch.numbers, in this order; NaN stands for null. */
export const NUMBER_FIELDS = [
  'position',
  'text',
  'streams',
  'previousPosition',
  'movement',
  'daysOnChart',
  'peak',
  'filePeakRank',
  'filePreviousRank',
  'fileOnChart',
] as const;
export const NUMBER_WIDTH = NUMBER_FIELDS.length;
export const TEXT_WIDTH = 5;
export const EXTRA_WIDTH = 5;
/** Movements by their number in LoadBatch.numbers. */
export const MOVEMENTS: readonly Movement[] = ['new', 're-entry', 'up', 'down', 'same'];
const MOVEMENT_NUMBERS = new Map(MOVEMENTS.map((movement, i) => [movement, i]));

/**
 * Texts the writer keeps at most; then both sides start numbering again. A day of the dataset's
 * 71 charts meets about 10,000 tracks, so a reset costs little, and both threads' memory stays
 * a few megabytes.
 */
const MAX_TEXTS = 32_000;

/**
 * Numbers the texts of entries for one writer thread. A track's texts keep their number while its
 * name and artists stay the same (compared, not hashed: a row's name is a new string each time).
 */
export class EntryTexts {
  private readonly numbers = new Map<string, number>();
  /** By number, the name and artists the texts hold. */
  private names: string[] = [];
  private artists: ChartEntry['artists'][] = [];

  /** Forgets every number once there are MAX_TEXTS; true when it did (tell the writer). */
  resetIfFull(): boolean {
    if (this.names.length < MAX_TEXTS) return false;
    this.numbers.clear();
    this.names = [];
    this.artists = [];
    return true;
  }

  /** The number of the entry's texts; texts numbered now are added to `texts`. */
  numberOf(entry: ChartEntry, texts: unknown[]): number {
    const known = this.numbers.get(entry.trackId);
    if (
      known !== undefined &&
      this.names[known] === entry.name &&
      this.artists[known] === entry.artists
    ) {
      return known;
    }
    const number = this.names.length;
    // A copy of the name: the one read is a slice of a whole piece of the file, kept alive by it.
    const name = ` ${entry.name}`.slice(1);
    this.numbers.set(entry.trackId, number);
    this.names.push(name);
    this.artists.push(entry.artists);
    texts.push(number, entry.trackId, entry.uri, name, artistsText(entry.artists));
    return number;
  }
}

/**
 * The writes as a LoadWriter takes them. `newTrack` gives a track's rows the first time the store
 * meets it (else null); it is asked only for entries whose texts are new. `buffer` gives the
 * numbers' memory (see LoadWriter.buffer).
 */
export function loadBatch(
  writes: readonly ChartWrite[],
  texts: EntryTexts,
  newTrack: (entry: ChartEntry) => LoadBatch['tracks'][number] | null,
  buffer: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes),
): LoadBatch {
  let total = 0;
  for (const { chart } of writes) total += chart.entries.length;
  const batch: LoadBatch = {
    charts: [],
    tracks: [],
    texts: [],
    resetTexts: texts.resetIfFull(),
    numbers: new Float64Array(
      buffer(total * NUMBER_WIDTH * Float64Array.BYTES_PER_ELEMENT),
      0,
      total * NUMBER_WIDTH,
    ),
  };
  const numbers = batch.numbers;
  let at = 0;
  for (const { chart, adding } of writes) {
    const where = { source: chart.source, chartId: chart.chartId, chartDate: chart.chartDate };
    const extras = chart.entries.every(isSparse) ? null : extrasOf(chart);
    batch.charts.push({
      row: adding ? null : fromChart(chart),
      at: where,
      label: chartLabel(where),
      entries: chart.entries.length,
      extras,
    });
    for (const entry of chart.entries) {
      const before = batch.texts.length;
      const text = texts.numberOf(entry, batch.texts);
      if (batch.texts.length > before) {
        const track = newTrack(entry);
        if (track !== null) batch.tracks.push(track);
      }
      const facts = entry.facts;
      numbers[at++] = entry.position;
      numbers[at++] = text;
      numbers[at++] = entry.streams ?? Number.NaN;
      numbers[at++] = entry.previousPosition ?? Number.NaN;
      numbers[at++] = MOVEMENT_NUMBERS.get(entry.movement) ?? 0;
      numbers[at++] = entry.daysOnChart;
      numbers[at++] = entry.peak;
      numbers[at++] = facts?.peakRank ?? Number.NaN;
      numbers[at++] = facts?.previousRank ?? Number.NaN;
      numbers[at++] = facts?.onChart ?? Number.NaN;
    }
  }
  return batch;
}

function extrasOf(chart: ChartSnapshot): unknown[] {
  const extras: unknown[] = [];
  for (const entry of chart.entries) {
    extras.push(
      entry.album ? JSON.stringify(entry.album) : null,
      entry.durationMs ?? null,
      entry.explicit === null || entry.explicit === undefined ? null : entry.explicit ? 1 : 0,
      entry.isrc ?? null,
      entry.addedAt ?? null,
    );
  }
  return extras;
}
