import { CHART_FILE_FORMATS, type ChartFileFormat } from '../../domain/chart-file.js';

export type CsvFormat = Exclude<ChartFileFormat, typeof CHART_FILE_FORMATS.export>;

/**
 * The columns that identify each CSV format (lower case, as compared). Columns are found by name,
 * so order and optional columns (`source`, `streams`, `trend`) do not matter.
 */
const REQUIRED_COLUMNS: Record<CsvFormat, readonly string[]> = {
  [CHART_FILE_FORMATS.chartsSpotify]: ['rank', 'uri', 'artist_names', 'track_name'],
  [CHART_FILE_FORMATS.legacy]: ['position', 'track name', 'artist', 'url'],
  [CHART_FILE_FORMATS.dataset]: ['title', 'rank', 'date', 'artist', 'url', 'region', 'chart'],
};

/** The first lines of the files chartkeeper reads, as an error message lists them. */
export const KNOWN_HEADERS = [
  '{"type":"chartkeeper-export",…} (a chartkeeper export)',
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams (charts.spotify.com; weekly files have weeks_on_chart, viral files no streams)',
  'Position,"Track Name",Artist,Streams,URL (spotifycharts.com, after its note line; viral files have no Streams)',
  'title,rank,date,artist,url,region,chart,trend,streams (the 2017–2021 Spotify charts dataset)',
];

/** The header's column names as compared: trimmed, lower case. */
export function columnNames(row: readonly string[]): string[] {
  return row.map((name) => name.trim().toLowerCase());
}

/** Which CSV format a header row belongs to, or null. */
export function formatOfHeader(row: readonly string[]): CsvFormat | null {
  const names = new Set(columnNames(row));
  for (const [format, required] of Object.entries(REQUIRED_COLUMNS)) {
    if (required.every((name) => names.has(name))) return format as CsvFormat;
  }
  return null;
}
