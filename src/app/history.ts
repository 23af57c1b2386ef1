import type { Artist, ChartKey } from '../domain/chart.js';
import { ChartkeeperError } from '../domain/errors.js';
import {
  type ArtistKeyHistory,
  artistHistory,
  byKey,
  type ChartKeySummary,
  chartUnit,
  type Movers,
  moversBetween,
  rankTop,
  type SeriesPoint,
  type SeriesStats,
  seriesOf,
  seriesStats,
  songOf,
  type TopMeasure,
  type TrackInfo,
} from '../domain/history.js';
import type { ChartHistory } from '../domain/ports/chart-history.js';
import { parseTrackId } from '../domain/track-ref.js';
import { resolveChartKey } from './charts.js';
import type { AppContext } from './context.js';

/** How many title matches a search lists at most. */
const SEARCH_LIMIT = 50;

function history(ctx: AppContext): ChartHistory {
  return ctx.store;
}

/** `chartkeeper charts`: every stored chart key. */
export function listChartKeys(ctx: AppContext): Promise<ChartKeySummary[]> {
  return history(ctx).listChartKeys();
}

/** A track's (or song's) history on one key. */
export interface TrackKeyHistory extends ChartKey {
  /** `days` for a daily chart, `weeks` for a weekly one: what chartsOn counts. */
  unit: 'days' | 'weeks';
  stats: SeriesStats;
  series: SeriesPoint[];
}

export type TrackHistoryResult =
  | {
      kind: 'found';
      /** The tracks counted: one, or every version of the song with --group-versions. */
      tracks: TrackInfo[];
      groupVersions: boolean;
      charts: TrackKeyHistory[];
    }
  /** A title search matched several tracks (or songs): the user picks one by id. */
  | { kind: 'ambiguous'; query: string; matches: TrackInfo[] }
  | { kind: 'none'; query: string; byId: boolean };

/**
 * The history of a track named by id, URI, link or title search; with `groupVersions`, of every
 * track sharing its ISRC. Per key: each chart's position and streams, and their statistics.
 */
