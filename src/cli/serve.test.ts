import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../domain/run.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { retryRunId } from '../lib/run-ids.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { dailyAt, ledgerUntil } from '../test-support/ledger.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const LARGE = EMULATOR_PLAYLISTS.large;
const KEY = { source: 'spotify-playlist', chartId: DAILY };

describe('chartkeeper serve (built binary, emulator over HTTP, SQLite file)', () => {
  const sandbox = cliSandbox('ck-serve-', { openStore: true });

  const configure = (config: object) =>
    writeFileSync(join(sandbox.dir, 'chartkeeper.config.json'), JSON.stringify(config));
  const serve = () => sandbox.start(['serve', '--log-format', 'pretty']);
  const cli = sandbox.run;

  it('captures on a schedule of every two seconds, each slot once, and stops cleanly on SIGTERM', async () => {
    configure({ schedule: '*/2 * * * * *', charts: [DAILY, LARGE] });
    const server = serve();
    await server.waitFor(/serving: schedule "\*\/2 \* \* \* \* \*" in UTC/);
    const started = Date.now();
    const onSchedule = (runs: Run[]) =>
      runs.filter(
        (r) =>
          r.trigger === 'schedule' &&
          r.state === 'succeeded' &&
          Date.parse(r.scheduledFor as string) >= started,
      );
    const runs = onSchedule(
      await ledgerUntil(sandbox.store, (all) => onSchedule(all).length >= 4, 10_000, 'two slots'),
    );
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: stopping[\s\S]*stopped\n$/);

    const slots = [...new Set(runs.map((r) => Date.parse(r.scheduledFor as string)))].sort();
    expect(slots.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(2_000);
    // Never before its slot (how late depends on how busy the machine is).
    for (const run of runs) {
      expect(Date.parse(run.startedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(run.scheduledFor as string),
      );
    }
    const keys = runs.map((r) => `${r.chartId}@${r.scheduledFor}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(runs.map((r) => r.chartId))).toStrictEqual(new Set([DAILY, LARGE]));
  });

  it('after a crash mid-capture, a restart fails the interrupted run and retries it: no duplicate, no partial chart', async () => {
    const { cron, at } = dailyAt(2);
    configure({ schedule: cron, charts: [DAILY] });
    // The first capture hangs in the fetch, long enough to kill the process there.
    sandbox.emulator.inject({ kind: 'slow', path: 'items', delayMs: 5_000, times: 1 });
    const first = serve();
    await first.waitFor(/serving:/);
    const stuck = await ledgerUntil(
      sandbox.store,
      (runs) => runs.some((r) => r.tasks.some((t) => t.name === 'fetch' && t.state === 'running')),
      60_000,
      'the fetch to start',
    );
    expect(await first.stop('SIGKILL')).toBeNull();
    const interrupted = stuck[0] as Run;
    expect(interrupted).toMatchObject({ state: 'running', scheduledFor: at.toISOString() });

    const second = serve();
    await second.waitFor(/was interrupted; retrying as run/);
    const runs = await ledgerUntil(
      sandbox.store,
      (all) => all.some((r) => r.id === retryRunId(interrupted.id) && r.state === 'succeeded'),
      60_000,
      'the retry to succeed',
    );
    expect(await second.stop('SIGTERM')).toBe(0);

    expect(runs).toHaveLength(2);
    const failed = runs.find((r) => r.id === interrupted.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.error?.code).toBe('interrupted');
    expect(failed?.tasks.find((t) => t.name === 'fetch')?.state).toBe('failed');
    const retry = runs.find((r) => r.id === retryRunId(interrupted.id));
    expect(retry).toMatchObject({ trigger: 'schedule', scheduledFor: at.toISOString() });
    const charts = await sandbox.store.listCharts({ key: KEY });
    expect(charts).toHaveLength(1);
    expect(charts[0]?.entryCount).toBe(50);
    const head = await sandbox.store.latestCaptureHead(KEY);
    expect((await sandbox.store.getCapture(head?.id ?? ''))?.runId).toBe(retry?.id);
  });

  it('runs a capture triggered while it serves, keeps the schedule paused, and shows task logs', async () => {
    configure({ schedule: '* * * * * *', charts: [DAILY] });
    // Paused before serve starts: the flag lives in the store, not in a process.
    const paused = await cli(['pause']);
    expect(paused.stdout).toMatch(/^Schedule paused since \d{4}-/);
    const server = serve();
    await server.waitFor(/\(paused: `chartkeeper resume` to run it\)/);
    await ledgerUntil(
      sandbox.store,
      (runs) => runs.some((r) => r.state === 'missed'),
      60_000,
      'a missed slot',
    );

    const triggered = await cli(['trigger', '--wait', '--playlist', DAILY]);
    expect(triggered.stderr).toBe('');
    expect(triggered.code).toBe(0);
    expect(triggered.stdout).toMatch(/^queued run [0-9a-f]{8} for 5FN6Ego7eLX6zHuCMovIR2\n✓ /);
    let runs = await sandbox.store.listRuns({ limit: 100 });
    const scheduled = runs.filter((r) => r.trigger === 'schedule');
    expect(scheduled.every((r) => r.state === 'missed')).toBe(true);
    expect(scheduled[0]?.error?.message).toMatch(/the schedule was paused/);

    expect((await cli(['resume'])).stdout).toMatch(
      /^Schedule running \("\* \* \* \* \* \*" in UTC, next slot /,
    );
    runs = await ledgerUntil(
      sandbox.store,
      (all) => all.some((r) => r.trigger === 'schedule' && r.state === 'succeeded'),
      60_000,
      'a scheduled capture after resume',
    );
    expect(await server.stop('SIGINT')).toBe(0);

    // Through the API of the serve: its runs say so.
    const manual = runs.find((r) => r.trigger === 'api') as Run;
    const logs = await cli(['logs', manual.id.slice(0, 8)]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(new RegExp(`^run ${manual.id} {2}${DAILY} {2}api {2}succeeded`));
    expect(logs.stdout).toMatch(/── fetch: succeeded, 1 attempt\n.*playlist "Top 50 - Global"/);
    expect(logs.stdout).toMatch(/── store-chart: succeeded, 1 attempt\n.*stored chart/);
    expect(logs.stdout).not.toContain(sandbox.emulator.credentials.clientSecret);
    const listed = await cli(['runs']);
    expect(listed.stdout).toMatch(/schedule +missed/);
  });

  it('explains a worker without a queue, a bad schedule and an unknown run, and exits non-zero', async () => {
    const worker = await cli(['worker']);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(
      /`chartkeeper worker` takes captures from a queue, but CHARTKEEPER_QUEUE/,
    );
    configure({ schedule: 'every day' });
    const bad = await cli(['serve']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /"schedule" in .*chartkeeper\.config\.json is not a usable cron schedule/,
    );
    configure({});
    const missing = await cli(['logs', 'ffffffff']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No run ffffffff\./);
  });
});
