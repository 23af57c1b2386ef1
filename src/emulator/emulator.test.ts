import { describe, expect, it } from 'vitest';
import type { SpotifyPlaylist } from '../adapters/spotify/schemas.js';
import {
  basic,
  emulatorStarter,
  get,
  type Item,
  type Page,
  requestToken,
  token,
} from '../test-support/emulator-client.js';
import { EMULATOR_CREDENTIALS, EMULATOR_PLAYLISTS } from './emulator.js';

const start = emulatorStarter();

describe('token endpoint', () => {
  it('issues distinct bearer tokens for the right client credentials', async () => {
    const emu = await start({ tokenLifetimeSeconds: 1234 });
    const { clientId, clientSecret } = EMULATOR_CREDENTIALS;
    const first = await requestToken(emu, basic(clientId, clientSecret));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1234 });
    expect(body.access_token).toMatch(/^BQ[\w-]{100,}$/);
    expect(await token(emu)).not.toBe(body.access_token);
  });

  it('accepts the client in the form body as Spotify does', async () => {
    const emu = await start({ clientId: 'my-id', clientSecret: 'my-secret' });
    const form = 'grant_type=client_credentials&client_id=my-id&client_secret=my-secret';
    expect((await requestToken(emu, undefined, form)).status).toBe(200);
  });

  it.each([
    [
      'an unknown client',
      basic('someone-else', EMULATOR_CREDENTIALS.clientSecret),
      'Invalid client',
    ],
    ['a wrong secret', basic(EMULATOR_CREDENTIALS.clientId, 'nope'), 'Invalid client secret'],
    ['no credentials', undefined, 'Invalid client'],
    ['a malformed header', 'Basic !!!', 'Invalid client'],
  ])('refuses %s with invalid_client', async (_case, authorization, description) => {
    const emu = await start();
    const reply = await requestToken(emu, authorization);
    expect(reply.status).toBe(400);
    expect(await reply.json()).toEqual({ error: 'invalid_client', error_description: description });
  });

  it('refuses a missing or unsupported grant type', async () => {
    const emu = await start();
    const auth = basic(EMULATOR_CREDENTIALS.clientId, EMULATOR_CREDENTIALS.clientSecret);
    const missing = await requestToken(emu, auth, '');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant_type parameter is missing',
    });
    const password = await requestToken(emu, auth, 'grant_type=password');
    expect(((await password.json()) as { error: string }).error).toBe('unsupported_grant_type');
    const code = await requestToken(emu, auth, 'grant_type=authorization_code&code=x');
    expect(((await code.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('answers 405 to other methods', async () => {
    const emu = await start();
    const reply = await fetch(`${emu.url}/api/token`);
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
  });
});

describe('API authentication', () => {
  it('tells a missing, an unknown and an expired token apart', async () => {
    const emu = await start({ tokenLifetimeSeconds: 0 });
    const path = `/playlists/${EMULATOR_PLAYLISTS.daily}`;
    expect(await get(emu, path)).toMatchObject({
      status: 401,
      body: { error: { status: 401, message: 'No token provided' } },
    });
    expect(await get(emu, path, 'made-up')).toMatchObject({
      status: 401,
      body: { error: { status: 401, message: 'Invalid access token' } },
    });
    expect(await get(emu, path, await token(emu))).toMatchObject({
      status: 401,
      body: { error: { status: 401, message: 'The access token expired' } },
    });
  });

  it('refuses non-bearer schemes', async () => {
    const emu = await start();
    const reply = await fetch(`${emu.apiUrl}/playlists/${EMULATOR_PLAYLISTS.daily}`, {
      headers: { Authorization: 'Token abc' },
    });
    expect(reply.status).toBe(400);
  });
});

describe('playlists', () => {
  it('serves the playlist object with its first page of items and tracks', async () => {
    const emu = await start();
    const { status, body } = await get(
      emu,
      `/playlists/${EMULATOR_PLAYLISTS.daily}`,
      await token(emu),
    );
    expect(status).toBe(200);
    const playlist = body as SpotifyPlaylist;
    expect(playlist).toMatchObject({
      id: EMULATOR_PLAYLISTS.daily,
      name: 'Top 50 - Global',
      type: 'playlist',
      uri: `spotify:playlist:${EMULATOR_PLAYLISTS.daily}`,
      owner: { id: 'toplists-fan', type: 'user' },
      public: true,
      collaborative: false,
    });
    expect(playlist.snapshot_id).toMatch(/^[\w-]{32}$/);
    expect((playlist.followers as { total: number }).total).toBeGreaterThan(0);
    expect((playlist.images as unknown[]).length).toBeGreaterThan(0);
    const items = playlist.items as Page;
    expect(items).toMatchObject({ total: 50, limit: 50, offset: 0, next: null, previous: null });
    expect(items.items).toHaveLength(50);
    expect(items.items[0]?.item).toEqual(items.items[0]?.track);
    const tracks = playlist.tracks as Page;
    expect(tracks.items).toHaveLength(50);
    expect(tracks.href).toBe(
      `${emu.apiUrl}/playlists/${EMULATOR_PLAYLISTS.daily}/tracks?offset=0&limit=100`,
    );
    expect(tracks.items.every((entry) => !('item' in entry) && entry.track?.type === 'track')).toBe(
      true,
    );

    const editorial = await get(
      emu,
      `/playlists/${EMULATOR_PLAYLISTS.editorial}`,
      await token(emu),
    );
    expect(editorial.body.owner.id).toBe('spotify');
    expect(editorial.body.items.items.map((entry: Item) => entry.track?.id)).toEqual(
      items.items.map((entry) => entry.track?.id),
    );
  });

  it('follows next through every page of /items with totals that add up', async () => {
    const emu = await start();
    const bearer = await token(emu);
    let url: string | null =
      `${emu.apiUrl}/playlists/${EMULATOR_PLAYLISTS.large}/items?limit=50&market=US`;
    const pages: Page[] = [];
    while (url) {
      const { status, body } = await get(emu, url, bearer);
      expect(status).toBe(200);
      pages.push(body);
      url = body.next;
    }
    expect(pages).toHaveLength(4);
    expect(pages.map((page) => page.offset)).toEqual([0, 50, 100, 150]);
    expect(pages.every((page) => page.total === 200 && page.limit === 50)).toBe(true);
    expect(pages[0]?.previous).toBeNull();
    expect(pages[1]?.previous).toBe(pages[0]?.href);
    expect(pages[1]?.href).toBe(
      `${emu.apiUrl}/playlists/${EMULATOR_PLAYLISTS.large}/items?offset=50&limit=50&market=US`,
    );
    const ids = pages.flatMap((page) => page.items.map((entry) => entry.item?.id));
    expect(new Set(ids).size).toBe(200);
    expect(
      pages.flatMap((page) => page.items).every((entry) => entry.item === null || entry.track),
    ).toBe(true);
  });

  it('pages the legacy /tracks endpoint by 100 with only the track key', async () => {
    const emu = await start();
    const bearer = await token(emu);
    const first = await get(emu, `/playlists/${EMULATOR_PLAYLISTS.large}/tracks`, bearer);
    expect(first.body).toMatchObject({ limit: 100, total: 200, offset: 0 });
    const second = await get(emu, first.body.next, bearer);
    expect(second.body.next).toBeNull();
    expect(second.body.items).toHaveLength(100);
    expect(second.body.items.some((entry: object) => 'item' in entry)).toBe(false);
  });

  it('defaults /items to 20 and answers past the end with an empty page', async () => {
    const emu = await start();
    const bearer = await token(emu);
    const first = await get(emu, `/playlists/${EMULATOR_PLAYLISTS.daily}/items`, bearer);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.next).toContain('offset=20&limit=20');
    const beyond = await get(
      emu,
      `/playlists/${EMULATOR_PLAYLISTS.daily}/items?offset=500`,
      bearer,
    );
    expect(beyond.body).toMatchObject({ items: [], next: null, total: 50 });
  });

  it.each([
    ['items?limit=0', 'Invalid limit'],
    ['items?limit=51', 'Invalid limit'],
    ['items?limit=ten', 'Invalid limit'],
    ['tracks?limit=101', 'Invalid limit'],
    ['items?offset=-1', 'Invalid offset'],
    ['items?offset=x', 'Invalid offset'],
    ['items?market=usa', 'Invalid market code'],
  ])('answers %s with 400 %s', async (query, message) => {
    const emu = await start();
    const reply = await get(
      emu,
      `/playlists/${EMULATOR_PLAYLISTS.daily}/${query}`,
      await token(emu),
    );
    expect(reply).toEqual(
      expect.objectContaining({ status: 400, body: { error: { status: 400, message } } }),
    );
  });

  it('accepts the largest limits', async () => {
    const emu = await start();
    const bearer = await token(emu);
    expect(
      (await get(emu, `/playlists/${EMULATOR_PLAYLISTS.large}/items?limit=50`, bearer)).status,
    ).toBe(200);
    expect(
      (await get(emu, `/playlists/${EMULATOR_PLAYLISTS.large}/tracks?limit=100`, bearer)).status,
    ).toBe(200);
  });

  it('answers unknown playlists, bad ids, unknown routes and wrong methods like Spotify', async () => {
    const emu = await start();
    const bearer = await token(emu);
    expect(await get(emu, '/playlists/0000000000000000000000', bearer)).toMatchObject({
      status: 404,
      body: { error: { status: 404, message: 'Resource not found' } },
    });
    expect((await get(emu, '/playlists/not-an-id', bearer)).status).toBe(400);
    expect(await get(emu, '/me/albums', bearer)).toMatchObject({
      status: 404,
      body: { error: { status: 404, message: 'Service not found' } },
    });
    const post = await fetch(`${emu.apiUrl}/playlists/${EMULATOR_PLAYLISTS.daily}/items`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}` },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(((await post.json()) as { error: { status: number } }).error.status).toBe(405);
  });

  it('serves the cover images it links to', async () => {
    const emu = await start();
    const { body } = await get(
      emu,
      `/playlists/${EMULATOR_PLAYLISTS.daily}/items?limit=1`,
      await token(emu),
    );
    const cover = await fetch(body.items[0].track.album.images[0].url);
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/svg+xml');
    expect(await cover.text()).toContain('<svg');
  });
});
