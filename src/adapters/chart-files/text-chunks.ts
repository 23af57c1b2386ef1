import { invalidChartFile } from './file-errors.js';

/**
 * Decodes a file's bytes as UTF-8, piece by piece, refusing what is not text: a NUL character
 * (binary data) or bytes that are not UTF-8 end the read with an error instead of a garbled
 * chart. A leading byte-order mark is dropped.
 */
export class TextChunks {
  // `fatal`: a Latin-1 or UTF-16 file must be refused, not read with replacement characters.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(private readonly path: string) {}

  /** The text of the next bytes; `final` flushes a character split across the last two pieces. */
  decode(bytes: Uint8Array | null, final = false): string {
    let text: string;
    try {
      text = final
        ? this.decoder.decode(bytes ?? undefined)
        : this.decoder.decode(bytes ?? undefined, { stream: true });
    } catch (error) {
      throw invalidChartFile(
        this.path,
        'is not UTF-8 text: it is not a chart file chartkeeper knows.',
        'Save the chart as UTF-8 CSV, as charts.spotify.com downloads it',
        error,
      );
    }
    if (text.indexOf('\0') !== -1) {
      throw invalidChartFile(this.path, 'holds binary data: it is not a chart file (CSV).');
    }
    return text;
  }
}
