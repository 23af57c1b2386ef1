import type { ChartKey } from '../chart.js';
import type { Run, RunState } from '../run.js';

/** The run ledger: one row per capture, from trigger to stored chart. */
export interface RunLedger {
  /** Inserts or replaces a run. */
  saveRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | null>;
  /** Runs, newest first (by createdAt), optionally of one key and only in the given states. */
  listRuns(options: {
    limit: number;
    key?: ChartKey;
    states?: readonly RunState[];
  }): Promise<Run[]>;
  /** Runs whose id starts with `prefix` (an indexed look-up), at most `limit`. */
  findRunsByPrefix(prefix: string, limit: number): Promise<Run[]>;
}
