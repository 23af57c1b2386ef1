import { spotifyPlaylistNormaliser } from '../adapters/spotify/normalise.js';
import type { ChartStore } from '../domain/ports/chart-store.js';
import type { ChartFetcher, ChartNormaliser } from '../domain/ports/sources.js';

/** A whole store in every role a service asks for. */
export function roles(store: ChartStore) {
  return { captures: store, charts: store, ledger: store, coordination: store };
}

/** A Spotify fetcher with the Spotify normaliser: what a capture of a playlist needs. */
export function spotifySource(fetcher: ChartFetcher): {
  fetcher: ChartFetcher;
  normaliser: ChartNormaliser;
} {
  return { fetcher, normaliser: spotifyPlaylistNormaliser };
}
