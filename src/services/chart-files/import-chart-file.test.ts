import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type MongoStore, openMongoStore } from '../../adapters/store/mongo/mongo-store.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { NormalisedEntry } from '../../domain/chart.js';
import type { ChartFileBatch, ChartFileRow } from '../../domain/chart-file.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { ChartFileReading } from '../../domain/ports/chart-files.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import { SOURCES } from '../../domain/sources.js';
import { derivedFromScratch } from '../../test-support/derivation.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
  withDatabase,
} from '../../test-support/mongo.js';
import { titleFor } from '../../test-support/services.js';
import { type ImportChartFileOptions, importChartFile } from './import-chart-file.js';

const CHART = 'regional-global-daily';
const KEY = { source: SOURCES.spotifyCharts, chartId: CHART };

function entry(position: number, trackId: string): NormalisedEntry {
  return {
    position,
    trackId,
    uri: `spotify:track:${trackId}`,
    name: `Song ${trackId}`,
    artists: [{ id: null, name: `Artist ${trackId.slice(0, 2)}` }],
    album: null,
    durationMs: null,
    explicit: null,
    isrc: null,
    addedAt: null,
    streams: 1000 - position,
    facts: { peakRank: position, previousRank: null, onChart: 3 },
  };
}

/** A file of the given days (date → track ids in chart order), rows numbered from line 2. */
function file(days: Record<string, string[]>, rejected: ChartFileBatch['rejected'] = []) {
  const rows: ChartFileRow[] = [];
  let line = 2;
  for (const [chartDate, ids] of Object.entries(days)) {
    ids.forEach((id, i) => {
      rows.push({ line: line++, chartId: CHART, chartDate, entry: entry(i + 1, id) });
    });
  }
  const reading: ChartFileReading = {
    format: 'charts.spotify.com',
    batches: (async function* () {
      // Batches cut through charts, as a reader's batches do.
      for (let i = 0; i < rows.length; i += 3) {
        yield { rows: rows.slice(i, i + 3), rejected: i === 0 ? rejected : [] };
      }
    })(),
  };
  return reading;
}

const fileOptions = { fileName: 'test.csv', importedAt: '2026-11-29T00:00:00.000Z' };

/** Derived fields from scratch (see derivedFromScratch), for `date` among `days`. */
function expected(days: Record<string, string[]>, date: string) {
  const dates = Object.keys(days).sort();
  return derivedFromScratch(
    dates.map((d) => days[d] ?? []),
    dates.indexOf(date),
  );
}

async function derivedOf(store: ChartStore, date: string) {
  const chart = await store.getChart(KEY, date);
  return (chart?.entries ?? []).map((e) => ({
    trackId: e.trackId,
    previousPosition: e.previousPosition,
    movement: e.movement,
    daysOnChart: e.daysOnChart,
    peak: e.peak,
  }));
}

const DAYS: Record<string, string[]> = {
  '2024-01-01': ['aa', 'bb', 'cc', 'dd'],
  '2024-01-02': ['bb', 'aa', 'ee', 'cc'],
  '2024-01-03': ['ee', 'bb', 'dd', 'aa'],
  '2024-01-04': ['cc', 'ee', 'bb', 'ff'],
  '2024-01-05': ['ff', 'cc', 'aa', 'ee'],
};
const pick = (dates: string[]) => Object.fromEntries(dates.map((d) => [d, DAYS[d] ?? []]));

