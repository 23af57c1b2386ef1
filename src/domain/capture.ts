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

const payloadTexts = new WeakMap<object, string>();

/**
 * A payload's JSON text, as hashed and as stored. Payloads are never changed once fetched, so the
 * text of a payload object is made once and remembered (weakly): hashing it and writing it to the
 * store then cost one JSON.stringify of a few hundred kilobytes, not two.
 */
export function payloadJson(payload: unknown): string {
  const value = payload ?? null;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let text = payloadTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    payloadTexts.set(value, text);
  }
  return text;
}
