import type * as BullMq from 'bullmq';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type {
  CaptureJob,
  Executor,
  JobHandler,
  JobOutcome,
} from '../../../domain/ports/executor.js';
import { SOURCES } from '../../../domain/sources.js';
import { loadPackage } from '../../load-package.js';
import type { ExecutorOptions } from '../in-process-executor.js';
import { connectRedis, describeRedisUrl } from './redis-connection.js';

/** BullMQ, loaded when a queue is configured (see loadPackage). */
function bullmq(): typeof BullMq {
  return loadPackage<typeof BullMq>('bullmq');
}

export interface BullMqExecutorOptions extends ExecutorOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  queueName: string;
  /** A worker holds a job's lock this long between renewals; a dead worker's job is taken back after it. */
  lockMs: number;
}

const CAPTURE = 'capture';
/**
 * Earlier versions kept the schedule in Redis as this Job Scheduler, which went on producing
 * `tick` jobs with no `serve` alive. The schedule now belongs to `serve`; a leftover is removed.
 */
const LEGACY_SCHEDULER_ID = 'chartkeeper-schedule';
const LEGACY_TICK = 'tick';
const DAY_S = 86_400;
/** Longest wait between attempts to reconnect to Redis (BullMQ's own grows to 20 s). */
const MAX_RECONNECT_MS = 5_000;

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

/**
 * Capture jobs in a BullMQ queue on Redis, taken by any number of `chartkeeper worker`
 * processes on any number of machines. A capture's job id is its run id, so a chart's slot is
 * queued once however many schedulers submit it; retries use BullMQ's attempts and backoff; a
 * job whose worker died is taken back when its lock runs out (a stalled job) and delivered again.
 */
export class BullMqExecutor implements Executor {
  readonly kind = 'bullmq';
  readonly location: string;
  private readonly connection: { url: string; retryStrategy: (times: number) => number };
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private readonly active = new Map<string, { job: Job; token: string }>();
  /** A key that exists while Redis keeps what it was given; its absence means it lost its data. */
  private readonly markerKey: string;
  private marked = false;
  private redis: Promise<Redis> | null = null;

  constructor(private readonly options: BullMqExecutorOptions) {
    this.location = `${describeRedisUrl(options.url)} queue ${options.queueName}`;
    this.connection = {
      url: options.url,
      retryStrategy: (times) => Math.min(500 * times, MAX_RECONNECT_MS),
    };
    this.markerKey = `chartkeeper:${options.queueName}:alive-since`;
    // A capture submitted while Redis is down fails at once (the scheduler says so and submits it
    // again when Redis is back) instead of waiting unseen in the client's offline queue.
    this.queue = new (bullmq().Queue)(options.queueName, {
      connection: { ...this.connection, enableOfflineQueue: false },
    });
    this.reportOutages('queue', this.queue);
  }

  async submit(job: CaptureJob): Promise<void> {
    await this.mark();
    await this.queue.add(CAPTURE, job, {
      jobId: job.runId,
      attempts: this.options.maxAttempts,
      backoff: { type: 'chartkeeper' },
      // Kept for a while, so a job id added again soon after it finished is still recognised.
      removeOnComplete: { age: 3 * DAY_S },
      removeOnFail: { age: 14 * DAY_S },
    });
  }

  async intact(): Promise<boolean> {
    if (!this.marked) {
      await this.mark();
      return true;
    }
    if ((await (await this.client()).exists(this.markerKey)) === 1) return true;
    this.marked = false;
    await this.mark();
    return false;
  }

  async ping(): Promise<void> {
    await (await this.client()).ping();
  }

  /** Leaves the marker that `intact` looks for, and removes an earlier version's schedule. */
  private async mark(): Promise<void> {
    if (this.marked) return;
    await (await this.client()).set(this.markerKey, new Date().toISOString(), 'NX');
    await this.queue.waitUntilReady();
    await this.queue.removeJobScheduler(LEGACY_SCHEDULER_ID);
    this.marked = true;
  }

  /** A connection of its own for the marker (BullMQ keeps its connections to itself). */
  private client(): Promise<Redis> {
    // A failed connection is not kept: the next call tries again (Redis may be back).
    this.redis ??= connectRedis(this.options.url).catch((error: unknown) => {
      this.redis = null;
      throw error;
    });
    return this.redis;
  }

  async work(handler: JobHandler): Promise<void> {
    if (this.worker) return;
    this.worker = new (bullmq().Worker)(
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
          backoffStrategy: (attemptsMade, _type, error) =>
            error instanceof RetryLater || error?.name === 'RetryLater'
              ? (error as RetryLater).delayMs
              : this.options.backoffMs(attemptsMade),
        },
      },
    );
    this.reportOutages('worker', this.worker);
    await this.worker.waitUntilReady();
  }

  private async process(handler: JobHandler, job: Job, token: string | undefined): Promise<void> {
    if (job.name === LEGACY_TICK) return;
    // Jobs queued by earlier versions name only a playlist.
    const data = job.data as Partial<CaptureJob> & Omit<CaptureJob, 'source'>;
    const capture: CaptureJob = { ...data, source: data.source ?? SOURCES.spotifyPlaylist };
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
        throw new (bullmq().UnrecoverableError)(outcome.reason);
      case 'retry':
        this.options.events?.emit('job-retried', {
          job: capture,
          attempt: job.attemptsMade + 1,
          delayMs: outcome.delayMs,
          reason: outcome.reason,
        });
        throw new RetryLater(outcome.reason, outcome.delayMs);
      case 'postpone':
        // Back to the delayed set without using an attempt.
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new (bullmq().DelayedError)(outcome.reason);
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
    (await this.redis?.catch(() => null))?.disconnect();
  }

  /**
   * While Redis is away BullMQ reports every failed reconnection (several a second); one line
   * says the connection was lost, one that it is back.
   */
  private reportOutages(
    role: string,
    side: {
      on(event: 'error', listener: (error: Error) => void): unknown;
      readonly backend: { on(event: 'ready', listener: () => void): unknown };
    },
  ): void {
    let lost: string | null = null;
    side.on('error', (error) => {
      if (error.message === lost) return;
      lost = error.message;
      this.warn(`${role}: lost Redis at ${this.location} (${error.message}); reconnecting`);
    });
    side.backend.on('ready', () => {
      if (lost === null) return;
      lost = null;
      this.warn(`${role}: connected to Redis again`);
    });
  }

  private warn(line: string): void {
    this.options.warn?.(line);
  }
}
