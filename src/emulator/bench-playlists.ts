/**
 * Playlists made up on demand for benchmarks and load tests: any id of 22 characters that starts
 * with this prefix is a copy of the daily "Top 50" under its own id and name, so a run over a
 * thousand charts needs no catalogue of a thousand entries.
 */
export const BENCH_PLAYLIST_PREFIX = 'CkBench';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The n-th benchmark playlist id (n ≥ 0): the prefix, then n in base 62, 22 characters in all. */
export function benchPlaylistId(n: number): string {
  let digits = '';
  for (let rest = Math.trunc(n); rest > 0; rest = Math.floor(rest / 62)) {
    digits = DIGITS[rest % 62] + digits;
  }
  return BENCH_PLAYLIST_PREFIX + digits.padStart(22 - BENCH_PLAYLIST_PREFIX.length, '0');
}

/** The benchmark playlist with that id, made from `template`; undefined for any other id. */
export function benchPlaylist<T extends { id: string; name: string }>(
  id: string,
  template: T | undefined,
): T | undefined {
  if (!template || !/^CkBench[0-9A-Za-z]{15}$/.test(id)) return undefined;
  return { ...template, id, name: `Bench chart ${id.slice(BENCH_PLAYLIST_PREFIX.length)}` };
}
