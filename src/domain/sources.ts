import type { ChartKey } from './chart.js';

/**
 * Where charts come from. A source name is part of every chart's key and of the stored data, so
 * these values are never renamed.
 */
export const SOURCES = {
  /** Playlists read from the Spotify Web API; the chart id is the playlist id. */
  spotifyPlaylist: 'spotify-playlist',
  /** Official chart files from charts.spotify.com; ids such as `regional-global-daily`. */
  spotifyCharts: 'spotify-charts',
} as const;

export type SourceName = (typeof SOURCES)[keyof typeof SOURCES];

/** The key of a Spotify playlist chart. */
export function playlistKey(playlistId: string): ChartKey {
  return { source: SOURCES.spotifyPlaylist, chartId: playlistId };
}

/** A key as one word for messages and store keys: `source/chartId`. */
export function keyLabel(key: ChartKey): string {
  return `${key.source}/${key.chartId}`;
}
