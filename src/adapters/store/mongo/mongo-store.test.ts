import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChartkeeperError } from '../../../domain/errors.js';
import type { ChartStore } from '../../../domain/ports/chart-store.js';
import { startAuthenticatingFerretDb } from '../../../test-support/ferretdb.js';
import { makeCapture, makeChart, makeRun, TEST_KEY } from '../../../test-support/fixtures.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
  withDatabase,
} from '../../../test-support/mongo.js';
import { titleFor } from '../../../test-support/services.js';
import { describeChartStoreContract } from '../../../test-support/store-contract.js';
import { createClient, parseMongoUri } from './connection.js';
import { type MongoStore, openMongoStore } from './mongo-store.js';
import { SCHEMA_VERSION } from './schema.js';

const mongo = await mongoTestServer();

describe('parseMongoUri', () => {
  it('takes the database from the URI path, else "chartkeeper", and masks the password', () => {
    expect(parseMongoUri('mongodb://127.0.0.1:27017/', 'X')).toMatchObject({
      database: 'chartkeeper',
      location: 'mongodb://127.0.0.1:27017/chartkeeper',
    });
    const atlas = parseMongoUri(
      'mongodb+srv://ck:s3cret%2Fpass@cluster0.example.net/spotify?retryWrites=true&tlsCertificateKeyFilePassword=k3y-secret',
      'X',
    );
    expect(atlas.database).toBe('spotify');
    expect(atlas.location).toBe('mongodb+srv://ck:[redacted]@cluster0.example.net/spotify');
    expect(atlas.redactor.redact('a s3cret/pass b k3y-secret')).toBe('a [redacted] b [redacted]');
  });

  it('refuses a malformed URI with one line naming the setting, never echoing it', async () => {
    for (const uri of [
      'mongodb://',
      'mongodb://ck:s3cret-pass@127.0.0.1:notaport/db',
      'mongodb://ck:s3cret-pass@host/db?serverSelectionTimeoutMS=soon',
      'mongodb://ck:s3cret@s3cret-pass@127.0.0.1/db',
      'mongodb://ck:s3cret/s3cret-pass@127.0.0.1/db',
    ]) {
      const error = await openMongoStore(uri).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, uri).toBeInstanceOf(ChartkeeperError);
      expect(error).toMatchObject({ code: 'config', permanent: true });
      const text = `${(error as ChartkeeperError).message} ${(error as ChartkeeperError).hint}`;
      expect(text).toMatch(/^CHARTKEEPER_STORE is not a valid MongoDB URI: /);
      expect(text).not.toContain('s3cret-pass');
      expect(text).not.toContain('\n');
    }
  });
});

