import { InvalidArgumentError } from 'commander';
import { parsePlaylistId } from '../config/playlist-id.js';
import { isChartDate } from '../domain/chart-date.js';

/** Commander parser for a repeatable --playlist: accepts ids, spotify: URIs and links. */
export function collectPlaylist(value: string, previous: string[] = []): string[] {
  const id = parsePlaylistId(value);
  if (!id) {
    throw new InvalidArgumentError(
      'expected a Spotify playlist id (22 letters and digits), spotify:playlist: URI or open.spotify.com link.',
    );
  }
  return [...previous, id];
}

/** Commander parser for a single --playlist. */
export function parsePlaylist(value: string): string {
  return collectPlaylist(value)[0] as string;
}

/** Commander parser for --date YYYY-MM-DD. */
export function parseDate(value: string): string {
  if (!isChartDate(value)) throw new InvalidArgumentError('expected a date written YYYY-MM-DD.');
  return value;
}

/** Commander parser for a positive whole number (--limit, --port...). */
export function parseCount(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}
