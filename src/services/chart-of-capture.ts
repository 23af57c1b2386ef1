import type { Capture } from '../domain/capture.js';
import type { ChartSnapshot, NormalisedChart } from '../domain/chart.js';
import type { ChartStore } from '../domain/ports.js';
import { buildSnapshot } from './capture-chart.js';

/** Reads a stored payload into chart entries (a source's `normalise`). */
export type Normalise = (payload: unknown) => NormalisedChart;

/**
 * Stores the chart of `chartDate` made from a capture that reached the store late (from the
 * outbox, or an import), unless that day's chart already comes from this capture or a later one.
 * Returns the chart stored, or null when the stored one was kept. Movement is derived from the
 * charts before the date; charts after it are not recomputed.
 */
export async function storeChartOf(
  store: ChartStore,
  capture: Capture,
  chartDate: string,
  normalise: Normalise,
): Promise<ChartSnapshot | null> {
  const key = { source: capture.source, chartId: capture.chartId };
  const existing = await store.getChart(key, chartDate);
  if (existing && (existing.captureId === capture.id || existing.capturedAt > capture.capturedAt)) {
    return null;
  }
  const snapshot = await buildSnapshot(
    store,
    key,
    chartDate,
    capture,
    capture.runId,
    normalise(capture.payload),
  );
  await store.saveChart(snapshot);
  return snapshot;
}
