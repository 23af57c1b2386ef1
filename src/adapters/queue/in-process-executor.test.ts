import { describe, expect, it } from 'vitest';
import {
  CONTRACT_OPTIONS,
  describeExecutorContract,
  job,
  until,
} from '../../test-support/executor-contract.js';
import { InProcessExecutor } from './in-process-executor.js';

describeExecutorContract('in-process', async () => new InProcessExecutor(CONTRACT_OPTIONS));

describe('InProcessExecutor', () => {
  it('never runs two jobs of the same chart at once, and keeps their order', async () => {
    const executor = new InProcessExecutor({ ...CONTRACT_OPTIONS, concurrency: 4 });
    const order: string[] = [];
    let running = 0;
    let most = 0;
    await executor.work(async (received) => {
      running += 1;
      most = Math.max(most, running);
      order.push(received.runId);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
      return { kind: 'done' };
    });
    const jobs = ['1', '2', '3'].map((n) => job('same-chart', `run-${n}`));
    for (const each of jobs) await executor.submit(each);
    await until(() => order.length === 3 && running === 0);
    await executor.close(1_000);
    expect(most).toBe(1);
    expect(order).toStrictEqual(['run-1', 'run-2', 'run-3']);
  });

  it('takes no jobs once closed, and drops those waiting', async () => {
    const executor = new InProcessExecutor(CONTRACT_OPTIONS);
    const seen: string[] = [];
    await executor.submit(job('chart-a', 'before-work'));
    await executor.close(100);
    await executor.submit(job('chart-a', 'after-close'));
    await executor.work(async (received) => {
      seen.push(received.runId);
      return { kind: 'done' };
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toStrictEqual([]);
  });
});
