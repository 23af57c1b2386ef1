import type { Artist, ChartEntry, ChartKey, ChartSnapshot } from './chart.js';

/* History and analytics over stored charts: pure functions of what the store reads. */

/** A stored chart key: its latest title, first and last stored date, and how many charts. */
export interface ChartKeySummary extends ChartKey {
  title: string;
  firstDate: string;
  lastDate: string;
  chartCount: number;
}

/** A track as first seen on any chart. */
export interface TrackInfo {
  id: string;
  name: string;
  artists: Artist[];
  isrc: string | null;
}

/** One entry of one stored chart, as history reads it. */
export interface Appearance extends ChartKey {
  chartDate: string;
  position: number;
  trackId: string;
  streams: number | null;
}

/** A track (or a group of versions) on one chart: its best position, streams summed. */
export interface SeriesPoint {
  chartDate: string;
  position: number;
  streams: number | null;
  /** The track at that position (with versions grouped, the best placed one). */
  trackId: string;
}

/** What a series of appearances on one key says (see the README, "History and analytics"). */
export interface SeriesStats {
  firstDate: string;
  lastDate: string;
  peak: number;
  /** The first date at the peak. */
  peakDate: string;
  timesAtPeak: number;
  /** Charts of the key the track appeared on (days for a daily chart, weeks for a weekly one). */
  chartsOn: number;
  chartsAtNumberOne: number;
  /** Most charts in a row, "in a row" meaning adjacent among the key's stored chart dates. */
  longestStreak: number;
  /** Streams summed over the charts that give them; null when none does. */
  totalStreams: number | null;
}

/** Whether a key's charts are weekly (`…-weekly` chart ids): counts are then weeks. */
export function chartUnit(key: ChartKey): 'days' | 'weeks' {
  return key.chartId.endsWith('-weekly') ? 'weeks' : 'days';
}

/** Adds streams where known: null only when every value is null. */
export function addStreams(total: number | null, streams: number | null): number | null {
  if (streams === null) return total;
  return (total ?? 0) + streams;
}

/**
 * One point per chart date from appearances of one key (of one track, or of several versions of
 * one song): the best position that day, its track, and the streams of all of them summed.
 * Sorted by date.
 */
export function seriesOf(appearances: readonly Appearance[]): SeriesPoint[] {
  const byDate = new Map<string, SeriesPoint>();
  for (const a of appearances) {
    const point = byDate.get(a.chartDate);
    if (!point) {
      byDate.set(a.chartDate, {
        chartDate: a.chartDate,
        position: a.position,
        streams: a.streams,
        trackId: a.trackId,
      });
      continue;
    }
    point.streams = addStreams(point.streams, a.streams);
    if (a.position < point.position) {
      point.position = a.position;
      point.trackId = a.trackId;
    }
  }
  return [...byDate.values()].sort((a, b) => compare(a.chartDate, b.chartDate));
}

/**
 * The statistics of a series on one key. `keyDates` are the key's stored chart dates (at least
 * those from the series' first to its last date), which decide what "in a row" means: two
 * appearances are consecutive when no stored chart of the key lies between them.
 */
export function seriesStats(
  points: readonly SeriesPoint[],
  keyDates: readonly string[],
): SeriesStats {
  const sorted = [...points].sort((a, b) => compare(a.chartDate, b.chartDate));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) throw new RangeError('seriesStats needs at least one point');
  const index = new Map(keyDates.map((date, i) => [date, i]));
  let peak = first.position;
  let peakDate = first.chartDate;
  let timesAtPeak = 0;
  let atNumberOne = 0;
  let totalStreams: number | null = null;
  let streak = 0;
  let longest = 0;
  let previous: number | undefined;
  for (const point of sorted) {
    if (point.position < peak) {
      peak = point.position;
      peakDate = point.chartDate;
      timesAtPeak = 1;
    } else if (point.position === peak) {
      timesAtPeak++;
    }
    if (point.position === 1) atNumberOne++;
    totalStreams = addStreams(totalStreams, point.streams);
    const at = index.get(point.chartDate);
    streak = at !== undefined && previous !== undefined && at === previous + 1 ? streak + 1 : 1;
    previous = at;
    longest = Math.max(longest, streak);
  }
  return {
    firstDate: first.chartDate,
    lastDate: last.chartDate,
    peak,
    peakDate,
    timesAtPeak,
    chartsOn: sorted.length,
    chartsAtNumberOne: atNumberOne,
    longestStreak: longest,
    totalStreams,
  };
}

