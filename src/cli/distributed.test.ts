import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../adapters/emulator/emulator.js';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { chartDateOf } from '../domain/chart-date.js';
import type { ChartStore } from '../domain/ports.js';
import { retryRunId } from '../domain/run.js';
import { chartLeaseName } from '../services/chart-lease.js';
import { runCli } from '../test-support/cli.js';
import { type CliProcess, killAllStarted, startCli } from '../test-support/cli-process.js';
import { dailyAt, ledgerUntil } from '../test-support/ledger.js';
import { startRedis } from '../test-support/redis.js';
import { titleFor } from '../test-support/services.js';

const CHARTS = [EMULATOR_PLAYLISTS.daily, EMULATOR_PLAYLISTS.large, EMULATOR_PLAYLISTS.awkward];
const SOURCE = 'spotify-playlist';

const redis = await startRedis();

describe.skipIf(!redis.available)(
  titleFor('chartkeeper serve + worker on BullMQ (built binary, real Redis, emulator)', redis),
  () => {
    let emulator: RunningEmulator;
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let store: ChartStore;

    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(async () => {
      await emulator.close();
      if (redis.available) await redis.value.stop();
    });
    beforeEach(() => {
      emulator.clearFaults();
      emulator.requests.length = 0;
      dir = mkdtempSync(join(tmpdir(), 'ck-distributed-'));
      env = {
        SPOTIFY_CLIENT_ID: emulator.credentials.clientId,
        SPOTIFY_CLIENT_SECRET: emulator.credentials.clientSecret,
        SPOTIFY_API_URL: emulator.apiUrl,
        SPOTIFY_ACCOUNTS_URL: emulator.accountsUrl,
        CHARTKEEPER_STORE: join(dir, 'store.db'),
        CHARTKEEPER_QUEUE: redis.available ? redis.value.url : '',
      };
      store = SqliteStore.open(join(dir, 'store.db'));
    });
    afterEach(async () => {
      killAllStarted();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const configure = (config: object) =>
      writeFileSync(
        join(dir, 'chartkeeper.config.json'),
        JSON.stringify({
          ...config,
          queue: {
            name: `test-${randomUUID()}`,
            ...('queue' in config ? (config.queue as object) : {}),
          },
        }),
      );
    const start = (verb: 'serve' | 'worker') => startCli([verb], { cwd: dir, env });
    const stopAll = async (processes: CliProcess[]) =>
      Promise.all(processes.map((p) => p.stop('SIGTERM')));

    it('two schedulers and three workers capture each chart exactly once per date', async () => {
      const { cron, at } = dailyAt(3);
      configure({ schedule: cron, charts: CHARTS });
      // Each capture takes a moment, so the three workers overlap.
      emulator.inject({ kind: 'slow', path: 'playlist', delayMs: 300, times: 3 });
      const workers = [start('worker'), start('worker'), start('worker')];
      const schedulers = [start('serve'), start('serve')];
      await Promise.all(workers.map((w) => w.waitFor(/worker ready: BullMQ on redis:\/\//)));
      await Promise.all(schedulers.map((s) => s.waitFor(/serving: .* by `chartkeeper worker`/)));
      await ledgerUntil(
        store,
        (runs) => runs.filter((r) => r.state === 'succeeded').length === CHARTS.length,
        at.getTime() - Date.now() + 8_000,
        'one capture per chart',
      );
      // Room for any duplicate to show up before looking.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await stopAll([...schedulers, ...workers])).toStrictEqual([0, 0, 0, 0, 0]);

      const runs = await store.listRuns({ limit: 100 });
      expect(runs).toHaveLength(CHARTS.length);
      expect(new Set(runs.map((r) => r.chartId))).toStrictEqual(new Set(CHARTS));
      for (const run of runs) {
        expect(run).toMatchObject({
          trigger: 'schedule',
          state: 'succeeded',
          scheduledFor: at.toISOString(),
        });
      }
      const date = chartDateOf(at, 'UTC');
      for (const chartId of CHARTS) {
        const charts = await store.listCharts({ key: { source: SOURCE, chartId } });
        expect(charts.map((c) => c.chartDate)).toStrictEqual([date]);
        const fetched = emulator.requests.filter((r) => r.path === `/v1/playlists/${chartId}`);
        expect(fetched).toHaveLength(1);
      }
      // The work was shared: captures ran on more than one worker.
      const busy = workers.filter((w) => /succeeded: /.test(w.output()));
      expect(busy.length).toBeGreaterThanOrEqual(2);
    });

    it('stopping a worker mid-job loses nothing: another worker finishes the capture', async () => {
      configure({ schedule: '0 0 1 1 *', charts: [CHARTS[0]], queue: { shutdownMs: 300 } });
      emulator.inject({ kind: 'slow', path: 'items', delayMs: 4_000, times: 1 });
      const workers = [start('worker'), start('worker')];
      const scheduler = start('serve');
      await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
      await scheduler.waitFor(/serving:/);
      const triggered = await runCli(['trigger', '--playlist', CHARTS[0] as string], {
        cwd: dir,
        env,
      });
      expect(triggered.code).toBe(0);
      const runId = (await store.listRuns({ limit: 1 }))[0]?.id as string;
      await ledgerUntil(
        store,
        (runs) =>
          runs.some((r) => r.tasks.some((t) => t.name === 'fetch' && t.state === 'running')),
        6_000,
        'the fetch to start',
      );
      // Which worker holds the chart: the lease names its process.
      const key = { source: SOURCE, chartId: CHARTS[0] as string };
      const holder = await store.acquireLease(chartLeaseName(key), 'probe', 1);
      const pid = Number(holder.owner.split('#')[1]);
      const busy = workers.find((w) => w.pid === pid) as CliProcess;
      const other = workers.find((w) => w.pid !== pid) as CliProcess;
      expect(busy).toBeDefined();
      const stopping = Date.now();
      expect(await busy.stop('SIGTERM')).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(2_000);
      expect(busy.output()).toMatch(/SIGTERM: stopping; waiting up to 300 ms/);

      const runs = await ledgerUntil(
        store,
        (all) => all.some((r) => r.id === retryRunId(runId) && r.state === 'succeeded'),
        8_000,
        'the other worker to finish it',
      );
      expect(await stopAll([scheduler, other])).toStrictEqual([0, 0]);
      expect(other.output()).toMatch(/interrupted; retrying as run/);
      expect(runs.find((r) => r.id === runId)?.error?.code).toBe('interrupted');
      expect(runs.filter((r) => ['queued', 'running'].includes(r.state))).toStrictEqual([]);
      const charts = await store.listCharts({ key });
      expect(charts).toHaveLength(1);
      expect(charts[0]?.entryCount).toBe(50);
    });
  },
);
