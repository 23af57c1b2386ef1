import type {
  ChartEntry,
  ChartSnapshot,
  Movement,
  NormalisedEntry,
  TrackHistory,
} from './chart.js';

/**
 * Derives movement for today's entries from the previous chart and, for tracks absent from it,
 * their earlier history. A track listed twice keeps the movement of its best position.
 */
export function applyMovement(
  entries: NormalisedEntry[],
  previous: ChartSnapshot | null,
  history: ReadonlyMap<string, TrackHistory>,
): ChartEntry[] {
  const before = new Map<string, ChartEntry>();
  for (const entry of previous?.entries ?? []) {
    if (!before.has(entry.trackId)) before.set(entry.trackId, entry);
  }
  return entries.map((entry) => {
    const last = before.get(entry.trackId);
    if (last) {
      return {
        ...entry,
        previousPosition: last.position,
        movement: compare(entry.position, last.position),
        daysOnChart: last.daysOnChart + 1,
        peak: Math.min(last.peak, entry.position),
      };
    }
    const earlier = history.get(entry.trackId);
    return {
      ...entry,
      previousPosition: null,
      movement: earlier ? 're-entry' : 'new',
      daysOnChart: (earlier?.daysOnChart ?? 0) + 1,
      peak: Math.min(earlier?.peak ?? entry.position, entry.position),
    };
  });
}

/** Track ids that need a history look-up: those not on the previous chart. */
export function tracksMissingFrom(
  entries: NormalisedEntry[],
  previous: ChartSnapshot | null,
): string[] {
  const seen = new Set(previous?.entries.map((e) => e.trackId) ?? []);
  return [...new Set(entries.map((e) => e.trackId).filter((id) => !seen.has(id)))];
}

function compare(position: number, previousPosition: number): Movement {
  if (position < previousPosition) return 'up';
  if (position > previousPosition) return 'down';
  return 'same';
}
