import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChartkeeperError } from '../../../domain/errors.js';
import type { ChartStore } from '../../../domain/ports/chart-store.js';
import type { Run } from '../../../domain/run.js';
import { startPrivateFerretDb } from '../../../test-support/ferretdb.js';
import { makeCapture, makeRun } from '../../../test-support/fixtures.js';
import { titleFor } from '../../../test-support/services.js';
import { describeChartStoreContract } from '../../../test-support/store-contract.js';
import { openMongoStore } from '../mongo/mongo-store.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { Outbox } from './outbox.js';
import { OutboxWriter } from './outbox-writer.js';

const STORE = 'sqlite /test/store.db';

const dir = mkdtempSync(join(tmpdir(), 'ck-outbox-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const fresh = (name: string) => join(dir, `${name}-${++count}`);

/** A store whose capture log and ledger are written through the outbox, as the app wires it. */
function behindOutbox(store: ChartStore, outbox: Outbox): ChartStore {
  const writer = new OutboxWriter(store, outbox);
  return new Proxy(store, {
    get(target, property) {
      const own = Reflect.get(writer, property);
      const value = typeof own === 'function' ? own : Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return value.bind(typeof own === 'function' ? writer : target);
    },
  });
}

// The outbox changes nothing while the store works: the very same contract holds.
describeChartStoreContract('sqlite behind the outbox', async () =>
  behindOutbox(SqliteStore.open(`${fresh('store')}.db`), new Outbox(fresh('outbox'), STORE)),
);

describe('OutboxWriter.flush', () => {
  it('writes what it can, and keeps and reports what the store refuses or cannot read', async () => {
    const outbox = new Outbox(fresh('outbox'), STORE);
    const capture = makeCapture();
    const { tasks: _, ...withoutTasks } = makeRun();
    const broken = withoutTasks as Run;
    outbox.put({ type: 'capture', capture });
    outbox.put({ type: 'run', run: broken });
    const store = SqliteStore.open(`${fresh('store')}.db`);
    const writer = new OutboxWriter(store, outbox);
    const report = await writer.flush();
    expect(report).toMatchObject({ captures: 1, charts: 0, runs: 0 });
    expect(report.failed).toStrictEqual([
      {
        type: 'file',
        id: expect.stringMatching(/run-.*\.json$/),
        message: expect.stringMatching(/tasks/),
      },
    ]);
    expect(outbox.count()).toBe(1);
    expect(await store.getCapture(capture.id)).toStrictEqual(capture);
    await store.close();
  });

  it("never replaces a run the store has in a later state, nor takes another store's records", async () => {
    const outbox = new Outbox(fresh('outbox'), STORE);
    const run = makeRun({ state: 'running', startedAt: '2026-01-01T06:00:00.000Z' });
    outbox.put({ type: 'run', run });
    const other = makeCapture();
    new Outbox(outbox.dir, 'sqlite /another/store.db').put({ type: 'capture', capture: other });
    const store = SqliteStore.open(`${fresh('store')}.db`);
    const finished: Run = { ...run, state: 'succeeded', finishedAt: '2026-01-01T06:00:05.000Z' };
    await store.saveRun(finished);
    const report = await new OutboxWriter(store, outbox).flush();
    expect(report).toMatchObject({
      runs: 0,
      failed: [],
      elsewhere: [{ store: 'sqlite /another/store.db', records: 1 }],
    });
    expect(await store.getRun(run.id)).toStrictEqual(finished);
    expect(await store.getCapture(other.id)).toBeNull();
    expect(outbox.count()).toBe(1);
    await store.close();
  });
});

describe('OutboxWriter over MongoDB that goes down', async () => {
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
    const outbox = new Outbox(fresh('outbox'), STORE);
    const flushed: string[] = [];
    const mongo = await openMongoStore(uri);
    const store = new OutboxWriter(mongo, outbox, {
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
    // Once found down, the store is not asked again for a while: reads fail at once.
    await expect(store.getRun(run.id)).rejects.toMatchObject({ code: 'store-unavailable' });
    expect(outbox.pending().records).toStrictEqual([
      { type: 'capture', capture },
      { type: 'run', run: failed },
    ]);

    await server.start();
    expect(await store.flush()).toStrictEqual({
      captures: 1,
      charts: 1,
      runs: 1,
      failed: [],
      elsewhere: [],
    });
    expect(flushed).toStrictEqual([`${capture.id} 2026-01-02`]);
    expect(outbox.count()).toBe(0);
    expect(await store.getCapture(capture.id)).toStrictEqual(capture);
    expect(await store.getRun(run.id)).toStrictEqual(failed);
    expect(await store.flush()).toStrictEqual({
      captures: 0,
      charts: 0,
      runs: 0,
      failed: [],
      elsewhere: [],
    });
    await mongo.close();
  }, 30_000);

  it('writes what waits before the next write, in order, and never twice', async () => {
    const uri = `${server.uri}chartkeeper?serverSelectionTimeoutMS=1500`;
    const outbox = new Outbox(fresh('outbox'), STORE);
    const waiting = makeCapture({ payload: { v: 'waiting' } });
    const replayed = makeCapture({ payload: { v: 'already stored' } });
    outbox.put({ type: 'capture', capture: waiting });
    outbox.put({ type: 'capture', capture: replayed });
    const mongo = await openMongoStore(uri);
    await mongo.saveCapture(replayed);

    const store = new OutboxWriter(mongo, outbox);
    const next = makeCapture({ payload: { v: 'next' } });
    expect(await store.saveCapture(next)).toStrictEqual({ capture: next, created: true });
    expect(outbox.count()).toBe(0);
    const records = [];
    for await (const record of mongo.records())
      if (record.type === 'capture') records.push(record.capture.id);
    expect(records.filter((id) => [waiting.id, replayed.id, next.id].includes(id))).toStrictEqual([
      replayed.id,
      waiting.id,
      next.id,
    ]);
    await mongo.close();
  });
});
