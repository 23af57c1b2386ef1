import type { App } from '../../app/app.js';
import type { RunQuery } from '../../domain/ports/run-ledger.js';
import type { Run } from '../../domain/run.js';

/** What the runs page filters by: the ledger's own query (`before` is a run id: the next page). */
export type RunFilter = RunQuery;

/** The runs matching the filter, newest first, filtered by the ledger itself. */
export function findRuns(app: App, filter: RunFilter): Promise<Run[]> {
  return app.listRuns(filter);
}
