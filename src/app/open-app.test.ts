import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { playlistKey } from '../domain/sources.js';
import { echoingSpotify } from '../test-support/echoing-spotify.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { openApp } from './open-app.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CLIENT_ID = 'runtime-client-id';
const CLIENT_SECRET = 'runtime-client-secret';

async function appAgainst(spotify: { apiUrl: string; accountsUrl: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'ck-app-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = loadConfig(
    {
      SPOTIFY_CLIENT_ID: CLIENT_ID,
      SPOTIFY_CLIENT_SECRET: CLIENT_SECRET,
      SPOTIFY_API_URL: spotify.apiUrl,
      SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
      CHARTKEEPER_STORE: join(dir, 'store.db'),
      CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
    },
    dir,
  );
  const logger = recordingLogger();
  const app = await openApp(config, { access: 'write', logger });
  cleanups.push(() => app.close());
  return { app, dir, logger };
}

/** Everything a secret could leak into: the ledger, an export, the store file. */
async function everywhere(app: Awaited<ReturnType<typeof appAgainst>>['app'], dir: string) {
  const lines: string[] = [];
  await app.exportTo(async (line) => {
    lines.push(line);
  });
  return `${JSON.stringify(await app.listRuns({ limit: 10 }))}\n${lines.join('')}\n${readFileSync(join(dir, 'store.db')).toString('latin1')}`;
}

describe('openApp', () => {
  it('masks access tokens that Spotify echoes in an error, in the run and the export', async () => {
    const spotify = await echoingSpotify();
    cleanups.push(spotify.close);
    const { app, dir } = await appAgainst(spotify);
    const [run] = await app.captureNow({ keys: [playlistKey('p1')], retry: false });
    expect(run?.state).toBe('failed');
    expect(JSON.stringify(run)).toContain('Authorization: Bearer [redacted]');
    expect(spotify.tokens.length).toBeGreaterThan(0);
    const text = await everywhere(app, dir);
    for (const token of spotify.tokens) expect(text).not.toContain(token);
  });

  it('masks a Basic credential that the token endpoint echoes, in every place it could reach', async () => {
    const spotify = await echoingSpotify({ refuseToken: true });
    cleanups.push(spotify.close);
    const { app, dir, logger } = await appAgainst(spotify);
    const [run] = await app.captureNow({ keys: [playlistKey('p1')], retry: false });
    expect(run?.state).toBe('failed');
    expect(run?.error?.code).toBe('spotify-auth');
    expect(run?.error?.message).toMatch(/invalid_client/);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const text = `${await everywhere(app, dir)}\n${JSON.stringify(logger.lines)}`;
    expect(text).not.toContain(basic);
    expect(text).not.toContain(CLIENT_SECRET);
  });
});