/** Appearances split by key (`source/chartId`), keeping their order. */
export function byKey<T extends ChartKey>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const label = `${item.source}/${item.chartId}`;
    const group = groups.get(label);
    if (group) group.push(item);
    else groups.set(label, [item]);
  }
  return groups;
}

/**
 * The song a track belongs to when versions are grouped: tracks sharing an ISRC are one song
 * (`isrc:<ISRC>`); a track without an ISRC stands alone (its own id).
 */
export function songOf(track: Pick<TrackInfo, 'id' | 'isrc'>): string {
  return track.isrc ? `isrc:${track.isrc}` : track.id;
}

/** One artist's entries on one chart date. */
export interface ArtistDay {
  chartDate: string;
  entries: { position: number; trackId: string; name: string; streams: number | null }[];
  bestPosition: number;
  streams: number | null;
}

export interface ArtistKeyHistory extends ChartKey {
  days: ArtistDay[];
  totals: { tracks: number; days: number; bestPosition: number; streams: number | null };
}

/** An artist's entries per key and day, with totals per key, from their tracks' appearances. */
export function artistHistory(
  appearances: readonly Appearance[],
  titles: ReadonlyMap<string, string>,
): ArtistKeyHistory[] {
  const result: ArtistKeyHistory[] = [];
  for (const group of byKey(appearances).values()) {
    const head = group[0] as Appearance;
    const days = new Map<string, ArtistDay>();
    const tracks = new Set<string>();
    let total: number | null = null;
    let best = Number.POSITIVE_INFINITY;
    for (const a of group) {
      tracks.add(a.trackId);
      total = addStreams(total, a.streams);
      best = Math.min(best, a.position);
      let day = days.get(a.chartDate);
      if (!day) {
        day = { chartDate: a.chartDate, entries: [], bestPosition: a.position, streams: null };
        days.set(a.chartDate, day);
      }
      day.entries.push({
        position: a.position,
        trackId: a.trackId,
        name: titles.get(a.trackId) ?? a.trackId,
        streams: a.streams,
      });
      day.bestPosition = Math.min(day.bestPosition, a.position);
      day.streams = addStreams(day.streams, a.streams);
    }
    const sortedDays = [...days.values()].sort((a, b) => compare(a.chartDate, b.chartDate));
    for (const day of sortedDays) day.entries.sort((a, b) => a.position - b.position);
    result.push({
      source: head.source,
      chartId: head.chartId,
      days: sortedDays,
      totals: { tracks: tracks.size, days: sortedDays.length, bestPosition: best, streams: total },
    });
  }
  return result;
}

/** An entry that moved between two charts of a key. */
export interface Mover {
  trackId: string;
  name: string;
  artists: Artist[];
  /** Null for a drop-out. */
  position: number | null;
  /** Null for a new entry or a re-entry. */
  previousPosition: number | null;
  /** Positions gained (positive) or lost (negative); null when not on both charts. */
  change: number | null;
}

export interface Movers {
  climbers: Mover[];
  fallers: Mover[];
  newEntries: Mover[];
  reEntries: Mover[];
  dropOuts: Mover[];
}

/**
 * What changed from `previous` to `chart` (two charts of one key): climbers by positions gained,
 * fallers by positions lost, new entries and re-entries (not on the previous chart; a re-entry
 * was on an earlier one, as the entry's stored movement says), and drop-outs (on the previous
 * chart, not on this one). Each list at most `limit` long.
 */
export function moversBetween(
  chart: ChartSnapshot,
  previous: ChartSnapshot,
  limit: number,
): Movers {
  const before = firstPositions(previous.entries);
  const now = firstPositions(chart.entries);
  const mover = (entry: ChartEntry, position: number | null, was: number | null): Mover => ({
    trackId: entry.trackId,
    name: entry.name,
    artists: entry.artists,
    position,
    previousPosition: was,
    change: position !== null && was !== null ? was - position : null,
  });
  const moved: Mover[] = [];
  const newEntries: Mover[] = [];
  const reEntries: Mover[] = [];
  for (const entry of chart.entries) {
    if (now.get(entry.trackId) !== entry.position) continue;
    const was = before.get(entry.trackId);
    if (was !== undefined) moved.push(mover(entry, entry.position, was));
    else if (entry.movement === 're-entry') reEntries.push(mover(entry, entry.position, null));
    else newEntries.push(mover(entry, entry.position, null));
  }
  const dropOuts = previous.entries
    .filter((e) => !now.has(e.trackId) && before.get(e.trackId) === e.position)
    .map((e) => mover(e, null, e.position));
  const change = (m: Mover) => m.change ?? 0;
  const climbers = moved
    .filter((m) => change(m) > 0)
    .sort((a, b) => change(b) - change(a) || (a.position ?? 0) - (b.position ?? 0));
  const fallers = moved
    .filter((m) => change(m) < 0)
    .sort((a, b) => change(a) - change(b) || (a.position ?? 0) - (b.position ?? 0));
  return {
    climbers: climbers.slice(0, limit),
    fallers: fallers.slice(0, limit),
    newEntries: newEntries.slice(0, limit),
    reEntries: reEntries.slice(0, limit),
    dropOuts: dropOuts.slice(0, limit),
  };
}

