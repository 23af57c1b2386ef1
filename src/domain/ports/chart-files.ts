import type { ChartFileBatch, ChartFileFormat } from '../chart-file.js';

/** A chart file opened for reading: its format, and its rows a batch at a time. */
export interface ChartFileReading {
  format: ChartFileFormat;
  batches: AsyncIterable<ChartFileBatch>;
}

/** What a file does not say about its chart, given by the user (`--chart`, `--date`). */
export interface ChartFileHints {
  chartId?: string;
  chartDate?: string;
}

/** Reads official chart files (charts.spotify.com, spotifycharts.com, the public dataset). */
export interface ChartFiles {
  /** The file's format, from its first bytes. */
  detect(path: string): Promise<ChartFileFormat>;
  /** Opens a CSV chart file; fails before any row when its chart or date cannot be known. */
  read(path: string, hints: ChartFileHints): Promise<ChartFileReading>;
}
