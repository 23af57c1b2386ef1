import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spotifyPlaylistNormaliser } from '../../adapters/spotify/normalise.js';
import { openMongoStore } from '../../adapters/store/mongo/mongo-store.js';
import { Outbox } from '../../adapters/store/outbox/outbox.js';
import { OutboxWriter } from '../../adapters/store/outbox/outbox-writer.js';
import { configSchema } from '../../config/schema.js';
import type { ChartFetcher } from '../../domain/ports/sources.js';
import { EMULATOR_PLAYLISTS, startEmulator } from '../../emulator/emulator.js';
import { startPrivateFerretDb } from '../../test-support/ferretdb.js';
import { independentClient } from '../../test-support/mongo.js';
import { titleFor } from '../../test-support/services.js';
import { emulatorSource } from '../../test-support/spotify-harness.js';
import { captureChart } from './capture-chart.js';
import { buildChartFromLateCapture } from './chart-builder.js';

const STORE = 'sqlite /test/store.db';

const DAILY = EMULATOR_PLAYLISTS.daily;
const KEY = { source: 'spotify-playlist', chartId: DAILY };

describe('MongoDB stopped in the middle of a run (private FerretDB, emulator over HTTP)', async () => {
  const ferret = await startPrivateFerretDb();
  if (!ferret.available) {
    it.skip(titleFor('loses no capture', ferret), () => {});
    return;
  }
  const server = ferret.value;
  const dir = mkdtempSync(join(tmpdir(), 'ck-outage-'));
  let day = '2026-11-20';
  const emulator = await startEmulator({ today: () => day });
  afterAll(async () => {
    await emulator.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => server.start());

  const spotify = emulatorSource(emulator, { ...configSchema.parse({}).http, timeoutMs: 5_000 });
  /** The Spotify source, stopping MongoDB between fetching and storing when asked. */
  let stopDuringFetch = false;
  const fetcher: ChartFetcher = {
    source: spotify.source,
    authenticate: (log) => spotify.authenticate(log),
    probe: (chartId, log) => spotify.probe(chartId, log),
    fetch: async (chartId, context) => {
      const fetched = await spotify.fetch(chartId, context);
      if (stopDuringFetch) await server.stop();
      return fetched;
    },
  };

  it('keeps the capture in the outbox, fails the run with the reason, and the next run writes it once', async () => {
    const uri = `${server.uri}chartkeeper?serverSelectionTimeoutMS=1500`;
    const outbox = new Outbox(join(dir, 'outbox'), STORE);
    let later = 0;
    const store = await openMongoStore(uri);
    const writer = new OutboxWriter(store, outbox, {
      now: () => Date.now() + later,
      onCaptureFlushed: async (capture, chartDate) =>
        (await buildChartFromLateCapture(store, capture, chartDate, spotifyPlaylistNormaliser)) !==
        null,
    });
    const capture = (hour = 12) =>
      captureChart(
        {
          captures: writer,
          charts: store,
          ledger: writer,
          coordination: store,
          fetcher,
          normaliser: spotifyPlaylistNormaliser,
          timezone: 'UTC',
          clock: () => new Date(`${day}T${hour}:00:00Z`),
        },
        { key: KEY, trigger: 'manual' },
      );

    expect((await capture()).state).toBe('succeeded');

    day = '2026-11-21';
    stopDuringFetch = true;
    const failed = await capture();
    stopDuringFetch = false;
    expect(failed.state).toBe('failed');
    const persist = failed.tasks.find((t) => t.name === 'persist-capture');
    expect(persist?.state).toBe('failed');
    expect(failed.error?.code).toBe('store-unavailable');
    expect(failed.error?.message).toMatch(
      /^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/chartkeeper is unreachable/,
    );
    expect(failed.error?.message).toContain(`is kept in the outbox ${outbox.dir}`);
    const waiting = outbox.pending().records;
    expect(waiting.map((r) => r.type)).toStrictEqual(['capture', 'run']);
    const kept = waiting[0]?.type === 'capture' ? waiting[0].capture : null;
    expect(kept).toMatchObject({ ...KEY, chartDate: '2026-11-21', runId: failed.id });
    expect(waiting[1]).toStrictEqual({ type: 'run', run: failed });

    // Still down when the next run starts: it fetches anyway, and that capture waits too.
    const alsoFailed = await capture(13);
    expect(alsoFailed.state).toBe('failed');
    expect(alsoFailed.tasks.find((t) => t.name === 'fetch')?.state).toBe('succeeded');
    expect(outbox.pending().records.filter((r) => r.type === 'capture')).toHaveLength(2);

    await server.start();
    // The next run comes later than the outbox's pause after an outage (30 s).
    later = 60_000;
    day = '2026-11-22';
    const next = await capture();
    expect(next.state).toBe('succeeded');
    expect(outbox.count()).toBe(0);

    // What another MongoDB client sees: nothing lost, nothing twice.
    const client = independentClient(server.uri);
    try {
      const db = client.db('chartkeeper');
      const captures = await db.collection('captures').find().sort({ seq: 1 }).toArray();
      // The two waiting captures were identical: the second is not stored twice.
      expect(captures.map((c) => c.chartDate)).toStrictEqual([
        '2026-11-20',
        '2026-11-21',
        '2026-11-22',
      ]);
      expect(captures[1]?._id).toBe(kept?.id);
      const charts = await db.collection('charts').find().sort({ chartDate: 1 }).toArray();
      expect(charts.map((c) => [c.chartDate, c.captureId, c.entryCount])).toStrictEqual([
        ['2026-11-20', captures[0]?._id, 50],
        ['2026-11-21', kept?.id, 50],
        ['2026-11-22', captures[2]?._id, 50],
      ]);
      const runs = await db.collection('runs').find().sort({ createdAt: 1 }).toArray();
      expect(runs.map((r) => [r._id, r.state, r.error?.code ?? null])).toStrictEqual([
        [expect.any(String), 'succeeded', null],
        [failed.id, 'failed', 'store-unavailable'],
        [alsoFailed.id, 'failed', 'store-unavailable'],
        [next.id, 'succeeded', null],
      ]);
    } finally {
      await client.close();
      await store.close();
    }
  }, 60_000);
});
