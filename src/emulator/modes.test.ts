import { describe, expect, it } from 'vitest';
import { emulatorStarter, get as getReply, token } from '../test-support/emulator-client.js';
import {
  type AppMode,
  EMULATOR_PLAYLISTS,
  type EmulatorOptions,
  parseAppMode,
  type RunningEmulator,
} from './emulator.js';

const launch = emulatorStarter();

async function start(options: EmulatorOptions): Promise<{ emu: RunningEmulator; bearer: string }> {
  const emu = await launch(options);
  return { emu, bearer: await token(emu) };
}

async function get(emu: RunningEmulator, path: string, bearer: string) {
  const { status, body } = await getReply(emu, path, bearer);
  return { status, body };
}

const NOT_FOUND = { status: 404, body: { error: { status: 404, message: 'Resource not found' } } };
const FORBIDDEN = { status: 403, body: { error: { status: 403, message: 'Forbidden' } } };
const editorial = `/playlists/${EMULATOR_PLAYLISTS.editorial}`;
const daily = `/playlists/${EMULATOR_PLAYLISTS.daily}`;

describe('app modes', () => {
  it('extended reads everything, popularity included', async () => {
    const { emu, bearer } = await start({ mode: 'extended' });
    const playlist = await get(emu, editorial, bearer);
    expect(playlist.status).toBe(200);
    expect(playlist.body.items.items[0].track.popularity).toBeGreaterThan(0);
    expect((await get(emu, `${editorial}/items`, bearer)).status).toBe(200);
    expect((await get(emu, `${editorial}/tracks`, bearer)).status).toBe(200);
  });

  it('development-legacy hides editorial playlists and /tracks but reads other items', async () => {
    const { emu, bearer } = await start({ mode: 'development-legacy' });
    for (const path of [editorial, `${editorial}/items`, `${editorial}/tracks`]) {
      expect(await get(emu, path, bearer)).toEqual(NOT_FOUND);
    }
    const playlist = await get(emu, daily, bearer);
    expect(playlist.status).toBe(200);
    expect(playlist.body.snapshot_id).toBeTruthy();
    expect('items' in playlist.body || 'tracks' in playlist.body).toBe(false);
    const items = await get(emu, `${daily}/items?limit=50`, bearer);
    expect(items.body.total).toBe(50);
    expect('popularity' in items.body.items[0].item).toBe(false);
    expect(items.body.items[0].item.external_ids.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
    expect(await get(emu, `${daily}/tracks`, bearer)).toEqual(FORBIDDEN);
  });

  it('development (apps from 2026-02-11) serves metadata only', async () => {
    const { emu, bearer } = await start({ mode: 'development' });
    expect(await get(emu, editorial, bearer)).toEqual(NOT_FOUND);
    expect(await get(emu, `${editorial}/items`, bearer)).toEqual(NOT_FOUND);
    const playlist = await get(emu, daily, bearer);
    expect(playlist.status).toBe(200);
    expect(playlist.body.items).toBeUndefined();
    expect(playlist.body.tracks).toBeUndefined();
    expect(await get(emu, `${daily}/items`, bearer)).toEqual(FORBIDDEN);
    expect(await get(emu, `/playlists/${EMULATOR_PLAYLISTS.awkward}/items`, bearer)).toEqual(
      FORBIDDEN,
    );
    expect(await get(emu, `${daily}/tracks`, bearer)).toEqual(FORBIDDEN);
  });

  it('switches mode at runtime', async () => {
    const { emu, bearer } = await start({});
    expect((await get(emu, `${daily}/items`, bearer)).status).toBe(200);
    emu.setMode('development');
    expect((await get(emu, `${daily}/items`, bearer)).status).toBe(403);
    emu.setMode('development-legacy');
    expect((await get(emu, `${daily}/items`, bearer)).status).toBe(200);
  });

  it('refuses every API call when the app owner lacks Premium, but still issues tokens', async () => {
    const { emu, bearer } = await start({ mode: 'development', ownerHasPremium: false });
    expect(bearer).toBeTruthy();
    expect(await get(emu, daily, bearer)).toEqual({
      status: 403,
      body: {
        error: {
          status: 403,
          message: 'Active premium subscription required for the owner of the app',
        },
      },
    });
  });
});

describe('parseAppMode', () => {
  it.each(['extended', 'development-legacy', 'development'] as AppMode[])('accepts %s', (mode) => {
    expect(parseAppMode(mode)).toBe(mode);
  });

  it('names the accepted modes when refusing', () => {
    expect(() => parseAppMode('dev')).toThrow(/"dev".*extended, development-legacy, development/);
  });
});
