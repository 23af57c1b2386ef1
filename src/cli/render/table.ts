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
  /**
   * Left out whole on a terminal too narrow even for the shrunk table: 1 goes first, then 2...
   * Columns without it are always shown.
   */
  dropOrder?: number;
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
  allColumns: readonly Column<Row>[],
  width: number = terminalWidth(),
): Promise<string> {
  const all = rows.map((row) => allColumns.map((column) => oneLine(column.value(row))));
  await prepareWidths([...all.flat(), ...allColumns.map((c) => c.header)]);
  // Longest values are cut to a column's `max` only on a terminal: piped output keeps them whole.
  const natural = allColumns.map((column, i) =>
    Math.min(
      Number.isFinite(width) ? (column.max ?? 60) : Number.POSITIVE_INFINITY,
      Math.max(displayWidth(column.header), ...all.map((line) => displayWidth(line[i] ?? ''))),
    ),
  );
  const shown = chooseColumns(allColumns, natural, width);
  const columns = shown.map((i) => allColumns[i] as Column<Row>);
  const widths = shown.map((i) => natural[i] ?? 0);
  fitColumns(widths, columns, width);
  const line = (cells: readonly string[]) =>
    truncate(
      shown
        .map((i, k) =>
          pad(truncate(cells[i] ?? '', widths[k] ?? 0), widths[k] ?? 0, columns[k]?.align),
        )
        .join(' '.repeat(GAP))
        .trimEnd(),
      width,
    );
  return [line(allColumns.map((c) => c.header)), ...all.map(line)].join('\n');
}

/**
 * The columns to show (their indexes): all of them if the table fits `width` once the shrinking
 * columns are at their narrowest, else without the droppable ones, first to go first.
 */
function chooseColumns<Row>(
  columns: readonly Column<Row>[],
  natural: readonly number[],
  width: number,
): number[] {
  let shown = columns.map((_, i) => i);
  const narrowest = (i: number) =>
    columns[i]?.shrinks ? Math.min(natural[i] ?? 0, MIN_SHRUNK) : (natural[i] ?? 0);
  const total = () => shown.reduce((sum, i) => sum + narrowest(i), 0) + GAP * (shown.length - 1);
  const droppable = shown
    .filter((i) => columns[i]?.dropOrder !== undefined)
    .sort((a, b) => (columns[a]?.dropOrder ?? 0) - (columns[b]?.dropOrder ?? 0));
  for (const drop of droppable) {
    if (total() <= width) break;
    shown = shown.filter((i) => i !== drop);
  }
  return shown;
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
