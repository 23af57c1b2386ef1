import type { ChartKey } from '../../domain/chart.js';
import { chartDateOf } from '../../domain/chart-date.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { CaptureJob, Executor } from '../../domain/ports/executor.js';
import type { Logger } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import type { Run } from '../../domain/run.js';
import type { CronSchedule } from '../../lib/cron.js';
import { scheduledRunId } from '../../lib/run-ids.js';
import { beat, HEARTBEAT_MS, lastSlot } from './schedule-state.js';

/** Unfinished runs looked at on start-up, and queued runs per poll. */
const SCAN_LIMIT = 1_000;
/** How often the queue is checked for lost data (a Redis restarted without persistence). */
const QUEUE_CHECK_MS = 10_000;
// setTimeout cannot wait longer than about 24.8 days; longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SchedulerOptions {
  ledger: RunLedger;
  coordination: Coordination;
  executor: Executor;
  /** The charts scheduled captures are made of. */
  charts: readonly ChartKey[];
  schedule: CronSchedule;
  /** Names this process in the store's heartbeat. */
  owner: string;
  logger: Logger;
  pollMs?: number;
  queueCheckMs?: number;
  clock?: () => Date;
}

/**
 * The scheduling half of `serve`, and the only thing that makes scheduled captures: at each slot
 * of the schedule it submits one capture job per chart, whose run id is derived from the chart
 * and the slot, so that several `serve` processes (or a restart) submit each slot once. With no
 * `serve` alive, nothing is scheduled. On start it hands the executor every run left unfinished
 * in the ledger and the latest slot if it was not handled (late, but on its chart date: there is
 * no catch-up of earlier dates, the Web API serves only today's chart); then it polls the ledger
 * for runs queued by `chartkeeper trigger`, and checks that the queue did not lose its jobs.
 */
export class Scheduler {
  private pollTimer: NodeJS.Timeout | null = null;
  private slotTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;
  /** A slot whose captures could not be queued (Redis down): queued when the queue is back. */
  private unqueued: Date | null = null;
  private readonly clock: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The next slot after now, for the start-up message. */
  nextSlot(): Date | null {
    return this.options.schedule.next(this.clock());
  }

  async start(): Promise<void> {
    await beat(this.options.coordination, this.options.owner, this.clock());
    const resumed = await this.submitUnfinished();
    if (resumed > 0) {
      this.options.logger.info(`${resumed} unfinished run(s) found in the ledger; resuming them`);
    }
    await this.submitLatestSlot();
    this.armSlot(this.options.schedule.next(this.clock()));
    const polls = new Trouble(this.options.logger, 'look for triggered runs');
    this.pollTimer = setInterval(() => {
      this.polling = this.poll().then(polls.over, polls.report);
    }, this.options.pollMs ?? HEARTBEAT_MS);
    const checks = new Trouble(this.options.logger, 'check the queue');
    this.checkTimer = setInterval(() => {
      void this.checkQueue().then(checks.over, checks.report);
    }, this.options.queueCheckMs ?? QUEUE_CHECK_MS);
  }

  /**
   * Hands a run just queued in this process to the executor now, rather than at the next look at
   * the ledger (which would find it too: the executor takes a run once).
   */
  submitQueued(run: Run): void {
    if (this.stopped || run.state !== 'queued') return;
    void this.options.executor.submit(jobOf(run)).catch((error: Error) => {
      this.options.logger.warn(
        `could not start run ${run.id} at once (${error.message}); it starts at the next look at the ledger`,
      );
    });
  }

