import type { RecordCounts } from '../../app/transfer.js';

/** "3 captures, 2 charts and 2 runs", for export and import summaries and progress lines. */
export function describeCounts(counts: RecordCounts | undefined): string {
  const { captures = 0, charts = 0, runs = 0 } = counts ?? {};
  return `${captures} captures, ${charts} charts and ${runs} runs`;
}
