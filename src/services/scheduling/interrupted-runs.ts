import { chartDateOf } from '../../domain/chart-date.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { EventSink, Logger } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import { isInterrupted, newRun, type Run, type RunError, shortId } from '../../domain/run.js';
import { giveUpRun, interruptRun } from '../../domain/run-transitions.js';
import { retryRunId } from '../../lib/run-ids.js';
import { chartLeaseName, holderIsGone, takeLease } from '../capture/chart-lease.js';
import { serveIsAlive } from './schedule-state.js';

/** A run interrupted this many times in a row is given up. */
export const MAX_INTERRUPTIONS = 5;
/** Unfinished runs looked at by one sweep. */
const SWEEP_LIMIT = 1_000;

/**
 * The run that now stands for `id`: itself, or the retry it was replaced by after being
 * interrupted (and that one's, and so on, at most MAX_INTERRUPTIONS times). `hops` counts the
 * retries followed.
 */
export async function currentRun(
  ledger: RunLedger,
  id: string,
): Promise<{ run: Run | null; hops: number }> {
  let run = await ledger.getRun(id);
  let hops = 0;
  while (run && isInterrupted(run) && hops < MAX_INTERRUPTIONS) {
    const retry = await ledger.getRun(retryRunId(run.id));
    if (!retry) break;
    run = retry;
    hops++;
  }
  return { run, hops };
}

/**
 * Marks a run whose holder stopped part-way (a crash, kill -9, a shutdown that could not wait)
 * as failed with code `interrupted`. With `retry`, a new queued run that retries it is saved
 * first (so a crash in between loses no retry) and returned.
 */
export async function markInterrupted(
  ledger: RunLedger,
  run: Run,
  options: { retry: boolean; why?: string; now?: Date; events?: EventSink },
): Promise<Run | null> {
  const now = (options.now ?? new Date()).toISOString();
  const retry = options.retry ? await queueRetryOf(ledger, run, now) : null;
  const error: RunError = {
    code: 'interrupted',
    message: `interrupted: ${options.why ?? 'the process running this capture stopped before it finished (a crash, a kill, or a shutdown that could not wait)'}`,
    hint: retry
      ? `Retried as run ${shortId(retry.id)}.`
      : run.trigger === 'schedule' && run.chartDate
        ? `Not retried: its chart date ${run.chartDate} has passed.`
        : 'Capture again with: chartkeeper run',
    permanent: false,
  };
  interruptRun(run, error, now);
  await ledger.saveRun(run);
  options.events?.emit('run-finished', { run });
  return retry;
}

/** The log line for an interrupted run: whether (and as which run) it is retried, or why not. */
export function interruptionNotice(run: Run, retry: Run | null, otherwise: string): string {
  return `run ${shortId(run.id)} of ${run.chartId} was interrupted; ${retry ? `retrying as run ${shortId(retry.id)}` : otherwise}`;
}

/** Gives up a queued run for good, saying why. */
export async function giveUp(
  ledger: RunLedger,
  run: Run,
  why: string,
  options: { now?: Date; events?: EventSink } = {},
): Promise<void> {
  giveUpRun(run, why, (options.now ?? new Date()).toISOString());
  await ledger.saveRun(run);
  options.events?.emit('run-finished', { run });
}

async function queueRetryOf(ledger: RunLedger, run: Run, now: string): Promise<Run> {
  const id = retryRunId(run.id);
  const existing = await ledger.getRun(id);
  if (existing) return existing;
  const retry = newRun({
    id,
    key: run,
    trigger: run.trigger,
    createdAt: now,
    scheduledFor: run.scheduledFor,
  });
  await ledger.saveRun(retry);
  return retry;
}

export interface SweepDependencies {
  ledger: RunLedger;
  coordination: Coordination;
  timezone: string;
  logger: Logger;
  /** Hears of each run the sweep ends (`run-finished`). */
  events?: EventSink;
  clock?: () => Date;
}

/**
 * Finds the runs whose holder is gone and marks them interrupted, so that no run stays `running`
 * forever after its process died. A running run is orphaned when nobody holds its chart's lease
 * (or the holder's time is up, or it was a process on this host that no longer exists). A run
 * waiting between attempts of `chartkeeper run` is orphaned likewise when no `serve` is alive to
 * continue it. A scheduled capture is retried if its chart date is still today; `serve` runs it.
 */
export async function sweepInterruptedRuns(deps: SweepDependencies): Promise<Run[]> {
  const clock = deps.clock ?? (() => new Date());
  const unfinished = await deps.ledger.listRuns({
    limit: SWEEP_LIMIT,
    states: ['running', 'queued'],
  });
  const serving = unfinished.some((r) => r.state === 'queued')
    ? await serveIsAlive(deps.coordination, clock())
    : false;
  const marked: Run[] = [];
  for (const run of unfinished) {
    const waiting = run.state === 'queued' && run.startedAt !== null && run.trigger !== 'schedule';
    if (run.state !== 'running' && !(waiting && !serving)) continue;
    if (await markIfOrphaned(deps, run, clock)) marked.push(run);
  }
  return marked;
}

/** Marks one run interrupted under its chart's lease, if its holder is gone; true when it did. */
async function markIfOrphaned(
  deps: SweepDependencies,
  run: Run,
  clock: () => Date,
): Promise<boolean> {
  const name = chartLeaseName(run);
  if (!holderIsGone(await deps.coordination.getLease(name), clock())) return false;
  // Taken (from a dead holder too) while marking, so that a capture of the chart starting now
  // cannot be mistaken for the orphan.
  const taken = await takeLease(deps.coordination, name, 10_000);
  if (!taken.held) return false;
  try {
    const now = await deps.ledger.getRun(run.id);
    if (!now || (now.state !== 'running' && now.state !== 'queued')) return false;
    const today = chartDateOf(clock(), deps.timezone);
    const retry = await markInterrupted(deps.ledger, now, {
      retry: now.trigger === 'schedule' && now.chartDate === today,
      now: clock(),
      events: deps.events,
    });
    deps.logger.warn(
      { runId: now.id, chartId: now.chartId },
      interruptionNotice(now, retry, 'marked failed (its process is gone)'),
    );
    return true;
  } finally {
    await taken.lease.release();
  }
}
