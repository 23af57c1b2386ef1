import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureJob } from '../../../domain/ports/executor.js';
import {
  CONTRACT_OPTIONS,
  describeExecutorContract,
  job,
  until,
} from '../../../test-support/executor-contract.js';
import { startRedis, type TestRedis } from '../../../test-support/redis.js';
import { titleFor } from '../../../test-support/services.js';
import { BullMqExecutor } from './bullmq-executor.js';
import { connectRedis } from './redis-connection.js';

const redis = await startRedis();
let server: TestRedis;
beforeAll(() => {
  if (redis.available) server = redis.value;
});
afterAll(async () => {
  if (redis.available) await redis.value.stop();
});

const open = (queueName = `test-${randomUUID()}`, lockMs = 600_000) =>
  new BullMqExecutor({ ...CONTRACT_OPTIONS, url: server.url, queueName, lockMs });

describe.skipIf(!redis.available)(titleFor('BullMQ on a real Redis', redis), () => {
  describeExecutorContract('bullmq', async () => open());

  it('runs a job once however many schedulers submit it', async () => {
    const queueName = `test-${randomUUID()}`;
    const schedulers = [open(queueName), open(queueName)];
    const worker = open(queueName);
    const seen: CaptureJob[] = [];
    await worker.work(async (received) => {
      seen.push(received);
      return { kind: 'done' };
    });
    const slot = { ...job('chart-a', 'slot-run-1'), trigger: 'schedule' as const };
    await Promise.all(schedulers.map((s) => s.submit(slot)));
    await until(() => seen.length === 1);
    // A scheduler that starts later submits the same slot again: still one delivery.
    await schedulers[0]!.submit(slot);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const s of schedulers) await s.close(100);
    await worker.close(1_000);
    expect(seen).toStrictEqual([slot]);
  });

  it("notices once that Redis lost its data, and removes an earlier version's schedule", async () => {
    const queueName = `test-${randomUUID()}`;
    const legacy = new Queue(queueName, { connection: { url: server.url } });
    await legacy.upsertJobScheduler('chartkeeper-schedule', { every: 60_000 }, { name: 'tick' });
    const executor = open(queueName);
    try {
      await executor.submit(job('chart-a'));
      expect(await legacy.getJobSchedulers()).toStrictEqual([]);
      expect(await executor.intact()).toBe(true);
      const client = await connectRedis(server.url);
      await client.flushall();
      client.disconnect();
      expect(await executor.intact()).toBe(false);
      expect(await executor.intact()).toBe(true);
    } finally {
      await executor.close(100);
      await legacy.close();
    }
  });

  it('hands a job back when closing times out, so another worker finishes it at once', async () => {
    const queueName = `test-${randomUUID()}`;
    const first = open(queueName);
    const second = open(queueName);
    const deliveries: string[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    await first.work(async (received) => {
      deliveries.push(`first:${received.runId}`);
      await stuck;
      return { kind: 'done' };
    });
    const a = job('chart-a');
    await first.submit(a);
    await until(() => deliveries.length === 1);
    await second.work(async (received) => {
      deliveries.push(`second:${received.runId}`);
      return { kind: 'done' };
    });
    await first.close(200);
    // Handed back: delivered again long before its 10-minute lock could run out.
    await until(() => deliveries.length === 2, 60_000, 'the second delivery');
    expect(deliveries).toStrictEqual([`first:${a.runId}`, `second:${a.runId}`]);
    release();
    await second.close(1_000);
  });

  it("takes a dead worker's job back once its lock runs out (a stalled job)", async () => {
    const queueName = `test-${randomUUID()}`;
    const dying = open(queueName, 1_000);
    const deliveries: number[] = [];
    await dying.work(async () => {
      deliveries.push(Date.now());
      await new Promise(() => {});
      return { kind: 'done' };
    });
    await dying.submit(job('chart-a'));
    await until(() => deliveries.length === 1);
    // As if the process were killed: its connections drop, nothing is handed back.
    await (dying as unknown as { worker: { disconnect(): Promise<void> } }).worker.disconnect();
    const rescuer = open(queueName, 1_000);
    await rescuer.work(async () => {
      deliveries.push(Date.now());
      return { kind: 'done' };
    });
    await until(() => deliveries.length === 2, 60_000, 'the stalled job to be delivered again');
    await rescuer.close(1_000);
    await dying.close(10).catch(() => {});
    expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(900);
  });
});