describe('MongoStore against an unreachable server', () => {
  it('fails within the selection timeout (5 s by default) with one line and no password', async () => {
    const store = await openMongoStore('mongodb://ck:s3cret-pass@127.0.0.1:9/chartkeeper');
    expect(store.location).toBe('mongodb://ck:[redacted]@127.0.0.1:9/chartkeeper');
    const started = Date.now();
    const error = await store.listRuns({ limit: 1 }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    await store.close();
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect(error).toMatchObject({ code: 'store-unavailable', permanent: false });
    const { message, hint } = error as ChartkeeperError;
    expect(message).toMatch(
      /^MongoDB at mongodb:\/\/ck:\[redacted\]@127\.0\.0\.1:9\/chartkeeper is unreachable: .*ECONNREFUSED/,
    );
    expect(`${message}${hint}`).not.toMatch(/s3cret|\n/);
    // It waited for the server selection (5 s), not failing before it.
    expect(waited).toBeGreaterThan(4_000);
  }, 20_000);

  it('lets the URI set a shorter wait', async () => {
    const uri = 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300';
    const client = createClient(parseMongoUri(uri, 'CHARTKEEPER_STORE'), 'CHARTKEEPER_STORE');
    expect(client.options.serverSelectionTimeoutMS).toBe(300);
    const defaults = createClient(
      parseMongoUri('mongodb://127.0.0.1:9/', 'CHARTKEEPER_STORE'),
      'CHARTKEEPER_STORE',
    );
    expect(defaults.options.serverSelectionTimeoutMS).toBe(5_000);
    await Promise.all([client.close(), defaults.close()]);
    const store = await openMongoStore(uri);
    await expect(store.getRun('x')).rejects.toMatchObject({ code: 'store-unavailable' });
    await store.close();
  });
});

if (mongo.available) {
  const { uri } = mongo.value;
  const admin = independentClient(uri);
  afterAll(async () => {
    await admin.close();
    await mongo.value.stop();
  });
  const drop = (store: ChartStore) => admin.db((store as MongoStore).database).dropDatabase();

  describeChartStoreContract(
    'mongodb',
    () => openMongoStore(withDatabase(uri, randomDatabaseName())),
    async (store) => {
      await drop(store);
    },
  );

  describe('MongoStore (real server)', () => {
    const opened: MongoStore[] = [];
    const open = async (database = randomDatabaseName()) => {
      const store = await openMongoStore(withDatabase(uri, database));
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) {
        await store.close();
        await drop(store);
      }
    });

    it('writes documents another MongoDB client reads: capture, chart with entries, run', async () => {
      const store = await open();
      const payload = { playlist: { id: 'p', name: 'Top 50 – Global' }, pages: [{ items: [] }] };
      const capture = makeCapture({ payload, version: 'snap-1', runId: 'run-1' });
      const chart = makeChart(TEST_KEY, '2026-01-10', ['a', 'b'], { captureId: capture.id });
      const run = { ...makeRun({ id: 'run-1' }), state: 'succeeded' as const, entryCount: 2 };
      await store.saveCapture(capture);
      await store.saveChart(chart);
      await store.saveRun(run);

      const db = admin.db(store.database);
      expect(await db.collection('captures').findOne({ _id: capture.id as never })).toStrictEqual({
        _id: capture.id,
        source: TEST_KEY.source,
        chartId: TEST_KEY.chartId,
        runId: 'run-1',
        capturedAt: new Date(capture.capturedAt),
        chartDate: capture.chartDate,
        contentHash: capture.contentHash,
        version: 'snap-1',
        seq: 1,
        payload,
      });
      const stored = await db.collection('charts').findOne({ chartDate: '2026-01-10' });
      expect(stored).toMatchObject({
        ...TEST_KEY,
        chartDate: '2026-01-10',
        captureId: capture.id,
        entryCount: 2,
        skipped: [],
      });
      expect(stored?.entries).toStrictEqual(chart.entries);
      const storedRun = await db.collection('runs').findOne({ _id: 'run-1' as never });
      expect(storedRun).toMatchObject({
        state: 'succeeded',
        entryCount: 2,
        chartId: TEST_KEY.chartId,
      });
      expect(storedRun?.tasks.map((t: { name: string }) => t.name)).toStrictEqual(
        run.tasks.map((t) => t.name),
      );
      // Instants are BSON dates: date queries, TTL indexes and Atlas Charts work on them.
      expect(stored?.capturedAt).toBeInstanceOf(Date);
      expect(storedRun?.createdAt).toBeInstanceOf(Date);
      const since = new Date(Date.parse(run.createdAt) - 1);
      expect(await db.collection('runs').countDocuments({ createdAt: { $gte: since } })).toBe(1);
    });

    it('moves instants written as strings by earlier versions to BSON dates, once', async () => {
      const database = randomDatabaseName();
      const db = admin.db(database);
      const capture = makeCapture();
      const run = { ...makeRun({ id: 'old-run' }), startedAt: '2026-01-01T06:00:01.000Z' };
      run.tasks[0] = {
        ...run.tasks[0]!,
        startedAt: '2026-01-01T06:00:02.000Z',
        logs: [{ at: '2026-01-01T06:00:03.000Z', level: 'info', message: 'x' }],
      };
      const chart = makeChart(TEST_KEY, '2026-01-01', ['a']);
      // As version 1 wrote them: every instant an ISO string.
      const { id: captureId, payload, ...captureFields } = capture;
      await db
        .collection('captures')
        .insertOne({ _id: captureId as never, ...captureFields, seq: 1, payload });
      await db.collection('charts').insertOne({ ...chart, entryCount: 1 });
      const { id: runId, ...runFields } = run;
      await db.collection('runs').insertOne({ _id: runId as never, ...runFields });
      await db
        .collection('leases')
        .insertOne({ _id: 'capture/x' as never, owner: 'o', expiresAt: Date.now() + 60_000 });

      // A read-only user reads the old documents as they are, and changes nothing.
      const reader = await openMongoStore(withDatabase(uri, database), { access: 'read' });
      expect(await reader.getRun('old-run')).toStrictEqual(run);
      await reader.close();
      expect(typeof (await db.collection('runs').findOne({}))?.createdAt).toBe('string');

      for (let i = 0; i < 2; i++) {
        const store = await open(database);
        expect(await store.getRun('old-run')).toStrictEqual(run);
        expect(await store.getCapture(capture.id)).toStrictEqual(capture);
        expect(await store.getChart(TEST_KEY, '2026-01-01')).toStrictEqual(chart);
        expect((await store.getLease('capture/x'))?.owner).toBe('o');
      }
      const stored = await db.collection('runs').findOne({});
      expect(stored?.createdAt).toBeInstanceOf(Date);
      expect(stored?.startedAt).toBeInstanceOf(Date);
      expect(stored?.tasks[0].startedAt).toBeInstanceOf(Date);
      expect(stored?.tasks[0].logs[0].at).toBeInstanceOf(Date);
      expect((await db.collection('captures').findOne({}))?.capturedAt).toBeInstanceOf(Date);
      expect((await db.collection('charts').findOne({}))?.capturedAt).toBeInstanceOf(Date);
      expect((await db.collection('leases').findOne({}))?.expiresAt).toBeInstanceOf(Date);
      expect(await db.collection('migrations').findOne({ _id: 'schema' as never })).toMatchObject({
        version: SCHEMA_VERSION,
      });
      // Version 3 made the appearances of the charts already stored.
      expect(await db.collection('appearances').countDocuments({})).toBeGreaterThan(0);
    });

    it('moves appearances of schema 3 (unique index, generated ids) to ids of their own, once', async () => {
      const database = randomDatabaseName();
      const store = await open(database);
      await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a', 'b']));
      // As schema 3 left them: generated _ids under a unique index on chart and position.
      const db = admin.db(database);
      const appearances = db.collection('appearances');
      const docs = await appearances.find({}, { projection: { _id: 0 } }).toArray();
      await appearances.deleteMany({});
      await appearances.createIndex(
        { source: 1, chartId: 1, chartDate: 1, position: 1 },
        { name: 'appearances_by_chart', unique: true },
      );
      // And two an import cut short left before its chart was written.
      const orphans = docs.map((doc) => ({ ...doc, chartDate: '2026-01-05' }));
      await appearances.insertMany(docs);
      await appearances.insertMany(orphans);
      await db
        .collection('migrations')
        .updateOne({ _id: 'schema' as never }, { $set: { version: 3 } });

      for (let i = 0; i < 2; i++) {
        const reopened = await open(database);
        // The orphans too, until their chart is imported again (the appearances come first).
        expect((await reopened.appearancesOf(['a', 'b'])).map((a) => a.position)).toStrictEqual([
          1, 2, 1, 2,
        ]);
      }
      expect(await appearances.find({}, { projection: { _id: 1 } }).toArray()).toEqual(
        expect.arrayContaining([
          { _id: `${TEST_KEY.source}|${TEST_KEY.chartId}|2026-01-01|1` },
          { _id: `${TEST_KEY.source}|${TEST_KEY.chartId}|2026-01-01|2` },
        ]),
      );
      expect(await appearances.countDocuments({})).toBe(4);
      expect(await appearances.countDocuments({ trackKey: { $exists: true } })).toBe(4);
      // Importing that chart again completes it, without a second appearance per position.
      const store2 = await open(database);
      await store2.writeCharts([
        { chart: makeChart(TEST_KEY, '2026-01-05', ['a', 'b']), adding: false },
      ]);
      expect(await appearances.countDocuments({ chartDate: '2026-01-05' })).toBe(2);
      const names = (await appearances.listIndexes().toArray()).map((index) => index.name);
      expect(names).not.toContain('appearances_by_chart');
      expect(names).toContain('appearances_by_key_date');
      expect(await db.collection('migrations').findOne({ _id: 'schema' as never })).toMatchObject({
        version: SCHEMA_VERSION,
      });
    });

    it('opened for reading, creates no database, collection or index', async () => {
      const database = randomDatabaseName();
      const reader = await openMongoStore(withDatabase(uri, database), { access: 'read' });
      expect(await reader.listRuns({ limit: 5 })).toStrictEqual([]);
      expect(await reader.getChart(TEST_KEY)).toBeNull();
      expect(await reader.findRunsByPrefix('ab', 5)).toStrictEqual([]);
      for await (const _ of reader.records()) throw new Error('an empty database has no records');
      await reader.close();
      expect(await admin.db(database).listCollections().toArray()).toStrictEqual([]);
    });

    it('refuses a database name MongoDB would refuse, as a configuration error', async () => {
      for (const name of ['my.db', 'a%20b', 'x$y', 'q%22z']) {
        const error = await openMongoStore(withDatabase(uri, name)).then(
          () => null,
          (e: unknown) => e as ChartkeeperError,
        );
        expect(error, name).toMatchObject({ code: 'config', permanent: true });
        expect(error?.message).toMatch(
          /^CHARTKEEPER_STORE is not a valid MongoDB URI: the database name/,
        );
      }
    });

    it('creates its indexes once, idempotently: unique chart key, multikey track id, runs by creation and start time', async () => {
      const database = randomDatabaseName();
      await (await open(database)).listRuns({ limit: 1 });
      await (await open(database)).listRuns({ limit: 1 });
      const db = admin.db(database);
      const keys = async (name: string) =>
        (await db.collection(name).listIndexes().toArray()).map((i) => [i.name, i.key, !!i.unique]);
      expect(await keys('charts')).toEqual(
        expect.arrayContaining([
          ['charts_by_key_date', { source: 1, chartId: 1, chartDate: 1 }, true],
          ['charts_by_track', { 'entries.trackId': 1 }, false],
        ]),
      );
      expect(await keys('charts')).toHaveLength(4);
      expect(await keys('runs')).toEqual(
        expect.arrayContaining([
          ['runs_by_time', { createdAt: -1 }, false],
          ['runs_by_start', { startedAt: -1 }, false],
        ]),
      );
      expect(await keys('captures')).toHaveLength(3);
      // The database itself refuses a second chart for one key and date.
      const chart = { ...TEST_KEY, chartDate: '2026-01-01', entries: [] };
      await db.collection('charts').insertOne({ ...chart });
      await expect(db.collection('charts').insertOne({ ...chart })).rejects.toMatchObject({
        code: 11000,
      });
    });

    it('keeps a payload MongoDB cannot hold as a document (arrays in arrays, $ keys) as JSON text', async () => {
      const store = await open();
      const payload = { grid: [[1, 2], [3]], odd: { $key: 1, 'a.b': 2 } };
      const capture = makeCapture({ payload });
      await store.saveCapture(capture);
      const doc = await admin
        .db(store.database)
        .collection('captures')
        .findOne({ _id: capture.id as never });
      expect(doc?.payload).toBeUndefined();
      expect(JSON.parse(doc?.payloadJson)).toStrictEqual(payload);
      expect(await store.getCapture(capture.id)).toStrictEqual(capture);
    });

    it('writes an import batch of more entries than one write command may carry (25,000 on FerretDB 2)', async () => {
      const store = await open();
      // 130 charts of 200 entries, every track new: 26,000 appearances and 26,000 tracks.
      const writes = Array.from({ length: 130 }, (_, d) => ({
        chart: makeChart(
          TEST_KEY,
          new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10),
          Array.from({ length: 200 }, (_, p) => `b${d}-${p}`),
        ),
        adding: false,
      }));
      await store.writeCharts(writes);
      const db = admin.db(store.database);
      expect(await db.collection('appearances').countDocuments({})).toBe(26_000);
      expect(await db.collection('tracks').countDocuments({})).toBe(26_000);
      expect(await db.collection('charts').countDocuments({})).toBe(130);
      // Written again (an import repeated), nothing is doubled.
      await store.writeCharts(writes.slice(0, 2));
      expect(await db.collection('appearances').countDocuments({})).toBe(26_000);
    });

    it('numbers captures in the order of saving across two connections', async () => {
      const database = randomDatabaseName();
      const [one, two] = [await open(database), await open(database)];
      const a = makeCapture({ payload: { v: 'a' } });
      const b = makeCapture({ payload: { v: 'b' }, capturedAt: a.capturedAt });
      await one.saveCapture(a);
      await two.saveCapture(b);
      expect((await one.latestCaptureHead(TEST_KEY))?.id).toBe(b.id);
      expect(await two.saveCapture(makeCapture({ payload: { v: 'b' } }))).toMatchObject({
        created: false,
      });
    });
  });
} else {
  describe.skip(titleFor('MongoStore (real server)', mongo), () => {
    it('needs a MongoDB-compatible server', () => {});
  });
}

