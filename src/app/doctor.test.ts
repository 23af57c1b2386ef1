import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import {
  EMULATOR_PLAYLISTS,
  type EmulatorOptions,
  type RunningEmulator,
} from '../emulator/emulator.js';
import { emulatorEnvironment } from '../emulator/environment.js';
import { emulatorStarter } from '../test-support/emulator-client.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { emulatorLogin } from '../test-support/user-login.js';
import { openApp } from './open-app.js';

const { daily, editorial, large } = EMULATOR_PLAYLISTS;
const CHARTS = [daily, editorial, large];
const start = emulatorStarter();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An app on a new SQLite store, configured (a config file) for `charts` against a new emulator. */
async function doctorAgainst(
  options: EmulatorOptions,
  settings: {
    charts?: (string | { playlist: string; auth: 'user' | 'app' })[];
    env?: (emulator: RunningEmulator) => Promise<NodeJS.ProcessEnv> | NodeJS.ProcessEnv;
  } = {},
) {
  const emulator = await start(options);
  const dir = mkdtempSync(join(tmpdir(), 'ck-doctor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'chartkeeper.config.json'),
    JSON.stringify({ charts: settings.charts ?? CHARTS }),
  );
  const { config } = loadConfig(
    emulatorEnvironment(emulator, {
      CHARTKEEPER_STORE: join(dir, 'store.db'),
      CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
      CHARTKEEPER_TIMEZONE: 'Europe/Berlin',
      // Never the credentials file of whoever runs the tests.
      CHARTKEEPER_AUTH_FILE: join(dir, 'credentials.json'),
      ...(await settings.env?.(emulator)),
    }),
    dir,
  );
  const app = await openApp(config, { access: 'write', logger: recordingLogger() });
  cleanups.push(() => app.close());
  // Only what the doctor asks counts.
  emulator.requests.length = 0;
  return { emulator, app };
}

const verdicts = (report: {
  charts: { chartId: string; capturable: boolean; code: string | null }[];
}) => report.charts.map((c) => [c.chartId, c.capturable, c.code]);

describe('doctor (emulator over HTTP, real SQLite file)', () => {
  it('extended: every chart can be captured, with a token and two small requests per chart', async () => {
    const { emulator, app } = await doctorAgainst({ mode: 'extended' });
    const report = await app.doctor();
    expect(report.ok).toBe(true);
    expect(verdicts(report)).toStrictEqual(CHARTS.map((id) => [id, true, null]));
    expect(report.charts[0]?.title).toBe('Top 50 - Global');
    expect(report.app).toMatchObject({
      credentials: 'accepted',
      mode: 'extended',
      ownerPremium: null,
    });
    expect(report.checks.map((c) => [c.name, c.status])).toStrictEqual([
      ['configuration', 'ok'],
      ['store', 'ok'],
      ['queue', 'skipped'],
      ['user login', 'skipped'],
      ['credentials', 'ok'],
    ]);
    // At most 2 + 2 × charts; the item probe asks for one item and its total only.
    expect(emulator.requests).toHaveLength(1 + 2 * CHARTS.length);
    const items = emulator.requests.filter((r) => r.path.endsWith('/items'));
    expect(items.every((r) => r.query === '?limit=1&fields=total')).toBe(true);
    // Kept for the status page.
    expect((await app.spotifyStatus()).app).toStrictEqual(report.app);
  });

  it('development mode before 2026-02-11: the editorial playlist 404s, the others can be captured', async () => {
    const { app } = await doctorAgainst({ mode: 'development-legacy' });
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(verdicts(report)).toStrictEqual([
      [daily, true, null],
      [editorial, false, 'spotify-not-found'],
      [large, true, null],
    ]);
    const refused = report.charts[1];
    expect(refused?.why).toMatch(
      /editorial playlist.*404 to Development Mode apps since 2024-11-27/,
    );
    expect(refused?.todo).toMatch(/Extended Quota.*chartkeeper import/);
    expect(report.app).toMatchObject({ mode: 'development', ownerPremium: true });
  });

  it('development mode since 2026-02-11: 403 on playlists the app-only token does not own', async () => {
    const { app } = await doctorAgainst({ mode: 'development' });
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(verdicts(report)).toStrictEqual([
      [daily, false, 'spotify-forbidden'],
      [editorial, false, 'spotify-not-found'],
      [large, false, 'spotify-forbidden'],
    ]);
    expect(report.charts[0]?.why).toMatch(/owns or collaborates on/);
    expect(report.charts[0]?.todo).toMatch(
      /^Log in \(`chartkeeper auth login`\) and read a playlist you own or collaborate on.*Extended Quota.*chartkeeper import/,
    );
    expect(report.app?.mode).toBe('development-owned-only');
  });

  it.each(['json', 'text'] as const)(
    'an owner without Premium (%s body): explained once, the other charts not asked about',
    async (premiumRefusal) => {
      const { emulator, app } = await doctorAgainst({
        mode: 'development',
        ownerHasPremium: false,
        premiumRefusal,
      });
      const report = await app.doctor();
      expect(verdicts(report)).toStrictEqual(CHARTS.map((id) => [id, false, 'spotify-premium']));
      expect(report.charts.map((c) => c.probed)).toStrictEqual([true, false, false]);
      expect(report.charts[0]?.why).toMatch(/has no active Premium subscription/);
      expect(report.charts[0]?.todo).toMatch(/Development Mode app works only while/);
      expect(report.app).toMatchObject({ ownerPremium: false, mode: 'development' });
      expect(emulator.requests).toHaveLength(2);
    },
  );

  it('a quota met on the way is kept, and the next doctor does not call Spotify at all', async () => {
    const { emulator, app } = await doctorAgainst({ quotaExhaustedSeconds: 49_000 });
    const first = await app.doctor();
    expect(first.ok).toBe(false);
    expect(verdicts(first)).toStrictEqual(CHARTS.map((id) => [id, false, 'spotify-quota']));
    expect(first.charts[0]?.why).toMatch(
      /^Spotify's quota is exhausted until \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin/,
    );
    expect(first.charts[0]?.todo).toMatch(/Extended Quota/);
    expect(emulator.requests.map((r) => r.status)).toStrictEqual([200, 429]);

    const second = await app.doctor();
    expect(emulator.requests).toHaveLength(2);
    expect(second.checks.at(-1)).toMatchObject({ name: 'credentials', status: 'skipped' });
    expect(second.charts.every((c) => !c.probed && c.code === 'spotify-quota')).toBe(true);
    const status = await app.spotifyStatus();
    expect(status.quota).toMatchObject({ reason: 'QUOTA_EXCEEDED', exhausted: true });
    expect(Date.parse(status.quota?.until ?? '') - Date.parse(status.quota?.seenAt ?? '')).toBe(
      49_000_000,
    );
  });

  it('refused credentials: said once, no playlist asked about, the secret never shown', async () => {
    const { emulator, app } = await doctorAgainst(
      {},
      { env: () => ({ SPOTIFY_CLIENT_SECRET: 'wrong-secret-123' }) },
    );
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({ name: 'credentials', status: 'failed' });
    expect(report.checks.at(-1)?.detail).toMatch(/invalid_client/);
    expect(report.app?.credentials).toBe('refused');
    expect(report.charts.every((c) => !c.capturable && c.code === 'spotify-auth')).toBe(true);
    expect(emulator.requests.map((r) => r.path)).toStrictEqual(['/api/token']);
    expect(JSON.stringify(report)).not.toContain('wrong-secret-123');
  });

  it('missing credentials: the configuration check says which, and Spotify is not called', async () => {
    const { emulator, app } = await doctorAgainst(
      {},
      { env: () => ({ SPOTIFY_CLIENT_SECRET: '' }) },
    );
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({
      name: 'configuration',
      status: 'failed',
      detail: expect.stringMatching(/SPOTIFY_CLIENT_SECRET is not set$/),
    });
    expect(report.app?.credentials).toBe('missing');
    expect(report.charts.every((c) => !c.capturable && !c.probed)).toBe(true);
    expect(emulator.requests).toHaveLength(0);
  });

  it('a chart read with the user login is probed with the user token, the others with the app token', async () => {
    const { emulator, app } = await doctorAgainst(
      { mode: 'development' },
      {
        charts: [{ playlist: daily, auth: 'user' }, large],
        env: async (emu) => ({ SPOTIFY_REFRESH_TOKEN: (await emulatorLogin(emu)).refreshToken }),
      },
    );
    const report = await app.doctor();
    // The user owns the daily playlist; the app-only token reads no items in this mode.
    expect(verdicts(report)).toStrictEqual([
      [daily, true, null],
      [large, false, 'spotify-forbidden'],
    ]);
    expect(report.checks.find((c) => c.name === 'user login')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^SPOTIFY_REFRESH_TOKEN supplies the user login \(1 chart/),
    });
    // An app token, a user token, two requests per chart: at most 2 + 2 × charts.
    expect(emulator.requests.filter((r) => r.path === '/api/token')).toHaveLength(2);
    expect(emulator.requests).toHaveLength(2 + 2 * 2);
  });

  it('a chart configured for the user login with nobody logged in fails the login check', async () => {
    const { emulator, app } = await doctorAgainst(
      { mode: 'development' },
      { charts: [{ playlist: daily, auth: 'user' }] },
    );
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'user login')).toMatchObject({
      status: 'failed',
      detail: 'no user login, but 1 chart configured with "auth": "user" need one',
      hint: 'Log in with: chartkeeper auth login',
    });
    expect(report.checks.at(-1)).toMatchObject({ name: 'credentials', status: 'skipped' });
    expect(report.charts[0]).toMatchObject({ capturable: false, probed: true });
    expect(emulator.requests.filter((r) => r.path.startsWith('/v1/'))).toHaveLength(0);
  });

  it('a configured queue that cannot be reached fails its check', async () => {
    const { app } = await doctorAgainst(
      {},
      { env: () => ({ CHARTKEEPER_QUEUE: 'redis://127.0.0.1:1' }) },
    );
    const report = await app.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'queue')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/),
    });
    expect(report.charts.every((c) => c.capturable)).toBe(true);
  });
});
