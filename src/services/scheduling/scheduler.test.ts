import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../adapters/queue/in-process-executor.js';
import { spotifyPlaylistNormaliser } from '../../adapters/spotify/normalise.js';
import { SpotifyPlaylistFetcher } from '../../adapters/spotify/spotify-source.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { chartDateOf } from '../../domain/chart-date.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import type { CaptureJob, Executor } from '../../domain/ports/executor.js';
import { newRun, type Run } from '../../domain/run.js';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/emulator.js';
import { CronSchedule } from '../../lib/cron.js';
import { retryRunId, scheduledRunId } from '../../lib/run-ids.js';
import { recordingLogger } from '../../test-support/recording-logger.js';
import { roles } from '../../test-support/roles.js';
import { chartLeaseName } from '../capture/chart-lease.js';
import { Sources } from '../source-registry.js';
import { captureJobHandler } from './capture-job.js';
import { queueRun, waitForRuns } from './manual-runs.js';
import { beat, setLastSlot } from './schedule-state.js';
import { Scheduler } from './scheduler.js';

const SOURCE = 'spotify-playlist';
const CHARTS = [EMULATOR_PLAYLISTS.daily, EMULATOR_PLAYLISTS.large];
const KEYS = CHARTS.map((chartId) => ({ source: SOURCE, chartId }));

