import { describe, expect, it } from 'vitest';
import { emulatorStarter, token } from '../test-support/emulator-client.js';
import { EMULATOR_PLAYLISTS } from './emulator.js';

const start = emulatorStarter();
const daily = `/v1/playlists/${EMULATOR_PLAYLISTS.daily}`;

async function call(url: string, bearer: string) {
  const reply = await fetch(url, { headers: { Authorization: `Bearer ${bearer}` } });
  return {
    status: reply.status,
    retryAfter: reply.headers.get('retry-after'),
    contentType: reply.headers.get('content-type'),
    text: await reply.text(),
  };
}

describe('quota exhaustion and Premium refusals', () => {
  it('answers every API call 429 QUOTA_EXCEEDED with a long Retry-After until restored', async () => {
    const started = Date.now();
    const emu = await start({ quotaExhaustedSeconds: 49_000 });
    // The token endpoint is not metered.
    const bearer = await token(emu);
    for (const path of [daily, `${daily}/items?limit=1`]) {
      const reply = await call(`${emu.url}${path}`, bearer);
      expect(reply.status).toBe(429);
      // Counting down from 49,000 s by the time that passed, however long that was.
      const passed = Math.ceil((Date.now() - started) / 1000);
      expect(Number(reply.retryAfter)).toBeGreaterThanOrEqual(49_000 - passed);
      expect(Number(reply.retryAfter)).toBeLessThanOrEqual(49_000);
      expect(JSON.parse(reply.text)).toEqual({
        error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' },
      });
    }
    emu.exhaustQuota(null);
    expect((await call(`${emu.url}${daily}`, bearer)).status).toBe(200);
    expect(emu.requests.map((r) => r.status)).toEqual([200, 429, 429, 200]);
  });

  it('is exhausted, read and restored through the control API', async () => {
    const emu = await start();
    const bearer = await token(emu);
    const control = `${emu.url}/_emulator/quota`;
    expect(await (await fetch(control)).json()).toEqual({ retryAfterSeconds: null });
    const bad = await fetch(control, { method: 'PUT', body: '{"retryAfterSeconds":0}' });
    expect(bad.status).toBe(400);
    const put = await fetch(control, { method: 'PUT', body: '{"retryAfterSeconds":600}' });
    expect(put.status).toBe(204);
    expect((await call(`${emu.url}${daily}`, bearer)).status).toBe(429);
    const left = (await (await fetch(control)).json()) as { retryAfterSeconds: number };
    expect(left.retryAfterSeconds).toBeGreaterThan(0);
    expect(left.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect((await fetch(control, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${emu.url}${daily}`, bearer)).status).toBe(200);
  });

  it('refuses a lapsed owner with plain text or JSON, switched over the control API', async () => {
    const emu = await start({
      mode: 'development',
      ownerHasPremium: false,
      premiumRefusal: 'text',
    });
    const bearer = await token(emu);
    const text = await call(`${emu.url}${daily}`, bearer);
    expect(text).toMatchObject({
      status: 403,
      text: 'Active premium subscription required for the owner of the app',
    });
    expect(text.contentType).toMatch(/^text\/plain/);

    const premium = `${emu.url}/_emulator/premium`;
    expect(
      (await fetch(premium, { method: 'PUT', body: '{"active":false,"as":"json"}' })).status,
    ).toBe(204);
    const json = await call(`${emu.url}${daily}`, bearer);
    expect(JSON.parse(json.text)).toEqual({
      error: {
        status: 403,
        message: 'Active premium subscription required for the owner of the app',
      },
    });
    expect((await fetch(premium, { method: 'PUT', body: '{"active":"no"}' })).status).toBe(400);
    expect((await fetch(premium, { method: 'PUT', body: '{"active":true}' })).status).toBe(204);
    expect((await call(`${emu.url}${daily}`, bearer)).status).toBe(200);
  });
});
