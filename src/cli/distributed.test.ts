import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chartDateOf } from '../domain/chart-date.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { retryRunId } from '../lib/run-ids.js';
import { chartLeaseName } from '../services/capture/chart-lease.js';
import type { CliProcess } from '../test-support/cli-process.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { dailyAt, fetchUnderway, ledgerUntil } from '../test-support/ledger.js';
import { startRedis } from '../test-support/redis.js';
import { titleFor } from '../test-support/services.js';

const CHARTS = [EMULATOR_PLAYLISTS.daily, EMULATOR_PLAYLISTS.large, EMULATOR_PLAYLISTS.awkward];
const SOURCE = 'spotify-playlist';

const redis = await startRedis();

describe.skipIf(!redis.available)(
  titleFor('chartkeeper serve + worker on BullMQ (built binary, real Redis, emulator)', redis),
  () => {
    const sandbox = cliSandbox('ck-distributed-', {
      env: () => ({ CHARTKEEPER_QUEUE: redis.available ? redis.value.url : '' }),
      openStore: true,
    });
    beforeEach(() => {
      sandbox.emulator.requests.length = 0;
    });
    afterAll(async () => {
      if (redis.available) await redis.value.stop();
    });

    const configure = (config: object) =>
      writeFileSync(
        join(sandbox.dir, 'chartkeeper.config.json'),
        JSON.stringify({
          ...config,
          queue: {
            name: `test-${randomUUID()}`,
            ...('queue' in config ? (config.queue as object) : {}),
          },
        }),
      );
    const start = (verb: 'serve' | 'worker') => sandbox.start([verb, '--log-format', 'pretty']);
    const stopAll = async (processes: CliProcess[]) =>
      Promise.all(processes.map((p) => p.stop('SIGTERM')));

    it('two schedulers and three workers capture each chart exactly once per date', async () => {
      const { cron, at } = dailyAt(3);
      configure({ schedule: cron, charts: CHARTS });
      // Each capture takes a moment, so the three workers overlap.
      sandbox.emulator.inject({ kind: 'slow', path: 'playlist', delayMs: 300, times: 3 });
      const workers = [start('worker'), start('worker'), start('worker')];
      const schedulers = [start('serve'), start('serve')];
      await Promise.all(workers.map((w) => w.waitFor(/worker ready: BullMQ on redis:\/\//)));
      await Promise.all(schedulers.map((s) => s.waitFor(/serving: .* by `chartkeeper worker`/)));
      await ledgerUntil(
        sandbox.store,
        (runs) => runs.filter((r) => r.state === 'succeeded').length === CHARTS.length,
        60_000,
        'one capture per chart',
      );
      // Room for any duplicate to show up before looking.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await stopAll([...schedulers, ...workers])).toStrictEqual([0, 0, 0, 0, 0]);

      const runs = await sandbox.store.listRuns({ limit: 100 });
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
        const charts = await sandbox.store.listCharts({ key: { source: SOURCE, chartId } });
        expect(charts.map((c) => c.chartDate)).toStrictEqual([date]);
        const fetched = sandbox.emulator.requests.filter(
          (r) => r.path === `/v1/playlists/${chartId}`,
        );
        expect(fetched).toHaveLength(1);
      }
      // The work was shared: captures ran on more than one worker.
      const busy = workers.filter((w) => /succeeded: /.test(w.output()));
      expect(busy.length).toBeGreaterThanOrEqual(2);
    });

    it('stopping a worker mid-job loses nothing: another worker finishes the capture', async () => {
      configure({ schedule: '0 0 1 1 *', charts: [CHARTS[0]], queue: { shutdownMs: 300 } });
      sandbox.emulator.inject({ kind: 'slow', path: 'items', delayMs: 4_000, times: 1 });
      const workers = [start('worker'), start('worker')];
      const scheduler = start('serve');
      await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
      await scheduler.waitFor(/serving:/);
      const triggered = await sandbox.run(['trigger', '--playlist', CHARTS[0] as string]);
      expect(triggered.code).toBe(0);
      const runId = (await sandbox.store.listRuns({ limit: 1 }))[0]?.id as string;
      await fetchUnderway(sandbox.store);
      // Which worker holds the chart: the lease names its process.
      const key = { source: SOURCE, chartId: CHARTS[0] as string };
      const holder = await sandbox.store.acquireLease(chartLeaseName(key), 'probe', 1);
      const pid = Number(holder.owner.split('#')[1]);
      const busy = workers.find((w) => w.pid === pid) as CliProcess;
      const other = workers.find((w) => w.pid !== pid) as CliProcess;
      expect(busy).toBeDefined();
      expect(await busy.stop('SIGTERM')).toBe(0);
      expect(busy.output()).toMatch(/SIGTERM: stopping; waiting up to 300 ms/);

      const runs = await ledgerUntil(
        sandbox.store,
        (all) => all.some((r) => r.id === retryRunId(runId) && r.state === 'succeeded'),
        60_000,
        'the other worker to finish it',
      );
      expect(await stopAll([scheduler, other])).toStrictEqual([0, 0]);
      expect(other.output()).toMatch(/was interrupted; retrying as run/);
      expect(runs.find((r) => r.id === runId)?.error?.code).toBe('interrupted');
      expect(runs.filter((r) => ['queued', 'running'].includes(r.state))).toStrictEqual([]);
      const charts = await sandbox.store.listCharts({ key });
      expect(charts).toHaveLength(1);
      expect(charts[0]?.entryCount).toBe(50);
    });

    it('makes no scheduled capture once every serve has stopped, though workers run on', async () => {
      configure({ schedule: '* * * * * *', charts: [CHARTS[0]] });
      const worker = start('worker');
      const scheduler = start('serve');
      await worker.waitFor(/worker ready/);
      await scheduler.waitFor(/serving:/);
      await ledgerUntil(
        sandbox.store,
        (runs) => runs.some((r) => r.trigger === 'schedule' && r.state === 'succeeded'),
        60_000,
        'a scheduled capture',
      );
      expect(await scheduler.stop('SIGTERM')).toBe(0);
      const stopped = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const later = (await sandbox.store.listRuns({ limit: 1_000 })).filter(
        (r) => r.trigger === 'schedule' && Date.parse(r.scheduledFor as string) > stopped,
      );
      expect(later).toStrictEqual([]);
      expect(await worker.stop('SIGTERM')).toBe(0);
    });

    it('notices that Redis lost its jobs, says so, and puts back what waited', async () => {
      const name = `test-${randomUUID()}`;
      writeFileSync(
        join(sandbox.dir, 'chartkeeper.config.json'),
        JSON.stringify({ schedule: '0 0 1 1 *', charts: [CHARTS[0]], queue: { name } }),
      );
      const scheduler = start('serve');
      await scheduler.waitFor(/serving:/);
      const triggered = await sandbox.run(['trigger']);
      expect(triggered.code).toBe(0);
      const runId = (await sandbox.store.listRuns({ limit: 1 }))[0]?.id as string;
      // Redis restarted without persistence: this queue's keys are gone (other tests' stay).
      const client = new Redis(redis.available ? redis.value.url : '');
      try {
        for (;;) {
          const keys = await client.keys(`*${name}*`);
          if (keys.some((key) => key.includes(runId))) {
            await client.del(...keys);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        client.disconnect();
      }
      await scheduler.waitFor(/lost its jobs .*submitted 1 unfinished run/);
      const worker = start('worker');
      await ledgerUntil(
        sandbox.store,
        (runs) => runs.some((r) => r.id === runId && r.state === 'succeeded'),
        60_000,
        'the run that waited to be captured',
      );
      expect(await stopAll([scheduler, worker])).toStrictEqual([0, 0]);
    });
  },
);
