import type { ChartKey } from '../chart.js';
import type { Run, RunState, Trigger } from '../run.js';

/** Which runs to list: newest first (by createdAt, then id), at most `limit`. */
export interface RunQuery {
  limit: number;
  /** Only runs of this chart. */
  key?: ChartKey;
  /** Only runs in one of these states (none matches nothing). */
  states?: readonly RunState[];
  /** Only runs started this way. */
  trigger?: Trigger;
  /**
   * Paging: only runs listed after the run with this id (older than it; same createdAt, smaller
   * id). A run id that is not in the ledger lists nothing.
   */
  before?: string;
}

/** The run ledger: one row per capture, from trigger to stored chart. */
export interface RunLedger {
  /** Inserts or replaces a run. */
  saveRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | null>;
  /** Runs, newest first (by createdAt, then id), as the query narrows them. */
  listRuns(query: RunQuery): Promise<Run[]>;
  /** Runs whose id starts with `prefix` (an indexed look-up), at most `limit`. */
  findRunsByPrefix(prefix: string, limit: number): Promise<Run[]>;
}
