import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spotifyPlaylistNormaliser } from '../../adapters/spotify/normalise.js';
import { SqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';
import type { CaptureJob, JobHandler } from '../../domain/ports/executor.js';
import type { ChartFetcher, ChartNormaliser } from '../../domain/ports/sources.js';
import { newRun, type Run } from '../../domain/run.js';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/emulator.js';
import { CronSchedule } from '../../lib/cron.js';
import { Redactor } from '../../lib/redact.js';
import { retryRunId, scheduledRunId } from '../../lib/run-ids.js';
import { recordingLogger } from '../../test-support/recording-logger.js';
import { roles } from '../../test-support/roles.js';
import { emulatorSource } from '../../test-support/spotify-harness.js';
import { storeWith } from '../../test-support/store-faults.js';
import { chartLeaseName } from '../capture/chart-lease.js';
import { retryDelayMs } from '../capture/retry-policy.js';
import { Sources } from '../source-registry.js';
import { captureJobHandler } from './capture-job.js';
import { pauseSchedule } from './schedule-state.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const KEY = { source: 'spotify-playlist', chartId: DAILY };
const POLICY = { attempts: 3, delayMs: 1_000, maxDelayMs: 60_000 };
/** A pid no process has: Linux pids stay below 2^22. */
const DEAD_OWNER = `${hostname()}#${2 ** 22 + 17}#gone`;

describe('captureJobHandler (emulator over HTTP, real SQLite file)', () => {
  let emulator: RunningEmulator;
  let store: ChartStore;
  let dir: string;
  let day: string;
  let now: Date;
  let reports: string[];
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    day = '2026-11-20';
    now = new Date('2026-11-20T12:00:00.000Z');
    logger = recordingLogger();
    reports = logger.messages;
    emulator = await startEmulator({ today: () => day });
    dir = mkdtempSync(join(tmpdir(), 'ck-job-'));
    store = SqliteStore.open(join(dir, 'chartkeeper.db'));
  });

  afterEach(async () => {
    await store.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function spotify(): ChartFetcher {
    // One HTTP attempt: a single injected 5xx fails the task, so task retries show.
    return emulatorSource(emulator, { timeoutMs: 5_000, maxAttempts: 1, maxRetryWaitMs: 0 });
  }

  function handler(
    fetcher: ChartFetcher = spotify(),
    options: { store?: ChartStore; cron?: string; normaliser?: ChartNormaliser } = {},
  ): JobHandler {
    return captureJobHandler({
      ...roles(options.store ?? store),
      sources: new Sources().add('spotify-playlist', {
        normaliser: async () => options.normaliser ?? spotifyPlaylistNormaliser,
        fetcher: async () => fetcher,
      }),
      timezone: 'UTC',
      clock: () => now,
      redactor: new Redactor([emulator.credentials.clientSecret]),
      retry: POLICY,
      schedule: new CronSchedule(options.cron ?? '0 6 * * *', 'UTC'),
      random: () => 0.5,
      logger,
    });
  }

  const slotJob = (slot: string, chartId = DAILY): CaptureJob => ({
    runId: scheduledRunId({ source: 'spotify-playlist', chartId }, slot),
    source: 'spotify-playlist',
    chartId,
    trigger: 'schedule',
    scheduledFor: slot,
  });
  const manualJob = (runId = 'manual-1'): CaptureJob => ({
    runId,
    source: 'spotify-playlist',
    chartId: DAILY,
    trigger: 'manual',
    scheduledFor: null,
  });
  const runs = async () => (await store.listRuns({ limit: 100 })).reverse();
  const task = (run: Run | null, name: string) => run?.tasks.find((t) => t.name === name);
  const playlistCalls = () => emulator.requests.filter((r) => r.path.startsWith('/v1/')).length;

  it('captures a scheduled slot once, however often the job is delivered', async () => {
    const handle = handler();
    const job = slotJob('2026-11-20T06:00:00.000Z');
    expect(await handle(job)).toStrictEqual({ kind: 'done' });
    const calls = playlistCalls();
    expect(await handle(job)).toStrictEqual({ kind: 'done' });
    expect(playlistCalls()).toBe(calls);
    const [run] = await runs();
    expect(await runs()).toHaveLength(1);
    expect(run).toMatchObject({
      id: job.runId,
      trigger: 'schedule',
      scheduledFor: job.scheduledFor,
      state: 'succeeded',
      chartDate: '2026-11-20',
      entryCount: 50,
    });
    expect(await store.listCharts()).toHaveLength(1);
    expect(reports.at(-1)).toMatch(/succeeded: 50 entries for 2026-11-20/);
  });

  it('retries a failed task later, continuing the same run without repeating what succeeded', async () => {
    const handle = handler();
    emulator.inject({ kind: 'server-error', path: 'items', times: 1 });
    const outcome = await handle(manualJob());
    expect(outcome).toMatchObject({ kind: 'retry', delayMs: retryDelayMs(POLICY, 1, () => 0.5) });
    let run = await store.getRun('manual-1');
    expect(run?.state).toBe('queued');
    expect(run?.error?.code).toBe('spotify-unavailable');
    expect(task(run, 'fetch')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(task(run, 'fetch')?.logs.at(-1)?.message).toBe(
      'attempt 1 of 3 failed; trying again in 750 ms',
    );

    expect(await handle(manualJob())).toStrictEqual({ kind: 'done' });
    run = await store.getRun('manual-1');
    expect(run?.state).toBe('succeeded');
    expect(run?.error).toBeNull();
    expect(run?.tasks.map((t) => [t.name, t.state, t.attempts])).toStrictEqual([
      ['authenticate', 'succeeded', 1],
      ['fetch', 'succeeded', 2],
      ['persist-capture', 'succeeded', 1],
      ['normalise', 'succeeded', 1],
      ['store-chart', 'succeeded', 1],
    ]);
    expect(await runs()).toHaveLength(1);
  });

  it('keeps the capture for the next attempt, so a later failure never needs a re-fetch', async () => {
    const real = spotify();
    let normaliseCalls = 0;
    const flaky: ChartNormaliser = {
      source: real.source,
      normalise: (payload) => {
        normaliseCalls += 1;
        if (normaliseCalls === 1) throw new Error('normaliser hiccup');
        return spotifyPlaylistNormaliser.normalise(payload);
      },
    };
    const handle = handler(real, { normaliser: flaky });
    expect((await handle(manualJob())).kind).toBe('retry');
    const fetched = playlistCalls();
    const queued = await store.getRun('manual-1');
    expect(queued?.captureId).not.toBeNull();
    expect(await store.listCharts()).toHaveLength(0);

    expect(await handle(manualJob())).toStrictEqual({ kind: 'done' });
    expect(playlistCalls()).toBe(fetched);
    const run = await store.getRun('manual-1');
    expect(run?.captureId).toBe(queued?.captureId);
    expect(task(run, 'fetch')?.attempts).toBe(1);
    expect(task(run, 'normalise')).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect((await store.getChart(KEY))?.entries).toHaveLength(50);
  });

  it('does not retry a permanent failure', async () => {
    emulator.setMode('development');
    const outcome = await handler()(manualJob());
    expect(outcome.kind).toBe('failed');
    const run = await store.getRun('manual-1');
    expect(run?.state).toBe('failed');
    expect(run?.error?.permanent).toBe(true);
    expect(task(run, 'fetch')?.attempts).toBe(1);
  });

  it('gives up after the configured attempts of one task', async () => {
    emulator.inject({ kind: 'server-error', path: 'items', times: 10 });
    const handle = handler();
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await handle(manualJob())).kind);
    expect(outcomes).toStrictEqual(['retry', 'retry', 'failed']);
    const run = await store.getRun('manual-1');
    expect(run?.state).toBe('failed');
    expect(run?.error?.permanent).toBe(false);
    expect(task(run, 'fetch')).toMatchObject({ state: 'failed', attempts: 3 });
    expect(task(run, 'authenticate')?.attempts).toBe(1);
  });

  /** A run as a process leaves it when killed during the fetch, holding the chart's lease. */
  async function interruptedRun(chartDate: string): Promise<Run> {
    const slot = `${chartDate}T06:00:00.000Z`;
    const run = newRun({
      id: scheduledRunId(KEY, slot),
      key: KEY,
      trigger: 'schedule',
      createdAt: slot,
      scheduledFor: slot,
    });
    run.state = 'running';
    run.chartDate = chartDate;
    run.startedAt = slot;
    run.tasks[0] = { ...run.tasks[0]!, state: 'succeeded', attempts: 1 };
    run.tasks[1] = { ...run.tasks[1]!, state: 'running', attempts: 1, startedAt: slot };
    await store.saveRun(run);
    await store.acquireLease(chartLeaseName(KEY), DEAD_OWNER, 60_000);
    return run;
  }

  it('fails a run interrupted by a crash and retries it as a new run on the same date', async () => {
    const interrupted = await interruptedRun('2026-11-20');
    const job = slotJob(interrupted.scheduledFor as string);
    expect(await handler()(job)).toStrictEqual({ kind: 'done' });

    const failed = await store.getRun(interrupted.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toMatchObject({ code: 'interrupted', permanent: false });
    expect(failed?.error?.hint).toBe(`Retried as run ${retryRunId(interrupted.id).slice(0, 8)}.`);
    expect(task(failed, 'fetch')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(task(failed, 'persist-capture')?.state).toBe('pending');
    const retry = await store.getRun(retryRunId(interrupted.id));
    expect(retry).toMatchObject({
      state: 'succeeded',
      trigger: 'schedule',
      scheduledFor: interrupted.scheduledFor,
      chartDate: '2026-11-20',
    });
    expect(await store.listCharts()).toHaveLength(1);

    // The job delivered again (a second scheduler, a stalled job) follows the retry: no new run.
    expect(await handler()(job)).toStrictEqual({ kind: 'done' });
    expect(await runs()).toHaveLength(2);
  });

  it('does not retry an interrupted run whose chart date has passed', async () => {
    const interrupted = await interruptedRun('2026-11-19');
    const outcome = await handler()(slotJob(interrupted.scheduledFor as string));
    expect(outcome.kind).toBe('failed');
    const failed = await store.getRun(interrupted.id);
    expect(failed?.error?.code).toBe('interrupted');
    expect(failed?.error?.hint).toMatch(/Not retried: its chart date 2026-11-19 has passed/);
    expect(await store.getRun(retryRunId(interrupted.id))).toBeNull();
    expect(await store.listCharts()).toHaveLength(0);
  });

  it('postpones while a live process holds the chart, then captures', async () => {
    const other = `${hostname()}#${process.pid}#other-job`;
    await store.acquireLease(chartLeaseName(KEY), other, 60_000);
    const outcome = await handler()(manualJob());
    expect(outcome).toMatchObject({ kind: 'postpone' });
    expect(await store.getRun('manual-1')).toBeNull();
    await store.releaseLease(chartLeaseName(KEY), other);
    expect(await handler()(manualJob())).toStrictEqual({ kind: 'done' });
  });

  it('records slots nobody captured, and slots that come after their date, as missed', async () => {
    day = '2026-11-17';
    now = new Date('2026-11-17T06:00:01.000Z');
    expect(await handler()(slotJob('2026-11-17T06:00:00.000Z'))).toStrictEqual({ kind: 'done' });

    day = '2026-11-20';
    now = new Date('2026-11-20T06:00:02.000Z');
    expect(await handler()(slotJob('2026-11-20T06:00:00.000Z'))).toStrictEqual({ kind: 'done' });
    const ledger = await runs();
    expect(ledger.map((r) => [r.scheduledFor?.slice(0, 10), r.state, r.chartDate])).toStrictEqual([
      ['2026-11-17', 'succeeded', '2026-11-17'],
      ['2026-11-18', 'missed', '2026-11-18'],
      ['2026-11-19', 'missed', '2026-11-19'],
      ['2026-11-20', 'succeeded', '2026-11-20'],
    ]);
    const missed = ledger[1] as Run;
    expect(missed.id).toBe(scheduledRunId(KEY, '2026-11-18T06:00:00.000Z'));
    expect(missed.createdAt).toBe('2026-11-18T06:00:00.000Z');
    expect(missed.error).toMatchObject({ code: 'missed', permanent: true });
    expect(missed.error?.message).toMatch(/no capture ran: chartkeeper was not running/);

    // A stale delivery of a missed slot changes nothing.
    expect(await handler()(slotJob('2026-11-19T06:00:00.000Z'))).toStrictEqual({ kind: 'done' });
    // A slot delivered after its chart date is missed, not filed under the wrong day.
    now = new Date('2026-11-22T00:00:05.000Z');
    expect(await handler()(slotJob('2026-11-21T06:00:00.000Z'))).toStrictEqual({ kind: 'done' });
    const late = await store.getRun(scheduledRunId(KEY, '2026-11-21T06:00:00.000Z'));
    expect(late?.state).toBe('missed');
    expect(late?.error?.message).toMatch(/could only start on 2026-11-22/);
    expect(await store.listCharts()).toHaveLength(2);
  });

  it('records scheduled slots as missed while paused, and still runs manual captures', async () => {
    await pauseSchedule(store, now);
    expect(await handler()(slotJob('2026-11-20T06:00:00.000Z'))).toStrictEqual({ kind: 'done' });
    const slot = await store.getRun(scheduledRunId(KEY, '2026-11-20T06:00:00.000Z'));
    expect(slot?.state).toBe('missed');
    expect(slot?.error?.message).toMatch(
      /the schedule was paused \(since 2026-11-20T12:00:00.000Z\)/,
    );
    expect(await handler()(manualJob())).toStrictEqual({ kind: 'done' });
    expect((await store.getRun('manual-1'))?.state).toBe('succeeded');
  });

  it('keeps secrets out of the task logs it adds', async () => {
    emulator.inject({ kind: 'server-error', path: 'items', times: 1 });
    await handler()(manualJob());
    await handler()(manualJob());
    const text = JSON.stringify(await runs()) + reports.join('\n');
    expect(text).not.toContain(emulator.credentials.clientSecret);
    expect(text).not.toMatch(/Bearer|access_token/);
  });

  it('ends a finished job as done even when the lease cannot be given up afterwards', async () => {
    const { store: failing } = storeWith(store, ['releaseLease']);
    expect(await handler(spotify(), { store: failing })(manualJob())).toStrictEqual({
      kind: 'done',
    });
    expect((await store.getRun('manual-1'))?.state).toBe('succeeded');
    expect(reports.at(-1)).toMatch(/could not free the lease .*; it runs out within \d+ s/);
  });

  it('does not record as missed an earlier slot whose job is postponed while a later one runs', async () => {
    const hourly = (fetcher?: ChartFetcher) => handler(fetcher, { cron: '0 * * * *' });
    const slot = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const at = (hour: number) => new Date(Date.parse(slot(hour)) + 1_000);
    now = at(9);
    expect(await hourly()(slotJob(slot(9)))).toStrictEqual({ kind: 'done' });

    // The 10:00 job finds the chart busy (a manual capture) and is postponed...
    const other = `${hostname()}#${process.pid}#manual`;
    await store.acquireLease(chartLeaseName(KEY), other, 60_000);
    now = at(10);
    expect((await hourly()(slotJob(slot(10)))).kind).toBe('postpone');
    await store.releaseLease(chartLeaseName(KEY), other);
    // ...and the 11:00 job takes the chart first: 10:00 is not missed, its job still comes.
    now = at(11);
    expect(await hourly()(slotJob(slot(11)))).toStrictEqual({ kind: 'done' });
    expect(await store.getRun(scheduledRunId(KEY, slot(10)))).toBeNull();
    expect(await hourly()(slotJob(slot(10)))).toStrictEqual({ kind: 'done' });
    expect((await store.getRun(scheduledRunId(KEY, slot(10))))?.state).toBe('succeeded');

    // A slot with no job of its own (nothing ran at 12:00) is missed, as soon as a later one runs.
    now = at(13);
    expect(await hourly()(slotJob(slot(13)))).toStrictEqual({ kind: 'done' });
    expect((await store.getRun(scheduledRunId(KEY, slot(12))))?.state).toBe('missed');

    // A postponed job that never comes back leaves its slot to the check after the next slot.
    await store.acquireLease(chartLeaseName(KEY), other, 60_000);
    now = at(14);
    expect((await hourly()(slotJob(slot(14)))).kind).toBe('postpone');
    await store.releaseLease(chartLeaseName(KEY), other);
    now = at(15);
    expect(await hourly()(slotJob(slot(15)))).toStrictEqual({ kind: 'done' });
    expect(await store.getRun(scheduledRunId(KEY, slot(14)))).toBeNull();
    now = at(16);
    expect(await hourly()(slotJob(slot(16)))).toStrictEqual({ kind: 'done' });
    const ledger = (await runs()).sort((a, b) =>
      (a.scheduledFor ?? '').localeCompare(b.scheduledFor ?? ''),
    );
    expect(ledger.map((r) => [r.scheduledFor?.slice(11, 13), r.state])).toStrictEqual([
      ['09', 'succeeded'],
      ['10', 'succeeded'],
      ['11', 'succeeded'],
      ['12', 'missed'],
      ['13', 'succeeded'],
      ['14', 'missed'],
      ['15', 'succeeded'],
      ['16', 'succeeded'],
    ]);
  });

  describe("while Spotify's quota is exhausted", () => {
    const hourly = () => handler(spotify(), { cron: '0 * * * *' });
    const slot = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const apiCalls = () => emulator.requests.length;

    it('fails the run after one request, keeps until when, and defers later captures without calling Spotify', async () => {
      emulator.exhaustQuota(49_000);
      now = new Date('2026-11-20T06:00:01.000Z');
      expect(await hourly()(slotJob(slot(6)))).toMatchObject({ kind: 'failed' });
      // The token, then one playlist request answered 429: no retry, however many attempts.
      expect(emulator.requests.map((r) => [r.path.replace(DAILY, 'ID'), r.status])).toStrictEqual([
        ['/api/token', 200],
        ['/v1/playlists/ID', 429],
      ]);
      const failed = await store.getRun(scheduledRunId(KEY, slot(6)));
      expect(failed?.state).toBe('failed');
      expect(failed?.error).toMatchObject({ code: 'spotify-quota', permanent: true });
      expect(failed?.error?.message).toMatch(
        /^Spotify's quota is exhausted until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(13 h 37 min from now\): GET \/playlists\/\w+ answered 429 at .* \(reason QUOTA_EXCEEDED, Retry-After 49000 s\)$/,
      );
      expect(failed?.error?.hint).toMatch(/deferred.*run --force/);
      expect(task(failed, 'fetch')).toMatchObject({ state: 'failed', attempts: 1 });
      const kept = await store.getState('spotify.quota');
      expect(kept).toMatchObject({ reason: 'QUOTA_EXCEEDED', retryAfterSeconds: 49_000 });
      expect(Date.parse(kept?.until ?? '') - Date.parse(kept?.seenAt ?? '')).toBe(49_000_000);

      // The next slot and a triggered capture are deferred: recorded, and Spotify is not called.
      const calls = apiCalls();
      now = new Date('2026-11-20T07:00:01.000Z');
      expect(await hourly()(slotJob(slot(7)))).toStrictEqual({ kind: 'done' });
      expect(await hourly()(manualJob())).toStrictEqual({ kind: 'done' });
      expect(apiCalls()).toBe(calls);
      for (const id of [scheduledRunId(KEY, slot(7)), 'manual-1']) {
        const deferred = await store.getRun(id);
        expect(deferred).toMatchObject({
          state: 'deferred',
          chartDate: '2026-11-20',
          finishedAt: now.toISOString(),
          startedAt: null,
        });
        expect(deferred?.error?.code).toBe('spotify-quota');
        expect(deferred?.error?.message).toMatch(/^Spotify's quota is exhausted until /);
        expect(deferred?.tasks.every((t) => t.state === 'pending')).toBe(true);
      }
      expect(reports.at(-1)).toMatch(/run manual-1 .* deferred: Spotify's quota is exhausted/);
      // Delivered again, a deferred run stays as it is.
      expect(await hourly()(manualJob())).toStrictEqual({ kind: 'done' });
      expect(apiCalls()).toBe(calls);

      // Once the quota resumes, captures call Spotify again.
      emulator.exhaustQuota(null);
      now = new Date(Date.parse(kept?.until ?? '') + 1_000);
      day = now.toISOString().slice(0, 10);
      expect(await hourly()(manualJob('manual-2'))).toStrictEqual({ kind: 'done' });
      expect((await store.getRun('manual-2'))?.state).toBe('succeeded');
    });

    it('still finishes a run that kept its capture, since that needs no call to Spotify', async () => {
      const real = spotify();
      let normaliseCalls = 0;
      const flaky: ChartNormaliser = {
        source: real.source,
        normalise: (payload) => {
          normaliseCalls += 1;
          if (normaliseCalls === 1) throw new Error('normaliser hiccup');
          return spotifyPlaylistNormaliser.normalise(payload);
        },
      };
      const handle = handler(real, { normaliser: flaky });
      expect((await handle(manualJob())).kind).toBe('retry');
      await store.setState('spotify.quota', {
        until: new Date(now.getTime() + 3_600_000).toISOString(),
        seenAt: now.toISOString(),
        reason: 'QUOTA_EXCEEDED',
        retryAfterSeconds: 3600,
        request: `GET /playlists/${DAILY}`,
      });
      const calls = apiCalls();
      expect(await handle(manualJob())).toStrictEqual({ kind: 'done' });
      expect((await store.getRun('manual-1'))?.state).toBe('succeeded');
      expect(apiCalls()).toBe(calls);
    });
  });
});
