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

/** A track's running state in a KeyDerivation. */
interface TrackState {
  days: number;
  peak: number;
  /** The number of the last chart of the key it appeared on (see KeyDerivation.chart). */
  chart: number;
  /** Its best position on that chart. */
  position: number;
}

/** Chart number of a track not on any chart derived yet, nor on the one before the first. */
const NO_CHART = -1;

/**
 * Derives chartkeeper's fields (previous position, movement, days on chart, peak) for the charts
 * of one key, fed in date order. "Previous" is the previous stored chart of the key, whatever its
 * date; days count the charts of the key a track appeared on (weeks for a weekly chart). The same
 * rules as applyMovement, kept as running state so that millions of imported rows are derived in
 * one pass instead of one store look-up per chart. Each track's state also holds its position on
 * the last chart it was on, so an entry costs one look-up: an import derives millions.
 */
export class KeyDerivation {
  private readonly tracks = new Map<string, TrackState>();
  /** The number of the chart derived last; the chart before the first is 0. */
  private chart = 0;

  constructor(start: KeySoFar = { tracks: new Map(), previous: null }) {
    for (const [trackId, { days, peak }] of start.tracks) {
      this.tracks.set(trackId, { days, peak, chart: NO_CHART, position: 0 });
    }
    for (const [trackId, position] of start.previous ?? []) {
      const state = this.tracks.get(trackId);
      if (state) {
        state.chart = 0;
        state.position = position;
      } else this.tracks.set(trackId, { days: 1, peak: position, chart: 0, position });
    }
  }

  /** The next chart of the key: its entries with derived fields; the state moves past it. */
  next(entries: readonly NormalisedEntry[]): ChartEntry[] {
    const chart = ++this.chart;
    // Derived first from the state before this chart (a track listed twice sees it twice),
    // then the state moves on, through the states found while deriving.
    const states = new Array<TrackState | undefined>(entries.length);
    const derived = new Array<ChartEntry>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const state = this.tracks.get(entry.trackId);
      states[i] = state;
      derived[i] = derive(entry, state, chart);
    }
    for (let i = 0; i < entries.length; i++) {
      const { trackId, position } = entries[i]!;
      const state = states[i] ?? this.tracks.get(trackId);
      if (state === undefined) {
        this.tracks.set(trackId, { days: 1, peak: position, chart, position });
      } else if (state.chart !== chart) {
        state.days += 1;
        state.chart = chart;
        state.position = position;
        if (position < state.peak) state.peak = position;
      } else if (position < state.position) {
        state.position = position;
        if (position < state.peak) state.peak = position;
      }
    }
    return derived;
  }
}

/** An entry's derived fields from its track's state before chart number `chart`. */
function derive(entry: NormalisedEntry, before: TrackState | undefined, chart: number): ChartEntry {
  const previousPosition =
    before !== undefined && before.chart === chart - 1 ? before.position : null;
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
