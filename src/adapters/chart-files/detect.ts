import { open } from 'node:fs/promises';
import { CHART_FILE_FORMATS, type ChartFileFormat } from '../../domain/chart-file.js';
import { CsvRows, type Newline } from './csv-rows.js';
import { invalidChartFile, unreadableFile } from './file-errors.js';
import { type CsvFormat, formatOfHeader, KNOWN_HEADERS } from './headers.js';
import { TextChunks } from './text-chunks.js';

/** Enough for a header, a note line before it, and the first rows. */
const HEAD_BYTES = 16 * 1024;

/** What the start of a CSV chart file says about reading the rest. */
export interface CsvLayout {
  format: CsvFormat;
  newline: Newline;
  /** The header's column names, as written. */
  header: string[];
  /** The physical line of the header; rows start after it. */
  headerLine: number;
}

export type FileLayout = { format: typeof CHART_FILE_FORMATS.export } | CsvLayout;

/**
 * Tells which kind of chart file `path` is from its content (its first 16 KiB), never its name.
 * Throws a ChartkeeperError for an empty, binary, non-UTF-8 or unknown file.
 */
export async function detectChartFileFormat(path: string): Promise<ChartFileFormat> {
  return (await inspectChartFile(path)).format;
}

export async function inspectChartFile(path: string): Promise<FileLayout> {
  const { text, whole } = await readHead(path);
  if (text.trim() === '') throw invalidChartFile(path, 'is empty: it holds no chart.');
  return layoutOf(path, text, whole);
}

async function readHead(path: string): Promise<{ text: string; whole: boolean }> {
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      let length = 0;
      while (length < HEAD_BYTES) {
        const { bytesRead } = await file.read(buffer, length, HEAD_BYTES - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      const whole = length < HEAD_BYTES;
      const decoder = new TextChunks(path);
      // A character cut at the end of the head is left for the full read.
      return { text: decoder.decode(buffer.subarray(0, length), whole), whole };
    } finally {
      await file.close();
    }
  } catch (error) {
    throw unreadableFile(path, error);
  }
}

/**
 * `export --format csv|ndjson` writes charts for other tools, not a backup to import: said so,
 * rather than read as a chart download (all its charts would fall into one).
 */
function chartExport(path: string): unknown {
  return invalidChartFile(
    path,
    'is a chart export (chartkeeper export --format csv or ndjson), written for other tools; chartkeeper does not import it.',
    'To move charts between stores, import a whole-store export: chartkeeper export -o backup.ndjson',
  );
}

/** Reads the format from the start of a file (`whole` when that is all of it). */
function layoutOf(path: string, text: string, whole: boolean): FileLayout {
  if (isExport(text, whole)) {
    if (/^\s*\{"key":/.test(text)) throw chartExport(path);
    return { format: CHART_FILE_FORMATS.export };
  }
  const newline = newlineOf(text);
  const run = new CsvRows(path, newline).push(text, whole);
  // The header, or the header after one note line (spotifycharts.com's disclaimer).
  const candidates: number[] = [];
  for (let i = 0; i < run.rows.length && candidates.length < 2; i++) {
    if (!isEmptyRow(run.rows[i]!)) candidates.push(i);
  }
  for (const index of candidates) {
    const header = run.rows[index]!;
    if (header.includes('chart_id') && header.includes('chart_date')) throw chartExport(path);
    const format = formatOfHeader(header);
    if (format) return { format, newline, header, headerLine: run.lines[index]! };
  }
  const first = firstLine(text);
  throw invalidChartFile(
    path,
    `is not a chart file chartkeeper knows: it starts with "${first.length > 120 ? `${first.slice(0, 120)}…` : first}". Known files start with: ${KNOWN_HEADERS.join('; ')}.`,
    'Download the chart again from charts.spotify.com, or import a chartkeeper export',
  );
}

/** A chartkeeper export: NDJSON whose first non-empty line is a JSON object. */
function isExport(text: string, whole: boolean): boolean {
  const start = text.search(/\S/);
  if (start === -1 || text[start] !== '{') return false;
  const end = text.indexOf('\n', start);
  // A first line longer than the head cannot be checked; a CSV line never starts with `{`.
  if (end === -1 && !whole) return true;
  try {
    const value: unknown = JSON.parse(text.slice(start, end === -1 ? undefined : end));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function newlineOf(text: string): Newline {
  const lf = text.indexOf('\n');
  if (lf === -1) return text.includes('\r') ? '\r' : '\n';
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

export function isEmptyRow(row: readonly string[]): boolean {
  return row.length === 1 && row[0]!.trim() === '';
}

function firstLine(text: string): string {
  const trimmed = text.trimStart();
  const end = trimmed.search(/\r|\n/);
  return end === -1 ? trimmed : trimmed.slice(0, end);
}
