import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type MongoStore, openMongoStore } from '../../adapters/store/mongo/mongo-store.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import type { StoreRecord } from '../../domain/ports/record-export.js';
import {
  makeCapture,
  makeChart,
  makeEntry,
  makeRun,
  TEST_KEY,
} from '../../test-support/fixtures.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
  withDatabase,
} from '../../test-support/mongo.js';
import { roles } from '../../test-support/roles.js';
import { titleFor } from '../../test-support/services.js';
import { exportRecords } from './export-records.js';
import { importRecords } from './import-records.js';

const dir = mkdtempSync(join(tmpdir(), 'ck-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const sqlite = () => SqliteStore.open(join(dir, `${++files}.db`));
const mongo = await mongoTestServer();

/** A store with a little of everything: captures of two keys, charts with entries, runs. */
async function filled(store: ChartStore): Promise<ChartStore> {
  await store.saveCapture(makeCapture({ payload: { pages: [{ items: [[1], { $odd: true }] }] } }));
  await store.saveCapture(makeCapture({ chartId: 'other', payload: { v: 'ü 🎧' } }));
  await store.saveCapture(
    makeCapture({ capturedAt: '2025-12-31T06:00:00.000Z', payload: { v: 2 } }),
  );
  await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a', 'b']));
  await store.saveChart(
    makeChart(TEST_KEY, '2026-01-02', [], {
      entries: [makeEntry(1, 'b', { movement: 'up', previousPosition: 2, album: null })],
      skipped: [{ position: 2, reason: 'removed', name: null }],
    }),
  );
  await store.saveRun(makeRun({ state: 'succeeded' }));
  await store.saveRun(makeRun({ trigger: 'schedule', scheduledFor: '2026-01-01T06:00:00.000Z' }));
  return store;
}

async function exported(store: ChartStore): Promise<string[]> {
  const lines: string[] = [];
  await exportRecords(store, async (line) => {
    lines.push(line);
  });
  return lines;
}

async function* linesOf(lines: string[]): AsyncGenerator<string> {
  for (const line of lines) yield line.replace(/\n$/, '');
}

async function records(store: ChartStore): Promise<StoreRecord[]> {
  const all: StoreRecord[] = [];
  for await (const record of store.records()) all.push(record);
  return all;
}

/** Charts and runs in a fixed order: stores may list them differently. */
function canonical(all: StoreRecord[]): string[] {
  return all.map((r) => JSON.stringify(r)).sort();
}

function roundTrip(name: string, openTarget: () => Promise<ChartStore>) {
  it(`copies every capture, chart and run from SQLite to ${name} exactly, and a second import adds nothing`, async () => {
    const from = await filled(sqlite());
    const target = await openTarget();
    try {
      const lines = await exported(from);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        type: 'chartkeeper-export',
        version: 1,
        from: 'sqlite',
      });
      expect(lines).toHaveLength(1 + 3 + 2 + 2);

      const first = await importRecords(roles(target), linesOf(lines));
      expect(first).toStrictEqual({
        imported: { captures: 3, charts: 2, runs: 2 },
        unchanged: { captures: 0, charts: 0, runs: 0 },
        invalid: 0,
        problems: [],
      });
      expect(canonical(await records(target))).toStrictEqual(canonical(await records(from)));
      // Captures keep their order of saving, so "latest" means the same in both stores.
      expect(await target.latestCaptureHead(TEST_KEY)).toStrictEqual(
        await from.latestCaptureHead(TEST_KEY),
      );

      const again = await importRecords(roles(target), linesOf(lines));
      expect(again.imported).toStrictEqual({ captures: 0, charts: 0, runs: 0 });
      expect(again.unchanged).toStrictEqual({ captures: 3, charts: 2, runs: 2 });
      expect(canonical(await records(target))).toStrictEqual(canonical(await records(from)));

      // And back: the export of the copy imports into an empty SQLite store as the original.
      const back = sqlite();
      await importRecords(roles(back), linesOf(await exported(target)));
      expect(canonical(await records(back))).toStrictEqual(canonical(await records(from)));
      await back.close();
    } finally {
      await from.close();
      await target.close();
    }
  });
}

