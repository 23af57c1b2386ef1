import type { Trigger } from '../run.js';

/** One capture to execute: the ledger row it records into, and what to capture. */
export interface CaptureJob {
  /** The run this job records into; also the job's id, so a job is queued at most once. */
  runId: string;
  source: string;
  chartId: string;
  trigger: Trigger;
  /** The schedule slot (ISO 8601) of a scheduled capture, else null. */
  scheduledFor: string | null;
}

/** What a job handler tells the executor when it returns. */
export type JobOutcome =
  | { kind: 'done' }
  /** Handled, and failed for good; the ledger says why. */
  | { kind: 'failed'; reason: string }
  /** Try again after `delayMs`; counts as an attempt. */
  | { kind: 'retry'; delayMs: number; reason: string }
  /** Not now (the chart is busy elsewhere); try again after `delayMs` without counting an attempt. */
  | { kind: 'postpone'; delayMs: number; reason: string };

export type JobHandler = (job: CaptureJob) => Promise<JobOutcome>;

/**
 * Runs capture jobs: in this process, or on BullMQ workers sharing a Redis. Delivery is at least
 * once; handlers make a repeated delivery harmless through the ledger.
 */
export interface Executor {
  /** 'in-process' or 'bullmq'. */
  readonly kind: string;
  /** Where jobs wait, safe to print (no password). */
  readonly location: string;
  /**
   * Queues a job unless one with the same run id is waiting, delayed or running, or finished
   * lately (BullMQ keeps finished jobs for days; the in-process executor its last 10,000).
   */
  submit(job: CaptureJob): Promise<void>;
  /** Starts running queued jobs with `handler` in this process. */
  work(handler: JobHandler): Promise<void>;
  /**
   * Whether the queue still holds what was put in it. False once after the queue lost its data
   * (a Redis restarted without persistence): whoever submits jobs should submit them again.
   */
  intact(): Promise<boolean>;
  /** Resolves when the queue answers (readiness checks); rejects when it cannot be reached. */
  ping(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `timeoutMs` for running ones, then hands any still running
   * back to the queue where the queue outlives this process.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Paces calls to a rate-limited service; shared by every process when backed by Redis. */
export interface RateLimiter {
  /** Resolves when one more call fits in the limit. */
  acquire(): Promise<void>;
  close(): Promise<void>;
}
