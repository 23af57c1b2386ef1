import { chartDateOf } from '../domain/chart-date.js';
import type { CaptureJob, ChartStore, Executor } from '../domain/ports.js';
import { type Run, scheduledRunId } from '../domain/run.js';
import type { CronSchedule } from '../lib/cron.js';
import { beat, lastSlot } from './schedule-state.js';

/** How often `serve` looks for manually triggered runs and says it is alive. */
export const POLL_MS = 1_000;
/** Unfinished runs looked at on start-up, and queued runs per poll. */
const SCAN_LIMIT = 1_000;

export interface SchedulerOptions {
  store: ChartStore;
  executor: Executor;
  /** The source scheduled captures read (its charts are keyed by it). */
  source: string;
  chartIds: readonly string[];
  schedule: CronSchedule;
  /** Names this process in the store's heartbeat. */
  owner: string;
  pollMs?: number;
  clock?: () => Date;
  report?: (line: string) => void;
}

/**
 * The scheduling half of `serve`. On start it hands the executor every run left unfinished in the
 * ledger (a crash's interrupted run, retries whose timers died with the process, manual triggers),
 * the latest slot if it was not handled (late, but on its chart date: there is no catch-up of
 * earlier dates, the Web API serves only today's chart), and the schedule itself; then it polls
 * the ledger for runs queued by `chartkeeper trigger`. The executor and the job handler make each
 * of these safe to do twice.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private readonly clock: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The next slot after now, for the start-up message. */
  nextSlot(): Date | null {
    return this.options.schedule.next(this.clock());
  }

  async start(): Promise<void> {
    const { store, executor, schedule } = this.options;
    await beat(store, this.options.owner, this.clock());
    const unfinished = await store.listRuns({ limit: SCAN_LIMIT, states: ['queued', 'running'] });
    for (const run of unfinished.reverse()) await executor.submit(jobOf(run));
    if (unfinished.length > 0) {
      this.report(`${unfinished.length} unfinished run(s) found in the ledger; resuming them`);
    }
    await this.submitLatestSlot();
    await executor.schedule({
      cron: schedule.expression,
      timezone: schedule.timezone,
      chartIds: this.options.chartIds,
    });
    this.timer = setInterval(() => {
      this.polling = this.poll().catch((error: Error) =>
        this.report(`could not read the ledger: ${error.message}`),
      );
    }, this.options.pollMs ?? POLL_MS);
  }

  /** Stops polling; the executor is closed by whoever opened it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  private async poll(): Promise<void> {
    const { store, executor } = this.options;
    await beat(store, this.options.owner, this.clock());
    const queued = await store.listRuns({ limit: SCAN_LIMIT, states: ['queued'] });
    // Oldest first; the executor ignores runs it already holds (waiting, delayed or running).
    for (const run of queued.reverse()) await executor.submit(jobOf(run));
  }

  /**
   * The latest slot at or before now, for each chart whose last handled slot is older: run late
   * when it is still on today's chart date, else recorded as missed by the job handler. A chart
   * never scheduled before starts with the next slot unless the latest is today's.
   */
  private async submitLatestSlot(): Promise<void> {
    const { store, executor, schedule, chartIds, source } = this.options;
    const now = this.clock();
    const slot = schedule.latest(now);
    if (!slot) return;
    const at = slot.toISOString();
    const today = chartDateOf(now, schedule.timezone);
    for (const chartId of chartIds) {
      const last = await lastSlot(store, { source, chartId });
      const due = last ? last < slot : chartDateOf(slot, schedule.timezone) === today;
      if (!due) continue;
      const runId = scheduledRunId(chartId, at);
      if (await store.getRun(runId)) continue;
      await executor.submit({ runId, chartId, trigger: 'schedule', scheduledFor: at });
    }
  }

  private report(line: string): void {
    this.options.report?.(line);
  }
}

function jobOf(run: Run): CaptureJob {
  return {
    runId: run.id,
    chartId: run.chartId,
    trigger: run.trigger,
    scheduledFor: run.scheduledFor,
  };
}
