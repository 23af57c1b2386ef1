import Papa from 'papaparse';
import type { ChartEntry, ChartKey, ChartSnapshot } from '../../domain/chart.js';
import type { ChartRange, ChartRangeReader } from '../../domain/ports/chart-range.js';
import { rangeKeys } from '../../domain/ports/chart-range.js';
import { keyLabel } from '../../domain/sources.js';

/** The formats of `chartkeeper export --format`. */
export const CHART_EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ChartExportFormat = (typeof CHART_EXPORT_FORMATS)[number];

/** How many charts and entries a chart export wrote. */
export interface ChartExportCounts {
  charts: number;
  entries: number;
}

export interface ChartExportSummary extends ChartExportCounts {
  /** Keys asked for that have no chart in the range (in key order). */
  empty: ChartKey[];
}

/**
 * The CSV header: first the columns of a charts.spotify.com chart file, in its order, then the
 * chart's own columns and chartkeeper's derived ones (see "Exporting charts" in the README).
 */
export const CSV_COLUMNS = [
  'rank',
  'uri',
  'artist_names',
  'track_name',
  'source',
  'peak_rank',
  'previous_rank',
  'days_on_chart',
  'streams',
  'chart_source',
  'chart_id',
  'chart_date',
  'track_id',
  'previous_position',
  'movement',
  'days_on_chart_stored',
  'peak_stored',
] as const;

/** Spreadsheets read a UTF-8 file as UTF-8 (accents, CJK) only when it starts with a BOM. */
const BOM = '\uFEFF';
/** RFC 4180's line break; every spreadsheet and CSV reader takes it. */
const CRLF = '\r\n';

/**
 * Papa.unparse writes RFC 4180 fields: quoted when they hold a comma, a quote, CR or LF (or begin
 * or end with a space), quotes doubled. A text field starting with = + - @, a tab or CR would
 * run as a formula in a spreadsheet ("=Love", "-3" are real titles): it gets a leading
 * apostrophe (and quotes). Papa's own pattern for that (`/^[=+\-@\t\r].*$/`) misses a field
 * with a line break, hence this one. Numbers are never touched.
 */
const CSV_OPTIONS: Papa.UnparseConfig = {
  header: false,
  newline: CRLF,
  escapeFormulae: /^[=+\-@\t\r]/,
};

/**
 * Writes the charts of `range` through `write`, one chart at a time as they are read (never all
 * at once; `write` is awaited, so a slow reader slows the export instead of filling memory).
 * CSV: a BOM and the header, then one row per entry. NDJSON: one chart per line.
 */
export async function exportCharts(
  reader: ChartRangeReader,
  range: ChartRange,
  format: ChartExportFormat,
  write: (text: string) => Promise<void>,
  progress?: (counts: ChartExportCounts) => void,
): Promise<ChartExportSummary> {
  const counts: ChartExportCounts = { charts: 0, entries: 0 };
  const seen = new Set<string>();
  if (format === 'csv') await write(`${BOM}${CSV_COLUMNS.join(',')}${CRLF}`);
  for await (const chart of reader.chartsInRange(range)) {
    seen.add(keyLabel(chart));
    if (format === 'csv') {
      if (chart.entries.length > 0) await write(`${csvRows(chart)}${CRLF}`);
    } else {
      await write(`${JSON.stringify(chartLine(chart))}\n`);
    }
    counts.charts++;
    counts.entries += chart.entries.length;
    progress?.(counts);
  }
  const empty = rangeKeys(range.keys ?? []).filter((key) => !seen.has(keyLabel(key)));
  return { ...counts, empty };
}

/** A chart's entries as CSV rows (without the last line break). */
export function csvRows(chart: ChartSnapshot): string {
  return Papa.unparse(
    chart.entries.map((entry) => csvRow(chart, entry)),
    CSV_OPTIONS,
  );
}

function csvRow(chart: ChartSnapshot, entry: ChartEntry): (string | number | null)[] {
  const facts = entry.facts ?? null;
  return [
    entry.position,
    entry.uri,
    entry.artists.map((artist) => artist.name).join(', '),
    entry.name,
    // charts.spotify.com's label column: chartkeeper does not keep it.
    null,
    facts?.peakRank ?? null,
    facts?.previousRank ?? null,
    facts?.onChart ?? null,
    entry.streams,
    chart.source,
    chart.chartId,
    chart.chartDate,
    entry.trackId,
    entry.previousPosition,
    entry.movement,
    entry.daysOnChart,
    entry.peak,
  ];
}

/** One line of an NDJSON chart export: the chart with its key, every entry with `facts` (or null). */
export function chartLine(chart: ChartSnapshot) {
  return {
    key: keyLabel(chart),
    source: chart.source,
    chartId: chart.chartId,
    chartDate: chart.chartDate,
    title: chart.title,
    capturedAt: chart.capturedAt,
    captureId: chart.captureId,
    runId: chart.runId,
    entries: chart.entries.map((entry) => ({ ...entry, facts: entry.facts ?? null })),
    skipped: chart.skipped,
  };
}
