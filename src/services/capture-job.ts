import type { ChartKey } from '../domain/chart.js';
import { chartDateOf } from '../domain/chart-date.js';
import type { CaptureJob, JobHandler, JobOutcome } from '../domain/ports.js';
import {
  FINAL_RUN_STATES,
  newRun,
  type Run,
  type RunError,
  retryRunId,
  scheduledRunId,
} from '../domain/run.js';
import type { CronSchedule } from '../lib/cron.js';
import { type CaptureDependencies, captureChartAttempt } from './capture-chart.js';
import { CHART_LEASE_MS, chartLeaseName, takeLease } from './chart-lease.js';
import type { RetryPolicy } from './retry-policy.js';
import { MAX_LOG_LINES_PER_TASK } from './run-recorder.js';
import {
  checkedSlot,
  clearSlotWaiting,
  lastSlot,
  markSlotWaiting,
  pauseState,
  setCheckedSlot,
  setLastSlot,
  slotWaiting,
} from './schedule-state.js';

/** At most this many missed slots are recorded per chart at once; older ones are only counted. */
export const MAX_MISSED_RECORDED = 100;
/** A run interrupted this many times in a row is given up. */
const MAX_INTERRUPTIONS = 5;

export interface CaptureJobDependencies extends CaptureDependencies {
  retry: RetryPolicy;
  /** The configured schedule, so slots nobody captured are recorded as missed. */
  schedule: CronSchedule | null;
  leaseMs?: number;
  random?: () => number;
  /** One line per thing worth telling whoever watches this process. */
  report?: (line: string) => void;
}

/**
 * Handles capture jobs from any executor. A delivery may repeat (a stalled job, two schedulers,
 * a restart), so the ledger decides what is left to do: the chart's lease lets one capture of a
 * chart run at a time across processes; a run found `running` under a free lease was interrupted
 * and is marked failed and retried (on the same chart date); a finished run is not run again; a
 * slot nobody captured, or one that comes while paused or after its chart date, is recorded as
 * missed. Task failures are retried per the retry policy, continuing the same run.
 */
