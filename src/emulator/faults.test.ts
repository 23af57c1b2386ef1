import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_PLAYLISTS,
  parseFaultSpec,
  type RunningEmulator,
  startEmulator,
} from './emulator.js';

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(): Promise<{ emu: RunningEmulator; bearer: string }> {
  const emu = await startEmulator({ today: () => '2026-11-20' });
  emulator = emu;
  const reply = await tokenRequest(emu);
  return { emu, bearer: ((await reply.json()) as { access_token: string }).access_token };
}

function tokenRequest(emu: RunningEmulator) {
  const { clientId, clientSecret } = emu.credentials;
  return fetch(`${emu.accountsUrl}/api/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
}

const playlist = `/playlists/${EMULATOR_PLAYLISTS.daily}`;

function call(emu: RunningEmulator, path: string, bearer: string) {
  return fetch(`${emu.apiUrl}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
}

describe('faults', () => {
  it('rate-limit answers 429 with Retry-After, then lets requests through', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'rate-limit', retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const reply = await call(emu, playlist, bearer);
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('7');
      expect(await reply.json()).toEqual({
        error: { status: 429, message: 'API rate limit exceeded' },
      });
    }
    expect((await call(emu, playlist, bearer)).status).toBe(200);
  });

  it('rate-limit with quota carries the QUOTA_EXCEEDED reason', async () => {
    const { emu, bearer } = await start();
    emu.inject(parseFaultSpec('rate-limit:1:any:30:quota'));
    const reply = await call(emu, playlist, bearer);
    expect(reply.headers.get('retry-after')).toBe('30');
    expect(await reply.json()).toEqual({
      error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' },
    });
  });

  it('server-error answers 503 by default or the status asked for', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'server-error' });
    emu.inject({ kind: 'server-error', status: 504 });
    const first = await call(emu, playlist, bearer);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ error: { status: 503, message: 'Service unavailable' } });
    expect((await call(emu, playlist, bearer)).status).toBe(504);
    expect((await call(emu, playlist, bearer)).status).toBe(200);
  });

  it('hits only the path it names', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'server-error', path: 'items' });
    emu.inject({ kind: 'server-error', path: 'token', status: 500 });
    expect((await call(emu, playlist, bearer)).status).toBe(200);
    expect((await call(emu, `${playlist}/tracks`, bearer)).status).toBe(200);
    expect((await call(emu, `${playlist}/items`, bearer)).status).toBe(503);
    expect((await tokenRequest(emu)).status).toBe(500);
    expect((await tokenRequest(emu)).status).toBe(200);
  });

  it('slow delays the answer without counting the wait as handler time', async () => {
    const { emu, bearer } = await start();
    await call(emu, playlist, bearer);
    emu.inject({ kind: 'slow', delayMs: 400 });
    const handlerBefore = emu.handlerTimeMs();
    const started = Date.now();
    const reply = await call(emu, playlist, bearer);
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    const duration = emu.requests.at(-1)?.durationMs ?? 0;
    expect(duration).toBeGreaterThanOrEqual(380);
    // The request took the handler's time plus the wait: the wait is not in the handler's time.
    expect(emu.handlerTimeMs() - handlerBefore + 380).toBeLessThanOrEqual(duration);
  });

  it('malformed-json answers 200 with a body that does not parse', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'malformed-json', path: 'items' });
    const reply = await call(emu, `${playlist}/items`, bearer);
    expect(reply.status).toBe(200);
    const text = await reply.text();
    expect(text.startsWith('{"href":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    const whole = await (await call(emu, `${playlist}/items`, bearer)).text();
    expect(whole.startsWith(text)).toBe(true);
    expect(() => JSON.parse(whole)).not.toThrow();
  });

  it('expire-token expires issued tokens; a fresh token works', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'expire-token' });
    const reply = await call(emu, playlist, bearer);
    expect(reply.status).toBe(401);
    expect(await reply.json()).toEqual({
      error: { status: 401, message: 'The access token expired' },
    });
    expect((await call(emu, playlist, bearer)).status).toBe(401);
    const fresh = ((await (await tokenRequest(emu)).json()) as { access_token: string })
      .access_token;
    expect((await call(emu, playlist, fresh)).status).toBe(200);
  });

  it('connection-reset drops the connection without an answer', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'connection-reset' });
    await expect(call(emu, playlist, bearer)).rejects.toThrow();
    expect((await call(emu, playlist, bearer)).status).toBe(200);
    const statuses = emu.requests
      .filter((record) => record.path.startsWith('/v1'))
      .map((r) => r.status);
    expect(statuses).toEqual([0, 200]);
  });

  it('never hits control endpoints, and clearFaults drops pending faults', async () => {
    const { emu, bearer } = await start();
    emu.inject({ kind: 'connection-reset', times: 3 });
    expect((await fetch(`${emu.url}/_emulator/requests`)).status).toBe(200);
    await expect(call(emu, playlist, bearer)).rejects.toThrow();
    emu.clearFaults();
    expect((await call(emu, playlist, bearer)).status).toBe(200);
  });

  it('refuses invalid faults', async () => {
    const { emu } = await start();
    expect(() => emu.inject({ kind: 'server-error', status: 418 })).toThrow(/500, 502, 503, 504/);
    expect(() => emu.inject({ kind: 'slow', times: 0 })).toThrow(/times/);
  });
});

describe('parseFaultSpec', () => {
  it.each([
    ['rate-limit', { kind: 'rate-limit' }],
    ['rate-limit:3', { kind: 'rate-limit', times: 3 }],
    ['rate-limit:1:token:9', { kind: 'rate-limit', times: 1, path: 'token', retryAfterSeconds: 9 }],
    ['server-error:2:items', { kind: 'server-error', times: 2, path: 'items' }],
    ['server-error:1:any:502', { kind: 'server-error', times: 1, path: 'any', status: 502 }],
    ['slow:1:any:500', { kind: 'slow', times: 1, path: 'any', delayMs: 500 }],
    ['connection-reset::tracks', { kind: 'connection-reset', path: 'tracks' }],
    ['expire-token', { kind: 'expire-token' }],
  ])('reads %s', (spec, fault) => {
    expect(parseFaultSpec(spec)).toEqual(fault);
  });

  it.each([
    'meteor',
    'rate-limit:0',
    'rate-limit:x',
    'rate-limit:1:albums',
    'server-error:1:any:418',
    'malformed-json:1:any:5',
    'slow:1:any:-5',
    'rate-limit:1:any:1:quota:more',
    '',
  ])('refuses %j with the accepted form', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(/kind\[:times\[:path\[:param\]\]\]/);
  });
});
