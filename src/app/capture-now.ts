import { randomUUID } from 'node:crypto';
import type { ChartKey } from '../domain/chart.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { QuotaExhaustion } from '../domain/quota.js';
import { failedTask, type Run, type TaskName } from '../domain/run.js';
import { quotaExhaustedError } from '../lib/quota-error.js';
import { captureChartAttempt } from '../services/capture/capture-chart.js';
import { withChartLease } from '../services/capture/chart-lease.js';
import { deferCapture } from '../services/quota/defer-run.js';
import { quotaInForceAt } from '../services/quota/quota-state.js';
import { markInterrupted } from '../services/scheduling/interrupted-runs.js';
import { chartsToCapture, checkSettingsFor } from './config.js';
import type { AppContext } from './context.js';
import { sweepInterrupted } from './sweep.js';

/** A task failed in a way time may cure, and the capture waits before trying again. */
export interface RetryWait {
  run: Run;
  task: TaskName;
  /** The attempt that failed, and how many there may be. */
  attempt: number;
  attempts: number;
  waitMs: number;
}

export interface CaptureNowRequest {
  /** The charts to capture; the configured ones when not given. */
  keys?: readonly ChartKey[];
  trigger?: 'manual' | 'api';
  /** Retry transient task failures per config `retries` (`run --no-retry` turns it off). */
  retry: boolean;
  /**
   * Call Spotify even though its quota is known to be exhausted (`run --force`). Once a capture
   * of this call meets the quota, the charts after it are deferred all the same.
   */
  force?: boolean;
  /** Told before each wait for another attempt. */
  onRetryWait?: (wait: RetryWait) => void;
  /** Told as each chart's capture ends. */
  onRunEnd?: (run: Run) => void;
}

/**
 * Captures charts now, one after the other, each under its chart's lease (never alongside a
 * capture of the same chart by `serve` or a worker). A transient task failure is retried as
 * `serve` retries it, continuing the same run. Runs under way are remembered, so that a stopped
 * process can mark them interrupted (see interruptActiveRuns). While Spotify's quota is known to
 * be exhausted it refuses at once, unless forced; charts after one that met the quota are
 * recorded as deferred, without calling Spotify.
 */
export async function captureNow(
  ctx: AppContext,
  active: ActiveCaptures,
  request: CaptureNowRequest,
): Promise<Run[]> {
  const keys = chartsToCapture(ctx.config, request.keys);
  checkSettingsFor(ctx.config, 'run');
  const known = await knownQuota(ctx);
  if (known && !request.force) throw quotaExhaustedError(known, ctx.config.timezone);
  await sweepInterrupted(ctx);
  const runs: Run[] = [];
  let quotaMet = false;
  for (const key of keys) {
    const quota = !request.force || quotaMet ? await knownQuota(ctx) : null;
    if (quota) {
      const now = new Date();
      const run = await deferCapture(
        { ...ctx, timezone: ctx.config.timezone },
        {
          run: null,
          runId: randomUUID(),
          key,
          trigger: request.trigger ?? 'manual',
          scheduledFor: null,
        },
        quotaExhaustedError(quota, ctx.config.timezone, now),
        now,
      );
      request.onRunEnd?.(run);
      runs.push(run);
      continue;
    }
    const fetcher = await ctx.sources.fetcher(key.source);
    const normaliser = await ctx.sources.normaliser(key.source);
    if (!fetcher || !normaliser) throw notFetched(key);
    const deps = {
      ...ctx,
      fetcher,
      normaliser,
      timezone: ctx.config.timezone,
    };
    const retry = request.retry ? { policy: ctx.config.retries } : null;
    const run = await withChartLease(
      ctx.coordination,
      key,
      async () => {
        let current: Run | null = null;
        const stop = new AbortController();
        const onRun = (run: Run) => {
          current = run;
          active.set(run, stop);
        };
        try {
          let attempt = await captureChartAttempt(
            deps,
            { key, trigger: request.trigger ?? 'manual', onRun, signal: stop.signal },
            retry,
          );
          while (attempt.retryInMs !== null) {
            const task = failedTask(attempt.run)?.name ?? 'fetch';
            request.onRetryWait?.({
              run: attempt.run,
              task,
              attempt: attempt.run.tasks.find((t) => t.name === task)?.attempts ?? 1,
              attempts: ctx.config.retries.attempts,
              waitMs: attempt.retryInMs,
            });
            await sleep(attempt.retryInMs);
            attempt = await captureChartAttempt(
              deps,
              { key, trigger: attempt.run.trigger, run: attempt.run, onRun, signal: stop.signal },
              retry,
            );
          }
          return attempt.run;
        } finally {
          if (current) active.delete(current);
        }
      },
      { warn: (line) => ctx.logger.warn(line) },
    );
    quotaMet ||= run.error?.code === 'spotify-quota';
    request.onRunEnd?.(run);
    runs.push(run);
  }
  return runs;
}

/**
 * The quota exhaustion the store knows of, still in force; null also when the store cannot be
 * read (a capture then waits in the outbox, and Spotify says again if the quota is used up).
 */
async function knownQuota(ctx: AppContext): Promise<QuotaExhaustion | null> {
  return quotaInForceAt(ctx.coordination, new Date()).catch(() => null);
}

/** The captures under way in this process: each run, and how to stop its capture. */
export type ActiveCaptures = Map<Run, AbortController>;

/**
 * Marks the runs under way in this process as interrupted: the process is being stopped (Ctrl+C,
 * SIGTERM) and they will not finish. Each capture is stopped first, so that it saves nothing
 * after the mark; each mark is saved before this resolves.
 */
export async function interruptActiveRuns(
  ctx: AppContext,
  active: ActiveCaptures,
  why: string,
): Promise<Run[]> {
  const marked: Run[] = [];
  for (const [run, stop] of active) {
    stop.abort();
    if (run.state !== 'running' && run.state !== 'queued') continue;
    // A copy: the stopped capture may still be between two steps with the run in hand.
    const copy = structuredClone(run);
    await markInterrupted(ctx.ledger, copy, { retry: false, why, events: ctx.events });
    marked.push(copy);
  }
  active.clear();
  return marked;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A chart of a source that is not fetched over the network cannot be captured now. */
export function notFetched(key: ChartKey): ChartkeeperError {
  return new ChartkeeperError(
    'usage',
    `${key.chartId} is a chart of ${key.source}, which is not fetched over the network`,
    { hint: 'Capture a Spotify playlist instead (--playlist ID).', permanent: true },
  );
}
