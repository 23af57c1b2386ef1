import { createHash } from 'node:crypto';
import type { ChartKey } from '../domain/chart.js';

/**
 * The run id of a chart's capture for one schedule slot. Deterministic, so every scheduler and
 * worker that handles the slot names the same ledger row (and the same queue job), and the slot
 * is captured once.
 */
export function scheduledRunId(key: ChartKey, slot: string): string {
  return uuidFrom(`schedule|${key.source}|${key.chartId}|${slot}`);
}

/** The id of the run that retries `runId` after it was interrupted; deterministic for the same reason. */
export function retryRunId(runId: string): string {
  return uuidFrom(`retry|${runId}`);
}

// Shaped like a UUID (version nibble 5, as name-based UUIDs have), so every id looks alike.
function uuidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
