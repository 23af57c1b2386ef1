import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { CLI, cliBaseEnv } from '../test-support/cli.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { echoingSpotify } from '../test-support/echoing-spotify.js';

const DAILY = EMULATOR_PLAYLISTS.daily;

describe('chartkeeper CLI (built binary, emulator over HTTP, SQLite file)', () => {
  const sandbox = cliSandbox('ck-cli-');
  beforeEach(() => {
    sandbox.emulator.setMode('extended');
  });

  const cli = sandbox.run;

  it('runs, stores the chart once per day, and shows it and the ledger', async () => {
    const first = await cli(['run']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`✓ ${DAILY} \\d{4}-\\d{2}-\\d{2}: 50 entries stored`));

    const second = await cli(['run', '--json']);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.ok).toBe(true);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toMatchObject({
      chartId: DAILY,
      state: 'succeeded',
      trigger: 'manual',
      entryCount: 50,
    });

    const chart = JSON.parse((await cli(['chart', '--json'])).stdout);
    expect(chart.chartId).toBe(DAILY);
    expect(chart.entries).toHaveLength(50);
    expect(chart.entries[0]).toMatchObject({ position: 1, movement: 'new', daysOnChart: 1 });

    const table = await cli(['chart', '--limit', '5']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[3]).toMatch(/^\s*#\s+MOVE\s+TITLE\s+ARTISTS\s+DAYS\s+PEAK$/);
    expect(table.stdout).toContain('… 45 more');

    const runs = JSON.parse((await cli(['runs', '--json'])).stdout).runs;
    expect(runs).toHaveLength(2);
    expect(runs.every((r: { state: string }) => r.state === 'succeeded')).toBe(true);
    expect((await cli(['runs'])).stdout).toMatch(/^CREATED \(UTC\)\s+RUN\s+CHART/);

    const bytes = readFileSync(join(sandbox.dir, 'store.db')).toString('latin1');
    expect(bytes).not.toContain(sandbox.emulator.credentials.clientSecret);
    for (const out of [first, second, table]) {
      expect(out.stdout + out.stderr).not.toContain(sandbox.emulator.credentials.clientSecret);
    }
  });

  it('captures the playlists given with --playlist, as ids or links', async () => {
    const result = await cli([
      'run',
      '--playlist',
      `https://open.spotify.com/playlist/${EMULATOR_PLAYLISTS.large}?si=x`,
      '-p',
      `spotify:playlist:${EMULATOR_PLAYLISTS.awkward}`,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const { runs } = JSON.parse(result.stdout);
    expect(runs.map((r: { chartId: string }) => r.chartId)).toEqual([
      EMULATOR_PLAYLISTS.large,
      EMULATOR_PLAYLISTS.awkward,
    ]);
    expect(runs[0].entryCount).toBe(200);
    const awkward = JSON.parse(
      (await cli(['chart', '-p', EMULATOR_PLAYLISTS.awkward, '--json'])).stdout,
    );
    expect(awkward.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual([
      'episode',
      'local-file',
      'removed',
    ]);
  });

  it('exits 1 with an explanation when Spotify refuses, and 0 only if every chart was captured', async () => {
    sandbox.emulator.setMode('development-legacy');
    const result = await cli(['run', '-p', EMULATOR_PLAYLISTS.editorial, '-p', DAILY]);
    expect(result.code).toBe(1);
    // Failures on stderr, results on stdout.
    expect(result.stderr).toMatch(/^✗ 37i9dQZEVXbMDoHDwVN2tF: fetch failed: .*(404|not found)/im);
    expect(result.stderr).toMatch(/^ {2}Only Extended Quota apps/m);
    expect(result.stdout).toMatch(/^✓ 5FN6Ego7eLX6zHuCMovIR2/m);
    expect(result.stdout).not.toMatch(/✗/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('never records or prints an access token that Spotify echoes in an error', async () => {
    const spotify = await echoingSpotify();
    try {
      const env = { SPOTIFY_API_URL: spotify.apiUrl, SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl };
      const plain = await cli(['run'], env);
      const json = await cli(['run', '--json'], env);
      expect(plain.code).toBe(1);
      expect(json.code).toBe(1);
      // The echo did reach chartkeeper, masked.
      expect(plain.stderr).toMatch(/403.*Authorization: Bearer \[redacted\]/);
      const runs = JSON.parse((await cli(['runs', '--json'])).stdout).runs;
      expect(runs).toHaveLength(2);
      expect(JSON.stringify(runs)).toContain('Bearer [redacted]');
      const bytes = readFileSync(join(sandbox.dir, 'store.db')).toString('latin1');
      expect(spotify.tokens).toHaveLength(2);
      for (const token of spotify.tokens) {
        for (const text of [plain.stdout, plain.stderr, json.stdout, json.stderr, bytes]) {
          expect(text).not.toContain(token);
        }
      }
    } finally {
      await spotify.close();
    }
  });

  it('retries through rate limits and server errors', async () => {
    sandbox.emulator.inject({ kind: 'rate-limit', times: 2, path: 'items', retryAfterSeconds: 1 });
    sandbox.emulator.inject({ kind: 'server-error', times: 1, path: 'playlist', status: 503 });
    const result = await cli(['run', '--json']);
    expect(result.code).toBe(0);
    const logs = JSON.parse(result.stdout).runs[0].tasks[1].logs.map(
      (l: { message: string }) => l.message,
    );
    expect(logs.join('\n')).toMatch(/429/);
    expect(logs.join('\n')).toMatch(/503/);
  });

  it('stops with one line and exit 2 on bad configuration or arguments', async () => {
    const noSecret = await cli(['run'], { SPOTIFY_CLIENT_SECRET: '' });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/^chartkeeper: SPOTIFY_CLIENT_SECRET is not set\n/);

    const zone = await cli(['runs'], { CHARTKEEPER_TIMEZONE: 'Nowhere/Town' });
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/CHARTKEEPER_TIMEZONE is not an IANA time zone/);

    writeFileSync(join(sandbox.dir, 'chartkeeper.config.json'), '{ "charts": [ }');
    const file = await cli(['runs']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/chartkeeper\.config\.json is not valid JSON/);
    rmSync(join(sandbox.dir, 'chartkeeper.config.json'));

    const arg = await cli(['chart', '--playlist', 'nope']);
    expect(arg.code).toBe(2);
    expect(arg.stderr).toMatch(/expected a Spotify playlist id/);

    const date = await cli(['chart', '--date', '2026-02-30']);
    expect(date.code).toBe(2);

    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    for (const out of [noSecret, zone, file, arg, date, unknown])
      expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('says what to do when no chart is stored, and refuses a file that is not a database', async () => {
    const empty = await cli(['chart']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/No chart of 5FN6Ego7eLX6zHuCMovIR2 is stored in the sqlite /);
    expect(empty.stderr).toMatch(/chartkeeper run/);

    writeFileSync(
      join(sandbox.dir, 'text.db'),
      'this is not a database, just some text\n'.repeat(100),
    );
    const bad = await cli(['runs'], { CHARTKEEPER_STORE: join(sandbox.dir, 'text.db') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/text\.db/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs the offline demo', async () => {
    const result = await cli([
      'demo',
      '--days',
      '3',
      '--store',
      join(sandbox.dir, 'demo.db'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const demo = JSON.parse(result.stdout);
    expect(demo.ok).toBe(true);
    expect(demo.runs).toHaveLength(3);
    expect(demo.chart.entries.some((e: { daysOnChart: number }) => e.daysOnChart === 3)).toBe(true);
    expect(demo.chart.entries.some((e: { movement: string }) => e.movement !== 'new')).toBe(true);

    // Never into an existing store: the emulator's charts would replace real ones.
    const store = join(sandbox.dir, 'demo.db');
    const before = readFileSync(store);
    const again = await cli(['demo', '--days', '1', '--store', store]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/demo\.db already exists/);
    expect(readFileSync(store).equals(before)).toBe(true);
  });

  it('serves the emulator from the command line until stopped', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'emulator', '--port', '0', '--mode', 'development'],
      {
        env: cliBaseEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const url = /listening on (http:\/\/[^\s]+)/.exec(firstLine)?.[1];
    expect(url).toBeDefined();
    const reply = await fetch(`${url}/v1/playlists/${DAILY}`);
    expect(reply.status).toBe(401);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
