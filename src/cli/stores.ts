import { openRateLimiter } from '../adapters/queue/open-executor.js';
import {
  SpotifyPlaylistSource,
  type SpotifySourceDeps,
} from '../adapters/spotify/spotify-source.js';
import { openStore } from '../adapters/store/open-store.js';
import { Outbox } from '../adapters/store/outbox/outbox.js';
import { OutboxStore } from '../adapters/store/outbox/outbox-store.js';
import type { Config } from '../config/schema.js';
import type { ChartSource, ChartStore, RateLimiter } from '../domain/ports.js';
import { storeChartOf } from '../services/chart-of-capture.js';

/** Every source chartkeeper captures from; their normalisers read captures back. */
export function chartSources(config: Config): ChartSource[] {
  return [new SpotifyPlaylistSource(config.spotify, config.http)];
}

/** The Spotify source of a capturing command, and what to close when the command is done. */
export interface OpenedSource {
  source: SpotifyPlaylistSource;
  /** Frees the rate limiter (its Redis connection, when the limit is shared). */
  close(): Promise<void>;
}

/**
 * The Spotify source with the configured rate limit (config `rateLimit`) on its Web API calls,
 * as every capturing command uses it (`run`, `serve`, `worker`): shared through Redis when a
 * queue is configured, else kept in this process.
 */
export async function openSpotifySource(
  config: Config,
  deps: Omit<SpotifySourceDeps, 'fetch'> = {},
): Promise<OpenedSource> {
  const limiter = await openRateLimiter(config.queue, config.rateLimit);
  const source = new SpotifyPlaylistSource(config.spotify, config.http, {
    ...deps,
    fetch: limiter ? limitedFetch(limiter, config.spotify.apiUrl) : undefined,
  });
  return { source, close: async () => limiter?.close() };
}

/** fetch that waits for the rate limit before each Web API call (the token endpoint is not limited). */
export function limitedFetch(limiter: RateLimiter, apiUrl: string): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(apiUrl)) await limiter.acquire();
    return globalThis.fetch(input, init);
  };
}

/**
 * The configured store behind the outbox: what capturing commands write through. A capture
 * written late from the outbox also gets its day's chart.
 */
export async function openOutboxStore(config: Config): Promise<OutboxStore> {
  const sources = chartSources(config);
  return new OutboxStore(await openStore(config.store), new Outbox(config.outbox), {
    onCaptureFlushed: async (capture, chartDate, store) => {
      const source = sources.find((s) => s.source === capture.source);
      if (!source) return false;
      return (await storeChartOf(store, capture, chartDate, (p) => source.normalise(p))) !== null;
    },
  });
}

/** Runs `work` on the configured store without the outbox (imports: they can simply be repeated). */
export async function withPlainStore<T>(
  config: Config,
  work: (store: ChartStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(config.store);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
