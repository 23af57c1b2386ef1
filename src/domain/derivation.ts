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

/**
 * Derives chartkeeper's fields (previous position, movement, days on chart, peak) for the charts
 * of one key, fed in date order. "Previous" is the previous stored chart of the key, whatever its
 * date; days count the charts of the key a track appeared on (weeks for a weekly chart). The same
 * rules as applyMovement, kept as running state so that millions of imported rows are derived in
 * one pass instead of one store look-up per chart.
 */
export class KeyDerivation {
  private readonly tracks: Map<string, TrackSoFar>;
  private previous: Map<string, number> | null;

  /** Takes `start` over: its maps, and the objects in them, change as charts are derived. */
  constructor(start: KeySoFar = { tracks: new Map(), previous: null }) {
    this.tracks = start.tracks;
    this.previous = start.previous;
  }

  /** The next chart of the key: its entries with derived fields; the state moves past it. */
  next(entries: readonly NormalisedEntry[]): ChartEntry[] {
    const derived = entries.map((entry) => this.derive(entry));
    const best = new Map<string, number>();
    for (const entry of entries) {
      const seen = best.get(entry.trackId);
      if (seen === undefined || entry.position < seen) best.set(entry.trackId, entry.position);
    }
    for (const [trackId, position] of best) {
      const before = this.tracks.get(trackId);
      // Updated in place: a new object per track and chart would be millions over an import.
      if (before === undefined) this.tracks.set(trackId, { days: 1, peak: position });
      else {
        before.days += 1;
        if (position < before.peak) before.peak = position;
      }
    }
    this.previous = best;
    return derived;
  }

  private derive(entry: NormalisedEntry): ChartEntry {
    const before = this.tracks.get(entry.trackId);
    const previousPosition = this.previous?.get(entry.trackId) ?? null;
    let movement: Movement;
    if (previousPosition !== null) movement = compare(entry.position, previousPosition);
    else movement = before ? 're-entry' : 'new';
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
      daysOnChart: (before?.days ?? 0) + 1,
      peak: Math.min(before?.peak ?? entry.position, entry.position),
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
