import { describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../../emulator/constants.js';
import { rewritingProxy } from '../../test-support/spotify-harness.js';
import { failure, harnessPerTest } from '../../test-support/spotify-setup.js';
import { SpotifyClient } from './client.js';
import { normalisePlaylist } from './normalise.js';
import { SpotifyPlaylistFetcher } from './spotify-source.js';

const { daily, editorial, large, awkward } = EMULATOR_PLAYLISTS;
const { cleanups, setup } = harnessPerTest();

async function capture(h: Awaited<ReturnType<typeof setup>>, id: string) {
  const playlist = await h.client.getPlaylist(id, h.log);
  const { endpoint, pages } = await h.client.getPlaylistItems(id, h.log);
  return { playlist, endpoint, pages };
}

describe('SpotifyClient paging', () => {
  it('reads every page of a 200-track playlist, in order', async () => {
    const h = await setup();
    const payload = await capture(h, large);
    expect(payload.endpoint).toBe('items');
    expect(payload.pages).toHaveLength(4);
    const chart = normalisePlaylist(payload);
    expect(chart.entries.map((e) => e.position)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    expect(new Set(chart.entries.map((e) => e.trackId)).size).toBe(200);
    const queries = h
      .requests('/items')
      .map((r) => new URLSearchParams(r.query).get('offset') ?? '0');
    expect(queries).toEqual(['0', '50', '100', '150']);
    expect(h.logs).toContain('info: page 2/4: 50 items');
    expect(h.logs).toContain('info: page 4/4: 50 items');
  });

  it('follows next links that name another host, through our own endpoint', async () => {
    const h = await setup();
    const proxy = await rewritingProxy(h.emulator.apiUrl);
    cleanups.push(proxy.close);
    const source = new SpotifyPlaylistFetcher({ ...h.spotify, apiUrl: proxy.url }, h.http, {
      sleep: async () => {},
    });
    const log = () => {};
    const result = await source.fetch(large, { latestVersion: null, log });
    expect(result.kind).toBe('fetched');
    const payload = result.kind === 'fetched' ? result.payload : null;
    expect(JSON.stringify(payload)).toContain('https://api.spotify.com');
    expect(normalisePlaylist(payload).entries).toHaveLength(200);
    expect(proxy.seen.filter((url) => url.includes('/items'))).toHaveLength(4);
  });

  it('falls back to the legacy /tracks endpoint when /items answers 404', async () => {
    const h = await setup({ mode: 'extended' });
    const proxy = await rewritingProxy(h.emulator.apiUrl, { itemsGone: true });
    cleanups.push(proxy.close);
    const client = new SpotifyClient({ ...h.spotify, apiUrl: proxy.url }, h.http, {
      fetch,
      sleep: async () => {},
      random: () => 0,
    });
    const { endpoint, pages } = await client.getPlaylistItems(large);
    expect(endpoint).toBe('tracks');
    expect(pages).toHaveLength(2);
    expect(pages.flatMap((p) => p.items)).toHaveLength(200);
    expect(h.requests('/tracks')).toHaveLength(2);
  });
});

describe('awkward playlist items', () => {
  it('keeps tracks, lists the rest as skipped, positions unchanged', async () => {
    const h = await setup();
    const chart = normalisePlaylist(await capture(h, awkward));
    expect(chart.skipped.map((s) => [s.position, s.reason])).toEqual([
      [2, 'removed'],
      [3, 'local-file'],
      [4, 'episode'],
    ]);
    expect(chart.skipped[1]?.name).toBe('My Demo (rough mix)');
    expect(chart.entries.map((e) => e.position)).toEqual([1, 5, 6, 7, 8, 9, 10, 11, 12]);
    const byPosition = new Map(chart.entries.map((e) => [e.position, e]));
    // Position 5 has only the legacy `track` key, position 6 only `item`.
    expect(byPosition.get(5)?.name).toBe('夜明けのメロディ');
    expect(byPosition.get(6)?.name).toBe('별빛 아래서');
    expect(byPosition.get(7)?.addedAt).toBeNull();
    expect(byPosition.get(10)?.artists.map((a) => a.name)).toEqual([
      'Tyler, the Gardener',
      'Zoë Márquez',
      '하늘빛',
    ]);
    expect(byPosition.get(11)?.trackId).toBe(byPosition.get(1)?.trackId);
  });
});

describe('tokens', () => {
  it('asks for one token for several calls', async () => {
    const h = await setup();
    await capture(h, daily);
    await h.client.getPlaylist(large, h.log);
    expect(h.requests('/api/token')).toHaveLength(1);
  });

  it('renews an expired token once and repeats the request', async () => {
    const h = await setup();
    await h.client.getPlaylist(daily, h.log);
    h.emulator.inject({ kind: 'expire-token' });
    await h.client.getPlaylist(daily, h.log);
    expect(h.requests('/api/token')).toHaveLength(2);
    expect(h.requests(`/playlists/${daily}`).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('fails clearly when even a fresh token is refused', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'expire-token', times: 5 });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error).toMatchObject({ code: 'spotify-auth', permanent: true, status: 401 });
    expect(error.message).toContain('freshly issued access token');
    expect(h.requests('/api/token')).toHaveLength(2);
  });

  it('reports a wrong secret without repeating the credentials', async () => {
    const h = await setup({ spotify: { clientSecret: 'wrong-secret-0123456789' } });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error).toMatchObject({ code: 'spotify-auth', permanent: true });
    expect(error.message).toContain('refused the app credentials');
    const text = `${error.message}\n${error.hint}\n${h.logs.join('\n')}`;
    expect(text).not.toContain('wrong-secret-0123456789');
    expect(text).not.toContain(h.spotify.clientId);
    expect(error.hint).toContain('SPOTIFY_CLIENT_SECRET');
  });

  it('names the missing variables before any request', async () => {
    const h = await setup({ spotify: { clientId: undefined } });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error).toMatchObject({ code: 'config', permanent: true });
    expect(error.message).toContain('SPOTIFY_CLIENT_ID');
    expect(error.message).not.toContain('SPOTIFY_CLIENT_SECRET');
    expect(h.emulator.requests).toHaveLength(0);
  });
});

