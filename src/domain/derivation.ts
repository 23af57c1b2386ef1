import type { ChartEntry, Movement, NormalisedEntry } from './chart.js';

/** What the stored charts of a key before some date say about one track. */
export interface TrackSoFar {
  /** Charts of the key the track appeared on. */
  days: number;
  /** Its best position on them. */
  peak: number;
}

/** Where a key stands before a date: the history of every track, and the previous chart. */
export interface KeySoFar {
  tracks: Map<string, TrackSoFar>;
  /** Each track's best position on the latest chart before the date; null when there is none. */
  previous: Map<string, number> | null;
}

/** Chart number of a track not on any chart derived yet, nor on the one before the first. */
const NO_CHART = -1;

/**
 * Each track's running state, by a number given to the track: charts it appeared on, best
 * position, the number of the last chart it was on and its best position there. Kept in typed
 * arrays rather than an object per track: an import of years of charts holds hundreds of
 * thousands of (key, track) pairs, and plain numbers took 20 MB less at 5 million rows and left
 * the garbage collector nothing to trace.
 */
class TrackStates {
  private readonly numbers = new Map<string, number>();
  private size = 0;
  days = new Int32Array(256);
  charts = new Int32Array(256);
  // Doubles: a file may give any rank of up to 15 digits, and it must come back as given.
  peaks = new Float64Array(256);
  positions = new Float64Array(256);

  /** The track's number; -1 when it has none. */
  numberOf(trackId: string): number {
    return this.numbers.get(trackId) ?? -1;
  }

  add(trackId: string, days: number, peak: number, chart: number, position: number): number {
    const n = this.size++;
    if (n === this.days.length) this.grow();
    this.numbers.set(trackId, n);
    this.days[n] = days;
    this.peaks[n] = peak;
    this.charts[n] = chart;
    this.positions[n] = position;
    return n;
  }

  /** Track `n` is at `position` on chart number `chart` (the arrays may be new after add). */
  seen(n: number, chart: number, position: number): void {
    const { days, peaks, charts, positions } = this;
    if (charts[n] !== chart) {
      days[n] = (days[n] as number) + 1;
      charts[n] = chart;
      positions[n] = position;
    } else if (position < (positions[n] as number)) positions[n] = position;
    if (position < (peaks[n] as number)) peaks[n] = position;
  }

  private grow(): void {
    const larger = <T extends Int32Array | Float64Array>(from: T): T => {
      const to = new (from.constructor as new (length: number) => T)(from.length * 2);
      to.set(from);
      return to;
    };
    this.days = larger(this.days);
    this.peaks = larger(this.peaks);
    this.charts = larger(this.charts);
    this.positions = larger(this.positions);
  }
}

/**
 * Derives chartkeeper's fields (previous position, movement, days on chart, peak) for the charts
 * of one key, fed in date order. "Previous" is the previous stored chart of the key, whatever its
 * date; days count the charts of the key a track appeared on (weeks for a weekly chart). The same
 * rules as applyMovement, kept as running state so that millions of imported rows are derived in
 * one pass instead of one store look-up per chart. Each track's state also holds its position on
 * the last chart it was on, so an entry costs one look-up: an import derives millions.
 */
export class KeyDerivation {
  private readonly tracks = new TrackStates();
  /** The number of the chart derived last; the chart before the first is 0. */
  private chart = 0;
  /** The track numbers of the entries of the chart being derived (-1: not known before it). */
  private found = new Int32Array(256);

  constructor(start: KeySoFar = { tracks: new Map(), previous: null }) {
    for (const [trackId, { days, peak }] of start.tracks) {
      this.tracks.add(trackId, days, peak, NO_CHART, 0);
    }
    for (const [trackId, position] of start.previous ?? []) {
      const n = this.tracks.numberOf(trackId);
      // A store lists every track of the previous chart among `tracks`; one it left out was
      // on that chart all the same, for one day at least.
      if (n === -1) this.tracks.add(trackId, 1, position, 0, position);
      else {
        this.tracks.charts[n] = 0;
        this.tracks.positions[n] = position;
      }
    }
  }

  /** The next chart of the key: its entries with derived fields; the state moves past it. */
  next(entries: readonly NormalisedEntry[]): ChartEntry[] {
    const chart = ++this.chart;
    if (this.found.length < entries.length) this.found = new Int32Array(entries.length);
    const found = this.found;
    // Derived first from the state before this chart (a track listed twice sees it twice),
    // then the state moves on, through the numbers found while deriving.
    const derived = new Array<ChartEntry>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const n = this.tracks.numberOf(entry.trackId);
      found[i] = n;
      derived[i] = this.derive(entry, n, chart);
    }
    for (let i = 0; i < entries.length; i++) {
      const { trackId, position } = entries[i]!;
      // A track new to the key may be listed twice: the second time it has a number.
      const n = found[i] !== -1 ? (found[i] as number) : this.tracks.numberOf(trackId);
      if (n === -1) this.tracks.add(trackId, 1, position, chart, position);
      else this.tracks.seen(n, chart, position);
    }
    return derived;
  }

  /** An entry's derived fields from the state of its track (number `n`) before chart `chart`. */
  private derive(entry: NormalisedEntry, n: number, chart: number): ChartEntry {
    const { days, peaks, charts, positions } = this.tracks;
    const known = n !== -1;
    const previousPosition = known && charts[n] === chart - 1 ? (positions[n] as number) : null;
    let movement: Movement;
    if (previousPosition !== null) movement = compare(entry.position, previousPosition);
    else movement = known ? 're-entry' : 'new';
    // Field by field rather than by spreading: an import derives millions of entries.
    const derived: ChartEntry = {
      position: entry.position,
      trackId: entry.trackId,
      uri: entry.uri,
      name: entry.name,
      artists: entry.artists,
      album: entry.album,
      durationMs: entry.durationMs,
      explicit: entry.explicit,
      isrc: entry.isrc,
      addedAt: entry.addedAt,
      streams: entry.streams,
      previousPosition,
      movement,
      daysOnChart: known ? (days[n] as number) + 1 : 1,
      peak: known ? Math.min(peaks[n] as number, entry.position) : entry.position,
    };
    if (entry.facts !== undefined) derived.facts = entry.facts;
    return derived;
  }
}

/**
 * Entries as ChartEntries: those that are already are kept as they are, others get placeholders
 * (new, first day, peak at their position) until they are derived.
 */
export function withPlaceholders(entries: readonly NormalisedEntry[]): ChartEntry[] {
  if (entries.every((entry) => 'movement' in entry)) return entries as ChartEntry[];
  return entries.map((entry) =>
    'movement' in entry
      ? (entry as ChartEntry)
      : { ...entry, previousPosition: null, movement: 'new', daysOnChart: 1, peak: entry.position },
  );
}

/** Whether two entries carry the same derived fields. */
export function sameDerived(a: ChartEntry, b: ChartEntry): boolean {
  return (
    a.previousPosition === b.previousPosition &&
    a.movement === b.movement &&
    a.daysOnChart === b.daysOnChart &&
    a.peak === b.peak
  );
}

function compare(position: number, previousPosition: number): Movement {
  if (position < previousPosition) return 'up';
  if (position > previousPosition) return 'down';
  return 'same';
}
