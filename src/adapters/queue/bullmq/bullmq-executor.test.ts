import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureJob } from '../../../domain/ports.js';
import {
  CONTRACT_OPTIONS,
  describeExecutorContract,
  job,
  until,
} from '../../../test-support/executor-contract.js';
import { startRedis, type TestRedis } from '../../../test-support/redis.js';
import { titleFor } from '../../../test-support/services.js';
import { BullMqExecutor } from './bullmq-executor.js';

const redis = await startRedis();
let server: TestRedis;
beforeAll(() => {
  if (redis.available) server = redis.value;
});
afterAll(async () => {
  if (redis.available) await redis.value.stop();
});

const open = (queueName = `test-${randomUUID()}`, lockMs = 30_000) =>
  new BullMqExecutor({ ...CONTRACT_OPTIONS, url: server.url, queueName, lockMs });

describe.skipIf(!redis.available)(titleFor('BullMQ on a real Redis', redis), () => {
  describeExecutorContract('bullmq', async () => open());

  it('queues each slot once however many schedulers upsert the schedule', async () => {
    const queueName = `test-${randomUUID()}`;
    const schedulers = [open(queueName), open(queueName)];
    const worker = open(queueName);
    const seen: CaptureJob[] = [];
    await worker.work(async (received) => {
      seen.push(received);
      return { kind: 'done' };
    });
    const spec = { cron: '* * * * * *', timezone: 'UTC', chartIds: ['chart-a', 'chart-b'] };
    await Promise.all(schedulers.map((s) => s.schedule(spec)));
    await until(() => new Set(seen.map((j) => j.scheduledFor)).size >= 3, 6_000, 'three slots');
    // A scheduler that starts later upserts the same schedule: still one job per slot.
    await schedulers[0]!.schedule(spec);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await schedulers[0]!.schedule(null);
    for (const s of schedulers) await s.close(100);
    await worker.close(1_000);
    const keys = seen.map((j) => `${j.chartId}@${j.scheduledFor}`);
    expect(keys.length).toBeGreaterThanOrEqual(6);
    expect(new Set(keys).size).toBe(keys.length);
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
    const closing = Date.now();
    await first.close(200);
    // Far sooner than the 30 s lock would take to run out.
    await until(() => deliveries.length === 2, 3_000, 'the second delivery');
    expect(Date.now() - closing).toBeLessThan(3_000);
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
    await until(() => deliveries.length === 2, 8_000, 'the stalled job to be delivered again');
    await rescuer.close(1_000);
    await dying.close(10).catch(() => {});
    expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(900);
  });
});
