import { randomUUID } from 'node:crypto';
import type { ChartKey } from '../domain/chart.js';
import type { ChartStore } from '../domain/ports.js';
import { FINAL_RUN_STATES, newRun, type Run, retryRunId } from '../domain/run.js';
import { lastHeartbeat } from './schedule-state.js';
import { POLL_MS } from './scheduler.js';

/**
 * Queues a manual capture in the ledger; a running `serve` picks it up within a second and runs
 * it (or hands it to a worker). No second scheduler is started.
 */
export async function queueManualRun(
  store: ChartStore,
  key: ChartKey,
  now: Date = new Date(),
): Promise<Run> {
  const run = newRun({ id: randomUUID(), key, trigger: 'manual', createdAt: now.toISOString() });
  await store.saveRun(run);
  return run;
}

/** Whether some `serve` said it was alive recently enough to pick up a queued run. */
export async function serveIsAlive(store: ChartStore, now: Date = new Date()): Promise<boolean> {
  const heartbeat = await lastHeartbeat(store);
  return heartbeat !== null && now.getTime() - Date.parse(heartbeat.at) < 5 * POLL_MS;
}

/**
 * The run that now stands for `id`: itself, or the retry it was replaced by after being
 * interrupted (and that one's, and so on).
 */
export async function currentRun(store: ChartStore, id: string): Promise<Run | null> {
  let run = await store.getRun(id);
  for (let hops = 0; run && hops < 10; hops++) {
    if (run.state !== 'failed' || run.error?.code !== 'interrupted') break;
    const retry = await store.getRun(retryRunId(run.id));
    if (!retry) break;
    run = retry;
  }
  return run;
}

/** Waits until every run (or its retry) has finished, or the time is up; returns their latest state. */
export async function waitForRuns(
  store: ChartStore,
  ids: readonly string[],
  options: { timeoutMs: number; pollMs?: number },
): Promise<{ runs: Run[]; finished: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const runs = (await Promise.all(ids.map((id) => currentRun(store, id)))).filter(
      (run): run is Run => run !== null,
    );
    const finished =
      runs.length === ids.length && runs.every((r) => FINAL_RUN_STATES.includes(r.state));
    if (finished || Date.now() >= deadline) return { runs, finished };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
