import type { ChartKey } from '../../domain/chart.js';
import { chartDateOf } from '../../domain/chart-date.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { CaptureJob, JobHandler, JobOutcome } from '../../domain/ports/executor.js';
import type { SourceRegistry } from '../../domain/ports/sources.js';
import { isFinished, type Run, shortId } from '../../domain/run.js';
import { quotaExhaustedError } from '../../lib/quota-error.js';
import { type CaptureDependencies, captureChartAttempt } from '../capture/capture-chart.js';
import { CHART_LEASE_MS, chartLeaseName, takeLease } from '../capture/chart-lease.js';
import type { RetryPolicy } from '../capture/retry-policy.js';
import { deferCapture } from '../quota/defer-run.js';
import { quotaInForceAt } from '../quota/quota-state.js';
import {
  currentRun,
  giveUp,
  interruptionNotice,
  MAX_INTERRUPTIONS,
  markInterrupted,
} from './interrupted-runs.js';
import { SlotBook, type SlotDependencies } from './missed-slots.js';
import { clearSlotWaiting, markSlotWaiting } from './schedule-state.js';

export interface CaptureJobDependencies
  extends Omit<CaptureDependencies, 'fetcher' | 'normaliser' | 'clock' | 'logger'>,
    SlotDependencies {
  sources: SourceRegistry;
  retry: RetryPolicy;
  leaseMs?: number;
  random?: () => number;
}

/**
 * Handles capture jobs from any executor. A delivery may repeat (a stalled job, two schedulers,
 * a restart), so the ledger decides what is left to do: the chart's lease lets one capture of a
 * chart run at a time across processes; a run found `running` under a free lease was interrupted
 * and is marked failed and retried (on the same chart date); a finished run is not run again; a
 * slot nobody captured, or one that comes while paused, is recorded as missed (SlotBook); while
 * Spotify's quota is known to be exhausted, a capture that would call Spotify is recorded as
 * deferred instead. Task failures are retried per the retry policy, continuing the same run.
 */
export function captureJobHandler(deps: CaptureJobDependencies): JobHandler {
  const random = deps.random ?? Math.random;
  const slots = new SlotBook(deps);
  return async (job) => {
    const key: ChartKey = { source: job.source, chartId: job.chartId };
    const taken = await takeLease(
      deps.coordination,
      chartLeaseName(key),
      deps.leaseMs ?? CHART_LEASE_MS,
      (line) => deps.logger.warn(line),
    );
    const slot = job.trigger === 'schedule' && job.scheduledFor ? new Date(job.scheduledFor) : null;
    if (!taken.held) {
      // Seen by a later slot's job, which then leaves this slot to this job (see SlotBook).
      if (slot) await markSlotWaiting(deps.coordination, key, slot).catch(() => {});
      return {
        kind: 'postpone',
        delayMs: 1000 + Math.round(random() * 1000),
        reason: `a capture of ${job.chartId} is already running (${taken.holder.owner})`,
      };
    }
    try {
      if (slot) await clearSlotWaiting(deps.coordination, key, slot);
      return await handleLeased(deps, slots, job, key, slot, random);
    } finally {
      // Never throws: a store gone meanwhile must not turn a finished job into a failed attempt.
      await taken.lease.release();
    }
  };
}

/** One delivery, under the chart's lease: work out what is left to do, and do it. */
async function handleLeased(
  deps: CaptureJobDependencies,
  slots: SlotBook,
  job: CaptureJob,
  key: ChartKey,
  slot: Date | null,
  random: () => number,
): Promise<JobOutcome> {
  const { ledger, logger } = deps;
  const now = deps.clock();
  const today = chartDateOf(now, deps.timezone);
  // An interrupted run names its retry: follow the chain to the run that is current.
  const found = await currentRun(ledger, job.runId);
  let run: Run | null = found.run;
  if (run && found.hops >= MAX_INTERRUPTIONS && run.state === 'queued') {
    await giveUp(ledger, run, 'interrupted too many times in a row; not retried again', {
      now,
      events: deps.events,
    });
    return { kind: 'failed', reason: `run ${shortId(run.id)} kept being interrupted` };
  }
  if (run && isFinished(run)) return { kind: 'done' };

  if (run?.state === 'running') {
    // Nobody else holds the chart's lease, so whoever ran this stopped part-way.
    const retry = await markInterrupted(ledger, run, {
      retry: run.chartDate === today,
      now,
      events: deps.events,
    });
    logger.warn(
      { runId: run.id, chartId: run.chartId },
      interruptionNotice(run, retry, 'not retried: its chart date has passed'),
    );
    if (!retry) return { kind: 'failed', reason: 'interrupted after its chart date' };
    run = retry;
  }

  if (!run && slot && (await slots.recordSlot(key, slot, today))) return { kind: 'done' };

  if (run?.state === 'queued' && !run.captureId && run.chartDate && run.chartDate !== today) {
    await giveUp(
      ledger,
      run,
      `its chart date ${run.chartDate} passed before the next attempt; the Web API serves only the current chart`,
      { now, events: deps.events },
    );
    return { kind: 'failed', reason: 'chart date passed' };
  }

  // A run that kept its capture needs no call to Spotify: it finishes whatever the quota.
  const quota = run?.captureId ? null : await quotaInForceAt(deps.coordination, now);
  if (quota) {
    const deferred = await deferCapture(
      deps,
      {
        run,
        runId: job.runId,
        key,
        trigger: job.trigger,
        scheduledFor: job.scheduledFor,
      },
      quotaExhaustedError(quota, deps.timezone, now),
      now,
    );
    logger.warn({ runId: deferred.id, chartId: deferred.chartId }, describeEnd(deferred));
    return { kind: 'done' };
  }

  const fetcher = await deps.sources.fetcher(key.source);
  const normaliser = await deps.sources.normaliser(key.source);
  if (!fetcher || !normaliser) {
    throw new ChartkeeperError(
      'config',
      `chartkeeper cannot capture charts of source ${key.source}`,
      {
        permanent: true,
      },
    );
  }
  const attempt = await captureChartAttempt(
    { ...deps, fetcher, normaliser },
    {
      key,
      trigger: run?.trigger ?? job.trigger,
      scheduledFor: run ? run.scheduledFor : job.scheduledFor,
      runId: run?.id ?? job.runId,
    },
    { policy: deps.retry, random },
  );
  const done = attempt.run;
  if (attempt.retryInMs !== null) {
    logger.warn(
      { runId: done.id, chartId: done.chartId },
      `run ${shortId(done.id)} ${done.chartId} failed (${done.error?.message ?? 'unknown'}); retrying in ${Math.round(attempt.retryInMs / 100) / 10} s`,
    );
    return {
      kind: 'retry',
      delayMs: attempt.retryInMs,
      reason: done.error?.message ?? 'task failed',
    };
  }
  const line = describeEnd(done);
  if (done.state === 'succeeded') logger.info({ runId: done.id, chartId: done.chartId }, line);
  else logger.error({ runId: done.id, chartId: done.chartId }, line);
  return done.state === 'succeeded'
    ? { kind: 'done' }
    : { kind: 'failed', reason: done.error?.message ?? 'capture failed' };
}

function describeEnd(run: Run): string {
  const what = `run ${shortId(run.id)} ${run.chartId} (${run.trigger}${run.scheduledFor ? ` ${run.scheduledFor}` : ''})`;
  if (run.state === 'succeeded') {
    return `${what} succeeded: ${run.entryCount} entries for ${run.chartDate}`;
  }
  return `${what} ${run.state}: ${run.error?.message ?? 'unknown error'}`;
}
