import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spotifyPlaylistNormaliser } from '../../adapters/spotify/normalise.js';
import { openLegacyCollection } from '../../adapters/store/mongo/legacy-collection.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { StoreRecord } from '../../domain/ports/record-export.js';
import { EMULATOR_PLAYLISTS } from '../../emulator/emulator.js';
import { legacyDocuments } from '../../test-support/legacy-seed.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
} from '../../test-support/mongo.js';
import { titleFor } from '../../test-support/services.js';
import { importSeed } from './import-seed.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const KEY = { source: 'spotify-playlist', chartId: DAILY };
const mongo = await mongoTestServer();

if (!mongo.available) {
  describe.skip(
    titleFor("importSeed (the original system's documents in a real MongoDB)", mongo),
    () => {
      it('needs a MongoDB-compatible server', () => {});
    },
  );
} else {
  describe("importSeed (the original system's documents in a real MongoDB)", async () => {
    const { uri } = mongo.value;
    const admin = independentClient(uri);
    const pages = await legacyDocuments(['2024-11-18', '2024-11-19', '2024-11-20']);
    let database: string;
    let dir: string;
    let store: SqliteStore;
    afterAll(async () => {
      await admin.close();
      await mongo.value.stop();
    });
    beforeEach(async () => {
      database = randomDatabaseName('ck_seed');
      dir = mkdtempSync(join(tmpdir(), 'ck-seed-'));
      store = SqliteStore.open(join(dir, 'chartkeeper.db'));
    });
    afterEach(async () => {
      await store.close();
      await admin.db(database).dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the import the way `chartkeeper import-seed` does: collection → service → store. */
    const importFrom = async (options: { playlist?: string } = {}) => {
      const legacy = openLegacyCollection(uri, { database });
      try {
        return await importSeed({
          captures: store,
          charts: store,
          normaliser: spotifyPlaylistNormaliser,
          documents: legacy.documents(),
          timezone: 'UTC',
          ...options,
        });
      } finally {
        await legacy.close();
      }
    };
    const records = async () => {
      const all: StoreRecord[] = [];
      for await (const record of store.records()) all.push(record);
      return all;
    };

    it('turns each page into a capture and each day into a chart with movement, and repeats safely', async () => {
      const [first, second, third] = pages;
      // The DAG ran twice on the 19th and got the same page: stored once.
      const docs = [first, second, { ...second, datetime: '2024-11-19 22:00:00.000001' }, third];
      const inserted = await admin
        .db(database)
        .collection('currency_collection')
        .insertMany(docs.map((d) => ({ ...d })));

      expect(await importFrom()).toStrictEqual({
        documents: 4,
        captures: { imported: 3, duplicates: 1 },
        charts: { written: 3, kept: 0 },
        skipped: { 'no-playlist': 0, 'no-datetime': 0, 'not-a-page': 0 },
      });
      const firstId = `legacy-${inserted.insertedIds[0]?.toHexString()}`;
      const { datetime: _, ...page } = first as Record<string, unknown>;
      expect(await store.getCapture(firstId)).toMatchObject({
        ...KEY,
        capturedAt: '2024-11-18T10:15:03.123Z',
        chartDate: '2024-11-18',
        runId: null,
        payload: {
          playlist: { id: DAILY, name: `Playlist ${DAILY}` },
          endpoint: 'tracks',
          pages: [page],
        },
      });
      const charts = await store.listCharts({ key: KEY });
      expect(charts.map((c) => [c.chartDate, c.entryCount])).toStrictEqual([
        ['2024-11-20', 50],
        ['2024-11-19', 50],
        ['2024-11-18', 50],
      ]);
      const latest = await store.getChart(KEY, '2024-11-20');
      expect(latest?.entries.some((e) => e.movement !== 'new')).toBe(true);
      expect(Math.max(...(latest?.entries.map((e) => e.daysOnChart) ?? []))).toBe(3);

      const before = await records();
      expect(await importFrom()).toMatchObject({
        captures: { imported: 0, duplicates: 4 },
        charts: { written: 0, kept: 3 },
      });
      expect(await records()).toStrictEqual(before);
    });

    it('skips pages naming no playlist unless --playlist is given, and keeps the stored title', async () => {
      const { href: _, ...noHref } = pages[0] as Record<string, unknown>;
      await admin
        .db(database)
        .collection('currency_collection')
        .insertMany([{ ...noHref }]);
      expect(await importFrom()).toMatchObject({
        documents: 1,
        captures: { imported: 0 },
        skipped: { 'no-playlist': 1 },
      });
      expect(await importFrom({ playlist: DAILY })).toMatchObject({
        captures: { imported: 1 },
        charts: { written: 1 },
        skipped: { 'no-playlist': 0 },
      });
      expect((await store.getChart(KEY))?.chartDate).toBe('2024-11-18');
    });
  });
}
