import { displayWidth, pad, prepareWidths, truncate } from './text-width.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /** Longest the column may grow, in terminal columns; longer values end with …. */
  max?: number;
  /**
   * Whether the column gives up width when the table is wider than the terminal (titles,
   * artists, errors); the others (numbers, dates, ids) keep theirs.
   */
  shrinks?: boolean;
}

/** Narrowest a shrinking column gets before the table is simply cut at the terminal's edge. */
const MIN_SHRUNK = 8;
const GAP = 2;

/**
 * The width tables must fit: the terminal's, or COLUMNS when set (also for output that is not a
 * terminal); unlimited when neither says, so piped output keeps whole values.
 */
export function terminalWidth(
  env: NodeJS.ProcessEnv = process.env,
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return Number.POSITIVE_INFINITY;
}

/**
 * Renders rows as a plain, aligned text table with a header line, at most `width` columns wide:
 * the shrinking columns give up width first (their values end with …), and a table still too
 * wide for a very narrow terminal is cut at its edge, so no line ever wraps.
 */
export async function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  width: number = terminalWidth(),
): Promise<string> {
  const values = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  await prepareWidths([...values.flat(), ...columns.map((c) => c.header)]);
  const widths = columns.map((column, i) =>
    Math.min(
      column.max ?? 60,
      Math.max(displayWidth(column.header), ...values.map((line) => displayWidth(line[i] ?? ''))),
    ),
  );
  fitColumns(widths, columns, width);
  const line = (cells: readonly string[]) =>
    truncate(
      cells
        .map((cell, i) => pad(truncate(cell, widths[i] ?? 0), widths[i] ?? 0, columns[i]?.align))
        .join(' '.repeat(GAP))
        .trimEnd(),
      width,
    );
  return [line(columns.map((c) => c.header)), ...values.map(line)].join('\n');
}

/** Narrows the shrinking columns, widest first, until the table fits `width`. */
function fitColumns<Row>(widths: number[], columns: readonly Column<Row>[], width: number): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1);
  let over = total() - width;
  while (over > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (!columns[i]?.shrinks || (widths[i] ?? 0) <= MIN_SHRUNK) continue;
      if (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0)) widest = i;
    }
    if (widest < 0) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
    over--;
  }
}

/** Line breaks and tabs in a value would break the table's lines. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
