import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const { daily: DAILY, large: LARGE } = EMULATOR_PLAYLISTS;

describe('chartkeeper chart, runs, logs and run (built binary, emulator, SQLite file)', () => {
  const sandbox = cliSandbox('ck-reads-');
  const cli = sandbox.run;

  it('reads a store that does not exist as empty, without creating it', async () => {
    const runs = await cli(['runs']);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(/^No runs yet/);
    const json = await cli(['runs', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toStrictEqual({ runs: [] });

    const chart = await cli(['chart', '--json']);
    expect(chart.code).toBe(1);
    expect(chart.stderr).toMatch(/No chart of 5FN6Ego7eLX6zHuCMovIR2 is stored/);
    expect(chart.stderr).toMatch(/chartkeeper run/);

    const logs = await cli(['logs']);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toMatch(/No runs yet/);

    // A missing directory is a mistyped setting rather than a store not written yet.
    const nested = join(sandbox.dir, 'not', 'yet', 'store.db');
    expect((await cli(['runs'], { CHARTKEEPER_STORE: nested })).code).toBe(2);
    expect(existsSync(join(sandbox.dir, 'not'))).toBe(false);
    expect(readdirSync(sandbox.dir)).toStrictEqual([]);
  });

  it('shows the latest captured chart when the configured one was never captured', async () => {
    const run = await cli(['run', '-p', LARGE, '--json']);
    expect(run.code).toBe(0);

    const json = await cli(['chart', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ chartId: LARGE });
    const table = await cli(['chart', '--limit', '3']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe(
      `No chart of the configured chart ${DAILY} is stored; showing the chart stored most recently, ${LARGE}.`,
    );
    expect(table.stdout).toContain(`· ${LARGE}\n`);

    // Asked for by name, a chart never captured is still reported missing.
    const named = await cli(['chart', '-p', DAILY]);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/No chart of 5FN6Ego7eLX6zHuCMovIR2 is stored/);

    // Once the configured chart has been captured, it is the default again.
    expect((await cli(['run'])).code).toBe(0);
    expect(JSON.parse((await cli(['chart', '--json'])).stdout)).toMatchObject({ chartId: DAILY });
    expect((await cli(['chart'])).stdout).not.toMatch(/No chart of the configured playlist/);
  });

  it('paces its Web API calls by the configured rate limit without a queue', async () => {
    writeFileSync(
      join(sandbox.dir, 'chartkeeper.config.json'),
      JSON.stringify({ rateLimit: { max: 1, perMs: 1_500 } }),
    );
    const started = performance.now();
    const run = await cli(['run', '--json']);
    const elapsed = performance.now() - started;
    expect(run.code).toBe(0);
    // The playlist's metadata, then its items: the second call waits for the first to leave
    // the window.
    const calls = sandbox.emulator.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
  });
});