/** `load`: options every import of the suite takes (a large load's expected rows). */
function describeImport(
  name: string,
  open: () => Promise<ChartStore>,
  load: Partial<ImportChartFileOptions> = {},
) {
  const options = { ...fileOptions, ...load };
  describe(`importing chart files into ${name}`, () => {
    it('imports a file, derives each chart from the ones before, and re-imports as duplicates', async () => {
      const store = await open();
      const first = await importChartFile(store, file(DAYS), options);
      expect(first).toMatchObject({
        charts: 5,
        rows: 20,
        imported: 20,
        duplicates: 0,
        rejected: [],
      });
      for (const date of Object.keys(DAYS)) {
        expect(await derivedOf(store, date), date).toEqual(expected(DAYS, date));
      }
      const stored = await store.getChart(KEY, '2024-01-02');
      expect(stored?.entries[0]).toMatchObject({
        streams: 999,
        facts: { peakRank: 1, previousRank: null, onChart: 3 },
      });
      expect(stored?.title).toBe('Top Songs · Global · daily');

      const again = await importChartFile(store, file(DAYS), options);
      expect(again).toMatchObject({ charts: 5, rows: 20, imported: 0, duplicates: 20 });
      await store.close();
    });

    it('keeps every later chart right when older charts arrive after newer ones', async () => {
      const store = await open();
      await importChartFile(store, file(pick(['2024-01-04', '2024-01-05'])), options);
      await importChartFile(store, file(pick(['2024-01-02'])), options);
      await importChartFile(store, file(pick(['2024-01-01', '2024-01-03'])), options);
      for (const date of Object.keys(DAYS)) {
        expect(await derivedOf(store, date), date).toEqual(expected(DAYS, date));
      }
      await store.close();
    });

    it("rejects a position stored with another track, with the reader's bad lines, in line order", async () => {
      const store = await open();
      await importChartFile(store, file(pick(['2024-01-01'])), options);
      const changed = file(
        { '2024-01-01': ['aa', 'zz', 'cc', 'dd', 'ee'], '2024-01-02': ['bb', 'aa'] },
        [{ line: 5, reason: 'rank is not a number' }],
      );
      const counts = await importChartFile(store, changed, options);
      expect(counts.rows).toBe(8);
      expect(counts.imported).toBe(3);
      expect(counts.duplicates).toBe(3);
      expect(counts.rejected.map((r) => r.line)).toEqual([3, 5]);
      expect(counts.rejected[0]?.reason).toMatch(/position 2 .* stored with track bb, not zz/);
      // Position 5 was added to the stored chart; the stored position 2 kept.
      const chart = await store.getChart(KEY, '2024-01-01');
      expect(chart?.entries.map((e) => e.trackId)).toEqual(['aa', 'bb', 'cc', 'dd', 'ee']);
      expect(await derivedOf(store, '2024-01-02')).toEqual(
        expected(
          { '2024-01-01': ['aa', 'bb', 'cc', 'dd', 'ee'], '2024-01-02': ['bb', 'aa'] },
          '2024-01-02',
        ),
      );
      await store.close();
    });

    it('keeps the first of a position listed twice in one file', async () => {
      const store = await open();
      const reading: ChartFileReading = {
        format: 'charts.spotify.com',
        batches: (async function* () {
          yield {
            rows: [
              { line: 2, chartId: CHART, chartDate: '2024-01-01', entry: entry(1, 'aa') },
              { line: 3, chartId: CHART, chartDate: '2024-01-01', entry: entry(1, 'bb') },
            ],
            rejected: [],
          };
        })(),
      };
      const counts = await importChartFile(store, reading, options);
      expect(counts).toMatchObject({ rows: 2, imported: 1, duplicates: 0 });
      expect(counts.rejected).toEqual([
        { line: 3, reason: expect.stringMatching(/position 1 .* also on line 2/) },
      ]);
      expect((await store.getChart(KEY, '2024-01-01'))?.entries.map((e) => e.trackId)).toEqual([
        'aa',
      ]);
      await store.close();
    });

    it('rejects a row whose streams or file counts differ from the stored row, naming the field', async () => {
      const store = await open();
      await importChartFile(store, file(pick(['2024-01-01'])), options);
      const changed: ChartFileReading = {
        format: 'charts.spotify.com',
        batches: (async function* () {
          const first = entry(1, 'aa');
          const second = entry(2, 'bb');
          yield {
            rows: [
              { line: 2, chartId: CHART, chartDate: '2024-01-01', entry: { ...first, streams: 5 } },
              {
                line: 3,
                chartId: CHART,
                chartDate: '2024-01-01',
                entry: { ...second, facts: { peakRank: 2, previousRank: 9, onChart: 3 } },
              },
              { line: 4, chartId: CHART, chartDate: '2024-01-01', entry: entry(3, 'cc') },
            ],
            rejected: [],
          };
        })(),
      };
      const counts = await importChartFile(store, changed, options);
      expect(counts).toMatchObject({ rows: 3, imported: 0, duplicates: 1 });
      expect(counts.rejected.map((r) => r.reason)).toEqual([
        expect.stringMatching(/stored with streams 999, not 5/),
        expect.stringMatching(/stored with previous_rank unknown, not 9/),
      ]);
      expect((await store.getChart(KEY, '2024-01-01'))?.entries[0]?.streams).toBe(999);
      await store.close();
    });

    it('merges the rows of a chart that come back after other charts began', async () => {
      const store = await open();
      // Ordered by rank, then date: every chart's rows are spread over the whole file.
      const rows: ChartFileRow[] = [];
      let line = 2;
      for (let position = 1; position <= 4; position++) {
        for (const date of Object.keys(DAYS)) {
          const id = DAYS[date]?.[position - 1] ?? '';
          rows.push({ line: line++, chartId: CHART, chartDate: date, entry: entry(position, id) });
        }
      }
      const reading: ChartFileReading = {
        format: 'spotify-charts-dataset',
        batches: (async function* () {
          for (let i = 0; i < rows.length; i += 3)
            yield { rows: rows.slice(i, i + 3), rejected: [] };
        })(),
      };
      const counts = await importChartFile(store, reading, options);
      expect(counts).toMatchObject({
        charts: 5,
        rows: 20,
        imported: 20,
        duplicates: 0,
        rejected: [],
      });
      for (const date of Object.keys(DAYS)) {
        expect(await derivedOf(store, date), date).toEqual(expected(DAYS, date));
      }
      await store.close();
    });

    it('keeps and derives what was read before a file turns bad, and says why it stopped', async () => {
      const store = await open();
      await importChartFile(store, file(pick(['2024-01-05'])), options);
      const early = file(pick(['2024-01-01', '2024-01-02', '2024-01-03']));
      const reading: ChartFileReading = {
        format: 'charts.spotify.com',
        batches: (async function* () {
          let n = 0;
          for await (const batch of early.batches) {
            if (n++ === 2)
              throw new ChartkeeperError('chart-file-invalid', 'x.csv is not UTF-8 text.');
            yield batch;
          }
        })(),
      };
      const counts = await importChartFile(store, reading, options);
      expect(counts.error).toBe('x.csv is not UTF-8 text.');
      expect(counts.imported).toBe(6);
      // The charts written before it stopped, and the later one, are derived right.
      const partial = {
        '2024-01-01': DAYS['2024-01-01'] ?? [],
        '2024-01-02': ['bb', 'aa'],
        '2024-01-05': DAYS['2024-01-05'] ?? [],
      };
      for (const date of Object.keys(partial)) {
        expect(await derivedOf(store, date), date).toEqual(expected(partial, date));
      }
      await store.close();
    });

    it('has the next import finish deriving what an import killed part-way left', async () => {
      const store = await open();
      await importChartFile(store, file(pick(['2024-01-04', '2024-01-05'])), options);
      // Killed after writing the older charts, before deriving the newer ones again.
      const killed: ChartStore = Object.assign(Object.create(store) as ChartStore, {
        updateDerived: async () => {
          throw new Error('killed');
        },
      });
      const older = file(pick(['2024-01-01', '2024-01-02', '2024-01-03']));
      await expect(importChartFile(killed, older, options)).rejects.toThrow('killed');
      expect(await store.getState('import.derive-pending')).toEqual({
        [`${SOURCES.spotifyCharts}/${CHART}`]: '2024-01-01',
      });
      // The next import completes it, though its own file touches none of those charts.
      const again = await importChartFile(store, file(pick(['2024-01-05'])), options);
      expect(again.duplicates).toBe(4);
      for (const date of Object.keys(DAYS)) {
        expect(await derivedOf(store, date), date).toEqual(expected(DAYS, date));
      }
      expect(await store.getState('import.derive-pending')).toBeNull();
      await store.close();
    });

    it('writes nothing on a dry run', async () => {
      const store = await open();
      const counts = await importChartFile(store, file(DAYS), { ...options, dryRun: true });
      expect(counts.imported).toBe(20);
      expect(await store.getChart(KEY)).toBeNull();
      await store.close();
    });
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const openSqlite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-import-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'charts.db'));
};
describeImport('SQLite', openSqlite);
// Announced as millions of rows, every import is a large load: written on the store's writer thread.
describeImport('SQLite, as a large load', openSqlite, { expectedRows: 5_000_000 });

const mongo = await mongoTestServer();
if (mongo.available) {
  const admin = independentClient(mongo.value.uri);
  const databases: string[] = [];
  afterAll(async () => {
    for (const database of databases) await admin.db(database).dropDatabase();
    await admin.close();
  });
  describeImport('MongoDB', async () => {
    const database = randomDatabaseName();
    databases.push(database);
    const store: MongoStore = await openMongoStore(withDatabase(mongo.value.uri, database));
    return store;
  });
} else {
  describe.skip(titleFor('importing chart files into MongoDB', mongo), () => {
    it('needs a MongoDB-compatible server', () => {});
  });
}
