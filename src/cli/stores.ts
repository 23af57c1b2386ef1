import { SpotifyPlaylistSource } from '../adapters/spotify/spotify-source.js';
import { openStore } from '../adapters/store/open-store.js';
import { Outbox } from '../adapters/store/outbox/outbox.js';
import { OutboxStore } from '../adapters/store/outbox/outbox-store.js';
import type { Config } from '../config/schema.js';
import type { ChartSource, ChartStore } from '../domain/ports.js';
import { storeChartOf } from '../services/chart-of-capture.js';

/** Every source chartkeeper captures from; their normalisers read captures back. */
export function chartSources(config: Config): ChartSource[] {
  return [new SpotifyPlaylistSource(config.spotify, config.http)];
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
