import type { Movement, NormalisedEntry } from '../domain/chart.js';

/** Entries listing `ids` in order (position 1 first), with nothing else known. */
export function plainEntries(ids: readonly string[]): NormalisedEntry[] {
  return ids.map((trackId, i) => ({
    position: i + 1,
    trackId,
    uri: `spotify:track:${trackId}`,
    name: trackId,
    artists: [],
    album: null,
    durationMs: null,
    explicit: null,
    isrc: null,
    addedAt: null,
    streams: null,
  }));
}

/**
 * The derived fields of chart `index` of a key, computed independently of chartkeeper's code: by
 * scanning every earlier chart (`charts` lists each chart's track ids, in date order).
 */
export function derivedFromScratch(charts: readonly (readonly string[])[], index: number) {
  const today = charts[index] ?? [];
  const previous = index > 0 ? (charts[index - 1] ?? []) : null;
  return today.map((trackId, i) => {
    const position = i + 1;
    const earlier = charts.slice(0, index).filter((c) => c.includes(trackId));
    const previousPosition = previous?.includes(trackId) ? previous.indexOf(trackId) + 1 : null;
    let movement: Movement;
    if (previousPosition === null) movement = earlier.length > 0 ? 're-entry' : 'new';
    else if (position < previousPosition) movement = 'up';
    else if (position > previousPosition) movement = 'down';
    else movement = 'same';
    return {
      trackId,
      previousPosition,
      movement,
      daysOnChart: earlier.length + 1,
      peak: Math.min(position, ...earlier.map((c) => c.indexOf(trackId) + 1)),
    };
  });
}
