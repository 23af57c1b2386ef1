import type { ChartKey } from './chart.js';
import { parseFileChartId } from './chart-file.js';
import { SOURCES } from './sources.js';

const ID = /^[0-9A-Za-z]{22}$/;

/** Playlists Spotify owns (editorial, algorithmic) have ids starting with 37i9. */
export function isEditorialPlaylist(id: string): boolean {
  return id.startsWith('37i9');
}

/**
 * Accepts a bare playlist id, a `spotify:playlist:` URI or an open.spotify.com link
 * (with or without `?si=` and locale prefixes) and returns the id, or null.
 */
export function parsePlaylistId(input: string): string | null {
  const value = input.trim();
  if (ID.test(value)) return value;
  const uri = /^spotify:playlist:([0-9A-Za-z]{22})$/.exec(value);
  if (uri) return uri[1] ?? null;
  try {
    const url = new URL(value);
    if (!/(^|\.)spotify\.com$/.test(url.hostname)) return null;
    const match = /\/playlist\/([0-9A-Za-z]{22})\/?$/.exec(url.pathname);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Reads a chart key as a user writes it: an official chart id (`regional-global-daily`), a
 * playlist id, URI or link, or either prefixed with its source (`spotify-charts/viral-us-weekly`,
 * `spotify-playlist/<id>`). Null when it is none of these.
 */
export function parseChartKey(input: string): ChartKey | null {
  const value = input.trim();
  const slash = value.indexOf('/');
  if (slash > 0 && !value.includes('://')) {
    const source = value.slice(0, slash);
    const rest = value.slice(slash + 1);
    if (source === SOURCES.spotifyCharts) {
      return parseFileChartId(rest) ? { source, chartId: rest } : null;
    }
    if (source === SOURCES.spotifyPlaylist) {
      const id = parsePlaylistId(rest);
      return id ? { source, chartId: id } : null;
    }
    return null;
  }
  if (parseFileChartId(value)) return { source: SOURCES.spotifyCharts, chartId: value };
  const id = parsePlaylistId(value);
  return id ? { source: SOURCES.spotifyPlaylist, chartId: id } : null;
}
