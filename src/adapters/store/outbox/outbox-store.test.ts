import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChartkeeperError } from '../../../domain/errors.js';
import type { Run } from '../../../domain/run.js';
import { startPrivateFerretDb } from '../../../test-support/ferretdb.js';
import { makeCapture, makeRun, TEST_KEY } from '../../../test-support/fixtures.js';
import { titleFor } from '../../../test-support/services.js';
import { describeChartStoreContract } from '../../../test-support/store-contract.js';
import { openMongoStore } from '../mongo/mongo-store.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { Outbox } from './outbox.js';
import { OutboxStore } from './outbox-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ck-outbox-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const fresh = (name: string) => join(dir, `${name}-${++count}`);

// The outbox changes nothing while the store works: the very same contract holds.
describeChartStoreContract(
  'sqlite behind the outbox',
  async () =>
    new OutboxStore(SqliteStore.open(`${fresh('store')}.db`), new Outbox(fresh('outbox'))),
);

describe('OutboxStore.flush', () => {
  it('writes what it can, and keeps and reports a record the store refuses', async () => {
    const outbox = new Outbox(fresh('outbox'));
    const capture = makeCapture();
    const { tasks: _, ...withoutTasks } = makeRun();
    const broken = withoutTasks as Run;
    outbox.put({ type: 'capture', capture });
    outbox.put({ type: 'run', run: broken });
    const store = new OutboxStore(SqliteStore.open(`${fresh('store')}.db`), outbox);
    const report = await store.flush();
    expect(report).toMatchObject({ captures: 1, charts: 0, runs: 0 });
    expect(report.failed).toStrictEqual([
      { type: 'run', id: broken.id, message: expect.stringMatching(/NOT NULL constraint failed/) },
    ]);
    expect(outbox.pending()).toStrictEqual([{ type: 'run', run: broken }]);
    expect(await store.getCapture(capture.id)).toStrictEqual(capture);
    await store.close();
  });
});

describe('OutboxStore over MongoDB that goes down', async () => {
  const ferret = await startPrivateFerretDb();
  if (!ferret.available) {
    it.skip(titleFor('keeps writes in the outbox while MongoDB is down', ferret), () => {});
    return;
  }
  const server = ferret.value;
  afterAll(() => server.close());
  // A test that fails while the server is stopped must not take the next one down with it.
  afterEach(() => server.start());

  it('keeps captures and runs in the outbox while MongoDB is down and writes them once it is back', async () => {
    const uri = `${server.uri}chartkeeper?serverSelectionTimeoutMS=1500`;
    const outbox = new Outbox(fresh('outbox'));
    const flushed: string[] = [];
    const store = new OutboxStore(await openMongoStore(uri), outbox, {
      onCaptureFlushed: async (capture, chartDate) => {
        flushed.push(`${capture.id} ${chartDate}`);
        return true;
      },
    });
    const before = makeCapture({ payload: { v: 1 } });
    await store.saveCapture(before);
    const run = makeRun();
    await store.saveRun(run);

    await server.stop();
    const capture = makeCapture({ payload: { v: 2 }, chartDate: '2026-01-02' });
    const started = Date.now();
    const error = (await store.saveCapture(capture).catch((e: unknown) => e)) as ChartkeeperError;
    expect(error.code).toBe('store-unavailable');
    expect(error.message).toMatch(
      /^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/chartkeeper is unreachable: /,
    );
    expect(error.message).toContain(`Capture ${capture.id} is kept in the outbox ${outbox.dir}`);
    expect(error.message).toContain('the next run or `chartkeeper flush` writes it');
    const failed = { ...run, state: 'failed' as const };
    await store.saveRun(failed);
    await store.saveRun(failed);
    // Once found down, the store is not waited for again: everything after went straight to disk.
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect(store.getRun(run.id)).rejects.toMatchObject({ code: 'store-unavailable' });
    expect(outbox.pending()).toStrictEqual([
      { type: 'capture', capture },
      { type: 'run', run: failed },
    ]);

    await server.start();
    expect(await store.flush()).toStrictEqual({ captures: 1, charts: 1, runs: 1, failed: [] });
    expect(flushed).toStrictEqual([`${capture.id} 2026-01-02`]);
    expect(outbox.count()).toBe(0);
    expect(await store.getCapture(capture.id)).toStrictEqual(capture);
    expect(await store.latestCapture(TEST_KEY)).toStrictEqual(capture);
    expect(await store.getRun(run.id)).toStrictEqual(failed);
    expect(await store.flush()).toStrictEqual({ captures: 0, charts: 0, runs: 0, failed: [] });
    await store.close();
  }, 30_000);

  it('writes what waits before the next write, in order, and never twice', async () => {
    const uri = `${server.uri}chartkeeper?serverSelectionTimeoutMS=1500`;
    const outbox = new Outbox(fresh('outbox'));
    const waiting = makeCapture({ payload: { v: 'waiting' } });
    const replayed = makeCapture({ payload: { v: 'already stored' } });
    outbox.put({ type: 'capture', capture: waiting });
    outbox.put({ type: 'capture', capture: replayed });
    const mongo = await openMongoStore(uri);
    await mongo.saveCapture(replayed);

    const store = new OutboxStore(mongo, outbox);
    const next = makeCapture({ payload: { v: 'next' } });
    expect(await store.saveCapture(next)).toStrictEqual({ capture: next, created: true });
    expect(outbox.count()).toBe(0);
    const records = [];
    for await (const record of store.records())
      if (record.type === 'capture') records.push(record.capture.id);
    expect(records.filter((id) => [waiting.id, replayed.id, next.id].includes(id))).toStrictEqual([
      replayed.id,
      waiting.id,
      next.id,
    ]);
    await store.close();
  });
});
