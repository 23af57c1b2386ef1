import type { ChartFetcher, ChartNormaliser, SourceRegistry } from '../domain/ports/sources.js';

/** How to load a source: its normaliser, and its fetcher if it is fetched over the network. */
export interface SourceLoader {
  normaliser: () => Promise<ChartNormaliser>;
  fetcher?: () => Promise<ChartFetcher>;
}

/**
 * The sources an application knows. Each is loaded on first use (a command that only reads
 * charts never loads Spotify's reply schemas), and its fetcher made once (it holds the token).
 */
export class Sources implements SourceRegistry {
  private readonly loaders = new Map<string, SourceLoader>();
  private readonly loaded = new Map<string, Promise<unknown>>();

  add(source: string, loader: SourceLoader): this {
    this.loaders.set(source, loader);
    return this;
  }

  normaliser(source: string): Promise<ChartNormaliser | null> {
    const load = this.loaders.get(source)?.normaliser;
    return load ? this.once(`${source}/normaliser`, load) : Promise.resolve(null);
  }

  fetcher(source: string): Promise<ChartFetcher | null> {
    const load = this.loaders.get(source)?.fetcher;
    return load ? this.once(`${source}/fetcher`, load) : Promise.resolve(null);
  }

  isFetched(source: string): boolean {
    return this.loaders.get(source)?.fetcher !== undefined;
  }

  private once<T>(name: string, load: () => Promise<T>): Promise<T> {
    let promise = this.loaded.get(name) as Promise<T> | undefined;
    if (!promise) {
      promise = load();
      this.loaded.set(name, promise);
    }
    return promise;
  }
}
