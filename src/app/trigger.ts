import type { ChartKey } from '../domain/chart.js';
import type { Run } from '../domain/run.js';
import { queueRun, type WaitEnd, waitForRuns } from '../services/scheduling/manual-runs.js';
import { serveIsAlive } from '../services/scheduling/schedule-state.js';
import { notFetched } from './capture-now.js';
import { chartsToCapture } from './config.js';
import type { AppContext } from './context.js';

export interface TriggerRequest {
  /** The charts to capture; the configured ones when not given. */
  keys?: readonly ChartKey[];
  /** Wait this long for the runs to finish; without it, only queue them. */
  waitMs?: number;
  trigger?: 'manual' | 'api';
}

/** What asking `serve` to capture came to. */
export interface TriggerResult {
  /** The runs as queued. */
  queued: Run[];
  /** The runs as they stand at the end: finished, or still queued or running. */
  runs: Run[];
  /** Whether a `serve` was alive to pick them up when they were queued. */
  serving: boolean;
  /** With `wait`: how waiting ended. */
  end: WaitEnd | null;
}

/**
 * Queues a capture of each chart for the running `serve` (through the store, so it works from any
 * machine sharing it) and, with `waitMs`, waits for them. Waiting stops at once when no `serve` is
 * alive: a queued run would otherwise wait for nothing.
 */
export async function triggerCaptures(
  ctx: AppContext,
  request: TriggerRequest,
): Promise<TriggerResult> {
  const keys = chartsToCapture(ctx.config, request.keys);
  for (const key of keys) {
    if (!ctx.sources.isFetched(key.source)) throw notFetched(key);
  }
  const queued: Run[] = [];
  for (const key of keys) {
    const run = await queueRun(ctx.ledger, key, request.trigger ?? 'manual');
    queued.push(run);
    // A `serve` in this process (the API's) starts it now instead of at its next look.
    ctx.events.emit('run-queued', { run });
  }
  const serving = await serveIsAlive(ctx.coordination);
  if (request.waitMs === undefined) return { queued, runs: queued, serving, end: null };
  if (!serving) return { queued, runs: queued, serving, end: 'no-serve' };
  const { runs, end } = await waitForRuns(
    ctx,
    queued.map((run) => run.id),
    {
      timeoutMs: request.waitMs,
      // Runs of this process are seen the moment they end; others at the next look.
      wake: (signal) => ctx.events.on('run-finished', signal),
    },
  );
  return { queued, runs, serving, end };
}
