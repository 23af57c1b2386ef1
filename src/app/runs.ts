import { ChartkeeperError } from '../domain/errors.js';
import type { RunQuery } from '../domain/ports/run-ledger.js';
import type { Run } from '../domain/run.js';
import type { AppContext } from './context.js';

export type { RunQuery } from '../domain/ports/run-ledger.js';

/**
 * The run ledger, newest first, narrowed by the query. A `before` naming no run is an error
 * (a cursor from another store, or mistyped), not an empty page.
 */
export async function listRuns(ctx: AppContext, query: RunQuery): Promise<Run[]> {
  if (query.before !== undefined && !(await ctx.ledger.getRun(query.before))) {
    throw new ChartkeeperError('not-found', `No run ${query.before} to list the runs before.`, {
      hint: 'Page with the id of the last run of the previous page.',
      permanent: true,
    });
  }
  return ctx.ledger.listRuns(query);
}

/**
 * A run by its id or the first characters of it (as listings show ids), through an indexed
 * look-up; the latest run when no id is given. Throws a `not-found` error saying what to do.
 */
export async function findRun(ctx: AppContext, id?: string): Promise<Run> {
  const hint =
    'List runs with: chartkeeper runs (the RUN column holds the first characters of each id)';
  if (id === undefined) {
    const [latest] = await ctx.ledger.listRuns({ limit: 1 });
    if (latest) return latest;
    throw new ChartkeeperError('not-found', 'No runs yet.', {
      hint: 'Capture a chart with: chartkeeper run',
      permanent: true,
    });
  }
  const exact = await ctx.ledger.getRun(id);
  if (exact) return exact;
  const matches = await ctx.ledger.findRunsByPrefix(id, 2);
  if (matches.length === 1) return matches[0] as Run;
  throw new ChartkeeperError(
    'not-found',
    matches.length === 0
      ? `No run ${id}.`
      : `More than one run starts with ${id}; give more characters.`,
    { hint, permanent: true },
  );
}

/** The latest succeeded run of each configured chart that has one. */
export async function lastSuccesses(ctx: AppContext): Promise<Run[]> {
  const latest = await Promise.all(
    ctx.config.charts.map((key) => ctx.ledger.listRuns({ key, states: ['succeeded'], limit: 1 })),
  );
  return latest.flat();
}