describe('MongoStore with authentication', async () => {
  const ferret = await startAuthenticatingFerretDb();
  if (!ferret.available) {
    it.skip(titleFor('reports refused credentials', ferret), () => {});
    return;
  }
  afterAll(() => ferret.value.close());
  const port = new URL(ferret.value.uri).port;

  it('reports refused credentials in one line without the password, and works with the right ones', async () => {
    const wrong = await openMongoStore(
      `mongodb://ck:wrong-passw0rd@127.0.0.1:${port}/chartkeeper?authSource=admin`,
    );
    const error = await wrong.listRuns({ limit: 1 }).catch((e: unknown) => e);
    await wrong.close();
    expect(error).toMatchObject({ code: 'store-auth', permanent: true });
    const { message, hint } = error as ChartkeeperError;
    expect(message).toMatch(
      /^MongoDB at mongodb:\/\/ck:\[redacted\]@127\.0\.0\.1:\d+\/chartkeeper refused access: Authentication failed/,
    );
    expect(`${message} ${hint}`).not.toMatch(/wrong-passw0rd|\n/);

    const anonymous = await openMongoStore(`mongodb://127.0.0.1:${port}/chartkeeper`);
    await expect(anonymous.listRuns({ limit: 1 })).rejects.toMatchObject({ code: 'store-auth' });
    await anonymous.close();

    const right = await openMongoStore(
      `mongodb://ck:s3cret-pass@127.0.0.1:${port}/chartkeeper?authSource=admin`,
    );
    await right.saveRun(makeRun({ id: 'authed' }));
    expect((await right.getRun('authed'))?.id).toBe('authed');
    await right.close();
  });
});
