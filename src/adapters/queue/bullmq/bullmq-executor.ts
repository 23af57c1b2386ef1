import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type {
  CaptureJob,
  Executor,
  JobHandler,
  JobOutcome,
  ScheduleSpec,
} from '../../../domain/ports.js';
import { scheduledRunId } from '../../../domain/run.js';
import { CronSchedule } from '../../../lib/cron.js';
import type { ExecutorOptions } from '../in-process-executor.js';
import { describeRedisUrl } from './redis-connection.js';

export interface BullMqExecutorOptions extends ExecutorOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  queueName: string;
  /** A worker holds a job's lock this long between renewals; a dead worker's job is taken back after it. */
  lockMs: number;
}

/** Job names in the queue: a capture, or the schedule's tick that fans out to one capture per chart. */
const CAPTURE = 'capture';
const TICK = 'tick';
/** One Job Scheduler for the whole schedule; every `serve` upserts the same one. */
const SCHEDULER_ID = 'chartkeeper-schedule';
const DAY_S = 86_400;

/** A handler's "try again later", carrying its own delay to the backoff strategy. */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

// Slots come from the same cron code as the in-process timer, not from BullMQ's own parser.
const repeatStrategy = (millis: number, opts: { pattern?: string; tz?: string }) => {
  if (!opts.pattern) return undefined;
  return new CronSchedule(opts.pattern, opts.tz ?? 'UTC').next(new Date(millis))?.getTime();
};

/**
 * Capture jobs in a BullMQ queue on Redis, taken by any number of `chartkeeper worker`
 * processes on any number of machines. A capture's job id is its run id, so a chart's slot is
 * queued once however many schedulers run; the schedule is a Job Scheduler in Redis, so it
 * survives restarts and is shared; retries use BullMQ's attempts and backoff; a job whose worker
 * died is taken back when its lock runs out (a stalled job) and delivered again.
 */
export class BullMqExecutor implements Executor {
  readonly kind = 'bullmq';
  readonly location: string;
  private readonly connection: { url: string };
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private readonly active = new Map<string, { job: Job; token: string }>();

  constructor(private readonly options: BullMqExecutorOptions) {
    this.location = `${describeRedisUrl(options.url)} queue ${options.queueName}`;
    this.connection = { url: options.url };
    this.queue = new Queue(options.queueName, {
      connection: this.connection,
      settings: { repeatStrategy },
    });
    this.queue.on('error', (error) => this.warn(`queue: ${error.message}`));
  }

  async submit(job: CaptureJob): Promise<void> {
    await this.queue.add(CAPTURE, job, {
      jobId: job.runId,
      attempts: this.options.maxAttempts,
      backoff: { type: 'chartkeeper' },
      // Kept for a while, so a job id added again soon after it finished is still recognised.
      removeOnComplete: { age: 3 * DAY_S },
      removeOnFail: { age: 14 * DAY_S },
    });
  }

  async schedule(spec: ScheduleSpec | null): Promise<void> {
    if (!spec) {
      await this.queue.removeJobScheduler(SCHEDULER_ID);
      return;
    }
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { pattern: spec.cron, tz: spec.timezone },
      {
        name: TICK,
        data: { chartIds: [...spec.chartIds] },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }

  async work(handler: JobHandler): Promise<void> {
    if (this.worker) return;
    this.worker = new Worker(
      this.options.queueName,
      (job, token) => this.process(handler, job, token),
      {
        connection: this.connection,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
        // A job whose worker keeps dying is delivered a few times, then failed.
        maxStalledCount: 3,
        settings: {
          repeatStrategy,
          backoffStrategy: (attemptsMade, _type, error) =>
            error instanceof RetryLater || error?.name === 'RetryLater'
              ? (error as RetryLater).delayMs
              : this.options.backoffMs(attemptsMade),
        },
      },
    );
    this.worker.on('error', (error) => this.warn(`worker: ${error.message}`));
    await this.worker.waitUntilReady();
  }

  private async process(handler: JobHandler, job: Job, token: string | undefined): Promise<void> {
    if (job.name === TICK) return this.fanOut(job);
    const capture = job.data as CaptureJob;
    this.active.set(job.id as string, { job, token: token as string });
    let outcome: JobOutcome;
    try {
      outcome = await handler(capture);
    } finally {
      this.active.delete(job.id as string);
    }
    switch (outcome.kind) {
      case 'done':
        return;
      case 'failed':
        throw new UnrecoverableError(outcome.reason);
      case 'retry':
        throw new RetryLater(outcome.reason, outcome.delayMs);
      case 'postpone':
        // Back to the delayed set without using an attempt.
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError(outcome.reason);
    }
  }

  /** One tick of the schedule: a capture job per chart, each with the slot's deterministic id. */
  private async fanOut(job: Job): Promise<void> {
    const slot = new Date(job.opts.prevMillis ?? job.timestamp).toISOString();
    const { chartIds } = job.data as { chartIds: string[] };
    for (const chartId of chartIds) {
      await this.submit({
        runId: scheduledRunId(chartId, slot),
        chartId,
        trigger: 'schedule',
        scheduledFor: slot,
      });
    }
  }

  async close(timeoutMs: number): Promise<void> {
    const worker = this.worker;
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        // Hand unfinished jobs back at once rather than after their locks run out.
        for (const { job, token } of this.active.values()) {
          await job
            .moveToWait(token)
            .catch((error: Error) =>
              this.warn(`could not hand back job ${job.id}: ${error.message}`),
            );
        }
        await worker.disconnect();
      }
    }
    await this.queue.close();
  }

  private warn(line: string): void {
    this.options.warn?.(line);
  }
}
