/** Identifies one chart: where it comes from and which one (a playlist id, a chart file name...). */
export interface ChartKey {
  source: string;
  chartId: string;
}

export interface Artist {
  id: string | null;
  name: string;
}

export interface Album {
  id: string | null;
  name: string;
  releaseDate: string | null;
  imageUrl: string | null;
}

/** How an entry moved against the previous stored chart of the same key. */
export type Movement = 'new' | 're-entry' | 'up' | 'down' | 'same';

/**
 * What a chart file itself says about an entry (charts.spotify.com's `peak_rank`,
 * `previous_rank`, `days_on_chart` / `weeks_on_chart`), counted by Spotify over the chart's whole
 * history. Kept as given, beside chartkeeper's own derived fields, which count stored charts only.
 */
export interface ChartFacts {
  peakRank: number | null;
  /** The position on the previous chart; null for a new entry. */
  previousRank: number | null;
  /** Days on a daily chart, weeks on a weekly one. */
  onChart: number | null;
}

/** One track on a chart, as read from the source, before movement is known. */
export interface NormalisedEntry {
  position: number;
  trackId: string;
  uri: string;
  name: string;
  artists: Artist[];
  album: Album | null;
  durationMs: number | null;
  explicit: boolean | null;
  isrc: string | null;
  addedAt: string | null;
  streams: number | null;
  /** The chart file's own counts; absent for charts captured from a playlist. */
  facts?: ChartFacts | null;
}

/** One track on a stored chart, with its movement and history. */
export interface ChartEntry extends NormalisedEntry {
  previousPosition: number | null;
  movement: Movement;
  /** Charts of this key (this one included) on which the track appeared. */
  daysOnChart: number;
  /** Best (lowest) position the track has reached on this key, this chart included. */
  peak: number;
}

/** A playlist item that is not a chart entry (kept in the raw capture, never lost). */
export interface SkippedItem {
  position: number;
  reason: 'removed' | 'local-file' | 'episode' | 'malformed';
  name: string | null;
}

/** What a source's normaliser makes of one raw capture. */
export interface NormalisedChart {
  title: string;
  entries: NormalisedEntry[];
  skipped: SkippedItem[];
  /** Why items were malformed ("duration_ms: expected number (3 items)"), for the run's log. */
  problems: string[];
}

/** The daily chart: one per (source, chartId, chartDate), upserted from the latest capture of that date. */
export interface ChartSnapshot extends ChartKey {
  chartDate: string;
  title: string;
  captureId: string;
  runId: string | null;
  capturedAt: string;
  entries: ChartEntry[];
  skipped: SkippedItem[];
}

/** A line in a chart listing. */
export interface ChartSummary extends ChartKey {
  chartDate: string;
  title: string;
  entryCount: number;
  capturedAt: string;
}

/** What earlier charts of a key say about one track. */
export interface TrackHistory {
  daysOnChart: number;
  peak: number;
  lastDate: string;
}
