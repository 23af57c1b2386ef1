import { openStore } from '../adapters/store/open-store.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { ChartStore } from '../domain/ports.js';
import { openOutboxStore } from './stores.js';

/** Loads and validates the configuration once for a command. */
export function readConfig(): Config {
  return loadConfig().config;
}

/** Opens the configured store, runs `work` with it and always closes it. */
export async function withStore<T>(
  config: Config,
  work: (store: ChartStore) => Promise<T>,
): Promise<T> {
  // Behind the outbox: a capture the store cannot take waits on disk instead of being lost.
  const store = await openOutboxStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * As withStore, for commands that only read (chart, runs, logs): a SQLite store that does not
 * exist yet is not created, and reads as empty. No outbox: nothing is written.
 */
export async function withReadOnlyStore<T>(
  config: Config,
  work: (store: ChartStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(config.store, process.cwd(), { ifMissing: 'empty' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Stops with a clear message when the Spotify app credentials are missing. */
export function requireSpotifyCredentials(config: Config): void {
  const missing = [
    config.spotify.clientId ? null : 'SPOTIFY_CLIENT_ID',
    config.spotify.clientSecret ? null : 'SPOTIFY_CLIENT_SECRET',
  ].filter(Boolean);
  if (missing.length === 0) return;
  throw new ConfigError(
    `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
    'Create an app at https://developer.spotify.com/dashboard and set both (or spotify.clientId/clientSecret in chartkeeper.config.json). To try chartkeeper without one: npx chartkeeper demo',
  );
}
