import type { ChartRange } from '../domain/ports/chart-range.js';
import { keyLabel } from '../domain/sources.js';
import {
  type ChartExportCounts,
  type ChartExportFormat,
  exportCharts,
} from '../services/transfer/chart-export.js';
import type { AppContext } from './context.js';
import { writeExportFile } from './transfer.js';

export type { ChartExportCounts, ChartExportFormat } from '../services/transfer/chart-export.js';

/** What `chartkeeper export --format` asks for. */
export interface ChartExportRequest {
  format: ChartExportFormat;
  /** Keys (every key when absent or empty) and inclusive chart dates. */
  range: ChartRange;
  progress?: (counts: ChartExportCounts) => void;
}

/** What a chart export wrote, and which keys asked for had nothing to write. */
export interface ChartExportResult extends ChartExportCounts {
  format: ChartExportFormat;
  /**
   * Each key asked for with no chart in the range, with the date of its latest stored chart (null
   * when the store holds none of it: most likely a mistyped key).
   */
  empty: { key: string; latest: string | null }[];
}

/** Writes the charts of the range as CSV or NDJSON through `write` (stdout, an HTTP reply...). */
export async function exportChartsTo(
  ctx: AppContext,
  request: ChartExportRequest,
  write: (text: string) => Promise<void>,
): Promise<ChartExportResult> {
  const { empty, ...counts } = await exportCharts(
    ctx.store,
    request.range,
    request.format,
    write,
    request.progress,
  );
  const described = [];
  for (const key of empty) {
    const [latest] = await ctx.charts.listCharts({ key, limit: 1 });
    described.push({ key: keyLabel(key), latest: latest?.chartDate ?? null });
  }
  return { format: request.format, ...counts, empty: described };
}

/**
 * Writes the chart export to a file as exportToFile writes a whole export: never onto the store,
 * never over an existing file unless `force`, complete or not at all.
 */
export function exportChartsToFile(
  ctx: AppContext,
  path: string,
  request: ChartExportRequest & { force?: boolean },
): Promise<ChartExportResult> {
  return writeExportFile(ctx, path, request.force ?? false, (write) =>
    exportChartsTo(ctx, request, write),
  );
}
