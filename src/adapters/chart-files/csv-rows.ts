import Papa from 'papaparse';
import { invalidChartFile } from './file-errors.js';

export type Newline = '\r\n' | '\n' | '\r';

/** Rows completed by one piece of text: `lines[i]` is the physical line on which `rows[i]` starts. */
export interface RowRun {
  rows: string[][];
  lines: number[];
  /** Why rows (by index into `rows`) whose quotes papaparse could not make sense of are wrong. */
  badQuotes: Map<number, string> | null;
}

/** No chart row comes near this; a longer one is a quote that never closes. */
const MAX_ROW_CHARS = 1 << 20;

/**
 * Splits CSV text fed in pieces into rows with papaparse's parser, keeping the physical line each
 * row starts on (a quoted field may hold line breaks, which count). Only the unfinished last row
 * of a piece is carried over, so memory stays bounded by the piece size, whatever the file size.
 */
export class CsvRows {
  private readonly parser: Papa.Parser;
  private readonly lineBreak: string;
  private carried = '';
  private line = 1;

  constructor(
    private readonly path: string,
    newline: Newline,
  ) {
    this.parser = new Papa.Parser({ delimiter: ',', newline, quoteChar: '"' });
    // A physical line ends at \n, also in a CRLF file, also inside a quoted field.
    this.lineBreak = newline === '\r' ? '\r' : '\n';
  }

  /** The rows `text` completes; with `final`, every row left. Empty lines come as `['']`. */
  push(text: string, final: boolean): RowRun {
    const input = this.carried + text;
    const result = this.parser.parse(input, 0, !final) as Papa.ParseResult<string[]>;
    const rows = result.data;
    const consumed = final ? input.length : result.meta.cursor;
    this.carried = final ? '' : input.substring(consumed);
    const lines = this.numberLines(rows, input, consumed, final);
    if (this.carried.length > MAX_ROW_CHARS) {
      // `this.line` is now where the carried row starts.
      throw invalidChartFile(
        this.path,
        `has a row of more than ${MAX_ROW_CHARS} characters from line ${this.line}: a quote (") that is never closed?`,
      );
    }
    return { rows, lines, badQuotes: badQuotes(result) };
  }

  private numberLines(rows: string[][], input: string, consumed: number, final: boolean): number[] {
    const lines = new Array<number>(rows.length);
    const breaks = countOf(input, this.lineBreak, consumed);
    // Every row ends with one line break, but the last of the file may have none.
    const ends =
      final && consumed > 0 && !input.endsWith(this.lineBreak) ? rows.length - 1 : rows.length;
    let line = this.line;
    if (breaks === ends) {
      // The common case: no field holds a line break, so rows are lines.
      for (let i = 0; i < rows.length; i++) lines[i] = line++;
    } else {
      for (let i = 0; i < rows.length; i++) {
        lines[i] = line;
        line += 1;
        for (const field of rows[i]!) line += countOf(field, this.lineBreak, field.length);
      }
    }
    this.line += breaks;
    return lines;
  }
}

function countOf(text: string, needle: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1 && at < end; at = text.indexOf(needle, at + 1)) {
    count++;
  }
  return count;
}

function badQuotes(result: Papa.ParseResult<string[]>): Map<number, string> | null {
  if (result.errors.length === 0) return null;
  const rows = new Map<number, string>();
  for (const error of result.errors) {
    if (error.row === undefined) continue;
    rows.set(
      error.row,
      error.code === 'MissingQuotes'
        ? 'a quoted field is never closed: the rest of the file was read as this row'
        : 'a quoted field is followed by more text before its comma',
    );
  }
  return rows;
}
