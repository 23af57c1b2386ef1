import type { NormalisedEntry } from './chart.js';

/**
 * The lease one import of chart files holds at a time, across processes (`chartkeeper import`
 * and every `serve`'s inbox): two imports checking and writing the same charts at once could
 * both find a chart missing. It is the lease of the inbox's runs (source spotify-charts, chart
 * "inbox"), so a run left by a dead import is recognised as such.
 */
export const CHART_FILE_IMPORT_LEASE = 'capture/spotify-charts/inbox';

/** The kinds of file `chartkeeper import` reads, told apart by their content. */
export const CHART_FILE_FORMATS = {
  /** chartkeeper's own NDJSON export. */
  export: 'chartkeeper-export',
  /** A current download from charts.spotify.com (`rank,uri,artist_names,…`). */
  chartsSpotify: 'charts.spotify.com',
  /** An older download from spotifycharts.com (`Position,"Track Name",Artist,Streams,URL`). */
  legacy: 'spotifycharts.com',
  /** The public 2017–2021 dataset (`title,rank,date,artist,url,region,chart,trend,streams`). */
  dataset: 'spotify-charts-dataset',
} as const;

export type ChartFileFormat = (typeof CHART_FILE_FORMATS)[keyof typeof CHART_FILE_FORMATS];

/** One good row of a chart file: an entry of the chart `chartId` of `chartDate`. */
export interface ChartFileRow {
  /** The physical line it starts on, 1-based, header and disclaimer lines counted. */
  line: number;
  /** `{type}-{region}-{period}`, e.g. `regional-global-daily` (see parseFileChartId). */
  chartId: string;
  chartDate: string;
  entry: NormalisedEntry;
}

/** A row that could not be read, with why. */
export interface RejectedLine {
  line: number;
  reason: string;
}

/** Rows read together, in file order. */
export interface ChartFileBatch {
  rows: ChartFileRow[];
  rejected: RejectedLine[];
  /** Bytes of the file read so far, for progress; absent when unknown. */
  bytesRead?: number;
}

export type FileChartType = 'regional' | 'viral';
export type FileChartPeriod = 'daily' | 'weekly';

export interface FileChartId {
  type: FileChartType;
  /** `global` or a lower-case ISO 3166-1 alpha-2 code. */
  region: string;
  period: FileChartPeriod;
}

const CHART_ID = /^(regional|viral)-(global|[a-z]{2})-(daily|weekly)$/;

/** Reads `regional-global-daily` into its parts; null when it is not such an id. */
export function parseFileChartId(id: string): FileChartId | null {
  const match = CHART_ID.exec(id);
  if (!match) return null;
  if (match[2] !== 'global' && !isRegion(match[2] as string)) return null;
  return {
    type: match[1] as FileChartType,
    region: match[2] as string,
    period: match[3] as FileChartPeriod,
  };
}

export function fileChartId(parts: FileChartId): string {
  return `${parts.type}-${parts.region}-${parts.period}`;
}

/** A title for an imported chart: "Top Songs · Global · daily", "Viral 50 · US · weekly". */
export function fileChartTitle(id: string): string {
  const parts = parseFileChartId(id);
  if (!parts) return id;
  const region = parts.region === 'global' ? 'Global' : regionName(parts.region);
  return `${parts.type === 'viral' ? 'Viral 50' : 'Top Songs'} · ${region} · ${parts.period}`;
}

let regions: Intl.DisplayNames | null = null;

/** Codes ISO 3166-1 leaves to private use, and groupings ICU names that are not countries. */
const NOT_COUNTRIES = /^(aa|q[m-z]|x[a-z]|zz|eu|ez|un)$/;

/** Whether `code` is an ISO 3166-1 alpha-2 country code (one that ICU knows by name). */
function isRegion(code: string): boolean {
  if (NOT_COUNTRIES.test(code)) return false;
  regions ??= new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });
  try {
    return regions.of(code.toUpperCase()) !== undefined;
  } catch {
    return false;
  }
}

/** Made once, on first use: making one costs more than naming a chart with it. */
let regionNames: Intl.DisplayNames | null = null;

function regionName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames('en', { type: 'region' });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code.toUpperCase();
  }
}
