import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartKey } from '../../../domain/chart.js';
import { makeChart, TEST_KEY } from '../../../test-support/fixtures.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
  withDatabase,
} from '../../../test-support/mongo.js';
import { titleFor } from '../../../test-support/services.js';
import { type MongoStore, openMongoStore } from './mongo-store.js';
import {
  appearancesInPeriod,
  appearancesOfTracks,
  chartDatesOfKey,
  type FindQuery,
  find,
  newestChart,
  tracksOfArtist,
  tracksWhere,
} from './queries.js';

/*
 * A track's history, an artist's history and movers read through an index, never by scanning a
 * collection: `explain` of the very finds the store runs (queries.ts), on charts the store wrote.
 * MongoDB answers with its query plan (IXSCAN / COLLSCAN stages), FerretDB v2 with PostgreSQL's
 * (Index Scan / Bitmap Index Scan / Seq Scan nodes of DocumentDB's indexes). FerretDB v1 uses no
 * index for anything, so there the test is skipped, saying so.
 */

const mongo = await mongoTestServer();

/** The indexes a plan reads, and the collection scans in it. */
function planReads(explain: Record<string, unknown>): {
  indexes: string[];
  scans: string[];
} {
  const planner = explain.queryPlanner as Record<string, unknown> | undefined;
  // MongoDB: queryPlanner.winningPlan (rejected plans are not what runs); FerretDB v2: the
  // PostgreSQL plan of the query, as EXPLAIN (FORMAT JSON) gives it, in queryPlanner.Plan.
  const plan = planner?.winningPlan ?? planner?.Plan;
  if (plan === undefined) throw new Error(`no plan in ${JSON.stringify(explain)}`);
  const indexes: string[] = [];
  const scans: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    // IXSCAN, or EXPRESS_IXSCAN (MongoDB 8's fast path for an equality on a unique index).
    if (
      typeof n.stage === 'string' &&
      n.stage.endsWith('IXSCAN') &&
      typeof n.indexName === 'string'
    )
      indexes.push(n.indexName);
    if (n.stage === 'COLLSCAN') scans.push('COLLSCAN');
    const type = n['Node Type'];
    if (type === 'Index Scan' || type === 'Index Only Scan' || type === 'Bitmap Index Scan') {
      // An index read counts when its condition is on the documents: DocumentDB also reads
      // whole collections through `_id_` by their one shard key (`shard_key_value = N`).
      if (String(n['Index Cond'] ?? '').includes('document OPERATOR'))
        indexes.push(String(n['Index Name']));
      else scans.push(`${type} on ${String(n['Index Name'])} of every document`);
    }
    if (type === 'Seq Scan') scans.push(`Seq Scan on ${String(n['Relation Name'])}`);
    for (const value of Object.values(n)) walk(value);
  };
  walk(plan);
  return { indexes, scans };
}

const OTHER_KEY: ChartKey = { source: TEST_KEY.source, chartId: 'other-chart' };

/** 40 daily charts of two keys, 20 entries each, tracks t0…t59 moving through them. */
function charts() {
  const days = Array.from({ length: 40 }, (_, i) =>
    new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
  );
  return days.flatMap((day, d) =>
    [TEST_KEY, OTHER_KEY].map((key, k) =>
      makeChart(
        key,
        day,
        Array.from({ length: 20 }, (_, p) => `t${(p * 3 + d + k * 7) % 60}`),
      ),
    ),
  );
}

async function serverKind(uri: string): Promise<string> {
  const client = independentClient(uri);
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    // FerretDB v2 says `ferretdb: {version}`, v1 `ferretdbVersion`.
    const ferret =
      (info.ferretdb as { version?: string } | undefined)?.version ?? info.ferretdbVersion;
    return ferret ? `FerretDB ${ferret}` : `MongoDB ${String(info.version)}`;
  } finally {
    await client.close();
  }
}

const kind = mongo.available ? await serverKind(mongo.value.uri) : '';
const ferretV1 = /^FerretDB v1\./.test(kind);

