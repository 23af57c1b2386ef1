import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spotifyPlaylistNormaliser } from '../../adapters/spotify/normalise.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { configSchema } from '../../config/schema.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import type { ChartFetcher, ChartNormaliser } from '../../domain/ports/sources.js';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/emulator.js';
import { EventBus } from '../../lib/event-bus.js';
import { Redactor } from '../../lib/redact.js';
import { roles } from '../../test-support/roles.js';
import { emulatorSource } from '../../test-support/spotify-harness.js';
import { storeWith } from '../../test-support/store-faults.js';
import { type CaptureDependencies, captureChart, captureChartAttempt } from './capture-chart.js';

/** A source as a capture takes it: a fetcher and a normaliser. */
type Source = { fetcher: ChartFetcher; normaliser: ChartNormaliser };

const DAILY = EMULATOR_PLAYLISTS.daily;
const KEY = { source: 'spotify-playlist', chartId: DAILY };

describe('captureChart (emulator over HTTP, real SQLite file)', () => {
  let emulator: RunningEmulator;
  let store: ChartStore;
  let dir: string;
  let day = '2026-11-20';
  const noon = () => new Date(`${day}T12:00:00Z`);

  beforeEach(async () => {
    day = '2026-11-20';
    emulator = await startEmulator({ today: () => day });
    dir = mkdtempSync(join(tmpdir(), 'ck-capture-'));
    store = SqliteStore.open(join(dir, 'chartkeeper.db'));
  });

  afterEach(async () => {
    await store.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function source(overrides: Partial<{ clientSecret: string; timeoutMs: number }> = {}) {
    const defaults = configSchema.parse({});
    return emulatorSource(
      emulator,
      { ...defaults.http, timeoutMs: overrides.timeoutMs ?? 5000 },
      { clientSecret: overrides.clientSecret ?? emulator.credentials.clientSecret },
    );
  }

  function spotify(fetcher: ChartFetcher = source()): Source {
    return { fetcher, normaliser: spotifyPlaylistNormaliser };
  }

  function deps(on: ChartStore = store, from: Source = spotify()): CaptureDependencies {
    return {
      ...roles(on),
      ...from,
      timezone: 'UTC',
      clock: noon,
      redactor: new Redactor([emulator.credentials.clientSecret]),
    };
  }

  function capture(from: Source = spotify(), chartId = DAILY) {
    return captureChart(deps(store, from), {
      key: { source: 'spotify-playlist', chartId },
      trigger: 'manual',
    });
  }

  it('runs every task, stores the raw capture and the chart, and records the run', async () => {
    const run = await capture();
    expect(run.state).toBe('succeeded');
    expect(run.tasks.map((t) => [t.name, t.state, t.attempts])).toEqual([
      ['authenticate', 'succeeded', 1],
      ['fetch', 'succeeded', 1],
      ['persist-capture', 'succeeded', 1],
      ['normalise', 'succeeded', 1],
      ['store-chart', 'succeeded', 1],
    ]);
    expect(run.chartDate).toBe(day);
    expect(run.entryCount).toBe(50);
    const chart = await store.getChart({ source: 'spotify-playlist', chartId: DAILY });
    expect(chart?.entries).toHaveLength(50);
    expect(chart?.entries.every((e) => e.movement === 'new' && e.daysOnChart === 1)).toBe(true);
    expect(chart?.captureId).toBe(run.captureId);
    const stored = await store.getCapture(run.captureId ?? '');
    expect(stored?.payload).toMatchObject({ playlist: { id: DAILY } });
    expect(await store.getRun(run.id)).toEqual(run);
  });

  it('does not add a chart or a capture when run twice on the same day', async () => {
    const first = await capture();
    const second = await capture();
    expect(second.state).toBe('succeeded');
    expect(second.captureId).toBe(first.captureId);
    expect(second.tasks.find((t) => t.name === 'persist-capture')?.state).toBe('skipped');
    expect(await store.listCharts()).toHaveLength(1);
    expect(await store.listRuns({ limit: 10 })).toHaveLength(2);
  });

  it('derives movement from the previous day', async () => {
    await capture();
    day = '2026-11-21';
    const run = await capture();
    expect(run.state).toBe('succeeded');
    const chart = await store.getChart({ source: 'spotify-playlist', chartId: DAILY });
    expect(chart?.chartDate).toBe('2026-11-21');
    const movements = new Set(chart?.entries.map((e) => e.movement));
    expect(movements.has('new')).toBe(true);
    expect([...movements].some((m) => m === 'up' || m === 'down')).toBe(true);
    const carried = chart?.entries.filter((e) => e.movement !== 'new') ?? [];
    expect(carried.length).toBeGreaterThan(30);
    expect(carried.every((e) => e.daysOnChart === 2 && e.previousPosition !== null)).toBe(true);
    expect(await store.listCharts()).toHaveLength(2);
  });

  it('fails the fetch task with an explanation and stores nothing when the app may not read items', async () => {
    emulator.setMode('development');
    const run = await capture();
    expect(run.state).toBe('failed');
    const fetch = run.tasks.find((t) => t.name === 'fetch');
    expect(fetch?.state).toBe('failed');
    expect(run.error?.permanent).toBe(true);
    expect(run.error?.hint).toMatch(/Extended Quota|charts\.spotify\.com/);
    expect(run.tasks.slice(2).every((t) => t.state === 'pending')).toBe(true);
    expect(
      await store.latestCaptureHead({ source: 'spotify-playlist', chartId: DAILY }),
    ).toBeNull();
    expect(await store.listCharts()).toHaveLength(0);
  });

  it('keeps the capture when a later task fails, and leaves no partial chart', async () => {
    const broken: Source = {
      fetcher: source(),
      normaliser: {
        source: 'spotify-playlist',
        normalise: () => {
          throw new Error('normaliser exploded');
        },
      },
    };
    const run = await capture(broken);
    expect(run.state).toBe('failed');
    expect(run.tasks.find((t) => t.name === 'normalise')?.error?.message).toBe(
      'normaliser exploded',
    );
    expect(run.captureId).not.toBeNull();
    expect(await store.getCapture(run.captureId ?? '')).not.toBeNull();
    expect(await store.listCharts()).toHaveLength(0);
    // The next run re-uses the kept capture rather than losing it.
    const retry = await capture();
    expect(retry.state).toBe('succeeded');
    expect(retry.captureId).toBe(run.captureId);
  });

  it('records refused credentials as an authenticate failure without the secret anywhere', async () => {
    const wrong = 'definitely-wrong-secret-value';
    const run = await capture(spotify(source({ clientSecret: wrong })));
    expect(run.state).toBe('failed');
    expect(run.tasks[0]?.state).toBe('failed');
    expect(run.error?.code).toBe('spotify-auth');
    await store.close();
    const bytes = readFileSync(join(dir, 'chartkeeper.db')).toString('latin1');
    store = SqliteStore.open(join(dir, 'chartkeeper.db'));
    expect(JSON.stringify(run)).not.toContain(wrong);
    expect(bytes).not.toContain(wrong);
    expect(bytes).not.toContain(emulator.credentials.clientSecret);
  });

  it('logs each task and never the access token', async () => {
    const run = await capture();
    const logs = run.tasks.flatMap((t) => t.logs.map((l) => l.message));
    expect(logs.some((m) => /token/i.test(m))).toBe(true);
    expect(logs.some((m) => /stored chart/.test(m))).toBe(true);
    const tokenReplies = emulator.requests.filter((r) => r.path.startsWith('/api/token'));
    expect(tokenReplies).toHaveLength(1);
    expect(logs.join('\n')).not.toMatch(/Bearer|access_token/);
  });

  it("reads only the latest capture's version, and its payload only when it is reused", async () => {
    const first = await capture();
    const counted = storeWith(store);
    const again = await captureChart(deps(counted.store), { key: KEY, trigger: 'manual' });
    expect(again.state).toBe('succeeded');
    expect(again.captureId).toBe(first.captureId);
    expect(counted.calls.get('latestCaptureHead')).toBe(1);
    expect(counted.calls.get('getCapture')).toBe(1);
    // The ledger is written when the run and each task start (persist-capture is skipped), and
    // when the run ends.
    expect(counted.calls.get('saveRun')).toBe(6);

    day = '2026-11-21';
    const changed = storeWith(store);
    const next = await captureChart(deps(changed.store), { key: KEY, trigger: 'manual' });
    expect(next.captureId).not.toBe(first.captureId);
    expect(changed.calls.get('getCapture')).toBeUndefined();
    expect(changed.calls.get('saveRun')).toBe(7);
    const stored = await store.getCapture(next.captureId ?? '');
    expect(stored?.contentHash).toBe(
      createHash('sha256').update(JSON.stringify(stored?.payload)).digest('hex'),
    );
  });

  it('files a continued run under its own date when it reuses an older, unchanged capture', async () => {
    const first = await capture();
    day = '2026-11-21';
    const real = source();
    let hiccups = 1;
    // The playlist did not change overnight; normalising fails once.
    const unchanged: Source = {
      fetcher: {
        source: real.source,
        authenticate: (log) => real.authenticate(log),
        probe: (id, log) => real.probe(id, log),
        fetch: async (id, context) =>
          context.latestVersion
            ? { kind: 'unchanged', version: context.latestVersion }
            : real.fetch(id, context),
      },
      normaliser: {
        source: real.source,
        normalise: (payload) => {
          if (hiccups-- > 0) throw new Error('normaliser hiccup');
          return spotifyPlaylistNormaliser.normalise(payload);
        },
      },
    };
    const attempt = () =>
      captureChartAttempt(
        deps(store, unchanged),
        { key: KEY, trigger: 'manual', runId: 'continued' },
        { policy: { attempts: 3, delayMs: 1, maxDelayMs: 1 } },
      );
    const failed = await attempt();
    expect(failed.retryInMs).not.toBeNull();
    expect(failed.run).toMatchObject({ state: 'queued', chartDate: '2026-11-21' });
    expect(failed.run.captureId).toBe(first.captureId);

    const done = await attempt();
    expect(done.run).toMatchObject({ state: 'succeeded', chartDate: '2026-11-21' });
    expect((await store.listCharts()).map((c) => c.chartDate)).toStrictEqual([
      '2026-11-21',
      '2026-11-20',
    ]);
    expect((await store.getChart(KEY, '2026-11-20'))?.runId).toBe(first.id);
    expect((await store.getChart(KEY, '2026-11-21'))?.runId).toBe('continued');
  });

  it('fetches every page when the unchanged capture cannot be read back', async () => {
    const first = await capture();
    const { store: unreadable } = storeWith(store, ['getCapture']);
    const run = await captureChart(deps(unreadable), { key: KEY, trigger: 'manual' });
    expect(run.state).toBe('succeeded');
    const fetch = run.tasks.find((t) => t.name === 'fetch');
    expect(fetch?.logs.map((l) => l.message).join('\n')).toMatch(/could not be read back/);
    // The same content: not stored twice.
    expect(run.captureId).toBe(first.captureId);
    expect(run.tasks.find((t) => t.name === 'persist-capture')?.state).toBe('succeeded');
  });
  /** A fetcher that changes every item of the reply as Spotify might one day. */
  function drifting(change: (track: Record<string, unknown>, index: number) => void): Source {
    const real = source();
    return spotify({
      source: real.source,
      authenticate: (log) => real.authenticate(log),
      probe: (id, log) => real.probe(id, log),
      fetch: async (id, context) => {
        const result = await real.fetch(id, { ...context, latestVersion: null });
        if (result.kind !== 'fetched') return result;
        const payload = structuredClone(result.payload) as {
          pages: { items: { item: Record<string, unknown> }[] }[];
        };
        const entries = payload.pages.flatMap((page) => page.items);
        for (const [i, entry] of entries.entries()) change(entry.item, i);
        return { ...result, payload, version: `${result.version}-drift` };
      },
    });
  }

  it('never replaces a good chart with one whose items no longer parse, and keeps the capture', async () => {
    const good = await capture();
    expect(good.entryCount).toBe(50);
    const run = await capture(
      drifting((track) => {
        track.duration_ms = 'three minutes';
        track.artists = 'Somebody';
      }),
    );
    expect(run.state).toBe('failed');
    expect(run.error?.code).toBe('spotify-malformed');
    expect(run.error?.message).toMatch(/duration_ms/);
    expect(run.error?.message).toMatch(/artists/);
    expect(run.tasks.find((t) => t.name === 'normalise')?.state).toBe('failed');
    // The raw capture is kept, so the chart can be rebuilt; the day's good chart is untouched.
    expect(run.captureId).not.toBeNull();
    expect(await store.getCapture(run.captureId ?? '')).not.toBeNull();
    const chart = await store.getChart(KEY, day);
    expect(chart?.entries).toHaveLength(50);
    expect(chart?.captureId).toBe(good.captureId);
  });

  it('refuses a chart that lost most of its entries to unreadable items, and warns about a small loss', async () => {
    await capture();
    const most = await capture(
      drifting((track, i) => {
        if (i >= 10) track.duration_ms = { minutes: 3 };
      }),
    );
    expect(most.state).toBe('failed');
    expect(most.error?.message).toMatch(/only 10 of 50 items could be read.*kept/);
    expect((await store.getChart(KEY, day))?.entries).toHaveLength(50);

    const few = await capture(
      drifting((track, i) => {
        if (i < 3) track.duration_ms = [];
      }),
    );
    expect(few.state).toBe('succeeded');
    expect(few.entryCount).toBe(47);
    const warnings = few.tasks.flatMap((t) => t.logs).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.message).join('\n')).toMatch(
      /47 of 50 items could be read.*duration_ms/,
    );
  });

  it('reads a number sent as a numeric string, the one unambiguous leniency', async () => {
    const run = await capture(
      drifting((track) => {
        track.duration_ms = String(track.duration_ms);
        track.explicit = String(track.explicit);
      }),
    );
    expect(run.state).toBe('succeeded');
    const chart = await store.getChart(KEY, day);
    expect(chart?.entries).toHaveLength(50);
    expect(typeof chart?.entries[0]?.durationMs).toBe('number');
    expect(typeof chart?.entries[0]?.explicit).toBe('boolean');
  });

  it('fails, storing no chart, when the playlist holds no tracks', async () => {
    const empty = await captureChart(
      deps(
        store,
        spotify({
          source: 'spotify-playlist',
          authenticate: async () => {},
          probe: async () => ({ title: null, items: 0 }),
          fetch: async () => ({
            kind: 'fetched',
            version: 'empty',
            payload: {
              playlist: { name: 'Empty' },
              endpoint: 'items',
              pages: [{ items: [], offset: 0 }],
            },
          }),
        }),
      ),
      {
        key: { source: 'spotify-playlist', chartId: 'EmptyPlaylist0000000000' },
        trigger: 'manual',
      },
    );
    expect(empty.state).toBe('failed');
    expect(empty.error?.code).toBe('empty-chart');
    expect(
      await store.getChart({ source: 'spotify-playlist', chartId: 'EmptyPlaylist0000000000' }),
    ).toBeNull();
  });

  it('stores a task log line holding a secret redacted, in every form the secret travels in', async () => {
    const secret = emulator.credentials.clientSecret;
    const basic = Buffer.from(`${emulator.credentials.clientId}:${secret}`).toString('base64');
    const real = source();
    const leaky: Source = spotify({
      source: real.source,
      probe: (id, log) => real.probe(id, log),
      authenticate: async (log) => {
        log(
          'info',
          `secret ${secret}; encoded ${encodeURIComponent(secret)}; header Basic ${basic}`,
        );
        await real.authenticate(log);
      },
      fetch: (id, context) => real.fetch(id, context),
    });
    const redactor = new Redactor();
    redactor.addBasicCredential(emulator.credentials.clientId, secret);
    const run = await captureChart(
      { ...deps(store, leaky), redactor },
      { key: KEY, trigger: 'manual' },
    );
    const stored = JSON.stringify(await store.getRun(run.id));
    expect(stored).toContain('[redacted]');
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(basic);
  });

  it('tells the events what happens, in order, so that metrics and alerts need no wiring', async () => {
    const events = new EventBus();
    const seen: string[] = [];
    events.on('run-started', ({ run }) => seen.push(`started ${run.state}`));
    events.on('task-finished', ({ task }) => seen.push(`${task.name} ${task.state}`));
    events.on('run-finished', ({ run }) => seen.push(`finished ${run.state}`));
    events.on('run-finished', () => {
      throw new Error('a listener that fails never fails the capture');
    });
    const run = await captureChart({ ...deps(), events }, { key: KEY, trigger: 'manual' });
    expect(run.state).toBe('succeeded');
    expect(seen).toStrictEqual([
      'started running',
      'authenticate succeeded',
      'fetch succeeded',
      'persist-capture succeeded',
      'normalise succeeded',
      'store-chart succeeded',
      'finished succeeded',
    ]);
  });
});
