import type { ChartStore } from '../domain/ports/chart-store.js';
import type { Run } from '../domain/run.js';

/** A cron expression firing once a day, `secondsAhead` from now (UTC). */
export function dailyAt(secondsAhead: number): { cron: string; at: Date } {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + secondsAhead * 1000);
  return {
    cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`,
    at,
  };
}

/** Polls the ledger until `check` holds for the runs, newest first; fails after `timeoutMs`. */
export async function ledgerUntil(
  store: ChartStore,
  check: (runs: Run[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Run[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await store.listRuns({ limit: 1_000 });
    if (check(runs)) return runs;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; ledger: ${JSON.stringify(runs.map((r) => [r.id.slice(0, 8), r.chartId, r.trigger, r.state, r.scheduledFor]))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a run of the ledger is fetching its items (held there by a slow fault); that run. */
export async function fetchUnderway(store: ChartStore): Promise<Run> {
  const isFetching = (run: Run) =>
    run.tasks.some((t) => t.name === 'fetch' && t.state === 'running');
  const runs = await ledgerUntil(
    store,
    (all) => all.some(isFetching),
    60_000,
    'the fetch to start',
  );
  return runs.find(isFetching) as Run;
}