describe('export and import (NDJSON)', () => {
  roundTrip('SQLite', async () => sqlite());

  it('skips and reports records whose insides are wrong, keeping the store readable', async () => {
    const store = sqlite();
    const lines = await exported(await filled(sqlite()));
    const run = JSON.parse(lines.at(-1)!) as { run: Record<string, unknown> };
    const chart = JSON.parse(lines[4]!) as { chart: { entries: unknown[] } };
    const bad = [
      '{"type":"capture","capture":{"id":"x"}}',
      JSON.stringify({ type: 'run', run: { ...run.run, id: 'bad-run', tasks: [1, 2, 3] } }),
      JSON.stringify({
        type: 'chart',
        chart: { ...chart.chart, chartDate: '2026-02-01', entries: [{ foo: 1 }] },
      }),
      '{"type":"run"',
      '{"type":"playlist"}',
    ];
    const seen: number[] = [];
    const summary = await importRecords(
      roles(store),
      linesOf([...lines.slice(0, 3), ...bad, ...lines.slice(3)]),
      {
        name: 'dump.ndjson',
        onInvalid: (problem) => seen.push(problem.line),
      },
    );
    expect(summary.invalid).toBe(5);
    expect(seen).toStrictEqual([4, 5, 6, 7, 8]);
    expect(summary.problems.map((p) => p.message)).toStrictEqual([
      expect.stringMatching(/^invalid capture: capture\.source: /),
      expect.stringMatching(/^invalid run: run\.tasks\.0: /),
      expect.stringMatching(/^invalid chart: chart\.entries\.0\./),
      expect.stringMatching(/^not JSON/),
      'not a capture, chart or run record (type "playlist")',
    ]);
    expect(summary.imported).toStrictEqual({ captures: 3, charts: 2, runs: 2 });
    // Every record that got in reads back.
    expect(await store.getRun('bad-run')).toBeNull();
    expect(await store.getChart(TEST_KEY, '2026-02-01')).toBeNull();
    expect((await records(store)).length).toBe(7);
    expect(await store.listRuns({ limit: 10 })).toHaveLength(2);
    await store.close();
  });

  it('stops at the first invalid record with strict, naming the file and line', async () => {
    const store = sqlite();
    const lines = await exported(await filled(sqlite()));
    const broken = [
      ...lines.slice(0, 3),
      '{"type":"capture","capture":{"id":"x"}}',
      ...lines.slice(3),
    ];
    await expect(
      importRecords(roles(store), linesOf(broken), { name: 'dump.ndjson', strict: true }),
    ).rejects.toMatchObject({
      code: 'import-invalid',
      message: expect.stringMatching(/^dump\.ndjson line 4: invalid capture: /),
      hint: expect.stringMatching(/importing again is safe/i),
    });
    expect((await records(store)).length).toBe(2);
    await expect(
      importRecords(roles(store), linesOf(['{"type":"run"']), { name: 'f' }),
    ).rejects.toThrow(/^f is not a chartkeeper export/);
    await expect(
      importRecords(roles(store), linesOf(['{"href":"x","items":[]}']), { name: 'f' }),
    ).rejects.toThrow(/^f is not a chartkeeper export/);
    await expect(
      importRecords(roles(store), linesOf(['{"type":"chartkeeper-export","version":2}']), {
        name: 'f',
      }),
    ).rejects.toThrow(/written by a newer chartkeeper/);
    await expect(importRecords(roles(store), linesOf([]), { name: 'f' })).rejects.toThrow(
      /^f is empty/,
    );
    await store.close();
  });

  it('never rolls a run back to an older state', async () => {
    const older = sqlite();
    const run = makeRun({ state: 'running', startedAt: '2026-01-01T06:00:00.000Z' });
    await older.saveRun(run);
    const target = sqlite();
    const finished = {
      ...run,
      state: 'succeeded' as const,
      finishedAt: '2026-01-01T06:00:05.000Z',
      entryCount: 50,
    };
    await target.saveRun(finished);
    const summary = await importRecords(roles(target), linesOf(await exported(older)));
    expect(summary.unchanged.runs).toBe(1);
    expect(await target.getRun(run.id)).toStrictEqual(finished);

    // The other way round, the later state is imported.
    const back = await importRecords(roles(older), linesOf(await exported(target)));
    expect(back.imported.runs).toBe(1);
    expect(await older.getRun(run.id)).toStrictEqual(finished);
    await Promise.all([older.close(), target.close()]);
  });

  it('keeps a chart the target has from a later capture', async () => {
    const store = sqlite();
    const newer = makeChart(TEST_KEY, '2026-01-01', ['z'], {
      capturedAt: '2026-01-01T18:00:00.000Z',
    });
    await store.saveChart(newer);
    const summary = await importRecords(
      roles(store),
      linesOf(await exported(await filled(sqlite()))),
    );
    expect(summary.unchanged.charts).toBe(1);
    expect(await store.getChart(TEST_KEY, '2026-01-01')).toStrictEqual(newer);

    // From the same moment, but recorded by another run: what is there stays.
    const same = makeChart(TEST_KEY, '2026-01-02', ['y'], { runId: 'the-later-run' });
    await store.saveChart(same);
    const other = sqlite();
    await other.saveChart({ ...same, runId: 'an-earlier-run' });
    const again = await importRecords(roles(store), linesOf(await exported(other)));
    expect(again.unchanged.charts).toBe(1);
    expect(await store.getChart(TEST_KEY, '2026-01-02')).toStrictEqual(same);
    await Promise.all([store.close(), other.close()]);
  });
});

if (mongo.available) {
  const admin = independentClient(mongo.value.uri);
  const opened: MongoStore[] = [];
  afterAll(async () => {
    for (const store of opened) await admin.db(store.database).dropDatabase();
    await admin.close();
    await mongo.value.stop();
  });
  describe('export and import (NDJSON) to MongoDB', () => {
    roundTrip('MongoDB', async () => {
      const store = await openMongoStore(withDatabase(mongo.value.uri, randomDatabaseName()));
      opened.push(store);
      return store;
    });
  });
} else {
  describe.skip(titleFor('export and import (NDJSON) to MongoDB', mongo), () => {
    it('needs a MongoDB-compatible server', () => {});
  });
}
