import { randomUUID } from 'node:crypto';
import type { ChartKey } from '../../domain/chart.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import { isFinished, newRun, type Run, type Trigger } from '../../domain/run.js';
import { currentRun } from './interrupted-runs.js';
import { serveIsAlive } from './schedule-state.js';

/**
 * Queues a capture in the ledger; a running `serve` picks it up within a second and runs it (or
 * hands it to a worker). No second scheduler is started.
 */
export async function queueRun(
  ledger: RunLedger,
  key: ChartKey,
  trigger: Exclude<Trigger, 'schedule'>,
  now: Date = new Date(),
): Promise<Run> {
  const run = newRun({ id: randomUUID(), key, trigger, createdAt: now.toISOString() });
  await ledger.saveRun(run);
  return run;
}

/** How waiting for runs ended. */
export type WaitEnd = 'finished' | 'timeout' | 'no-serve';

/**
 * Waits until every run (or the retry that replaced it) has finished, the time is up, or no
 * `serve` is alive to run them (checked from the first poll, so that nobody waits for nothing);
 * returns their latest state. The ledger is read every `pollMs`, and at once whenever `wake`
 * signals (a run of this process finished), so a capture in this process is seen as it ends.
 */
export async function waitForRuns(
  deps: { ledger: RunLedger; coordination: Coordination },
  ids: readonly string[],
  options: {
    timeoutMs: number;
    pollMs?: number;
    now?: () => number;
    /** Subscribes `signal` to what may have finished a run; returns how to unsubscribe. */
    wake?: (signal: () => void) => () => void;
  },
): Promise<{ runs: Run[]; end: WaitEnd }> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let woken = false;
  let alarm: (() => void) | null = null;
  const unsubscribe = options.wake?.(() => {
    woken = true;
    alarm?.();
  });
  try {
    for (;;) {
      woken = false;
      const found = await Promise.all(
        ids.map(async (id) => (await currentRun(deps.ledger, id)).run),
      );
      const runs = found.filter((run): run is Run => run !== null);
      if (runs.length === ids.length && runs.every(isFinished)) return { runs, end: 'finished' };
      if (!(await serveIsAlive(deps.coordination, new Date(now())))) {
        return { runs, end: 'no-serve' };
      }
      if (now() >= deadline) return { runs, end: 'timeout' };
      // A signal that came while reading is not lost: read again at once.
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(options.pollMs ?? 250, deadline - now()));
        alarm = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      alarm = null;
    }
  } finally {
    unsubscribe?.();
  }
}
