import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../adapters/emulator/emulator.js';
import { InProcessExecutor } from '../adapters/queue/in-process-executor.js';
import { SpotifyPlaylistSource } from '../adapters/spotify/spotify-source.js';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { chartDateOf } from '../domain/chart-date.js';
import type { ChartStore } from '../domain/ports.js';
import { newRun, type Run, retryRunId, scheduledRunId } from '../domain/run.js';
import { CronSchedule } from '../lib/cron.js';
import { captureJobHandler } from './capture-job.js';
import { chartLeaseName } from './chart-lease.js';
import { setLastSlot } from './schedule-state.js';
import { Scheduler } from './scheduler.js';
import { queueManualRun, waitForRuns } from './trigger.js';

const SOURCE = 'spotify-playlist';
const CHARTS = [EMULATOR_PLAYLISTS.daily, EMULATOR_PLAYLISTS.large];

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

  async function serve(cron: string): Promise<Scheduler> {
    const schedule = new CronSchedule(cron, 'UTC');
    const source = new SpotifyPlaylistSource(
      { ...emulator.credentials, apiUrl: emulator.apiUrl, accountsUrl: emulator.accountsUrl },
      { timeoutMs: 5_000, maxAttempts: 3, maxRetryWaitMs: 5_000 },
    );
    await executor.work(
      captureJobHandler({
        store,
        source,
        timezone: 'UTC',
        retry: { attempts: 3, delayMs: 100, maxDelayMs: 1_000 },
        schedule,
      }),
    );
    scheduler = new Scheduler({
      store,
      executor,
      source: SOURCE,
      chartIds: CHARTS,
      schedule,
      owner: 'test-serve',
      pollMs: 200,
    });
    await scheduler.start();
    return scheduler;
  }

  const allRuns = () => store.listRuns({ limit: 1_000 });

  it('captures every chart at each slot, on time, once per slot', async () => {
    const started = Date.now();
    await serve('* * * * * *');
    let scheduled: Run[] = [];
    async function refresh() {
      scheduled = (await allRuns()).filter(
        (r) => r.trigger === 'schedule' && Date.parse(r.scheduledFor as string) >= started,
      );
    }
    async function untilCaptured() {
      const deadline = Date.now() + 8_000;
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
      expect(run.id).toBe(scheduledRunId(run.chartId, run.scheduledFor as string));
      expect(Date.parse(run.scheduledFor as string) % 1_000).toBe(0);
      const late = Date.parse(run.startedAt as string) - Date.parse(run.scheduledFor as string);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(1_000);
    }
    for (const chartId of CHARTS) {
      expect(scheduled.filter((r) => r.chartId === chartId).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('runs a capture triggered through the ledger while it serves', async () => {
    await serve('0 0 1 1 *');
    const run = await queueManualRun(store, { source: SOURCE, chartId: CHARTS[0]! });
    const started = Date.now();
    const { runs, finished } = await waitForRuns(store, [run.id], { timeoutMs: 5_000, pollMs: 50 });
    expect(finished).toBe(true);
    expect(runs[0]).toMatchObject({ id: run.id, trigger: 'manual', state: 'succeeded' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('resumes runs left unfinished in the ledger when it starts', async () => {
    const queued = await queueManualRun(store, { source: SOURCE, chartId: CHARTS[0]! });
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
    const { runs, finished } = await waitForRuns(store, [queued.id, crashed.id], {
      timeoutMs: 5_000,
      pollMs: 50,
    });
    expect(finished).toBe(true);
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
    const latestRun = scheduledRunId(CHARTS[0]!, latest.toISOString());
    const { runs } = await waitForRuns(store, [latestRun], { timeoutMs: 5_000, pollMs: 50 });
    expect(runs[0]?.state).toBe('succeeded');
    const ofChart = (await allRuns()).filter((r) => r.chartId === CHARTS[0]).reverse();
    expect(ofChart.slice(0, 3).map((r) => [r.scheduledFor, r.state])).toStrictEqual([
      [new Date(latest.getTime() - 120_000).toISOString(), 'missed'],
      [new Date(latest.getTime() - 60_000).toISOString(), 'missed'],
      [latest.toISOString(), 'succeeded'],
    ]);
  });
});
