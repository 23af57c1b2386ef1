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

// Widths of East Asian, emoji and combining characters come from string-width. Loading it costs
// ~20 ms (its emoji expression and Intl.Segmenter), most of what `chartkeeper chart` may take, so
// it is loaded only for text beyond printable ASCII, Latin-1 letters and the few symbols tables
// use (– — … ▲ ▼), which each take one column.
let unicodeWidth: ((text: string) => number) | null = null;
const PLAIN = /^[\x20-\x7e\u00a1-\u00ac\u00ae-\u00ff\u2013\u2014\u2026\u25b2\u25bc]*$/;

/** Loads the Unicode width rules if any of `texts` needs them; call before measuring those. */
export async function prepareWidths(texts: Iterable<string>): Promise<void> {
  if (unicodeWidth) return;
  for (const text of texts) {
    if (PLAIN.test(text)) continue;
    unicodeWidth = (await import('string-width')).default;
    return;
  }
}

/** How many terminal columns a string takes (wide characters 2, combining marks 0). */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  if (!unicodeWidth) throw new Error('prepareWidths() must see a text before it is measured');
  return unicodeWidth(text);
}

let graphemes: Intl.Segmenter | null = null;

/**
 * Cuts a string to at most `max` columns, ending with … when cut. By hand over grapheme clusters
 * (string-width measures each): cli-truncate lets a wide character before the ellipsis overflow
 * by one column, and an emoji sequence must never be cut in half.
 */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  if (PLAIN.test(text)) return `${text.slice(0, max - 1)}…`;
  let out = '';
  let width = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

/** Pads a string with spaces to `width` columns, on the right or (for numbers) on the left. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
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
