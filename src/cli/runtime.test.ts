import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { echoingSpotify } from '../test-support/echoing-spotify.js';
import { openRuntime } from './runtime.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('openRuntime (serve and worker)', () => {
  it('masks access tokens that Spotify echoes in an error, in the run it records', async () => {
    const spotify = await echoingSpotify();
    cleanups.push(spotify.close);
    const dir = mkdtempSync(join(tmpdir(), 'ck-runtime-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { config } = loadConfig(
      {
        SPOTIFY_CLIENT_ID: 'runtime-client-id',
        SPOTIFY_CLIENT_SECRET: 'runtime-client-secret',
        SPOTIFY_API_URL: spotify.apiUrl,
        SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
        CHARTKEEPER_STORE: join(dir, 'store.db'),
        CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
      },
      dir,
    );
    const runtime = await openRuntime(config, () => {});
    cleanups.push(() => runtime.close());
    const runId = 'runtime-echo-run';
    await runtime.handler({ runId, chartId: 'p1', trigger: 'manual', scheduledFor: null });
    const run = await runtime.store.getRun(runId);
    const text = JSON.stringify(run);
    expect(run?.state).toBe('failed');
    expect(text).toContain('Authorization: Bearer [redacted]');
    expect(spotify.tokens.length).toBeGreaterThan(0);
    const bytes = readFileSync(join(dir, 'store.db')).toString('latin1');
    for (const token of spotify.tokens) {
      expect(text).not.toContain(token);
      expect(bytes).not.toContain(token);
    }
  });
});