export function captureJobHandler(deps: CaptureJobDependencies): JobHandler {
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const report = deps.report ?? (() => {});
  const { store } = deps;

  const handleLeased = async (job: CaptureJob, key: ChartKey): Promise<JobOutcome> => {
    const today = chartDateOf(clock(), deps.timezone);
    let run = await store.getRun(job.runId);
    // An interrupted run names its retry: follow the chain to the run that is current.
    for (let hops = 0; run && isInterrupted(run); hops++) {
      const next = await store.getRun(retryRunId(run.id));
      if (!next) return { kind: 'done' };
      if (hops >= MAX_INTERRUPTIONS) {
        await finishUnretried(next, 'interrupted too many times in a row; not retried again');
        return { kind: 'failed', reason: `run ${short(next.id)} kept being interrupted` };
      }
      run = next;
    }
    if (run && FINAL_RUN_STATES.includes(run.state)) return { kind: 'done' };

    if (run?.state === 'running') {
      // Nobody else holds the chart's lease, so whoever ran this stopped part-way.
      const retried = run.chartDate === today;
      const retry = retried ? await queueRetryOf(run) : null;
      await markInterrupted(run, retry);
      report(
        `run ${short(run.id)} ${run.chartId} was interrupted; ${retry ? `retrying as run ${short(retry.id)}` : 'not retried: its chart date has passed'}`,
      );
      if (!retry) return { kind: 'failed', reason: 'interrupted after its chart date' };
      run = retry;
    }

    if (!run && job.trigger === 'schedule' && job.scheduledFor) {
      const missed = await recordSlot(job, key, today);
      if (missed) return { kind: 'done' };
    }

    if (run?.state === 'queued' && !run.captureId && run.chartDate && run.chartDate !== today) {
      await finishUnretried(
        run,
        `its chart date ${run.chartDate} passed before the next attempt; the Web API serves only the current chart`,
      );
      return { kind: 'failed', reason: 'chart date passed' };
    }

    const attempt = await captureChartAttempt(
      deps,
      {
        chartId: job.chartId,
        trigger: run?.trigger ?? job.trigger,
        scheduledFor: run ? run.scheduledFor : job.scheduledFor,
        runId: run?.id ?? job.runId,
      },
      { policy: deps.retry, random },
    );
    const done = attempt.run;
    if (attempt.retryInMs !== null) {
      report(
        `run ${short(done.id)} ${done.chartId} failed (${done.error?.message ?? 'unknown'}); retrying in ${Math.round(attempt.retryInMs / 100) / 10} s`,
      );
      return {
        kind: 'retry',
        delayMs: attempt.retryInMs,
        reason: done.error?.message ?? 'task failed',
      };
    }
    report(describeEnd(done));
    return done.state === 'succeeded'
      ? { kind: 'done' }
      : { kind: 'failed', reason: done.error?.message ?? 'capture failed' };
  };

  /**
   * Records the slots before this one that nobody captured (see recordMissedBefore) and moves the
   * chart's last slot on; true when this slot itself is missed.
   */
  const recordSlot = async (job: CaptureJob, key: ChartKey, today: string): Promise<boolean> => {
    const slot = new Date(job.scheduledFor as string);
    const previous = await lastSlot(store, key);
    if (previous && previous < slot && deps.schedule) {
      await recordMissedBefore(deps.schedule, key, previous, slot, today);
    }
    if (!previous || previous < slot) await setLastSlot(store, key, slot);

    const pause = await pauseState(store);
    if (pause.paused) {
      await saveMissed(key, slot, `the schedule was paused (since ${pause.since})`);
      report(`${key.chartId} ${slot.toISOString()}: missed, the schedule is paused`);
      return true;
    }
    const slotDate = chartDateOf(slot, deps.timezone);
    if (slotDate !== today) {
      await saveMissed(
        key,
        slot,
        `its capture could only start on ${today}, and the Web API serves only the current chart`,
      );
      report(`${key.chartId} ${slot.toISOString()}: missed, it came after its chart date`);
      return true;
    }
    return false;
  };

  /**
   * Records as missed the earlier slots that have no run and never will. A slot between
   * `previous` (the newest slot handled before this one) and this one is missed, unless a job of
   * its own was put off while another capture held the chart (this later slot's job took the
   * chart first): that slot is left to its job, if its chart date has not passed. A slot left so
   * is checked again by the next slot's job, when it lies before the newest slot with a run: a
   * slot still without a run by then was not captured.
   */
  const recordMissedBefore = async (
    schedule: CronSchedule,
    key: ChartKey,
    previous: Date,
    slot: Date,
    today: string,
  ): Promise<void> => {
    const checked = await checkedSlot(store, key);
    const settled =
      checked && checked < previous ? schedule.between(checked, previous, MAX_MISSED_RECORDED) : [];
    const since: Date[] = [];
    for (const gap of schedule.between(previous, slot, MAX_MISSED_RECORDED + 1)) {
      const onItsDate = chartDateOf(gap, deps.timezone) === today;
      if (!onItsDate || !(await slotWaiting(store, key, gap))) since.push(gap);
    }
    const gaps = [...settled, ...since];
    let recorded = 0;
    for (const gap of gaps.slice(-MAX_MISSED_RECORDED)) {
      const saved = await saveMissed(
        key,
        gap,
        'chartkeeper was not running, or no worker was, at this time',
      );
      if (saved) recorded++;
    }
    await setCheckedSlot(store, key, previous);
    if (gaps.length > MAX_MISSED_RECORDED) {
      report(
        `${key.chartId}: more than ${MAX_MISSED_RECORDED} slots missed; the latest are recorded`,
      );
    } else if (recorded > 0) {
      report(`${key.chartId}: ${recorded} slot(s) missed while nothing ran`);
    }
  };

  /** Files a slot as missed unless it has a run already; true when it did. */
  const saveMissed = async (key: ChartKey, slot: Date, reason: string): Promise<boolean> => {
    const at = slot.toISOString();
    const id = scheduledRunId(key.chartId, at);
    if (await store.getRun(id)) return false;
    // Filed at its slot, so the ledger lists it where the capture would have been.
    const run = newRun({ id, key, trigger: 'schedule', createdAt: at, scheduledFor: at });
    run.state = 'missed';
    run.chartDate = chartDateOf(slot, deps.timezone);
    run.finishedAt = clock().toISOString();
    run.error = {
      code: 'missed',
      message: `no capture ran: ${reason}`,
      hint: null,
      permanent: true,
    };
    await store.saveRun(run);
    return true;
  };

  const queueRetryOf = async (run: Run): Promise<Run> => {
    const id = retryRunId(run.id);
    const existing = await store.getRun(id);
    if (existing) return existing;
    const retry = newRun({
      id,
      key: run,
      trigger: run.trigger,
      createdAt: clock().toISOString(),
      scheduledFor: run.scheduledFor,
    });
    // Saved before the interrupted run is marked, so a crash in between loses no retry.
    await store.saveRun(retry);
    return retry;
  };

  const markInterrupted = async (run: Run, retry: Run | null): Promise<void> => {
    const now = clock().toISOString();
    const error: RunError = {
      code: 'interrupted',
      message:
        'interrupted: the process running this capture stopped before it finished (a crash, a kill, or a shutdown that could not wait)',
      hint: retry
        ? `Retried as run ${short(retry.id)}.`
        : `Not retried: its chart date ${run.chartDate} has passed.`,
      permanent: false,
    };
    for (const task of run.tasks) {
      if (task.state !== 'running') continue;
      task.state = 'failed';
      task.error = error;
      task.finishedAt = now;
      // Within the ledger's bound: the newest line (why it ended) replaces the last one kept.
      if (task.logs.length >= MAX_LOG_LINES_PER_TASK) task.logs.pop();
      task.logs.push({ at: now, level: 'error', message: error.message });
    }
    run.state = 'failed';
    run.error = error;
    run.finishedAt = now;
    await store.saveRun(run);
  };

  const finishUnretried = async (run: Run, why: string): Promise<void> => {
    run.state = 'failed';
    run.error = {
      code: run.error?.code ?? 'not-retried',
      message: `${run.error ? `${run.error.message}; ` : ''}not retried: ${why}`,
      hint: run.error?.hint ?? null,
      permanent: true,
    };
    run.finishedAt = clock().toISOString();
    await store.saveRun(run);
  };

  return async (job) => {
    const key: ChartKey = { source: deps.source.source, chartId: job.chartId };
    const taken = await takeLease(
      store,
      chartLeaseName(key),
      deps.leaseMs ?? CHART_LEASE_MS,
      report,
    );
    const slot = job.trigger === 'schedule' && job.scheduledFor ? new Date(job.scheduledFor) : null;
    if (!taken.held) {
      // Seen by a later slot's job, which then leaves this slot to this job (see recordSlot).
      if (slot) await markSlotWaiting(store, key, slot).catch(() => {});
      return {
        kind: 'postpone',
        delayMs: 1000 + Math.round(random() * 1000),
        reason: `a capture of ${job.chartId} is already running (${taken.holder.owner})`,
      };
    }
    try {
      if (slot) await clearSlotWaiting(store, key, slot);
      return await handleLeased(job, key);
    } finally {
      // Never throws: a store gone meanwhile must not turn a finished job into a failed attempt.
      await taken.lease.release();
    }
  };
}

function isInterrupted(run: Run): boolean {
  return run.state === 'failed' && run.error?.code === 'interrupted';
}

function short(id: string): string {
  return id.slice(0, 8);
}

function describeEnd(run: Run): string {
  const what = `run ${short(run.id)} ${run.chartId} (${run.trigger}${run.scheduledFor ? ` ${run.scheduledFor}` : ''})`;
  if (run.state === 'succeeded')
    return `${what} succeeded: ${run.entryCount} entries for ${run.chartDate}`;
  return `${what} ${run.state}: ${run.error?.message ?? 'unknown error'}`;
}
