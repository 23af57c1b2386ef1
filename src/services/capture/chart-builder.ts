import type { Capture } from '../../domain/capture.js';
import type { ChartKey, ChartSnapshot, NormalisedChart } from '../../domain/chart.js';
import { judgeChart } from '../../domain/chart-quality.js';
import { applyMovement, tracksMissingFrom } from '../../domain/movement.js';
import type { ChartArchive } from '../../domain/ports/chart-archive.js';
import type { ChartNormaliser } from '../../domain/ports/sources.js';

/** Builds the day's chart from a capture, deriving movement from the charts stored before it. */
export async function buildChart(
  charts: ChartArchive,
  key: ChartKey,
  chartDate: string,
  capture: Capture,
  runId: string | null,
  normalised: NormalisedChart,
): Promise<ChartSnapshot> {
  const previous = await charts.previousChart(key, chartDate);
  const missing = tracksMissingFrom(normalised.entries, previous);
  const history = missing.length ? await charts.trackHistory(key, missing, chartDate) : new Map();
  return {
    ...key,
    chartDate,
    title: normalised.title,
    captureId: capture.id,
    runId,
    capturedAt: capture.capturedAt,
    entries: applyMovement(normalised.entries, previous, history),
    skipped: normalised.skipped,
  };
}

/**
 * Stores the chart of `chartDate` made from a capture that reached the store late (from the
 * outbox, or an import), unless that day's chart already comes from this capture or a later one,
 * or the capture's chart is not fit to replace it (see judgeChart). Returns the chart stored, or
 * null when the stored one was kept. Movement is derived from the charts before the date; charts
 * after it are not recomputed.
 */
export async function buildChartFromLateCapture(
  charts: ChartArchive,
  capture: Capture,
  chartDate: string,
  normaliser: ChartNormaliser,
): Promise<ChartSnapshot | null> {
  const key = { source: capture.source, chartId: capture.chartId };
  const existing = await charts.getChart(key, chartDate);
  if (existing && (existing.captureId === capture.id || existing.capturedAt > capture.capturedAt)) {
    return null;
  }
  const normalised = normaliser.normalise(capture.payload);
  if (judgeChart(normalised, existing).kind === 'refuse') return null;
  const chart = await buildChart(charts, key, chartDate, capture, capture.runId, normalised);
  await charts.saveChart(chart);
  return chart;
}
