import type { ChartKey } from './chart.js';

/** One raw fetch, stored append-only and exactly as received. */
export interface Capture extends ChartKey {
  id: string;
  runId: string | null;
  capturedAt: string;
  /** The chart date this capture was taken for, in the configured time zone (YYYY-MM-DD). */
  chartDate: string;
  /** sha256 of the payload; identical consecutive captures of a key are stored once. */
  contentHash: string;
  /** The source's own version marker (Spotify's snapshot_id), when it has one. */
  version: string | null;
  /** As received: for Spotify, `{ playlist, pages }` with every page of items. */
  payload: unknown;
}