describe('Scheduler with the in-process executor (emulator, real SQLite file)', () => {
  let emulator: RunningEmulator;
  let store: ChartStore;
  let dir: string;
  let executor: InProcessExecutor;
  let scheduler: Scheduler | null;

  beforeEach(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'ck-scheduler-'));
    store = SqliteStore.open(join(dir, 'chartkeeper.db'));
    executor = new InProcessExecutor({ concurrency: 2, maxAttempts: 15, backoffMs: () => 100 });
    scheduler = null;
  });

  afterEach(async () => {
    await scheduler?.stop();
    await executor.close(2_000);
    await store.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(
    cron: string,
    options: {
      executor?: Executor;
      logger?: ReturnType<typeof recordingLogger>;
      pollMs?: number;
    } = {},
  ): Promise<Scheduler> {
    const schedule = new CronSchedule(cron, 'UTC');
    const fetcher = new SpotifyPlaylistFetcher(
      { ...emulator.credentials, apiUrl: emulator.apiUrl, accountsUrl: emulator.accountsUrl },
      { timeoutMs: 5_000, maxAttempts: 3, maxRetryWaitMs: 5_000 },
    );
    const logger = options.logger ?? recordingLogger();
    await executor.work(
      captureJobHandler({
        ...roles(store),
        sources: new Sources().add('spotify-playlist', {
          normaliser: async () => spotifyPlaylistNormaliser,
          fetcher: async () => fetcher,
        }),
        timezone: 'UTC',
        retry: { attempts: 3, delayMs: 100, maxDelayMs: 1_000 },
        schedule,
        clock: () => new Date(),
        logger,
      }),
    );
    scheduler = new Scheduler({
      ...roles(store),
      executor: options.executor ?? executor,
      charts: KEYS,
      schedule,
      owner: 'test-serve',
      logger,
      pollMs: options.pollMs ?? 200,
      queueCheckMs: 100,
    });
    await scheduler.start();
    return scheduler;
  }

  const wait = (ids: string[]) =>
    waitForRuns({ ledger: store, coordination: store }, ids, { timeoutMs: 30_000, pollMs: 50 });

  const allRuns = () => store.listRuns({ limit: 1_000 });

  it('starts a run queued in its own process at once, without waiting for its look at the ledger', async () => {
    // It looks at the ledger once an hour here: only being handed the run can start it.
    const serving = await serve('0 0 1 1 *', { pollMs: 3_600_000 });
    const run = await queueRun(store, KEYS[0]!, 'api');
    serving.submitQueued(run);
    // Read from the ledger directly: with no look at the ledger, this serve's heartbeat goes
    // stale after a few seconds, and waitForRuns would stop at that on a slow machine.
    let done = await store.getRun(run.id);
    for (const until = Date.now() + 60_000; done?.state !== 'succeeded' && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = await store.getRun(run.id);
    }
    expect(done).toMatchObject({ id: run.id, state: 'succeeded', trigger: 'api' });
  });

  it('sees a run end when woken, without waiting for its next look at the ledger', async () => {
    await beat(store, 'test-serve', new Date());
    const run = await queueRun(store, KEYS[0]!, 'api');
    let signal: (() => void) | null = null;
    const waiting = waitForRuns({ ledger: store, coordination: store }, [run.id], {
      // Without the wake it would look again only after ten minutes, past the test's timeout.
      timeoutMs: 600_000,
      pollMs: 600_000,
      wake: (s) => {
        signal = s;
        return () => {
          signal = null;
        };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = new Date().toISOString();
    await store.saveRun({ ...run, state: 'succeeded', startedAt: now, finishedAt: now });
    (signal as (() => void) | null)?.();
    const { runs, end } = await waiting;
    expect(end).toBe('finished');
    expect(runs[0]?.state).toBe('succeeded');
    expect(signal).toBeNull();
  });

  it('captures every chart at each slot, not before it, once per slot', async () => {
    const started = Date.now();
    await serve('* * * * * *');
    let scheduled: Run[] = [];
    async function refresh() {
      scheduled = (await allRuns()).filter(
        (r) => r.trigger === 'schedule' && Date.parse(r.scheduledFor as string) >= started,
      );
    }
    async function untilCaptured() {
      const deadline = Date.now() + 60_000;
      for (;;) {
        await refresh();
        if (scheduled.filter((r) => r.state === 'succeeded').length >= 6) return;
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await untilCaptured();
    const keys = scheduled.map((r) => `${r.chartId}@${r.scheduledFor}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const run of scheduled.filter((r) => r.state === 'succeeded')) {
      expect(run.id).toBe(scheduledRunId(run, run.scheduledFor as string));
      expect(Date.parse(run.scheduledFor as string) % 1_000).toBe(0);
      const late = Date.parse(run.startedAt as string) - Date.parse(run.scheduledFor as string);
      expect(late).toBeGreaterThanOrEqual(0);
    }
    for (const chartId of CHARTS) {
      expect(scheduled.filter((r) => r.chartId === chartId).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('runs a capture triggered through the ledger while it serves', async () => {
    await serve('0 0 1 1 *');
    const run = await queueRun(store, KEYS[0]!, 'manual');
    const { runs, end } = await wait([run.id]);
    expect(end).toBe('finished');
    expect(runs[0]).toMatchObject({ id: run.id, trigger: 'manual', state: 'succeeded' });
  });

  it('schedules nothing once stopped', async () => {
    const started = Date.now();
    await serve('* * * * * *');
    await scheduler?.stop();
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const after = (await allRuns()).filter(
      (r) => r.trigger === 'schedule' && Date.parse(r.scheduledFor as string) > stoppedAt,
    );
    expect(after).toStrictEqual([]);
    expect(started).toBeLessThanOrEqual(stoppedAt);
  });

  it('submits the unfinished runs and the current slot again when the queue lost its jobs', async () => {
    const queued = await queueRun(store, KEYS[0]!, 'manual');
    const submitted: CaptureJob[] = [];
    let lost = false;
    const forgetful: Executor = {
      kind: 'test',
      location: 'a queue that forgets',
      submit: async (job) => {
        submitted.push(job);
      },
      work: async () => {},
      ping: async () => {},
      intact: async () => {
        if (!lost) return true;
        lost = false;
        return false;
      },
      close: async () => {},
    };
    const logger = recordingLogger();
    await serve('0 0 1 1 *', { executor: forgetful, logger });
    const before = submitted.filter((j) => j.runId === queued.id).length;
    expect(before).toBeGreaterThanOrEqual(1);
    lost = true;
    for (let i = 0; i < 600 && !logger.messages.some((m) => /lost its jobs/.test(m)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(logger.messages.find((m) => /lost its jobs/.test(m))).toMatch(
      /queue at a queue that forgets lost its jobs .*submitted 1 unfinished run/,
    );
    expect(submitted.filter((j) => j.runId === queued.id).length).toBeGreaterThan(before);
  });

  it('resumes runs left unfinished in the ledger when it starts', async () => {
    const queued = await queueRun(store, KEYS[0]!, 'manual');
    const today = chartDateOf(new Date(), 'UTC');
    const crashed = newRun({
      id: 'crashed-run',
      key: { source: SOURCE, chartId: CHARTS[1]! },
      trigger: 'manual',
      createdAt: new Date().toISOString(),
    });
    crashed.state = 'running';
    crashed.chartDate = today;
    await store.saveRun(crashed);
    await store.acquireLease(
      chartLeaseName({ source: SOURCE, chartId: CHARTS[1]! }),
      `${hostname()}#${2 ** 22 + 5}#crashed`,
      60_000,
    );
    await serve('0 0 1 1 *');
    const { runs, end } = await wait([queued.id, crashed.id]);
    expect(end).toBe('finished');
    expect(runs.map((r) => [r.id, r.state])).toStrictEqual([
      [queued.id, 'succeeded'],
      [retryRunId(crashed.id), 'succeeded'],
    ]);
    expect((await store.getRun(crashed.id))?.error?.code).toBe('interrupted');
  });

  it('on start, runs the latest slot it missed today and records the ones before as missed', async () => {
    const now = new Date();
    const schedule = new CronSchedule('* * * * *', 'UTC');
    const latest = schedule.latest(now) as Date;
    if (chartDateOf(new Date(latest.getTime() - 180_000), 'UTC') !== chartDateOf(now, 'UTC')) {
      return; // Too close to midnight UTC for three minute-slots on one date.
    }
    for (const chartId of CHARTS) {
      await setLastSlot(store, { source: SOURCE, chartId }, new Date(latest.getTime() - 180_000));
    }
    await serve('* * * * *');
    const latestRun = scheduledRunId(KEYS[0]!, latest.toISOString());
    const { runs } = await wait([latestRun]);
    expect(runs[0]?.state).toBe('succeeded');
    const ofChart = (await allRuns()).filter((r) => r.chartId === CHARTS[0]).reverse();
    expect(ofChart.slice(0, 3).map((r) => [r.scheduledFor, r.state])).toStrictEqual([
      [new Date(latest.getTime() - 120_000).toISOString(), 'missed'],
      [new Date(latest.getTime() - 60_000).toISOString(), 'missed'],
      [latest.toISOString(), 'succeeded'],
    ]);
  });
});
