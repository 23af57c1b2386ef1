import { describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../../emulator/constants.js';
import { harnessPerTest } from '../../test-support/spotify-setup.js';
import { normalisePlaylist } from './normalise.js';
import type { SpotifyPlaylistPayload } from './schemas.js';

const { daily } = EMULATOR_PLAYLISTS;
const { setup } = harnessPerTest();

describe('SpotifyPlaylistFetcher', () => {
  it('authenticates once and says how long the token lasts, never what it is', async () => {
    const h = await setup({ tokenLifetimeSeconds: 3600 });
    await h.source.authenticate(h.log);
    await h.source.authenticate(h.log);
    expect(h.logs[0]).toBe('info: token obtained, valid for 3600 s');
    expect(h.logs[1]).toMatch(/^info: token reused, valid for 3\d{3} more s$/);
    expect(h.requests('/api/token')).toHaveLength(1);
  });

  it('fetches metadata and every page as the payload, versioned by snapshot_id', async () => {
    const h = await setup();
    await h.source.authenticate(h.log);
    const result = await h.source.fetch(daily, { latestVersion: null, log: h.log });
    if (result.kind !== 'fetched') throw new Error(`expected a fetch, got ${result.kind}`);
    const payload = result.payload as SpotifyPlaylistPayload;
    expect(payload.endpoint).toBe('items');
    expect(payload.playlist.id).toBe(daily);
    expect(result.version).toBe(payload.playlist.snapshot_id);
    expect(payload.pages.flatMap((p) => p.items)).toHaveLength(50);
    const chart = normalisePlaylist(payload);
    expect(chart.title).toBe(payload.playlist.name);
    expect(chart.entries).toHaveLength(50);
  });

  it('skips the items when the snapshot is the latest captured one', async () => {
    const h = await setup();
    const first = await h.source.fetch(daily, { latestVersion: null, log: h.log });
    const itemsBefore = h.requests('/items').length;
    expect(itemsBefore).toBeGreaterThan(0);
    const second = await h.source.fetch(daily, { latestVersion: first.version, log: h.log });
    expect(second).toEqual({ kind: 'unchanged', version: first.version });
    expect(h.requests('/items')).toHaveLength(itemsBefore);
    expect(h.logs.some((l) => l.includes('unchanged since the latest capture'))).toBe(true);
  });

  it('re-fetches when the snapshot differs', async () => {
    const h = await setup();
    const result = await h.source.fetch(daily, {
      latestVersion: 'some-older-snapshot',
      log: h.log,
    });
    expect(result.kind).toBe('fetched');
    expect(h.requests('/items')).toHaveLength(1);
  });

  it('never logs the access token, even through retries and renewals', async () => {
    const h = await setup();
    const token = (await h.client.tokens.token()).value;
    h.emulator.inject({ kind: 'expire-token' });
    h.emulator.inject({ kind: 'rate-limit', path: 'items' });
    h.emulator.inject({ kind: 'server-error', path: 'items' });
    await h.source.fetch(daily, { latestVersion: null, log: h.log });
    const fresh = (await h.client.tokens.token()).value;
    expect(fresh).not.toBe(token);
    const text = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(3);
    for (const secret of [token, fresh, h.spotify.clientSecret ?? '?']) {
      expect(text).not.toContain(secret);
    }
  });
});
