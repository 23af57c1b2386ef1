import { createReadStream } from 'node:fs';
import {
  CHART_FILE_FORMATS,
  type ChartFileBatch,
  type ChartFileFormat,
} from '../../domain/chart-file.js';
import { ChartkeeperError } from '../../domain/errors.js';
import { CsvRows } from './csv-rows.js';
import { type CsvLayout, inspectChartFile, isEmptyRow } from './detect.js';
import { fileLabel, unreadableFile } from './file-errors.js';
import { chartOfFile } from './file-name.js';
import { loadRegionCodes } from './regions.js';
import { type RowContext, type RowReader, rowReader } from './row-readers.js';
import { TextChunks } from './text-chunks.js';

export interface ReadChartFileOptions {
  /** The chart a charts.spotify.com or spotifycharts.com file holds; wins over its name. */
  chartId?: string;
  /** Its date, YYYY-MM-DD; wins over its name. */
  chartDate?: string;
  /** Rows (good and rejected) per batch; BATCH_ROWS by default. */
  batchRows?: number;
}

export interface ChartFileReading {
  format: ChartFileFormat;
  /** The rows, in file order; read as they are consumed, so a file of any size fits in memory. */
  batches: AsyncIterable<ChartFileBatch>;
}

/**
 * The bytes read at a time, a few hundred rows: a piece's rows are all alive at once, and few of
 * them keep the garbage collector's work small.
 */
const READ_BYTES = 64 * 1024;

/**
 * Rows per batch by default. What is alive when V8 collects its young generation is copied out of
 * it: batches of 1,000 rows made an import copy twice as much and run a fifth slower than 200.
 */
const BATCH_ROWS = 200;

/**
 * Reads a chart file downloaded from charts.spotify.com or spotifycharts.com, or the 2017–2021
 * dataset, told apart by content. The chart and date of a download come from `options` or else
 * its name, and an error names what is missing before any row is read. Dataset rows carry their
 * own chart, region and date: `chartId` and `chartDate` are ignored for them. A chartkeeper
 * export is refused: it holds records, not chart rows, and has its own importer.
 */
export async function readChartFile(
  path: string,
  options: ReadChartFileOptions = {},
): Promise<ChartFileReading> {
  const layout = await inspectChartFile(path);
  if (layout.format === CHART_FILE_FORMATS.export) {
    throw new ChartkeeperError(
      'usage',
      `${fileLabel(path)} is a chartkeeper export, not a chart download: it is imported as records.`,
      { permanent: true, hint: 'Import it with chartkeeper import, which reads exports' },
    );
  }
  const csv = layout as CsvLayout;
  const context: RowContext =
    csv.format === CHART_FILE_FORMATS.dataset
      ? { format: csv.format, regionCodes: await loadRegionCodes() }
      : { format: csv.format, ...chartOfFile(path, options) };
  const asked = options.batchRows ?? BATCH_ROWS;
  const batchRows = Number.isFinite(asked) && asked >= 1 ? Math.floor(asked) : BATCH_ROWS;
  return {
    format: csv.format,
    batches: readBatches(path, csv, rowReader(csv, context), batchRows),
  };
}

async function* readBatches(
  path: string,
  layout: CsvLayout,
  read: RowReader,
  batchRows: number,
): AsyncGenerator<ChartFileBatch> {
  const text = new TextChunks(path);
  const csv = new CsvRows(path, layout.newline);
  const batches = new Batches(batchRows);
  // Pulled one piece at a time: while the consumer works on a batch, the stream is not read.
  const stream = createReadStream(path, { highWaterMark: READ_BYTES });
  try {
    // Each batch says how far into the file it reaches, for a progress bar's share and time left.
    for await (const bytes of stream) {
      take(csv.push(text.decode(bytes as Buffer), false), layout.headerLine, read, batches);
      for (const batch of batches.full()) yield { ...batch, bytesRead: stream.bytesRead };
    }
    take(csv.push(text.decode(null, true), true), layout.headerLine, read, batches);
    for (const batch of batches.rest()) yield { ...batch, bytesRead: stream.bytesRead };
  } catch (error) {
    throw unreadableFile(path, error);
  } finally {
    stream.destroy();
  }
}

function take(
  run: ReturnType<CsvRows['push']>,
  headerLine: number,
  read: RowReader,
  batches: Batches,
): void {
  const { rows, lines, badQuotes } = run;
  for (let i = 0; i < rows.length; i++) {
    const line = lines[i]!;
    const fields = rows[i]!;
    // The header and the note before it were read by inspectChartFile.
    if (line <= headerLine || isEmptyRow(fields)) continue;
    const quotes = badQuotes?.get(i);
    if (quotes !== undefined) {
      batches.reject(line, quotes);
      continue;
    }
    const row = read(fields, line);
    if (typeof row === 'string') batches.reject(line, row);
    else batches.add(row);
  }
}

/** Collects rows into batches of about `size` rows, in file order. */
class Batches {
  private current: ChartFileBatch = { rows: [], rejected: [] };
  private done: ChartFileBatch[] = [];

  constructor(private readonly size: number) {}

  add(row: ChartFileBatch['rows'][number]): void {
    this.current.rows.push(row);
    if (this.current.rows.length + this.current.rejected.length >= this.size) this.close();
  }

  reject(line: number, reason: string): void {
    this.current.rejected.push({ line, reason });
    if (this.current.rows.length + this.current.rejected.length >= this.size) this.close();
  }

  full(): ChartFileBatch[] {
    const done = this.done;
    this.done = [];
    return done;
  }

  rest(): ChartFileBatch[] {
    if (this.current.rows.length + this.current.rejected.length > 0) this.close();
    return this.full();
  }

  private close(): void {
    this.done.push(this.current);
    this.current = { rows: [], rejected: [] };
  }
}
