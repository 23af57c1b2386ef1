import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorOptions } from '../adapters/queue/in-process-executor.js';
import type { CaptureJob, Executor, JobHandler, JobOutcome } from '../domain/ports/executor.js';

/** Options every contract test opens its executor with. */
export const CONTRACT_OPTIONS: ExecutorOptions = {
  concurrency: 2,
  maxAttempts: 3,
  backoffMs: () => 20,
};

/** A manual job of `chartId` with a fresh run id. */
export function job(
  chartId: string,
  runId = `${chartId}-${Math.random().toString(36).slice(2)}`,
): CaptureJob {
  return { runId, source: 'spotify-playlist', chartId, trigger: 'manual', scheduledFor: null };
}

/**
 * Resolves once `check` holds, polling; fails after `timeoutMs`, a bound on how long to wait for
 * an outcome on a busy machine, not a measure of speed.
 */
export async function until(
  check: () => boolean,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every Executor must show. Each test gets a fresh executor (its own queue) from
 * `open`, made with CONTRACT_OPTIONS; it is closed after the test.
 */
export function describeExecutorContract(name: string, open: () => Promise<Executor>): void {
  describe(`Executor contract: ${name}`, () => {
    let executor: Executor;
    let calls: { job: CaptureJob; at: number }[];

    beforeEach(async () => {
      executor = await open();
      calls = [];
    });

    afterEach(async () => {
      await executor.close(1_000);
    });

    /** A handler that records each call and answers with `answer` (default: done). */
    const recording =
      (
        answer: (job: CaptureJob, call: number) => Promise<JobOutcome> | JobOutcome = () => ({
          kind: 'done',
        }),
      ): JobHandler =>
      async (received) => {
        calls.push({ job: received, at: Date.now() });
        return answer(received, calls.filter((c) => c.job.runId === received.runId).length);
      };

    const callsOf = (runId: string) => calls.filter((c) => c.job.runId === runId);

    it('runs each submitted job once, with its data, and ignores it while it runs and once finished', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const a = job('chart-a');
      const b = {
        ...job('chart-b'),
        trigger: 'schedule' as const,
        scheduledFor: '2026-01-01T00:00:00.000Z',
      };
      await executor.work(
        recording(async (received) => {
          if (received.runId === a.runId) await gate;
          return { kind: 'done' };
        }),
      );
      await executor.submit(a);
      await executor.submit(b);
      await until(() => callsOf(a.runId).length === 1 && callsOf(b.runId).length === 1);
      // a is running, b has finished: submitting them again must not deliver them again.
      await executor.submit(a);
      await executor.submit(b);
      await sleep(200);
      release();
      await sleep(200);
      expect(callsOf(a.runId)).toHaveLength(1);
      expect(callsOf(b.runId).map((c) => c.job)).toStrictEqual([b]);
      expect(callsOf(a.runId)[0]?.job).toStrictEqual(a);
    });

    it('delivers a job again after the delay a retry asks for', async () => {
      const a = job('chart-a');
      await executor.work(
        recording((_job, call) =>
          call === 1 ? { kind: 'retry', delayMs: 300, reason: 'transient' } : { kind: 'done' },
        ),
      );
      await executor.submit(a);
      await until(() => callsOf(a.runId).length === 2);
      const [first, second] = callsOf(a.runId);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(290);
      await sleep(200);
      expect(callsOf(a.runId)).toHaveLength(2);
    });

    it('gives a job up after maxAttempts deliveries that asked for a retry', async () => {
      const a = job('chart-a');
      await executor.work(
        recording(() => ({ kind: 'retry', delayMs: 10, reason: 'still broken' })),
      );
      await executor.submit(a);
      await until(() => callsOf(a.runId).length === CONTRACT_OPTIONS.maxAttempts);
      await sleep(300);
      expect(callsOf(a.runId)).toHaveLength(CONTRACT_OPTIONS.maxAttempts);
    });

    it('retries a job whose handler threw, and stops at a failed outcome', async () => {
      const a = job('chart-a');
      const b = job('chart-b');
      await executor.work(
        recording((received, call) => {
          if (received.runId === b.runId) return { kind: 'failed', reason: 'permanent' };
          if (call === 1) throw new Error('store hiccup');
          return { kind: 'done' };
        }),
      );
      await executor.submit(a);
      await executor.submit(b);
      await until(() => callsOf(a.runId).length === 2 && callsOf(b.runId).length === 1);
      await sleep(300);
      expect(callsOf(a.runId)).toHaveLength(2);
      expect(callsOf(b.runId)).toHaveLength(1);
    });

    it('postpones a job without using up its attempts', async () => {
      const a = job('chart-a');
      const postponements = CONTRACT_OPTIONS.maxAttempts + 2;
      await executor.work(
        recording((_job, call) =>
          call <= postponements
            ? { kind: 'postpone', delayMs: 30, reason: 'chart busy' }
            : { kind: 'done' },
        ),
      );
      await executor.submit(a);
      await until(() => callsOf(a.runId).length === postponements + 1);
      const [first, second] = callsOf(a.runId);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(25);
    });

    it('runs jobs of different charts at once, up to the concurrency', async () => {
      let running = 0;
      let most = 0;
      const jobs = ['chart-a', 'chart-b', 'chart-c', 'chart-d'].map((chart) => job(chart));
      await executor.work(
        recording(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(250);
          running -= 1;
          return { kind: 'done' };
        }),
      );
      for (const each of jobs) await executor.submit(each);
      await until(() => calls.length === jobs.length && running === 0);
      expect(most).toBe(CONTRACT_OPTIONS.concurrency);
    });

    it('answers a ping while its queue is reachable', async () => {
      await expect(executor.ping()).resolves.toBeUndefined();
    });

    it('says the queue is intact while nothing has been lost', async () => {
      await executor.submit(job('chart-a'));
      expect(await executor.intact()).toBe(true);
      expect(await executor.intact()).toBe(true);
    });

    it('waits for a running job when closing, but only as long as it is told', async () => {
      let finished = false;
      await executor.work(
        recording(async () => {
          await sleep(300);
          finished = true;
          return { kind: 'done' };
        }),
      );
      await executor.submit(job('chart-a'));
      await until(() => calls.length === 1);
      await executor.close(5_000);
      expect(finished).toBe(true);

      executor = await open();
      await executor.work(
        recording(async () => {
          await sleep(3_000);
          return { kind: 'done' };
        }),
      );
      let slowFinished = false;
      await executor.submit(job('chart-b'));
      await until(() => calls.length === 2);
      void sleep(3_000).then(() => {
        slowFinished = true;
      });
      await executor.close(200);
      // Closing gave up waiting before the job (3 s) could finish.
      expect(slowFinished).toBe(false);
    });
  });
}
