import type { NormalisedChart } from '../chart.js';
import type { LogLine } from '../run.js';

/** A line for the current task's log (kept with the run, and shown by the process's logger). */
export type Log = (level: LogLine['level'], message: string) => void;

export type FetchResult =
  | { kind: 'fetched'; payload: unknown; version: string | null }
  /** The source says nothing changed since the latest capture (same version): no re-fetch. */
  | { kind: 'unchanged'; version: string };

/** Reads a source's raw payloads into chart entries. Every source has one. */
export interface ChartNormaliser {
  readonly source: string;
  /** Pure; throws a ChartkeeperError for a payload that is not this source's. */
  normalise(payload: unknown): NormalisedChart;
}

/** What the cheapest look at a chart found: it exists, and its items can be read. */
export interface ChartProbe {
  title: string | null;
  /** How many items it holds, when the source says. */
  items: number | null;
}

/** Fetches charts over the network (the Spotify Web API). Sources read from files have none. */
export interface ChartFetcher {
  readonly source: string;
  /**
   * Obtains credentials for the chart (the app's, or a logged-in user's), so that the ledger
   * tells auth failures apart from fetch failures.
   */
  authenticate(log: Log, chartId?: string): Promise<void>;
  /** Fetches a chart as received, every page of it. */
  fetch(chartId: string, context: { latestVersion: string | null; log: Log }): Promise<FetchResult>;
  /**
   * Checks with as few and as small requests as the source allows that the chart could be
   * captured now; throws the error a capture would meet (a ChartkeeperError) if not.
   */
  probe(chartId: string, log: Log): Promise<ChartProbe>;
}

/** The sources the application knows, by name; each is loaded when first asked for. */
export interface SourceRegistry {
  normaliser(source: string): Promise<ChartNormaliser | null>;
  fetcher(source: string): Promise<ChartFetcher | null>;
  /** Whether the source is fetched over the network (without loading it). */
  isFetched(source: string): boolean;
}
