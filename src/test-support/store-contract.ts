import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChartKey, ChartSnapshot } from '../domain/chart.js';
import type { ChartStore } from '../domain/ports/chart-store.js';
import type { StoreRecord } from '../domain/ports/record-export.js';
import { makeCapture, makeChart, makeEntry, makeRun, TEST_KEY } from './fixtures.js';

/** The latest capture of a key, read as the pipeline reads it: its head, then the capture. */
async function latestOf(store: ChartStore, key: ChartKey) {
  const head = await store.latestCaptureHead(key);
  return head ? store.getCapture(head.id) : null;
}

const OTHER_CHART: ChartKey = { source: TEST_KEY.source, chartId: '37i9dQZEVXbMDoHDwVN2tF' };
const OTHER_SOURCE: ChartKey = { source: 'charts-csv', chartId: TEST_KEY.chartId };

/**
 * The behaviour every ChartStore must show. Each test gets a fresh, empty store from `openStore`;
 * after it the store is closed and `cleanup` (if given) removes whatever `openStore` made.
 */
export function describeChartStoreContract(
  name: string,
  openStore: () => Promise<ChartStore>,
  cleanup?: (store: ChartStore) => Promise<void> | void,
): void {
  describe(`ChartStore contract: ${name}`, () => {
    let store: ChartStore;

    beforeEach(async () => {
      store = await openStore();
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.(store);
    });

    describe('captures', () => {
      it('reads a saved capture back by id and as the latest of its key', async () => {
        const capture = makeCapture();
        expect(await store.saveCapture(capture)).toStrictEqual({ capture, created: true });
        expect(await store.getCapture(capture.id)).toStrictEqual(capture);
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(capture);
        expect(await store.getCapture('no-such-capture')).toBeNull();
        expect(await latestOf(store, OTHER_CHART)).toBeNull();
      });

      it('does not store an identical consecutive capture twice', async () => {
        const first = makeCapture({ payload: { tracks: ['a'] } });
        const again = makeCapture({ payload: { tracks: ['a'] } });
        await store.saveCapture(first);
        expect(await store.saveCapture(again)).toStrictEqual({ capture: first, created: false });
        expect(await store.getCapture(again.id)).toBeNull();
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(first);
      });

      it('stores A, B, A as three captures: only consecutive duplicates are dropped', async () => {
        const captures = [{ v: 'A' }, { v: 'B' }, { v: 'A' }].map((payload) =>
          makeCapture({ payload }),
        );
        for (const capture of captures) {
          expect((await store.saveCapture(capture)).created).toBe(true);
        }
        for (const capture of captures) {
          expect(await store.getCapture(capture.id)).toStrictEqual(capture);
        }
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(captures[2]);
      });

      it('compares against the latest capture of the same key only', async () => {
        const payload = { same: true };
        await store.saveCapture(makeCapture({ payload }));
        for (const key of [OTHER_CHART, OTHER_SOURCE]) {
          const capture = makeCapture({ ...key, payload });
          expect(await store.saveCapture(capture)).toStrictEqual({ capture, created: true });
          expect(await latestOf(store, key)).toStrictEqual(capture);
        }
      });

      it('treats a replayed capture id as a no-op returning the stored capture', async () => {
        const original = makeCapture({ payload: { v: 1 } });
        const newer = makeCapture({ payload: { v: 2 } });
        await store.saveCapture(original);
        await store.saveCapture(newer);
        // Differs from the latest (so no dedup by hash), yet must not be stored again.
        const replay = { ...original, payload: { v: 3 }, contentHash: 'changed' };
        expect(await store.saveCapture(replay)).toStrictEqual({
          capture: original,
          created: false,
        });
        expect(await store.getCapture(original.id)).toStrictEqual(original);
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(newer);
      });

      it("gives the latest capture's id and version without its payload", async () => {
        expect(await store.latestCaptureHead(TEST_KEY)).toBeNull();
        const first = makeCapture({ payload: { v: 1 }, version: 'snapshot-1' });
        await store.saveCapture(first);
        expect(await store.latestCaptureHead(TEST_KEY)).toStrictEqual({
          id: first.id,
          version: 'snapshot-1',
        });
        const unversioned = makeCapture({ payload: { v: 2 }, version: null });
        await store.saveCapture(unversioned);
        expect(await store.latestCaptureHead(TEST_KEY)).toStrictEqual({
          id: unversioned.id,
          version: null,
        });
        // An identical capture is not stored, so the head stays the one stored.
        await store.saveCapture(makeCapture({ payload: { v: 2 }, version: 'snapshot-2' }));
        expect(await store.latestCaptureHead(TEST_KEY)).toStrictEqual({
          id: unversioned.id,
          version: null,
        });
        expect(await store.latestCaptureHead(OTHER_CHART)).toBeNull();
        expect(await store.latestCaptureHead(OTHER_SOURCE)).toBeNull();
      });

      it('takes the latest capture by capturedAt, then by order of saving', async () => {
        const later = makeCapture({ capturedAt: '2026-02-01T10:00:00.000Z', payload: { v: 1 } });
        const earlier = makeCapture({ capturedAt: '2026-02-01T09:00:00.000Z', payload: { v: 2 } });
        await store.saveCapture(later);
        await store.saveCapture(earlier);
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(later);
        expect((await store.latestCaptureHead(TEST_KEY))?.id).toBe(later.id);
        // Same time as `later`, saved after it: now the latest.
        const tie = makeCapture({ capturedAt: later.capturedAt, payload: { v: 3 } });
        await store.saveCapture(tie);
        expect(await latestOf(store, TEST_KEY)).toStrictEqual(tie);
        expect(await store.latestCaptureHead(TEST_KEY)).toStrictEqual({
          id: tie.id,
          version: tie.version,
        });
      });

      it('keeps a payload exactly: unicode, nested nulls, numbers, booleans, empties', async () => {
        const payload = {
          playlist: { name: 'Top 50 – Global 🌍', description: null, owner: { id: 'spotify' } },
          pages: [
            {
              items: [
                {
                  track: {
                    name: 'Beyoncé · 周杰倫 · Ñandú · 🎧',
                    artists: [{ name: 'Ø', id: null }],
                  },
                },
                { track: null, is_local: false, added_by: { id: null, extra: [null, [null]] } },
              ],
              next: null,
            },
          ],
          numbers: [0, -1.5, 9007199254740991, 1e-7, 0.1 + 0.2],
          flags: [true, false],
          empty: { object: {}, array: [], string: '' },
          quotes: 'it\'s "quoted" \\ back\nslash\u0000nul',
        };
        const capture = makeCapture({ payload, runId: 'run-1', version: 'snapshot-ü' });
        await store.saveCapture(capture);
        expect(await store.getCapture(capture.id)).toStrictEqual(capture);
      });
    });

    describe('charts', () => {
      it('reads a saved chart back exactly, nulls and falses included', async () => {
        const chart = makeChart(TEST_KEY, '2026-01-10', [], {
          title: 'Top 50 – Global 🌍',
          runId: 'run-7',
          entries: [
            makeEntry(1, 'a', { movement: 'up', previousPosition: 3, daysOnChart: 12, peak: 1 }),
            makeEntry(2, 'b', {
              album: null,
              durationMs: null,
              explicit: null,
              isrc: null,
              addedAt: null,
              streams: 1_234_567_890,
              artists: [
                { id: null, name: 'Sigur Rós' },
                { id: 'x', name: '周杰倫' },
              ],
            }),
            makeEntry(3, 'c', {
              explicit: false,
              album: { id: null, name: 'Ålbum', releaseDate: null, imageUrl: 'https://i/x.jpg' },
              movement: 're-entry',
            }),
          ],
          skipped: [
            { position: 4, reason: 'local-file', name: 'my song.mp3' },
            { position: 5, reason: 'removed', name: null },
          ],
        });
        await store.saveChart(chart);
        expect(await store.getChart(TEST_KEY, '2026-01-10')).toStrictEqual(chart);
      });

      it('replaces the chart of the same key and date, entries included', async () => {
        await store.saveChart(makeChart(TEST_KEY, '2026-01-10', ['a', 'b', 'c']));
        await store.saveChart(makeChart(TEST_KEY, '2026-01-11', ['a']));
        const replacement = makeChart(TEST_KEY, '2026-01-10', ['d', 'e'], { title: 'New title' });
        await store.saveChart(replacement);
        await store.saveChart(replacement);

        expect(await store.getChart(TEST_KEY, '2026-01-10')).toStrictEqual(replacement);
        const listed = await store.listCharts({ key: TEST_KEY });
        expect(listed.map((c) => [c.chartDate, c.title, c.entryCount])).toStrictEqual([
          ['2026-01-11', 'Top 50 - Global', 1],
          ['2026-01-10', 'New title', 2],
        ]);
      });

      it('gets the latest chart of a key when no date is given', async () => {
        for (const date of ['2026-01-02', '2026-01-05', '2026-01-03']) {
          await store.saveChart(makeChart(TEST_KEY, date, [`t-${date}`]));
        }
        await store.saveChart(makeChart(OTHER_CHART, '2026-01-09', ['z']));
        await store.saveChart(makeChart(OTHER_SOURCE, '2026-01-09', ['z']));

        expect((await store.getChart(TEST_KEY))?.chartDate).toBe('2026-01-05');
        expect((await store.getChart(TEST_KEY, '2026-01-03'))?.entries[0]?.trackId).toBe(
          't-2026-01-03',
        );
        expect(await store.getChart(TEST_KEY, '2026-01-04')).toBeNull();
        expect(await store.getChart({ source: 'spotify', chartId: 'unknown' })).toBeNull();
      });

      it('finds the previous chart: the latest strictly before the date, of the same key', async () => {
        for (const date of ['2026-01-01', '2026-01-03', '2026-01-05']) {
          await store.saveChart(makeChart(TEST_KEY, date, ['a']));
        }
        await store.saveChart(makeChart(OTHER_CHART, '2026-01-04', ['a']));
        await store.saveChart(makeChart(OTHER_SOURCE, '2026-01-04', ['a']));

        expect((await store.previousChart(TEST_KEY, '2026-01-05'))?.chartDate).toBe('2026-01-03');
        expect((await store.previousChart(TEST_KEY, '2026-01-04'))?.chartDate).toBe('2026-01-03');
        expect((await store.previousChart(TEST_KEY, '2026-01-09'))?.chartDate).toBe('2026-01-05');
        expect(await store.previousChart(TEST_KEY, '2026-01-01')).toBeNull();
      });

      it('summarises track history before a date, for the key only', async () => {
        await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['b', 'a', 'c']));
        await store.saveChart(makeChart(TEST_KEY, '2026-01-02', ['b', 'a', 'b']));
        await store.saveChart(makeChart(TEST_KEY, '2026-01-03', ['c', 'a']));
        // On and after the date: ignored.
        await store.saveChart(makeChart(TEST_KEY, '2026-01-04', ['a', 'd']));
        await store.saveChart(makeChart(TEST_KEY, '2026-01-05', ['d']));
        // Other keys: ignored.
        await store.saveChart(makeChart(OTHER_CHART, '2026-01-02', ['a', 'd', 'e']));
        await store.saveChart(makeChart(OTHER_SOURCE, '2026-01-03', ['a', 'd', 'e']));

        const history = await store.trackHistory(
          TEST_KEY,
          ['a', 'b', 'c', 'd', 'e', 'never', 'a'],
          '2026-01-04',
        );
        expect(Object.fromEntries(history)).toStrictEqual({
          a: { daysOnChart: 3, peak: 2, lastDate: '2026-01-03' },
          b: { daysOnChart: 2, peak: 1, lastDate: '2026-01-02' },
          c: { daysOnChart: 2, peak: 1, lastDate: '2026-01-03' },
        });
        expect(await store.trackHistory(TEST_KEY, [], '2026-01-04')).toStrictEqual(new Map());
      });

      it('lists charts newest first with entry counts, by key and limit', async () => {
        await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a', 'b', 'c']));
        await store.saveChart(makeChart(TEST_KEY, '2026-01-03', []));
        await store.saveChart(makeChart(OTHER_CHART, '2026-01-02', ['x'], { title: 'Other' }));

        expect(await store.listCharts()).toStrictEqual([
          summary(TEST_KEY, '2026-01-03', 'Top 50 - Global', 0),
          summary(OTHER_CHART, '2026-01-02', 'Other', 1),
          summary(TEST_KEY, '2026-01-01', 'Top 50 - Global', 3),
        ]);
        const dates = async (options: Parameters<ChartStore['listCharts']>[0]) =>
          (await store.listCharts(options)).map((c) => c.chartDate);
        expect(await dates({ limit: 2 })).toStrictEqual(['2026-01-03', '2026-01-02']);
        expect(await dates({ key: TEST_KEY })).toStrictEqual(['2026-01-03', '2026-01-01']);
        expect(await dates({ key: TEST_KEY, limit: 1 })).toStrictEqual(['2026-01-03']);
        expect(await dates({ key: OTHER_SOURCE })).toStrictEqual([]);
      });
    });

    describe('history', () => {
      const FILE_KEY: ChartKey = { source: 'spotify-charts', chartId: 'regional-global-daily' };
      const entry = (
        position: number,
        trackId: string,
        streams: number | null,
        overrides: Parameters<typeof makeEntry>[2] = {},
      ) =>
        makeEntry(position, trackId, {
          name: `Song ${trackId.toUpperCase()}`,
          artists: [{ id: `id-${trackId}`, name: 'The Band' }],
          isrc: null,
          streams,
          ...overrides,
        });

      /** Three file charts (streams), two playlist charts; `v2` is another version of `a`. */
      async function saveHistory() {
        const charts = [
          makeChart(FILE_KEY, '2026-01-01', [], {
            title: 'Old title',
            entries: [entry(1, 'a', 500), entry(2, 'b', 300)],
          }),
          makeChart(FILE_KEY, '2026-01-02', [], {
            title: 'Top Songs · Global · daily',
            entries: [entry(1, 'b', 400), entry(2, 'a', 350), entry(3, 'c', 100)],
          }),
          makeChart(FILE_KEY, '2026-01-04', [], {
            title: 'Top Songs · Global · daily',
            entries: [
              entry(1, 'a', 600),
              entry(2, 'x', 90, { artists: [{ id: null, name: 'Solo Act' }], name: 'Other_50%' }),
            ],
          }),
          makeChart(TEST_KEY, '2026-01-02', [], {
            entries: [
              entry(1, 'a', null, { isrc: 'GBAYE0000001' }),
              entry(2, 'v2', null, { isrc: 'GBAYE0000001', name: 'Song A (Remix)' }),
            ],
          }),
          makeChart(TEST_KEY, '2026-01-03', [], { entries: [entry(1, 'c', null)] }),
        ];
        for (const chart of charts) await store.saveChart(chart);
      }

      it('lists chart keys with their latest title, first and last date and count', async () => {
        expect(await store.listChartKeys()).toStrictEqual([]);
        await saveHistory();
        const keys = await store.listChartKeys();
        expect(keys.sort((p, q) => p.source.localeCompare(q.source))).toStrictEqual([
          {
            ...TEST_KEY,
            title: 'Top 50 - Global',
            firstDate: '2026-01-02',
            lastDate: '2026-01-03',
            chartCount: 2,
          },
          {
            ...FILE_KEY,
            title: 'Top Songs · Global · daily',
            firstDate: '2026-01-01',
            lastDate: '2026-01-04',
            chartCount: 3,
          },
        ]);
      });

      it("gives a key's stored dates in order, within a range", async () => {
        await saveHistory();
        expect(await store.chartDates(FILE_KEY)).toStrictEqual([
          '2026-01-01',
          '2026-01-02',
          '2026-01-04',
        ]);
        expect(
          await store.chartDates(FILE_KEY, { from: '2026-01-02', to: '2026-01-03' }),
        ).toStrictEqual(['2026-01-02']);
        expect(await store.chartDates(OTHER_CHART)).toStrictEqual([]);
      });

      it("gives a track's appearances on every key, or on one, in key and date order", async () => {
        await saveHistory();
        const all = await store.appearancesOf(['a', 'never']);
        const sortKey = (x: { source: string; chartId: string; chartDate: string }) =>
          `${x.source}\u0000${x.chartId}\u0000${x.chartDate}`;
        expect(all.map(sortKey)).toStrictEqual([...all.map(sortKey)].sort());
        expect(all.filter((x) => x.source === FILE_KEY.source)).toStrictEqual([
          { ...FILE_KEY, chartDate: '2026-01-01', position: 1, trackId: 'a', streams: 500 },
          { ...FILE_KEY, chartDate: '2026-01-02', position: 2, trackId: 'a', streams: 350 },
          { ...FILE_KEY, chartDate: '2026-01-04', position: 1, trackId: 'a', streams: 600 },
        ]);
        expect(all).toHaveLength(4);
        expect(await store.appearancesOf(['a', 'v2'], TEST_KEY)).toStrictEqual([
          { ...TEST_KEY, chartDate: '2026-01-02', position: 1, trackId: 'a', streams: null },
          { ...TEST_KEY, chartDate: '2026-01-02', position: 2, trackId: 'v2', streams: null },
        ]);
        expect(await store.appearancesOf([])).toStrictEqual([]);
      });

      it('replaces appearances when a chart is saved again', async () => {
        await saveHistory();
        await store.saveChart(
          makeChart(FILE_KEY, '2026-01-02', [], { entries: [entry(1, 'c', 1)] }),
        );
        expect((await store.appearancesOf(['a'], FILE_KEY)).map((x) => x.chartDate)).toStrictEqual([
          '2026-01-01',
          '2026-01-04',
        ]);
      });

      it("gives every entry of a key's charts in a period, by date and position", async () => {
        await saveHistory();
        const rows = await store.appearancesBetween(FILE_KEY, '2026-01-02', '2026-01-04');
        expect(rows.map((r) => [r.chartDate, r.position, r.trackId, r.streams])).toStrictEqual([
          ['2026-01-02', 1, 'b', 400],
          ['2026-01-02', 2, 'a', 350],
          ['2026-01-02', 3, 'c', 100],
          ['2026-01-04', 1, 'a', 600],
          ['2026-01-04', 2, 'x', 90],
        ]);
        expect(
          await store.appearancesBetween(OTHER_CHART, '2026-01-01', '2026-12-31'),
        ).toStrictEqual([]);
      });

      it('finds tracks by id, title substring, ISRC and artist (name or id)', async () => {
        await saveHistory();
        const ids = (tracks: { id: string }[]) => tracks.map((t) => t.id).sort();
        expect(await store.getTracks(['a', 'nope'])).toStrictEqual([
          // First seen without an ISRC; the ISRC learnt later is added.
          {
            id: 'a',
            name: 'Song A',
            artists: [{ id: 'id-a', name: 'The Band' }],
            isrc: 'GBAYE0000001',
          },
        ]);
        expect(await store.getTracks([])).toStrictEqual([]);
        expect(ids(await store.searchTracks('song a', 10))).toStrictEqual(['a', 'v2']);
        expect(ids(await store.searchTracks('SONG', 2))).toHaveLength(2);
        expect(ids(await store.searchTracks('_50%', 10))).toStrictEqual(['x']);
        expect(ids(await store.searchTracks('%', 10))).toStrictEqual(['x']);
        expect(await store.searchTracks('nothing like it', 10)).toStrictEqual([]);
        expect(ids(await store.tracksByIsrc(['GBAYE0000001']))).toStrictEqual(['a', 'v2']);
        expect(await store.tracksByIsrc([])).toStrictEqual([]);
        expect(ids(await store.artistTracks('the band'))).toStrictEqual(['a', 'b', 'c', 'v2']);
        expect(ids(await store.artistTracks('The BAND'))).toStrictEqual(['a', 'b', 'c', 'v2']);
        expect(ids(await store.artistTracks('id-b'))).toStrictEqual(['b']);
        expect(ids(await store.artistTracks('Solo Act'))).toStrictEqual(['x']);
        expect(await store.artistTracks('nobody')).toStrictEqual([]);
      });
    });

    describe('runs', () => {
      it('reads a saved run back, and null for an unknown id', async () => {
        const run = makeRun({ scheduledFor: '2026-01-01T06:00:00.000Z', trigger: 'schedule' });
        await store.saveRun(run);
        expect(await store.getRun(run.id)).toStrictEqual(run);
        expect(await store.getRun('no-such-run')).toBeNull();
      });

      it('replaces a run saved again under the same id', async () => {
        const run = makeRun();
        await store.saveRun(run);
        const finished = {
          ...run,
          state: 'succeeded' as const,
          startedAt: '2026-01-01T06:00:01.000Z',
          finishedAt: '2026-01-01T06:00:09.000Z',
          chartDate: '2026-01-01',
          captureId: 'capture-1',
          entryCount: 50,
          tasks: run.tasks.map((task) => ({ ...task, state: 'succeeded' as const, attempts: 1 })),
        };
        await store.saveRun(finished);
        expect(await store.getRun(run.id)).toStrictEqual(finished);
        expect(await store.listRuns({ limit: 10 })).toStrictEqual([finished]);
      });

      it('keeps task states, attempts, logs and errors exactly', async () => {
        const base = makeRun({ trigger: 'api' });
        const run = {
          ...base,
          state: 'failed' as const,
          error: {
            code: 'spotify-unavailable' as const,
            message: 'Spotify said 503 — “try later”',
            hint: null,
            permanent: false,
          },
          tasks: base.tasks.map((task, index) =>
            index === 0
              ? {
                  ...task,
                  state: 'succeeded' as const,
                  attempts: 1,
                  startedAt: '2026-01-01T06:00:01.000Z',
                  finishedAt: '2026-01-01T06:00:01.500Z',
                }
              : index === 1
                ? {
                    ...task,
                    state: 'failed' as const,
                    attempts: 3,
                    error: {
                      code: 'spotify-http' as const,
                      message: 'boom',
                      hint: 'Wait.',
                      permanent: true,
                    },
                    logs: [
                      {
                        at: '2026-01-01T06:00:02.000Z',
                        level: 'warn' as const,
                        message: 'retry 1 ⏳',
                      },
                      {
                        at: '2026-01-01T06:00:05.000Z',
                        level: 'error' as const,
                        message: 'gave up',
                      },
                    ],
                  }
                : { ...task, state: 'skipped' as const },
          ),
        };
        await store.saveRun(run);
        expect(await store.getRun(run.id)).toStrictEqual(run);
      });

      it('lists runs newest first, by key and limit', async () => {
        const at = (hour: number) => `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
        const runs = [
          makeRun({ id: 'r2', createdAt: at(2) }),
          makeRun({ id: 'r4', createdAt: at(4), ...OTHER_CHART }),
          makeRun({ id: 'r1', createdAt: at(1) }),
          makeRun({ id: 'r3', createdAt: at(3) }),
        ];
        for (const run of runs) await store.saveRun(run);

        const ids = async (options: Parameters<ChartStore['listRuns']>[0]) =>
          (await store.listRuns(options)).map((run) => run.id);
        expect(await ids({ limit: 10 })).toStrictEqual(['r4', 'r3', 'r2', 'r1']);
        expect(await ids({ limit: 2 })).toStrictEqual(['r4', 'r3']);
        expect(await ids({ limit: 10, key: TEST_KEY })).toStrictEqual(['r3', 'r2', 'r1']);
        expect(await ids({ limit: 1, key: OTHER_CHART })).toStrictEqual(['r4']);
        expect(await ids({ limit: 10, key: OTHER_SOURCE })).toStrictEqual([]);
        expect((await store.listRuns({ limit: 10 }))[0]).toStrictEqual(runs[1]);
      });
    });

    describe('runs by state', () => {
      it('lists only runs in the given states, newest first, by key and limit', async () => {
        const at = (hour: number) => `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
        const runs = [
          makeRun({ id: 'q1', createdAt: at(1), state: 'queued' }),
          makeRun({ id: 'r2', createdAt: at(2), state: 'running' }),
          makeRun({ id: 's3', createdAt: at(3), state: 'succeeded' }),
          makeRun({ id: 'm4', createdAt: at(4), state: 'missed' }),
          makeRun({ id: 'q5', createdAt: at(5), state: 'queued', ...OTHER_CHART }),
          makeRun({ id: 'd6', createdAt: at(6), state: 'deferred' }),
        ];
        for (const run of runs) await store.saveRun(run);
        const ids = async (options: Parameters<ChartStore['listRuns']>[0]) =>
          (await store.listRuns(options)).map((run) => run.id);
        expect(await ids({ limit: 10, states: ['queued', 'running'] })).toStrictEqual([
          'q5',
          'r2',
          'q1',
        ]);
        expect(await ids({ limit: 1, states: ['queued', 'running'] })).toStrictEqual(['q5']);
        expect(await ids({ limit: 10, states: ['queued'], key: TEST_KEY })).toStrictEqual(['q1']);
        expect(await ids({ limit: 10, states: ['missed'] })).toStrictEqual(['m4']);
        expect(await ids({ limit: 10, states: ['deferred', 'missed'] })).toStrictEqual([
          'd6',
          'm4',
        ]);
        expect(await ids({ limit: 10, states: [] })).toStrictEqual([]);
        // A run saved again in another state moves with it.
        await store.saveRun({ ...runs[0]!, state: 'failed' });
        expect(await ids({ limit: 10, states: ['queued'] })).toStrictEqual(['q5']);
        expect((await store.listRuns({ limit: 10, states: ['missed'] }))[0]).toStrictEqual(runs[3]);
      });
    });

    describe('runs by trigger, a page at a time', () => {
      const at = (hour: number) => `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
      const ids = async (options: Parameters<ChartStore['listRuns']>[0]) =>
        (await store.listRuns(options)).map((run) => run.id);

      it('lists only runs of the trigger, with the other filters', async () => {
        const runs = [
          makeRun({ id: 'a1', createdAt: at(1), trigger: 'manual' }),
          makeRun({ id: 'b2', createdAt: at(2), trigger: 'schedule', state: 'succeeded' }),
          makeRun({ id: 'c3', createdAt: at(3), trigger: 'api', state: 'failed' }),
          makeRun({ id: 'd4', createdAt: at(4), trigger: 'api', ...OTHER_CHART }),
        ];
        for (const run of runs) await store.saveRun(run);
        expect(await ids({ limit: 10, trigger: 'api' })).toStrictEqual(['d4', 'c3']);
        expect(await ids({ limit: 10, trigger: 'api', key: TEST_KEY })).toStrictEqual(['c3']);
        expect(await ids({ limit: 10, trigger: 'api', states: ['queued'] })).toStrictEqual(['d4']);
        expect(await ids({ limit: 10, trigger: 'import' })).toStrictEqual([]);
      });

      it('pages after a given run: ties of createdAt broken by id, every run once', async () => {
        // Three runs share a time: the order is (createdAt, id) descending.
        const runs = [
          makeRun({ id: 'p1', createdAt: at(1) }),
          makeRun({ id: 'p2', createdAt: at(2) }),
          makeRun({ id: 'p3a', createdAt: at(2) }),
          makeRun({ id: 'p3b', createdAt: at(2), state: 'failed' }),
          makeRun({ id: 'p5', createdAt: at(5), ...OTHER_CHART }),
        ];
        for (const run of runs) await store.saveRun(run);
        expect(await ids({ limit: 10 })).toStrictEqual(['p5', 'p3b', 'p3a', 'p2', 'p1']);
        const seen: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = await ids({ limit: 2, ...(before ? { before } : {}) });
          if (page.length === 0) break;
          seen.push(...page);
          before = page.at(-1);
        }
        expect(seen).toStrictEqual(['p5', 'p3b', 'p3a', 'p2', 'p1']);
        expect(await ids({ limit: 10, before: 'p3b', key: TEST_KEY })).toStrictEqual([
          'p3a',
          'p2',
          'p1',
        ]);
        expect(await ids({ limit: 10, before: 'p5', states: ['failed'] })).toStrictEqual(['p3b']);
        expect(await ids({ limit: 10, before: 'p1' })).toStrictEqual([]);
        expect(await ids({ limit: 10, before: 'no-such-run' })).toStrictEqual([]);
      });
    });

    describe('leases', () => {
      it('tells who holds a lease and until when, without taking it', async () => {
        expect(await store.getLease('capture/x')).toBeNull();
        const held = await store.acquireLease('capture/x', 'host#1#a', 60_000);
        expect(await store.getLease('capture/x')).toStrictEqual(held);
        expect((await store.acquireLease('capture/x', 'host#2#b', 60_000)).owner).toBe('host#1#a');
        await store.releaseLease('capture/x', 'host#1#a');
        expect(await store.getLease('capture/x')).toBeNull();
      });

      it('gives a free lease to the first owner and refuses others until it is released', async () => {
        const taken = await store.acquireLease('chart:a', 'one', 60_000);
        expect(taken.owner).toBe('one');
        expect(taken.name).toBe('chart:a');
        expect(Date.parse(taken.expiresAt)).toBeGreaterThan(Date.now() + 50_000);
        const refused = await store.acquireLease('chart:a', 'two', 60_000);
        expect(refused).toStrictEqual(taken);
        // Other names are independent.
        expect((await store.acquireLease('chart:b', 'two', 60_000)).owner).toBe('two');
        expect(await store.releaseLease('chart:a', 'two')).toBe(false);
        expect(await store.releaseLease('chart:a', 'one')).toBe(true);
        expect(await store.releaseLease('chart:a', 'one')).toBe(false);
        expect((await store.acquireLease('chart:a', 'two', 60_000)).owner).toBe('two');
      });

      it('extends the lease for its owner and lets another owner take it once expired', async () => {
        const first = await store.acquireLease('chart:a', 'one', 50);
        const extended = await store.acquireLease('chart:a', 'one', 60_000);
        expect(extended.owner).toBe('one');
        expect(Date.parse(extended.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
        expect((await store.acquireLease('chart:a', 'two', 60_000)).owner).toBe('one');
        await store.acquireLease('chart:a', 'one', 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await store.acquireLease('chart:a', 'two', 60_000)).owner).toBe('two');
        // The old owner can no longer release what is now someone else's.
        expect(await store.releaseLease('chart:a', 'one')).toBe(false);
        expect((await store.acquireLease('chart:a', 'one', 60_000)).owner).toBe('two');
      });

      it('gives a contested lease to exactly one of many concurrent owners', async () => {
        const owners = Array.from({ length: 8 }, (_, i) => `owner-${i}`);
        const results = await Promise.all(
          owners.map((owner) => store.acquireLease('chart:contested', owner, 60_000)),
        );
        const winners = results.filter((lease, i) => lease.owner === owners[i]);
        expect(winners).toHaveLength(1);
        expect(new Set(results.map((lease) => lease.owner))).toStrictEqual(
          new Set([winners[0]!.owner]),
        );
      });
    });

    describe('scheduler state', () => {
      it('keeps, replaces and removes typed values by key and scope', async () => {
        expect(await store.getState('schedule.paused')).toBeNull();
        await store.setState('schedule.paused', '2026-01-01T00:00:00.000Z');
        await store.setState('schedule.last-slot', '2026-01-02T00:00:00.000Z', 'a/b – ü');
        expect(await store.getState('schedule.paused')).toBe('2026-01-01T00:00:00.000Z');
        expect(await store.getState('schedule.last-slot', 'a/b – ü')).toBe(
          '2026-01-02T00:00:00.000Z',
        );
        expect(await store.getState('schedule.last-slot')).toBeNull();
        expect(await store.getState('schedule.last-slot', 'other')).toBeNull();
        const heartbeat = { at: '2026-01-01T00:00:01.000Z', owner: 'host#1#abc' };
        await store.setState('serve.heartbeat', heartbeat);
        expect(await store.getState('serve.heartbeat')).toStrictEqual(heartbeat);
        await store.setState('schedule.paused', null);
        await store.setState('schedule.checked-slot', null, 'never-set');
        expect(await store.getState('schedule.paused')).toBeNull();
      });
    });

    describe('run look-ups by id prefix', () => {
      it('finds the runs whose id starts with the prefix, in id order, up to the limit', async () => {
        const ids = ['abc12345-1', 'abc12345-2', 'abd00000-1', 'ab'];
        for (const id of ids) await store.saveRun(makeRun({ id }));
        expect((await store.findRunsByPrefix('abc', 10)).map((r) => r.id)).toStrictEqual([
          'abc12345-1',
          'abc12345-2',
        ]);
        expect((await store.findRunsByPrefix('ab', 2)).map((r) => r.id)).toStrictEqual([
          'ab',
          'abc12345-1',
        ]);
        expect(await store.findRunsByPrefix('abd00000-1', 10)).toHaveLength(1);
        expect(await store.findRunsByPrefix('zz', 10)).toStrictEqual([]);
        // Characters with a meaning in patterns are only characters.
        expect(await store.findRunsByPrefix('a.*', 10)).toStrictEqual([]);
        expect(await store.findRunsByPrefix('', 10)).toStrictEqual([]);
      });
    });

    describe('charts in range', () => {
      const dateOf = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
      const labels = async (range: Parameters<ChartStore['chartsInRange']>[0]) => {
        const labels: string[] = [];
        for await (const chart of store.chartsInRange(range)) {
          labels.push(`${chart.source}/${chart.chartId.slice(0, 4)}/${chart.chartDate}`);
        }
        return labels;
      };

      it('reads nothing from an empty store, and nothing of an unknown key', async () => {
        expect(await labels({})).toStrictEqual([]);
        await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['a']));
        expect(await labels({ keys: [OTHER_CHART] })).toStrictEqual([]);
      });

      it('reads charts with their entries exactly, by key then date, across pages', async () => {
        // More charts than a page holds, saved out of order, in three keys.
        const days = Array.from({ length: 43 }, (_, i) => ((i * 17) % 43) + 1);
        for (const day of days) await store.saveChart(makeChart(TEST_KEY, dateOf(day), ['a']));
        for (const day of [3, 1, 2]) {
          await store.saveChart(makeChart(OTHER_CHART, dateOf(day), ['b', 'c']));
        }
        const withFacts = makeChart(OTHER_SOURCE, '2026-01-05', [], {
          title: 'Daily, "quoted"',
          entries: [
            makeEntry(1, 'x', { facts: { peakRank: 1, previousRank: null, onChart: 30 } }),
            makeEntry(2, 'y', { movement: 'up', previousPosition: 4, daysOnChart: 2, peak: 2 }),
          ],
        });
        await store.saveChart(withFacts);

        const all: ChartSnapshot[] = [];
        for await (const chart of store.chartsInRange({})) all.push(chart);
        expect(all).toHaveLength(47);
        expect(all[0]).toStrictEqual(withFacts);
        const tested = all.slice(4);
        expect(tested.map((c) => c.chartDate)).toStrictEqual(
          Array.from({ length: 43 }, (_, i) => dateOf(i + 1)),
        );
        expect(tested[7]).toStrictEqual(await store.getChart(TEST_KEY, dateOf(8)));
        expect(
          all.slice(1, 4).map((c) => [c.chartId, c.chartDate, c.entries.length]),
        ).toStrictEqual([1, 2, 3].map((day) => [OTHER_CHART.chartId, dateOf(day), 2]));
      });

      it('keeps to the keys asked for, each once, and to the dates from and to, inclusive', async () => {
        for (const day of [1, 2, 3, 4, 5]) {
          await store.saveChart(makeChart(TEST_KEY, dateOf(day), ['a']));
          await store.saveChart(makeChart(OTHER_CHART, dateOf(day), ['a']));
          await store.saveChart(makeChart(OTHER_SOURCE, dateOf(day), ['a']));
        }
        const from = dateOf(2);
        const to = dateOf(3);
        expect(await labels({ keys: [TEST_KEY, OTHER_SOURCE, TEST_KEY], from, to })).toStrictEqual([
          `charts-csv/5FN6/${from}`,
          `charts-csv/5FN6/${to}`,
          `spotify/5FN6/${from}`,
          `spotify/5FN6/${to}`,
        ]);
        expect(await labels({ from: dateOf(5) })).toStrictEqual([
          `charts-csv/5FN6/${dateOf(5)}`,
          `spotify/37i9/${dateOf(5)}`,
          `spotify/5FN6/${dateOf(5)}`,
        ]);
        expect(await labels({ keys: [OTHER_CHART], to: dateOf(1) })).toStrictEqual([
          `spotify/37i9/${dateOf(1)}`,
        ]);
        expect(await labels({ keys: [], from: to, to: from })).toStrictEqual([]);
        expect(await labels({ keys: [TEST_KEY], from: dateOf(9) })).toStrictEqual([]);
      });
    });

    describe('records', () => {
      it('streams nothing from an empty store', async () => {
        expect(await collect(store.records())).toStrictEqual([]);
      });

      it('streams captures in order of saving, then charts, then runs, each once and exactly', async () => {
        const captures = [
          makeCapture({ capturedAt: '2026-01-03T06:00:00.000Z', payload: { v: 1 } }),
          makeCapture({ ...OTHER_CHART, payload: { v: 2 } }),
          // Saved last but captured first: export order is the order of saving.
          makeCapture({ capturedAt: '2026-01-01T06:00:00.000Z', payload: { v: 3, x: [null] } }),
        ];
        for (const capture of captures) await store.saveCapture(capture);
        const charts = [
          makeChart(TEST_KEY, '2026-01-01', ['a', 'b']),
          makeChart(OTHER_CHART, '2026-01-02', ['c'], {
            skipped: [{ position: 2, reason: 'episode', name: 'Pod' }],
          }),
        ];
        await store.saveChart(makeChart(TEST_KEY, '2026-01-01', ['old']));
        for (const chart of charts) await store.saveChart(chart);
        const first = makeRun({ id: 'run-a' });
        const runs = [
          { ...first, state: 'succeeded' as const },
          makeRun({ id: 'run-b', ...OTHER_CHART }),
        ];
        await store.saveRun(first);
        for (const run of runs) await store.saveRun(run);

        const records = await collect(store.records());
        expect(records.map((r) => r.type)).toStrictEqual([
          'capture',
          'capture',
          'capture',
          'chart',
          'chart',
          'run',
          'run',
        ]);
        const ofType = <T extends StoreRecord['type']>(type: T) =>
          records.filter((r): r is Extract<StoreRecord, { type: T }> => r.type === type);
        expect(ofType('capture').map((r) => r.capture)).toStrictEqual(captures);
        const byKeyDate = (c: ChartSnapshot) => `${c.chartId}|${c.chartDate}`;
        expect(
          ofType('chart')
            .map((r) => r.chart)
            .sort((a, b) => byKeyDate(a).localeCompare(byKeyDate(b))),
        ).toStrictEqual([...charts].sort((a, b) => byKeyDate(a).localeCompare(byKeyDate(b))));
        expect(
          ofType('run')
            .map((r) => r.run)
            .sort((a, b) => a.id.localeCompare(b.id)),
        ).toStrictEqual(runs);
      });
    });
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function summary(key: ChartKey, chartDate: string, title: string, entryCount: number) {
  return { ...key, chartDate, title, entryCount, capturedAt: `${chartDate}T06:00:00.000Z` };
}
