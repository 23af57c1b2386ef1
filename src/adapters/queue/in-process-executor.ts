import type { CaptureJob, Executor, JobHandler, JobOutcome } from '../../domain/ports/executor.js';
import type { EventSink } from '../../domain/ports/observability.js';

export interface ExecutorOptions {
  /** Jobs run at once; never two of the same chart. */
  concurrency: number;
  /** Deliveries of one job before it is given up (retries included; postponements not). */
  maxAttempts: number;
  /** The wait after a handler threw on its `attempt`-th delivery. */
  backoffMs: (attempt: number) => number;
  /** Problems worth a line on the process's output. */
  warn?: (line: string) => void;
  /** Where `job-retried` events go. */
  events?: EventSink;
}

// setTimeout cannot wait longer than about 24.8 days; a longer retry wait is cut to that.
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Finished jobs remembered, so one submitted again soon after is not run twice (as BullMQ keeps them). */
const REMEMBERED = 10_000;

/**
 * Runs capture jobs in this process: a FIFO queue with a concurrency bound, one job per chart at
 * a time, retries and postponements on timers. Nothing here outlives the process: after a
 * restart, `serve` finds unfinished work in the ledger and submits it again.
 */
export class InProcessExecutor implements Executor {
  readonly kind = 'in-process';
  readonly location = 'this process';
  private readonly pending: CaptureJob[] = [];
  /** Every job this executor has seen lately, by run id: waiting, delayed, running or finished. */
  private readonly known = new Map<string, 'waiting' | 'delayed' | 'running' | 'finished'>();
  private readonly attempts = new Map<string, number>();
  private readonly busyCharts = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private handler: JobHandler | null = null;
  private closed = false;

  constructor(private readonly options: ExecutorOptions) {}

  async submit(job: CaptureJob): Promise<void> {
    if (this.closed || this.known.has(job.runId)) return;
    this.known.set(job.runId, 'waiting');
    this.pending.push(job);
    this.pump();
  }

  async work(handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  /** Nothing here can be lost while the process lives. */
  async intact(): Promise<boolean> {
    return true;
  }

  /** This process is the queue: it answers while it runs. */
  async ping(): Promise<void> {}

  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.length = 0;
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(this.running), timeUp]);
    clearTimeout(timer);
  }

  /** Starts waiting jobs while there is room, skipping those whose chart is busy. */
  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.running.size < this.options.concurrency) {
      const index = this.pending.findIndex((job) => !this.busyCharts.has(chartOf(job)));
      if (index < 0) return;
      const [job] = this.pending.splice(index, 1) as [CaptureJob];
      this.known.set(job.runId, 'running');
      this.busyCharts.add(chartOf(job));
      const run = this.deliver(handler, job).finally(() => {
        this.running.delete(run);
        this.busyCharts.delete(chartOf(job));
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async deliver(handler: JobHandler, job: CaptureJob): Promise<void> {
    const attempt = (this.attempts.get(job.runId) ?? 0) + 1;
    let outcome: JobOutcome;
    try {
      outcome = await handler(job);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.warn?.(
        `job ${job.runId} (${job.chartId}) threw on attempt ${attempt}: ${reason}`,
      );
      outcome = { kind: 'retry', delayMs: this.options.backoffMs(attempt), reason };
    }
    if (outcome.kind === 'retry' && attempt >= this.options.maxAttempts) {
      this.options.warn?.(`job ${job.runId} (${job.chartId}) given up after ${attempt} attempts`);
      outcome = { kind: 'failed', reason: outcome.reason };
    }
    if (outcome.kind === 'done' || outcome.kind === 'failed') {
      this.attempts.delete(job.runId);
      this.known.delete(job.runId);
      this.known.set(job.runId, 'finished');
      if (this.known.size > REMEMBERED) this.forgetOldestFinished();
      return;
    }
    if (outcome.kind === 'retry') {
      this.attempts.set(job.runId, attempt);
      this.options.events?.emit('job-retried', {
        job,
        attempt,
        delayMs: outcome.delayMs,
        reason: outcome.reason,
      });
    }
    this.later(job, outcome.delayMs);
  }

  private forgetOldestFinished(): void {
    for (const [runId, state] of this.known) {
      if (state !== 'finished') continue;
      this.known.delete(runId);
      return;
    }
  }

  private later(job: CaptureJob, delayMs: number): void {
    if (this.closed) return;
    this.known.set(job.runId, 'delayed');
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (this.closed) return;
        this.known.set(job.runId, 'waiting');
        this.pending.push(job);
        this.pump();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delayMs)),
    );
    this.timers.add(timer);
  }
}

function chartOf(job: CaptureJob): string {
  return `${job.source}/${job.chartId}`;
}