/**
 * Each entry's change in streams against the previous chart of the key (same track there, both
 * with streams); null when unknown or the track was not on it. In the order of `chart.entries`.
 */
export function streamsChanges(
  chart: ChartSnapshot,
  previous: ChartSnapshot | null,
): (number | null)[] {
  const before = new Map<string, number | null>();
  for (const entry of previous?.entries ?? []) {
    if (!before.has(entry.trackId)) before.set(entry.trackId, entry.streams);
  }
  return chart.entries.map((entry) => {
    const was = before.get(entry.trackId);
    return entry.streams === null || was === null || was === undefined ? null : entry.streams - was;
  });
}

export type TopMeasure = 'days' | 'streams' | 'points';

/** A track, song or artist ranked over a period. */
export interface TopItem {
  /** The unit's id: a track id, `isrc:<ISRC>` for grouped versions, or an artist key. */
  id: string;
  /** The tracks counted for it. */
  trackIds: string[];
  /** Charts it appeared on in the period. */
  days: number;
  streams: number | null;
  /** Sum over charts of (N + 1 − position), N being that chart's number of entries. */
  points: number;
  bestPosition: number;
}

/**
 * Ranks units over the entries of a key's charts in a period. `unitsOf` names the units a track
 * counts for (itself; its song when versions are grouped; each of its artists). On a chart, a
 * unit with several entries counts once: its best position, its streams summed. Ordered by the
 * measure, then best position, then charts on, then id.
 */
export function rankTop(
  entries: readonly Appearance[],
  by: TopMeasure,
  limit: number,
  unitsOf: (trackId: string) => readonly string[] = (trackId) => [trackId],
): TopItem[] {
  const sizes = new Map<string, number>();
  for (const e of entries) sizes.set(e.chartDate, (sizes.get(e.chartDate) ?? 0) + 1);
  // unit -> date -> best position and streams that day
  const units = new Map<
    string,
    { tracks: Set<string>; days: Map<string, { position: number; streams: number | null }> }
  >();
  for (const e of entries) {
    for (const id of unitsOf(e.trackId)) {
      let unit = units.get(id);
      if (!unit) {
        unit = { tracks: new Set(), days: new Map() };
        units.set(id, unit);
      }
      unit.tracks.add(e.trackId);
      const day = unit.days.get(e.chartDate);
      if (!day) unit.days.set(e.chartDate, { position: e.position, streams: e.streams });
      else {
        day.position = Math.min(day.position, e.position);
        day.streams = addStreams(day.streams, e.streams);
      }
    }
  }
  const items: TopItem[] = [];
  for (const [id, unit] of units) {
    let streams: number | null = null;
    let points = 0;
    let best = Number.POSITIVE_INFINITY;
    for (const [date, day] of unit.days) {
      streams = addStreams(streams, day.streams);
      points += (sizes.get(date) ?? 0) + 1 - day.position;
      best = Math.min(best, day.position);
    }
    items.push({
      id,
      trackIds: [...unit.tracks].sort(),
      days: unit.days.size,
      streams,
      points,
      bestPosition: best,
    });
  }
  const score = (item: TopItem) =>
    by === 'days' ? item.days : by === 'streams' ? (item.streams ?? -1) : item.points;
  items.sort(
    (a, b) =>
      score(b) - score(a) ||
      a.bestPosition - b.bestPosition ||
      b.days - a.days ||
      compare(a.id, b.id),
  );
  return items.slice(0, limit);
}

/** Positions by track id: the first (best) place of each track on a chart. */
function firstPositions(entries: readonly ChartEntry[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (const entry of entries) {
    const seen = positions.get(entry.trackId);
    if (seen === undefined || entry.position < seen) positions.set(entry.trackId, entry.position);
  }
  return positions;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
