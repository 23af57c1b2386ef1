import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';

const { daily, editorial } = EMULATOR_PLAYLISTS;

describe('chartkeeper doctor (built binary, emulator over HTTP, SQLite file)', () => {
  const sandbox = cliSandbox('ck-doctor-cli-', {
    env: (dir) => ({
      CHARTKEEPER_TIMEZONE: 'Europe/Berlin',
      // Never the credentials file of whoever runs the tests.
      CHARTKEEPER_AUTH_FILE: join(dir, 'credentials.json'),
    }),
  });
  beforeEach(() => {
    sandbox.emulator.setMode('extended');
    sandbox.emulator.exhaustQuota(null);
    sandbox.emulator.requests.length = 0;
    writeFileSync(
      join(sandbox.dir, 'chartkeeper.config.json'),
      JSON.stringify({ charts: [daily, editorial] }),
    );
  });
  const doctor = (...args: string[]) => sandbox.run(['doctor', ...args]);

  it('exits 0 when every chart can be captured, 1 when one cannot, saying why and what to do', async () => {
    const fine = await doctor();
    expect(fine.stderr).toBe('');
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/^✓ configuration {2}read and valid: 2 charts/);
    expect(fine.stdout).toContain(`✓ ${daily} "Top 50 - Global": can be captured`);
    expect(fine.stdout).toContain('Spotify app: the answers point to Extended Quota Mode');
    expect(fine.stdout).toMatch(/Every chart \(2\) can be captured\.\n$/);
    expect(sandbox.emulator.requests).toHaveLength(5);

    sandbox.emulator.setMode('development-legacy');
    const editorialGone = await doctor();
    expect(editorialGone.code).toBe(1);
    expect(editorialGone.stdout).toContain(
      `✗ ${editorial}: cannot be captured: Playlist ${editorial} is a Spotify-owned editorial playlist, and those answer 404 to Development Mode apps since 2024-11-27`,
    );
    expect(editorialGone.stdout).toMatch(
      /\n {4}What to do: Only Extended Quota apps .*`chartkeeper import`\n/,
    );
    expect(editorialGone.stdout).toContain('1 of 2 charts can be captured.');

    sandbox.emulator.setMode('development');
    const json = await doctor('--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.app.mode).toBe('development-owned-only');
    expect(report.charts.map((c: { code: string }) => c.code)).toStrictEqual([
      'spotify-forbidden',
      'spotify-not-found',
    ]);
  });

  it('reports a known quota exhaustion without calling Spotify', async () => {
    sandbox.emulator.exhaustQuota(49_000);
    const first = await doctor();
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      new RegExp(
        `✗ ${daily}: cannot be captured: Spotify's quota is exhausted until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Europe/Berlin`,
      ),
    );
    const calls = sandbox.emulator.requests.length;
    expect(calls).toBe(2);
    const second = await doctor();
    expect(second.code).toBe(1);
    expect(second.stdout).toContain(
      '– credentials    not checked: Spotify is not called while its quota is exhausted',
    );
    expect(sandbox.emulator.requests).toHaveLength(calls);
  });
});