describe('what each app mode may read', () => {
  it('explains the 404 of an editorial playlist to a Development Mode app', async () => {
    const h = await setup({ mode: 'development-legacy' });
    const error = await failure(h.client.getPlaylist(editorial, h.log));
    expect(error).toMatchObject({ code: 'spotify-not-found', permanent: true });
    expect(error.message).toContain('editorial');
    expect(error.hint).toContain(daily);
    expect(h.requests(`/playlists/${editorial}`)).toHaveLength(1);
  });

  it('lets an Extended Quota app read the editorial playlist', async () => {
    const h = await setup({ mode: 'extended' });
    const chart = normalisePlaylist(await capture(h, editorial));
    expect(chart.entries).toHaveLength(50);
  });

  it('lets a Development Mode app from before 2026-02-11 read a public playlist', async () => {
    const h = await setup({ mode: 'development-legacy' });
    const chart = normalisePlaylist(await capture(h, daily));
    expect(chart.entries).toHaveLength(50);
  });

  it('explains the 403 on items for a Development Mode app from after 2026-02-11', async () => {
    const h = await setup({ mode: 'development' });
    const error = await failure(capture(h, daily));
    expect(error).toMatchObject({ code: 'spotify-forbidden', permanent: true });
    expect(error.message).toContain('2026-02-11');
    expect(error.hint).toContain('charts.spotify.com');
    expect(h.requests('/items')).toHaveLength(1);
  });

  it.each(['json', 'text'] as const)(
    'explains the 403 when the app owner has no Premium (%s body), after one request',
    async (premiumRefusal) => {
      const h = await setup({ mode: 'development-legacy', ownerHasPremium: false, premiumRefusal });
      const error = await failure(capture(h, daily));
      expect(error).toMatchObject({ code: 'spotify-premium', permanent: true, status: 403 });
      expect(error.message).toContain(
        'the account that owns the Spotify app has no active Premium subscription: "Active premium subscription required for the owner of the app"',
      );
      expect(error.hint).toMatch(
        /Development Mode app works only while the account that created it/,
      );
      expect(error.hint).toMatch(/Extended Quota/);
      expect(h.requests(`/v1/playlists/${daily}`)).toHaveLength(1);
      expect(h.waits).toEqual([]);
    },
  );

  it('explains a missing playlist', async () => {
    const h = await setup();
    const error = await failure(h.client.getPlaylist('0000000000000000000000', h.log));
    expect(error.code).toBe('spotify-not-found');
    expect(error.hint).toMatch(/private or deleted/);
  });
});
