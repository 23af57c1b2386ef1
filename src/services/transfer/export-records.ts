import type { RecordExport } from '../../domain/ports/record-export.js';

/** The first line of every export: what the file is, and the version of its format. */
export const EXPORT_HEADER_TYPE = 'chartkeeper-export';
export const EXPORT_VERSION = 1;

/** How many records of each type were written or read. */
export interface RecordCounts {
  captures: number;
  charts: number;
  runs: number;
}

/**
 * Writes everything in `store` as NDJSON: a header line, then one record per line
 * (`{"type":"capture","capture":{…}}`, then charts, then runs). Records are streamed, never all
 * held at once; `write` is awaited, so a slow reader slows the export instead of filling memory.
 */
export async function exportRecords(
  store: RecordExport & { readonly kind: string },
  write: (line: string) => Promise<void>,
  options: { now?: () => Date; progress?: (counts: RecordCounts) => void } = {},
): Promise<RecordCounts> {
  const counts: RecordCounts = { captures: 0, charts: 0, runs: 0 };
  const now = options.now ?? (() => new Date());
  await write(
    `${JSON.stringify({
      type: EXPORT_HEADER_TYPE,
      version: EXPORT_VERSION,
      exportedAt: now().toISOString(),
      from: store.kind,
    })}\n`,
  );
  for await (const record of store.records()) {
    await write(`${JSON.stringify(record)}\n`);
    counts[`${record.type}s`]++;
    options.progress?.(counts);
  }
  return counts;
}
