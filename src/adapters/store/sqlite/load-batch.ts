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
  /** Texts given a slot in this batch, TEXT_WIDTH values each: slot, track id, URI, name, artists. */
  texts: unknown[];
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
 * Texts the writer keeps at most (a few megabytes on each side). A day of the dataset's 71 charts
 * meets about 10,000 tracks; past this many, the text least recently used makes room.
 */
export const MAX_TEXTS = 24_000;

/**
 * Numbers the texts of entries for one writer thread: the number is a slot the writer keeps the
 * texts in. A track's texts keep their slot while its name and artists stay the same (compared,
 * not hashed: a row's name is a new string each time). Once every slot is taken, a slot not used
 * for a while is given to the new texts, found as a clock algorithm finds a page to evict: a
 * bounded memory that keeps what is used often. A slot used in the batch being made is never
 * given away (the writer takes a batch's texts before its entries).
 */
export class EntryTexts {
  private readonly slots = new Map<string, number>();
  /** By slot: the track id, name and artists it holds, the batch that last used it, and whether
   * it was used since the clock hand last passed. */
  private readonly trackIds: string[] = [];
  private readonly names: string[] = [];
  private readonly uris: string[] = [];
  private readonly artists: ChartEntry['artists'][] = [];
  private readonly usedIn: number[] = [];
  private readonly recent: boolean[] = [];
  private batch = 0;
  private hand = 0;

  /** A new batch begins: the slots its entries use stay theirs until it is made. */
  nextBatch(): void {
    this.batch += 1;
  }

  /** The slot of the entry's texts; texts given a slot now are added to `texts`. */
  numberOf(entry: ChartEntry, texts: unknown[]): number {
    const known = this.slots.get(entry.trackId);
    if (
      known !== undefined &&
      this.names[known] === entry.name &&
      this.uris[known] === entry.uri &&
      this.artists[known] === entry.artists
    ) {
      this.usedIn[known] = this.batch;
      this.recent[known] = true;
      return known;
    }
    const slot = this.freeSlot();
    const previous = this.trackIds[slot];
    if (previous !== undefined && this.slots.get(previous) === slot) this.slots.delete(previous);
    // A copy of the name: the one read is a slice of a whole piece of the file, kept alive by it.
    const name = ` ${entry.name}`.slice(1);
    this.slots.set(entry.trackId, slot);
    this.trackIds[slot] = entry.trackId;
    this.names[slot] = name;
    this.uris[slot] = entry.uri;
    this.artists[slot] = entry.artists;
    this.usedIn[slot] = this.batch;
    this.recent[slot] = true;
    texts.push(slot, entry.trackId, entry.uri, name, artistsText(entry.artists));
    return slot;
  }

  private freeSlot(): number {
    const size = this.trackIds.length;
    if (size < MAX_TEXTS) return size;
    // Two rounds clear every mark; a slot still not free is in this batch: one more slot then.
    for (let step = 0; step < 2 * size; step++) {
      const slot = this.hand;
      this.hand = (this.hand + 1) % size;
      if (this.usedIn[slot] === this.batch) continue;
      if (this.recent[slot]) this.recent[slot] = false;
      else return slot;
    }
    return size;
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
  texts.nextBatch();
  const batch: LoadBatch = {
    charts: [],
    tracks: [],
    texts: [],
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
      numbers[at++] = movementNumber(entry.movement);
      numbers[at++] = entry.daysOnChart;
      numbers[at++] = entry.peak;
      numbers[at++] = facts?.peakRank ?? Number.NaN;
      numbers[at++] = facts?.previousRank ?? Number.NaN;
      numbers[at++] = facts?.onChart ?? Number.NaN;
    }
  }
  return batch;
}

function movementNumber(movement: Movement): number {
  const number = MOVEMENT_NUMBERS.get(movement);
  if (number === undefined) throw new Error(`no such movement: ${movement}`);
  return number;
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
