import { InvalidArgumentError } from 'commander';
import type { ChartKey } from '../domain/chart.js';
import { isChartDate } from '../domain/chart-date.js';
import { parseFileChartId } from '../domain/chart-file.js';
import { parseChartKey, parsePlaylistId } from '../domain/chart-ref.js';
import { playlistKey } from '../domain/sources.js';

/** Commander parser for a repeatable --playlist: accepts ids, spotify: URIs and links. */
export function collectPlaylist(value: string, previous: ChartKey[] = []): ChartKey[] {
  return [...previous, parsePlaylist(value)];
}

/** Commander parser for a single --playlist. */
export function parsePlaylist(value: string): ChartKey {
  const id = parsePlaylistId(value);
  if (!id) {
    throw new InvalidArgumentError(
      'expected a Spotify playlist id (22 letters and digits), spotify:playlist: URI or open.spotify.com link.',
    );
  }
  return playlistKey(id);
}

/** Commander parser for --chart: an official chart id, or a playlist id, URI or link. */
export function parseChart(value: string): ChartKey {
  const key = parseChartKey(value);
  if (!key) {
    throw new InvalidArgumentError(
      'expected an official chart id such as regional-global-daily or viral-us-weekly, or a Spotify playlist id, URI or link.',
    );
  }
  return key;
}

/** Commander parser for an official chart id, e.g. regional-global-daily. */
export function parseFileChart(value: string): string {
  if (!parseFileChartId(value)) {
    throw new InvalidArgumentError(
      'expected an official chart id, {regional|viral}-{global|country code}-{daily|weekly}, such as regional-global-daily or viral-us-weekly.',
    );
  }
  return value;
}

/** Commander parser for --date YYYY-MM-DD. */
export function parseDate(value: string): string {
  if (!isChartDate(value)) throw new InvalidArgumentError('expected a date written YYYY-MM-DD.');
  return value;
}

/** Commander parser for a whole number within bounds (--limit, --port...). */
export function parseCount(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

/** Commander parser for a value from a fixed list. */
export function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    }
    return value as T;
  };
}
