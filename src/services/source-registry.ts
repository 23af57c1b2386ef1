import type { ChartFetcher, ChartNormaliser, SourceRegistry } from '../domain/ports/sources.js';

/** The sources an application knows: a normaliser for every one, a fetcher for those fetched. */
export class Sources implements SourceRegistry {
  private readonly normalisers = new Map<string, ChartNormaliser>();
  private readonly fetchers = new Map<string, () => ChartFetcher>();
  private readonly made = new Map<string, ChartFetcher>();

  /** Adds a source; its fetcher, if it has one, is made on first use (it may need credentials). */
  add(normaliser: ChartNormaliser, fetcher?: () => ChartFetcher): this {
    this.normalisers.set(normaliser.source, normaliser);
    if (fetcher) this.fetchers.set(normaliser.source, fetcher);
    return this;
  }

  normaliser(source: string): ChartNormaliser | null {
    return this.normalisers.get(source) ?? null;
  }

  fetcher(source: string): ChartFetcher | null {
    let fetcher = this.made.get(source);
    if (!fetcher) {
      const make = this.fetchers.get(source);
      if (!make) return null;
      fetcher = make();
      this.made.set(source, fetcher);
    }
    return fetcher;
  }
}