export async function historyOfTrack(
  ctx: AppContext,
  request: { track: string; key?: ChartKey; groupVersions?: boolean },
): Promise<TrackHistoryResult> {
  const store = history(ctx);
  const query = request.track.trim();
  const group = request.groupVersions ?? false;
  const id = parseTrackId(query);
  let found: TrackInfo[];
  if (id) {
    found = await store.getTracks([id]);
    if (found.length === 0) return { kind: 'none', query, byId: true };
  } else {
    const matches = await store.searchTracks(query, SEARCH_LIMIT);
    if (matches.length === 0) return { kind: 'none', query, byId: false };
    const distinct = new Set(matches.map((t) => (group ? songOf(t) : t.id)));
    if (distinct.size > 1) return { kind: 'ambiguous', query, matches };
    found = matches;
  }
  if (group) {
    const isrcs = [...new Set(found.flatMap((t) => (t.isrc ? [t.isrc] : [])))];
    const versions = await store.tracksByIsrc(isrcs);
    const all = new Map([...found, ...versions].map((t) => [t.id, t]));
    found = [...all.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  const appearances = await store.appearancesOf(
    found.map((t) => t.id),
    request.key,
  );
  const charts: TrackKeyHistory[] = [];
  for (const group of byKey(appearances).values()) {
    const head = group[0]!;
    const key = { source: head.source, chartId: head.chartId };
    const series = seriesOf(group);
    const first = series[0]!.chartDate;
    const last = series.at(-1)!.chartDate;
    // The key's dates matter only between two appearances (for streaks).
    const dates =
      series.length > 1 ? await store.chartDates(key, { from: first, to: last }) : [first];
    charts.push({ ...key, unit: chartUnit(key), stats: seriesStats(series, dates), series });
  }
  return { kind: 'found', tracks: found, groupVersions: group, charts };
}

export type ArtistHistoryResult =
  | {
      kind: 'found';
      /** The artist's name as the charts spell it, and their Spotify id where known. */
      artist: { name: string; id: string | null };
      tracks: TrackInfo[];
      charts: ArtistKeyHistory[];
    }
  | { kind: 'none'; query: string };

/** An artist's entries per key and day, by Spotify artist id or (case-insensitive) name. */
export async function historyOfArtist(
  ctx: AppContext,
  request: { artist: string; key?: ChartKey },
): Promise<ArtistHistoryResult> {
  const store = history(ctx);
  const query = request.artist.trim();
  const tracks = await store.artistTracks(query);
  if (tracks.length === 0) return { kind: 'none', query };
  const lower = query.toLowerCase();
  const named = tracks
    .flatMap((t) => t.artists)
    .find((a) => a.id === query || a.name.toLowerCase() === lower);
  const appearances = await store.appearancesOf(
    tracks.map((t) => t.id),
    request.key,
  );
  const titles = new Map(tracks.map((t) => [t.id, t.name]));
  return {
    kind: 'found',
    artist: { name: named?.name ?? query, id: named?.id ?? null },
    tracks,
    charts: artistHistory(appearances, titles),
  };
}

export interface MoversResult extends ChartKey {
  chartDate: string;
  title: string;
  /** The previous stored chart of the key; null when there is none (nothing to compare). */
  previousDate: string | null;
  movers: Movers;
}

/** Climbers, fallers, new entries, re-entries and drop-outs against the previous stored chart. */
export async function findMovers(
  ctx: AppContext,
  request: { key?: ChartKey; date?: string; limit: number },
): Promise<MoversResult | { key: ChartKey; chart: null }> {
  const key = await resolveChartKey(ctx, request.key);
  const chart = await ctx.charts.getChart(key, request.date);
  if (!chart) return { key, chart: null };
  const previous = await ctx.charts.previousChart(key, chart.chartDate);
  const empty: Movers = { climbers: [], fallers: [], newEntries: [], reEntries: [], dropOuts: [] };
  return {
    ...key,
    chartDate: chart.chartDate,
    title: chart.title,
    previousDate: previous?.chartDate ?? null,
    movers: previous ? moversBetween(chart, previous, request.limit) : empty,
  };
}

export interface TopRequest {
  key?: ChartKey;
  from: string;
  to: string;
  by: TopMeasure;
  artists?: boolean;
  groupVersions?: boolean;
  limit: number;
}

export interface TopEntry {
  rank: number;
  /** A track id, `isrc:<ISRC>` (grouped versions), or an artist's id (else lower-cased name). */
  id: string;
  name: string;
  /** The track's artists; empty when ranking artists. */
  artists: Artist[];
  trackIds: string[];
  days: number;
  streams: number | null;
  points: number;
  bestPosition: number;
}

export interface TopResult extends ChartKey {
  from: string;
  to: string;
  by: TopMeasure;
  of: 'tracks' | 'songs' | 'artists';
  /** `days` or `weeks`: what `days` counts on this key. */
  unit: 'days' | 'weeks';
  /** Charts of the key stored in the period. */
  charts: number;
  entries: TopEntry[];
}

/** Tracks, songs (versions grouped) or artists ranked over a period of one key's charts. */
export async function topOf(ctx: AppContext, request: TopRequest): Promise<TopResult> {
  if (request.from > request.to) {
    throw new ChartkeeperError('usage', `--from ${request.from} is after --to ${request.to}.`, {
      hint: 'Give the earlier date first.',
      permanent: true,
    });
  }
  const store = history(ctx);
  const key = await resolveChartKey(ctx, request.key);
  const rows = await store.appearancesBetween(key, request.from, request.to);
  const charts = new Set(rows.map((r) => r.chartDate)).size;
  if (request.by === 'streams' && rows.length > 0 && rows.every((r) => r.streams === null)) {
    throw new ChartkeeperError(
      'usage',
      `The charts of ${key.chartId} from ${request.from} to ${request.to} have no streams (a playlist, or a chart without stream counts).`,
      { hint: 'Rank by --by days or --by points instead.', permanent: true },
    );
  }
  const tracks = new Map(
    (await store.getTracks([...new Set(rows.map((r) => r.trackId))])).map((t) => [t.id, t]),
  );
  const of = request.artists ? 'artists' : request.groupVersions ? 'songs' : 'tracks';
  const artistNames = new Map<string, string>();
  const unitsOf = (trackId: string): string[] => {
    const track = tracks.get(trackId);
    if (of === 'songs') return [track ? songOf(track) : trackId];
    if (of === 'tracks') return [trackId];
    return (track?.artists ?? []).map((a) => {
      const id = a.id ?? a.name.toLowerCase();
      if (!artistNames.has(id)) artistNames.set(id, a.name);
      return id;
    });
  };
  const ranked = rankTop(rows, request.by, request.limit, unitsOf);
  const entries = ranked.map((item, i): TopEntry => {
    // A song is named after its first track; an artist by how the charts spell the name.
    const track = tracks.get(item.trackIds[0] ?? '');
    return {
      rank: i + 1,
      id: item.id,
      name: of === 'artists' ? (artistNames.get(item.id) ?? item.id) : (track?.name ?? item.id),
      artists: of === 'artists' ? [] : (track?.artists ?? []),
      trackIds: item.trackIds,
      days: item.days,
      streams: item.streams,
      points: item.points,
      bestPosition: item.bestPosition,
    };
  });
  return {
    ...key,
    from: request.from,
    to: request.to,
    by: request.by,
    of,
    unit: chartUnit(key),
    charts,
    entries,
  };
}