  /** Stops scheduling and polling; the executor is closed by whoever opened it. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.pollTimer, this.checkTimer]) if (timer) clearInterval(timer);
    if (this.slotTimer) clearTimeout(this.slotTimer);
    this.pollTimer = this.checkTimer = this.slotTimer = null;
    await this.polling;
  }

  /** Waits for `slot`, submits its jobs, then waits for the slot after it. */
  private armSlot(slot: Date | null): void {
    if (!slot || this.stopped) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, slot.getTime() - Date.now()));
    this.slotTimer = setTimeout(() => {
      if (Date.now() < slot.getTime()) return this.armSlot(slot);
      void this.submitSlot(slot).catch((error: Error) => {
        this.unqueued = slot;
        this.options.logger.error(
          `could not queue the captures of ${slot.toISOString()}: ${error.message}; they are queued when the queue is back`,
        );
      });
      // From the slot, not from now: a late timer never skips or repeats a slot.
      this.armSlot(this.options.schedule.next(slot));
    }, wait);
  }

  private async submitSlot(slot: Date): Promise<void> {
    const at = slot.toISOString();
    for (const key of this.options.charts) {
      await this.options.executor.submit(slotJob(key, at));
    }
  }

  private async poll(): Promise<void> {
    const { coordination, ledger, executor } = this.options;
    await beat(coordination, this.options.owner, this.clock());
    const queued = await ledger.listRuns({ limit: SCAN_LIMIT, states: ['queued'] });
    // Oldest first; the executor ignores runs it already holds (waiting, delayed or running).
    for (const run of queued.reverse()) await executor.submit(jobOf(run));
  }

  /**
   * After the queue lost its data (Redis restarted without persistence), puts back what it held:
   * the unfinished runs of the ledger and the current slot, and says so.
   */
  private async checkQueue(): Promise<void> {
    const unqueued = this.unqueued;
    if (!(await this.options.executor.intact())) {
      const resumed = await this.submitUnfinished();
      await this.submitLatestSlot();
      this.unqueued = null;
      this.options.logger.warn(
        `the queue at ${this.options.executor.location} lost its jobs (Redis restarted without persistence?); submitted ${resumed} unfinished run(s) and the current slot again`,
      );
    } else if (unqueued) {
      // Late, on its chart date; after it, the job handler records the slot as missed.
      await this.submitLatestSlot();
      this.unqueued = null;
      this.options.logger.warn(
        `queued the captures of ${unqueued.toISOString()} now that the queue is back`,
      );
    }
  }

  private async submitUnfinished(): Promise<number> {
    const { ledger, executor } = this.options;
    const unfinished = await ledger.listRuns({ limit: SCAN_LIMIT, states: ['queued', 'running'] });
    for (const run of unfinished.reverse()) await executor.submit(jobOf(run));
    return unfinished.length;
  }

  /**
   * The latest slot at or before now, for each chart whose last handled slot is older: run late
   * when it is still on today's chart date, else recorded as missed by the job handler. A chart
   * never scheduled before starts with the next slot unless the latest is today's.
   */
  private async submitLatestSlot(): Promise<void> {
    const { coordination, ledger, executor, schedule, charts } = this.options;
    const now = this.clock();
    const slot = schedule.latest(now);
    if (!slot) return;
    const at = slot.toISOString();
    const today = chartDateOf(now, schedule.timezone);
    for (const key of charts) {
      const last = await lastSlot(coordination, key);
      const due = last ? last < slot : chartDateOf(slot, schedule.timezone) === today;
      if (!due) continue;
      const job = slotJob(key, at);
      if (await ledger.getRun(job.runId)) continue;
      await executor.submit(job);
    }
  }
}

/**
 * A failure that recurs every second or so while it lasts (the store or Redis is down): said once
 * when it starts (and when its reason changes), and once when it is over, not on every attempt.
 */
class Trouble {
  private reason: string | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly doing: string,
  ) {}

  readonly report = (error: Error): void => {
    if (error.message === this.reason) return;
    this.reason = error.message;
    this.logger.warn(`could not ${this.doing}: ${error.message}; trying again`);
  };

  readonly over = (): void => {
    if (this.reason === null) return;
    this.reason = null;
    this.logger.info(`can ${this.doing} again`);
  };
}

function slotJob(key: ChartKey, at: string): CaptureJob {
  return {
    runId: scheduledRunId(key, at),
    source: key.source,
    chartId: key.chartId,
    trigger: 'schedule',
    scheduledFor: at,
  };
}

function jobOf(run: Run): CaptureJob {
  return {
    runId: run.id,
    source: run.source,
    chartId: run.chartId,
    trigger: run.trigger,
    scheduledFor: run.scheduledFor,
  };
}
