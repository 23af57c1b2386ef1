import type { ChartKey, ChartSnapshot } from '../../domain/chart.js';
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

/** A field that needs quotes (RFC 4180): a comma, a quote, CR or LF in it. */
const NEEDS_QUOTES = /[",\r\n]/;
/**
 * A field a spreadsheet would run as a formula ("=Love", "-3" and "@handle" are real titles and
 * names): it starts with = + - @, a tab or CR.
 */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a quote, CR or LF, quotes doubled. A text
 * field that would run as a formula gets a leading apostrophe, which spreadsheets show as text and
 * hide; numbers are never touched (none is negative). Not Papa.unparse: it took 1.3 s of a
 * million-row export's 6.4 (a fifth, for its per-field options), this takes a third of that; and
 * its formula pattern misses a field with a line break.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

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
      if (chart.entries.length > 0) await write(csvRows(chart));
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

/** A chart's entries as CSV rows, each ending with a line break. */
export function csvRows(chart: ChartSnapshot): string {
  // The chart's columns are the same on every row: quoted once.
  const chartColumns = `${csvField(chart.source)},${csvField(chart.chartId)},${csvField(chart.chartDate)}`;
  let rows = '';
  for (const entry of chart.entries) {
    const facts = entry.facts ?? null;
    rows +=
      `${entry.position},${csvField(entry.uri)},` +
      `${csvField(entry.artists.map((artist) => artist.name).join(', '))},${csvField(entry.name)},` +
      // charts.spotify.com's label column ("source"): chartkeeper does not keep it.
      `,${csvField(facts?.peakRank ?? null)},${csvField(facts?.previousRank ?? null)},` +
      `${csvField(facts?.onChart ?? null)},${csvField(entry.streams)},${chartColumns},` +
      `${csvField(entry.trackId)},${csvField(entry.previousPosition)},${entry.movement},` +
      `${entry.daysOnChart},${entry.peak}${CRLF}`;
  }
  return rows;
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
