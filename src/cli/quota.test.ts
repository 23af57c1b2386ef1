import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../domain/run.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { ledgerUntil } from '../test-support/ledger.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const LARGE = EMULATOR_PLAYLISTS.large;
const UNTIL = /Spotify's quota is exhausted until \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin/;

describe("Spotify's quota and Premium (built binary, emulator over HTTP, SQLite file)", () => {
  const sandbox = cliSandbox('ck-quota-', {
    openStore: true,
    env: () => ({ CHARTKEEPER_TIMEZONE: 'Europe/Berlin', CHARTKEEPER_PORT: '0' }),
  });
  beforeEach(() => {
    sandbox.emulator.exhaustQuota(null);
    sandbox.emulator.setPremium(true, 'json');
    sandbox.emulator.setMode('extended');
    sandbox.emulator.requests.length = 0;
  });
  const cli = sandbox.run;
  const apiCalls = () => sandbox.emulator.requests.filter((r) => r.path.startsWith('/v1/'));

  it('fails at the first quota 429 with one request, then refuses until it resumes; --force tries', async () => {
    sandbox.emulator.exhaustQuota(49_000);
    const first = await cli(['run', '-p', DAILY, '-p', LARGE, '--json']);
    expect(first.code).toBe(1);
    // One request to Spotify for both charts: the second is deferred without calling it.
    expect(apiCalls().map((r) => r.status)).toStrictEqual([429]);
    const report = JSON.parse(first.stdout);
    expect(report.ok).toBe(false);
    expect(report.runs.map((r: Run) => [r.chartId, r.state, r.error?.code])).toStrictEqual([
      [DAILY, 'failed', 'spotify-quota'],
      [LARGE, 'deferred', 'spotify-quota'],
    ]);
    expect(report.runs[0].error.message).toMatch(UNTIL);
    expect(report.runs[0].error.message).toContain('reason QUOTA_EXCEEDED, Retry-After 49000 s');
    const kept = await sandbox.store.getState('spotify.quota');
    expect(kept).toMatchObject({ reason: 'QUOTA_EXCEEDED', retryAfterSeconds: 49_000 });

    const refused = await cli(['run']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(`^chartkeeper: ${UNTIL.source} \\(\\d+ h( \\d+ min)? from now\\)`),
    );
    expect(refused.stderr).toMatch(
      /\n {2}chartkeeper calls Spotify again after that time.*--force/,
    );
    // Refused before anything: no token, no request, no run.
    expect(sandbox.emulator.requests).toHaveLength(2);
    expect(await sandbox.store.listRuns({ limit: 10 })).toHaveLength(2);

    const forced = await cli(['run', '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(new RegExp(`✗ ${DAILY}: fetch failed: ${UNTIL.source}`));
    expect(apiCalls().map((r) => r.status)).toStrictEqual([429, 429]);

    const runs = await cli(['runs']);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(
      new RegExp(`${LARGE}\\s+manual\\s+deferred\\s+\\d{4}-\\d\\d-\\d\\d.*${UNTIL.source}`),
    );
    expect(runs.stdout).toMatch(/fetch: Spotify's quota is exhausted until/);
  });

  it('forgets the quota once Spotify answers again (given back early): --force, then plain runs', async () => {
    sandbox.emulator.exhaustQuota(49_000);
    expect((await cli(['run', '-p', DAILY])).code).toBe(1);
    expect(await sandbox.store.getState('spotify.quota')).not.toBeNull();
    sandbox.emulator.exhaustQuota(null);
    expect((await cli(['run', '-p', DAILY])).code).toBe(1); // still refused: the store says so
    const forced = await cli(['run', '-p', DAILY, '--force']);
    expect(forced.code).toBe(0);
    expect(await sandbox.store.getState('spotify.quota')).toBeNull();
    const plain = await cli(['run', '-p', LARGE]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
  });

  it('records scheduled captures as deferred while the quota is exhausted, calling Spotify never', async () => {
    await sandbox.store.setState('spotify.quota', {
      until: new Date(Date.now() + 3_600_000).toISOString(),
      seenAt: new Date().toISOString(),
      reason: 'QUOTA_EXCEEDED',
      retryAfterSeconds: 3600,
      request: `GET /playlists/${DAILY}`,
    });
    writeFileSync(
      join(sandbox.dir, 'chartkeeper.config.json'),
      JSON.stringify({ schedule: '*/2 * * * * *', charts: [DAILY] }),
    );
    const server = sandbox.start(['serve', '--log-format', 'pretty']);
    await server.waitFor(/serving:/);
    const deferred = (runs: Run[]) =>
      runs.filter((r) => r.trigger === 'schedule' && r.state === 'deferred');
    await ledgerUntil(sandbox.store, (all) => deferred(all).length >= 2, 20_000, 'two deferred');
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toMatch(/deferred: Spotify's quota is exhausted until/);
    expect(sandbox.emulator.requests).toHaveLength(0);

    const json = JSON.parse((await cli(['runs', '--json'])).stdout).runs as Run[];
    expect(json.filter((r) => r.state !== 'deferred')).toStrictEqual([]);
    expect(json[0]?.error?.message).toMatch(UNTIL);
  });

  it.each(['json', 'text'] as const)(
    'explains a Premium lapse answered as %s, after one request',
    async (as) => {
      sandbox.emulator.setMode('development');
      sandbox.emulator.setPremium(false, as);
      const result = await cli(['run']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `✗ ${DAILY}: fetch failed: Spotify refused GET /playlists/${DAILY} because the account that owns the Spotify app has no active Premium subscription`,
      );
      expect(result.stderr).toMatch(/\n {2}A Development Mode app works only while the account/);
      expect(apiCalls()).toHaveLength(1);
      const [run] = JSON.parse((await cli(['runs', '--json'])).stdout).runs as Run[];
      expect(run?.error?.code).toBe('spotify-premium');
    },
  );
});
