import { afterEach, describe, expect, it } from 'vitest';
import { benchPlaylistId, type RunningEmulator, startEmulator } from './emulator.js';

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function bearer(emu: RunningEmulator): Promise<string> {
  const { clientId, clientSecret } = emu.credentials;
  const reply = await fetch(`${emu.accountsUrl}/api/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await reply.json()) as { access_token: string }).access_token;
}

describe('emulator benchmark support', () => {
  it('serves any number of made-up playlists under the bench prefix', async () => {
    emulator = await startEmulator({ today: () => '2026-11-20' });
    const token = await bearer(emulator);
    const get = (path: string) =>
      fetch(`${emulator?.apiUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const ids = [benchPlaylistId(0), benchPlaylistId(999), benchPlaylistId(62 ** 3)];
    expect(ids.every((id) => id.length === 22 && id.startsWith('CkBench'))).toBe(true);
    expect(new Set(ids).size).toBe(3);
    const snapshots = new Set();
    for (const id of ids) {
      const playlist = (await (await get(`/playlists/${id}`)).json()) as Record<string, unknown>;
      expect(playlist.id).toBe(id);
      expect(playlist.name).toBe(`Bench chart ${id.slice(7)}`);
      snapshots.add(playlist.snapshot_id);
      const items = (await (await get(`/playlists/${id}/items?limit=50`)).json()) as {
        items: unknown[];
      };
      expect(items.items).toHaveLength(50);
    }
    expect(snapshots.size).toBe(3);
    expect((await get('/playlists/CkBenchNotBase62!!!!!!')).status).toBe(400);
    expect((await get('/playlists/CkBenchX')).status).toBe(400);
  });

  it('enforces a rolling-window rate limit on API calls when asked, answering 429 with Retry-After', async () => {
    emulator = await startEmulator({ rateLimit: { max: 3, windowMs: 400 } });
    const token = await bearer(emulator);
    const get = () =>
      fetch(`${emulator?.apiUrl}/playlists/${benchPlaylistId(1)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get()).status);
    expect(statuses).toStrictEqual([200, 200, 200, 429]);
    const refused = await get();
    expect(refused.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await get()).status).toBe(200);
    expect(emulator.rateLimitStats()).toMatchObject({
      max: 3,
      windowMs: 400,
      admitted: 4,
      refused: 2,
    });
    const unlimited = await startEmulator();
    expect(unlimited.rateLimitStats()).toBeNull();
    await unlimited.close();
  });
});
