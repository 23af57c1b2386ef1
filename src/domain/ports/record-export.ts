import type { Capture } from '../capture.js';
import type { ChartSnapshot } from '../chart.js';
import type { Run } from '../run.js';

/** One stored thing, tagged with its type: a line of an export, an entry of the outbox. */
export type StoreRecord =
  | { type: 'capture'; capture: Capture }
  | { type: 'chart'; chart: ChartSnapshot }
  | { type: 'run'; run: Run };

/** Everything stored, for export. */
export interface RecordExport {
  /** Captures in order of saving, then charts, then runs; streamed, never all held at once. */
  records(): AsyncIterable<StoreRecord>;
}