if (!mongo.available || ferretV1) {
  const reason = ferretV1
    ? `${kind} reads every query by scanning (it uses no index); run the tests on FerretDB v2 (scripts/ferretdb.sh) or MongoDB`
    : '';
  describe.skip(
    ferretV1
      ? `History reads through indexes (skipped: ${reason})`
      : titleFor('History reads through indexes', mongo),
    () => {
      it('needs MongoDB or FerretDB v2', () => {});
    },
  );
} else {
  describe(`History reads through indexes (${kind})`, () => {
    const { uri } = mongo.value;
    const database = randomDatabaseName();
    const admin = independentClient(uri);
    let store: MongoStore;
    const explain = async (query: FindQuery) =>
      planReads(
        (await find(admin.db(database), query).explain('queryPlanner')) as Record<string, unknown>,
      );

    beforeAll(async () => {
      store = await openMongoStore(withDatabase(uri, database));
      for (const chart of charts()) await store.saveChart(chart);
    });
    afterAll(async () => {
      await store?.close();
      await admin.db(database).dropDatabase();
      await admin.close();
    });

    it('has the indexes it relies on', async () => {
      const names = async (collection: string) =>
        (await admin.db(database).collection(collection).listIndexes().toArray()).map(
          (i) => i.name,
        );
      expect(await names('appearances')).toEqual(
        expect.arrayContaining([
          'appearances_by_track',
          'appearances_by_track_key',
          'appearances_by_key_date',
        ]),
      );
      expect(await names('tracks')).toEqual(expect.arrayContaining(['tracks_by_artist']));
      expect(await names('charts')).toEqual(expect.arrayContaining(['charts_by_key_date']));
    });

    it("reads a track's history by appearances_by_track_key on one key, by appearances_by_track on all", async () => {
      // What the store answers, so that the plans below are of queries that find something.
      expect(await store.appearancesOf(['t5'], TEST_KEY)).not.toHaveLength(0);
      expect(await explain(appearancesOfTracks(['t5'], TEST_KEY))).toEqual({
        indexes: ['appearances_by_track_key'],
        scans: [],
      });
      expect(await explain(appearancesOfTracks(['t5']))).toEqual({
        indexes: ['appearances_by_track'],
        scans: [],
      });
      // Then the key's dates between its first and last appearance, by charts_by_key_date.
      expect(
        await explain(chartDatesOfKey(TEST_KEY, { from: '2026-01-05', to: '2026-02-01' })),
      ).toEqual({ indexes: ['charts_by_key_date'], scans: [] });
    });

    it("reads an artist's tracks by tracks_by_artist, then their appearances", async () => {
      expect(await store.artistTracks('Artist t5')).toHaveLength(1);
      for (const artist of ['Artist t5', 'artist-t5']) {
        expect(await explain(tracksOfArtist(artist))).toEqual({
          indexes: ['tracks_by_artist'],
          scans: [],
        });
      }
      expect(await explain(appearancesOfTracks(['t5', 't6']))).toEqual({
        indexes: ['appearances_by_track'],
        scans: [],
      });
    });

    it('reads the charts movers compares by charts_by_key_date', async () => {
      expect((await store.previousChart(TEST_KEY, '2026-01-20'))?.chartDate).toBe('2026-01-19');
      for (const query of [
        newestChart(TEST_KEY),
        newestChart(TEST_KEY, '2026-01-20'),
        newestChart(TEST_KEY, { $lt: '2026-01-20' }),
      ]) {
        expect(await explain(query)).toEqual({ indexes: ['charts_by_key_date'], scans: [] });
      }
    });

    it("reads a period's entries (top) by an index of appearances", async () => {
      // MongoDB uses appearances_by_key_date (source, chartId, chartDate are its prefix). DocumentDB's
      // compound indexes are RUM (GIN-like) indexes that answer conditions on any of their fields,
      // so PostgreSQL may pick appearances_by_track, whose other fields are the same three.
      expect(await explain(appearancesInPeriod(TEST_KEY, '2026-01-05', '2026-01-12'))).toEqual({
        indexes: [
          kind.startsWith('MongoDB')
            ? 'appearances_by_key_date'
            : expect.stringMatching(/^appearances_by_(key_date|track)$/),
        ],
        scans: [],
      });
    });

    it('tells a scan apart: a title search, which no index serves, scans tracks', async () => {
      const plan = await explain(tracksWhere({ name: { $regex: /t5/i } }, null));
      expect(plan.indexes).toStrictEqual([]);
      expect(plan.scans).toHaveLength(1);
    });
  });
}
