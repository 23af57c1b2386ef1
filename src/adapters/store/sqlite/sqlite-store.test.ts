import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Artist, ChartSnapshot } from '../../../domain/chart.js';
import { ChartkeeperError } from '../../../domain/errors.js';
import { makeCapture, makeChart, makeEntry, TEST_KEY } from '../../../test-support/fixtures.js';
import { describeChartStoreContract } from '../../../test-support/store-contract.js';
import { MAX_TEXTS } from './load-batch.js';
import { MIGRATIONS, type Migration, migrate } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chartkeeper-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freshPath = () => join(dir, `${randomUUID()}.db`);

describeChartStoreContract('sqlite', async () => SqliteStore.open(freshPath()));

describe('SqliteStore', () => {
  const opened: SqliteStore[] = [];
  const open = (path: string) => {
    const store = SqliteStore.open(path);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  /** Runs `fn` on a plain connection, as the sqlite3 CLI would see the file. */
  const raw = <T>(path: string, fn: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  it('creates the file in an existing directory and reports its absolute path', () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = open(relative(process.cwd(), path));
    expect(store.kind).toBe('sqlite');
    expect(store.location).toBe(path);
    expect(existsSync(path)).toBe(true);
  });

  it('never creates a missing directory, saying which one and what to do', () => {
    for (const parent of [join(dir, 'nested', randomUUID()), '/proc/x', '/proc/self/nope']) {
      const error = catchError(() => SqliteStore.open(join(parent, 'chartkeeper.db')));
      expect(error).toMatchObject({ code: 'config', permanent: true });
      expect(error.message).toContain(`The directory ${parent} of the SQLite store`);
      expect(error.hint).toMatch(/mkdir -p/);
      expect(existsSync(parent)).toBe(false);
    }
  });

  it('opened for reading, creates nothing and finds nothing when the file does not exist', async () => {
    const path = join(dir, 'absent.db');
    const store = SqliteStore.open(path, { access: 'read' });
    expect(store.location).toBe(path);
    expect(await store.listRuns({ limit: 5 })).toStrictEqual([]);
    await store.close();
    expect(existsSync(path)).toBe(false);
    // A missing directory is a mistyped setting, for reading too.
    const nested = join(dir, 'absent', 'chartkeeper.db');
    expect(() => SqliteStore.open(nested, { access: 'read' })).toThrow(/does not exist/);
    expect(existsSync(join(dir, 'absent'))).toBe(false);
  });

  it('opens an in-memory store for quick tests, creating no file', async () => {
    const store = open(':memory:');
    expect(store.location).toBe(':memory:');
    await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a']));
    expect(await store.listCharts()).toHaveLength(1);
    expect(existsSync(join(process.cwd(), ':memory:'))).toBe(false);
  });

  it('creates the schema once, and reopening keeps the data', async () => {
    const path = freshPath();
    const capture = makeCapture();
    await open(path).saveCapture(capture);
    await opened.pop()?.close();

    const reopened = open(path);
    open(path);
    expect(await reopened.getCapture(capture.id)).toStrictEqual(capture);
    raw(path, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toStrictEqual([
        'captures',
        'chart_entries',
        'charts',
        'leases',
        'runs',
        'settings',
        'track_artists',
        'tracks',
      ]);
    });
  });

  it('applies only the migrations a file lacks, each all or nothing', () => {
    const path = freshPath();
    const first = MIGRATIONS[0]!;
    const second: Migration = { version: 2, description: 'add', sql: 'CREATE TABLE extra (x)' };
    const broken: Migration = {
      version: 3,
      description: 'broken',
      sql: 'CREATE TABLE half (x); SELECT no_such_function();',
    };
    raw(path, (db) => {
      migrate(db, path, [first]);
      migrate(db, path, [first, second]);
      // Re-running step 2 would fail: "table extra already exists".
      migrate(db, path, [first, second]);
      expect(() => migrate(db, path, [first, second, broken])).toThrow(/no_such_function/);
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      const half = db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").get();
      expect(half).toBeUndefined();
    });
  });

  it('refuses a file written by a newer chartkeeper, telling the user to upgrade', () => {
    const path = freshPath();
    open(path);
    raw(path, (db) => db.pragma(`user_version = ${MIGRATIONS.length + 5}`));
    const error = catchError(() => SqliteStore.open(path));
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect(error).toMatchObject({ code: 'store-too-new', permanent: true });
    expect(error.message).toContain(path);
    expect(`${error.message} ${error.hint}`).toMatch(/upgrade chartkeeper/i);
  });

  it('refuses a file that is not a SQLite database, naming it and leaving it as it was', () => {
    const path = join(dir, `${randomUUID()}.txt`);
    const text = 'date,position,track\n2026-01-01,1,Some Song\n'.repeat(40);
    writeFileSync(path, text);
    const error = catchError(() => SqliteStore.open(path));
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect(error).toMatchObject({ code: 'store-unreadable' });
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a SQLite database/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it("refuses another program's SQLite database, leaving it byte-for-byte untouched", () => {
    const path = freshPath();
    raw(path, (db) => {
      db.exec('CREATE TABLE songs (title TEXT)');
      db.prepare('INSERT INTO songs VALUES (?)').run('Some Song');
    });
    const before = readFileSync(path);
    for (const access of ['write', 'read'] as const) {
      const error = catchError(() => SqliteStore.open(path, { access }));
      expect(error).toMatchObject({ code: 'store-unreadable' });
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/not one of chartkeeper's; it was left untouched/);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
  });

  it('names a damaged store and what to do, and reads past damaged pages when exporting', async () => {
    const path = freshPath();
    const store = open(path);
    const big = 'x'.repeat(3_000);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push((await store.saveCapture(makeCapture({ payload: { i, big } }))).capture.id);
    }
    await store.close();
    raw(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
    // Overwrite two pages in the middle of the captures with garbage.
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    for (const page of [Math.floor(pages / 2), Math.floor(pages / 2) + 1]) {
      bytes.fill(0x5a, page * pageSize, (page + 1) * pageSize);
    }
    writeFileSync(path, bytes);

    const skipped: number[] = [];
    const damaged = SqliteStore.open(path, {
      onDamagedRecords: (_what, n) => skipped.push(n ?? Number.NaN),
    });
    opened.push(damaged);
    const read: unknown[] = [];
    for await (const record of damaged.records()) read.push(record);
    expect(read.length).toBeGreaterThan(40);
    expect(read.length).toBeLessThan(60);
    expect(skipped.reduce((a, b) => a + b, 0)).toBe(60 - read.length);

    const failures = await Promise.all(
      ids.map((id) =>
        damaged.getCapture(id).then(
          () => null,
          (e: unknown) => e as ChartkeeperError,
        ),
      ),
    );
    const failure = failures.find((e) => e !== null);
    expect(failure).toMatchObject({ code: 'store-damaged', permanent: true });
    expect(failure?.message).toContain(path);
    expect(failure?.hint).toMatch(/backup.*chartkeeper export/);
  });

  it('puts the file in WAL mode, so readers never block the writer', () => {
    const path = freshPath();
    open(path);
    expect(raw(path, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('leaves the previous chart intact when replacing it fails', async () => {
    const store = open(freshPath());
    const before = makeChart(TEST_KEY, '2026-01-10', ['a', 'b', 'c']);
    await store.saveChart(before);
    const broken = makeChart(TEST_KEY, '2026-01-10', [], {
      title: 'Broken',
      entries: [makeEntry(1, 'x'), makeEntry(1, 'y')],
    });
    await expect(store.saveChart(broken)).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await store.getChart(TEST_KEY, '2026-01-10')).toStrictEqual(before);
  });

  it('finds history for more track ids than SQLite allows bound variables', async () => {
    const store = open(freshPath());
    await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a', 'b']));
    const ids = [...Array.from({ length: 40_000 }, (_, i) => `t${i}`), 'b'];
    const history = await store.trackHistory(TEST_KEY, ids, '2026-01-02');
    expect(Object.fromEntries(history)).toStrictEqual({
      b: { daysOnChart: 1, peak: 2, lastDate: '2026-01-01' },
    });
  });

  it('writes charts of many entries whole, with every column or only those a chart file gives', async () => {
    const store = open(freshPath());
    const ids = Array.from({ length: 123 }, (_, i) => `t${i}`);
    const full = makeChart(TEST_KEY, '2026-01-01', ids);
    full.entries.forEach((entry, i) => {
      if (i % 3 === 0) entry.facts = { peakRank: 1 + i, previousRank: null, onChart: 2 };
    });
    const sparse = makeChart(TEST_KEY, '2026-01-02', ids, {
      entries: ids.map((id, i) =>
        makeEntry(i + 1, id, {
          album: null,
          durationMs: null,
          explicit: null,
          isrc: null,
          addedAt: null,
          streams: 1_000_000 - i,
          artists: [{ id: null, name: `Artist ${i % 7}` }],
        }),
      ),
    });
    // One entry with an album among sparse ones: the chart is written with every column.
    const mixed = makeChart(TEST_KEY, '2026-01-03', ids, {
      entries: sparse.entries.map((entry, i) =>
        i === 77 ? makeEntry(entry.position, entry.trackId) : entry,
      ),
    });
    await store.writeCharts([full, sparse, mixed].map((chart) => ({ chart, adding: false })));
    for (const chart of [full, sparse, mixed]) {
      expect(await store.getChart(TEST_KEY, chart.chartDate)).toStrictEqual(chart);
    }
  });

  it("lets two stores on one file see each other's writes", async () => {
    const path = freshPath();
    const [one, two] = [open(path), open(path)];
    const capture = makeCapture({ payload: { v: 1 } });
    await one.saveCapture(capture);
    expect(await two.getCapture(capture.id)).toStrictEqual(capture);
    // Dedup sees the other connection's capture too.
    expect(await two.saveCapture(makeCapture({ payload: { v: 1 } }))).toStrictEqual({
      capture,
      created: false,
    });
    const chart = makeChart(TEST_KEY, '2026-01-10', ['a']);
    await two.saveChart(chart);
    expect(await one.getChart(TEST_KEY)).toStrictEqual(chart);
  });

  describe('a large load (written on a thread of its own)', () => {
    const LARGE = 5_000_000;
    const indexes = (path: string) =>
      raw(path, (db) =>
        db.prepare("SELECT name FROM sqlite_master WHERE name = 'chart_entries_by_track'").all(),
      );

    it('stores every field as the store itself would, then builds the track index', async () => {
      const path = freshPath();
      const store = open(path);
      const charts = ['2026-01-01', '2026-01-02'].map((date) =>
        makeChart(TEST_KEY, date, ['a', 'b', 'c'], { captureId: 'file:x.csv' }),
      );
      const finish = await store.prepareLoad(LARGE);
      expect(indexes(path)).toEqual([]);
      await store.writeCharts(charts.map((chart) => ({ chart, adding: false })));
      await store.writeCharts([
        { chart: { ...charts[1]!, entries: [makeEntry(4, 'd')] }, adding: true },
      ]);
      // A read waits for the writes before it.
      expect(await store.getChart(TEST_KEY, '2026-01-01')).toStrictEqual(charts[0]);
      await finish();
      expect(await store.getChart(TEST_KEY, '2026-01-02')).toStrictEqual({
        ...charts[1],
        entries: [...charts[1]!.entries, makeEntry(4, 'd')],
      });
      expect(indexes(path)).toHaveLength(1);
      expect(await store.searchTracks('track c', 10)).toHaveLength(1);
    });

    it('keeps each entry its own texts: a track renamed, sparse and full charts mixed, past the texts the writer keeps', async () => {
      const store = open(freshPath());
      // Sparse entries (as chart files give them), streams and derived fields varied; a track's
      // entries share one artists list, as the file readers' are.
      const artists = new Map<string, Artist[]>();
      // More tracks than the writer keeps texts of, all in one batch.
      const TRACKS = MAX_TEXTS + 1_000;
      const sparse = (position: number, trackId: string, name: string) =>
        makeEntry(position, trackId, {
          name,
          artists: artists.get(trackId) ?? [{ id: null, name: `Artist of ${trackId}` }],
          album: null,
          durationMs: null,
          explicit: null,
          isrc: null,
          addedAt: null,
          streams: 1_000_000 - position,
          previousPosition: position % 3 === 0 ? null : position + 1,
          movement: position % 3 === 0 ? 're-entry' : 'down',
          daysOnChart: position,
          peak: 1,
        });
      for (let i = 0; i < TRACKS; i++) {
        artists.set(`t${i}`, [{ id: null, name: `Artist of t${i}` }]);
      }
      const many = Array.from({ length: TRACKS + 1_000 }, (_, i) =>
        sparse(i + 1, `t${i % TRACKS}`, `Song ${i % TRACKS}`),
      );
      const charts: ChartSnapshot[] = [
        // A track renamed from one chart to the next, and listed twice under two names.
        {
          ...makeChart(TEST_KEY, '2025-12-30', []),
          entries: [sparse(1, 't5', 'Song 5'), sparse(2, 't6', 'Song 6')],
        },
        {
          ...makeChart(TEST_KEY, '2025-12-31', []),
          entries: [sparse(1, 't5', 'Song 5 (Remastered)'), sparse(2, 't5', 'Song 5')],
        },
        { ...makeChart(TEST_KEY, '2026-01-01', []), entries: many },
        // The same tracks again (numbered again by now), next to a full chart.
        {
          ...makeChart(TEST_KEY, '2026-01-02', []),
          entries: [sparse(1, 't5', 'Song 5'), sparse(2, 't6', 'Song 6 (Live)')],
        },
        makeChart({ ...TEST_KEY, chartId: 'other' }, '2026-01-02', ['t5', 'x']),
        {
          ...makeChart(TEST_KEY, '2026-01-03', []),
          entries: [sparse(1, 't7', 'Song 7'), sparse(2, `t${TRACKS - 1}`, `Song ${TRACKS - 1}`)],
        },
      ];
      const finish = await store.prepareLoad(LARGE);
      await store.writeCharts(charts.slice(0, 3).map((chart) => ({ chart, adding: false })));
      await store.writeCharts(charts.slice(3).map((chart) => ({ chart, adding: false })));
      await finish();
      for (const chart of charts) {
        expect(await store.getChart(chart, chart.chartDate)).toStrictEqual(chart);
      }
    });

    it('stops at a batch SQLite refuses: the error names the store, and nothing after it is written', async () => {
      const store = open(freshPath());
      const chart = (date: string) => ({ chart: makeChart(TEST_KEY, date, ['a']), adding: false });
      const finish = await store.prepareLoad(LARGE);
      await store.writeCharts([chart('2026-01-01')]);
      const failed = async () => {
        // The same chart again breaks its key's uniqueness; later batches may be sent meanwhile,
        // and the failure comes from a later write or, at the latest, from the end of the load.
        await store.writeCharts([chart('2026-01-01'), chart('2026-01-02')]);
        await store.writeCharts([chart('2026-01-03')]);
        await store.writeCharts([chart('2026-01-04')]);
        await finish();
      };
      await expect(failed()).rejects.toMatchObject({
        code: 'store-error',
        message: expect.stringMatching(/UNIQUE constraint failed.*SQLITE_CONSTRAINT/),
      });
      // Ends the load (its writer thread), if a write failed before its end did.
      await finish().catch(() => undefined);
      const dates = (await store.listCharts({ key: TEST_KEY })).map((c) => c.chartDate);
      expect(dates).toEqual(['2026-01-01']);
    });

    it('fails with a clear error when its thread cannot open the store', async () => {
      const place = mkdtempSync(join(tmpdir(), 'chartkeeper-gone-'));
      const store = open(join(place, 'chartkeeper.db'));
      // The open connection keeps working; the thread, opening the file by name, cannot.
      rmSync(place, { recursive: true, force: true });
      const finish = await store.prepareLoad(LARGE);
      const write = store.writeCharts([
        { chart: makeChart(TEST_KEY, '2026-01-01', ['a']), adding: false },
      ]);
      await expect(write.then(() => store.writeCharts([])).then(() => finish())).rejects.toThrow(
        /writer thread stopped: Cannot open database because the directory does not exist/,
      );
    });
  });
});

function catchError(fn: () => unknown): ChartkeeperError {
  try {
    fn();
  } catch (error) {
    return error as ChartkeeperError;
  }
  throw new Error('expected an error, got none');
}
