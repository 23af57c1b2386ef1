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
}

/** The sources the application knows, by name; each is loaded when first asked for. */
export interface SourceRegistry {
  normaliser(source: string): Promise<ChartNormaliser | null>;
  fetcher(source: string): Promise<ChartFetcher | null>;
  /** Whether the source is fetched over the network (without loading it). */
  isFetched(source: string): boolean;
}
