import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { emulatorStarter, get, token } from '../test-support/emulator-client.js';
import { EMULATOR_PLAYLISTS } from './emulator.js';

const start = emulatorStarter();

describe('bookkeeping and control endpoints', () => {
  it('records token and API requests but not control requests', async () => {
    const emu = await start();
    const bearer = await token(emu);
    const before = emu.handlerTimeMs();
    await get(emu, `/playlists/${EMULATOR_PLAYLISTS.daily}/items?limit=5`, bearer);
    await get(emu, '/playlists/0000000000000000000000', bearer);
    expect(emu.handlerTimeMs()).toBeGreaterThan(before);
    const recorded = await (await fetch(`${emu.url}/_emulator/requests`)).json();
    expect(recorded).toEqual(emu.requests);
    expect(
      emu.requests.map(({ method, path, query, status }) => ({ method, path, query, status })),
    ).toEqual([
      { method: 'POST', path: '/api/token', query: '', status: 200 },
      {
        method: 'GET',
        path: `/v1/playlists/${EMULATOR_PLAYLISTS.daily}/items`,
        query: '?limit=5',
        status: 200,
      },
      { method: 'GET', path: '/v1/playlists/0000000000000000000000', query: '', status: 404 },
    ]);
    expect(emu.requests.every((record) => record.durationMs >= 0)).toBe(true);
    expect((await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(emu.requests).toHaveLength(0);
  });

  it('injects and clears faults and switches the mode over HTTP', async () => {
    const emu = await start();
    const bearer = await token(emu);
    const path = `/playlists/${EMULATOR_PLAYLISTS.editorial}`;
    const inject = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'server-error', times: 5, status: 502 }),
    });
    expect(inject.status).toBe(204);
    expect((await get(emu, path, bearer)).status).toBe(502);
    expect((await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(emu, path, bearer)).status).toBe(200);

    const mode = await fetch(`${emu.url}/_emulator/mode`, {
      method: 'PUT',
      body: JSON.stringify({ mode: 'development' }),
    });
    expect(mode.status).toBe(204);
    expect(await (await fetch(`${emu.url}/_emulator/mode`)).json()).toEqual({
      mode: 'development',
    });
    expect((await get(emu, path, bearer)).status).toBe(404);
  });

  it('explains bad control requests', async () => {
    const emu = await start();
    const badFault = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'meteor' }),
    });
    expect(badFault.status).toBe(400);
    expect(JSON.stringify(await badFault.json())).toContain('rate-limit');
    const badMode = await fetch(`${emu.url}/_emulator/mode`, {
      method: 'PUT',
      body: '{"mode":"x"}',
    });
    expect(JSON.stringify(await badMode.json())).toContain('development-legacy');
    const notJson = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('closes, cutting the connections it holds instead of waiting for them', async () => {
    const emu = await start();
    // A client in the middle of a request: a server that waited for it would not close until
    // the request timed out (minutes), and this test would time out first.
    const { port } = new URL(emu.url);
    const client = connect(Number(port), '127.0.0.1');
    await once(client, 'connect');
    // Cut by the server: a reset is how that shows.
    client.on('error', () => {});
    client.write('POST /api/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial');
    const clientClosed = new Promise((resolve) => client.once('close', resolve));
    await emu.close();
    await clientClosed;
    await expect(fetch(`${emu.url}/api/token`, { method: 'POST' })).rejects.toThrow();
    start.forget(emu);
  });
});
