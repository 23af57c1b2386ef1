import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { QuotaExhaustedError } from '../../domain/quota.js';
import { EMULATOR_PLAYLISTS } from '../../emulator/constants.js';
import { stubServer } from '../../test-support/spotify-harness.js';
import { failure, harnessPerTest } from '../../test-support/spotify-setup.js';
import { requestJson } from './http.js';

const { daily } = EMULATOR_PLAYLISTS;
const { cleanups, setup } = harnessPerTest();

async function quotaFailure(promise: Promise<unknown>): Promise<QuotaExhaustedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QuotaExhaustedError);
  return error as QuotaExhaustedError;
}

describe('rate limits (429)', () => {
  it('waits as long as Retry-After asks, then succeeds', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'rate-limit', path: 'playlist', retryAfterSeconds: 2 });
    const playlist = await h.client.getPlaylist(daily, h.log);
    expect(playlist.id).toBe(daily);
    expect(h.waits).toEqual([2000]);
    expect(h.requests(`/playlists/${daily}`).map((r) => r.status)).toEqual([429, 200]);
    expect(h.logs).toContain(
      'warn: 429 from Spotify, waiting 2 s as Retry-After asks (attempt 2/5)',
    );
  });

  it('treats QUOTA_EXCEEDED as the quota: one request, no wait, until a clock time', async () => {
    const now = Date.parse('2026-11-29T20:00:00.000Z');
    const h = await setup({ now: () => now, timeZone: 'Europe/Berlin' });
    h.emulator.inject({
      kind: 'rate-limit',
      path: 'playlist',
      retryAfterSeconds: 49_000,
      quota: true,
      times: 5,
    });
    const error = await quotaFailure(h.client.getPlaylist(daily, h.log));
    // 20:00 UTC + 49,000 s = 09:36:40 UTC the next day = 10:36 in Berlin.
    expect(error.message).toMatch(
      /^Spotify's quota is exhausted until 2026-11-30 10:36 Europe\/Berlin \(13 h 37 min from now\)/,
    );
    expect(error.message).toContain('reason QUOTA_EXCEEDED, Retry-After 49000 s');
    expect(error).toMatchObject({ code: 'spotify-quota', permanent: true });
    expect(error.exhaustion).toEqual({
      until: '2026-11-30T09:36:40.000Z',
      seenAt: '2026-11-29T20:00:00.000Z',
      reason: 'QUOTA_EXCEEDED',
      retryAfterSeconds: 49_000,
      request: `GET /playlists/${daily}`,
    });
    expect(h.waits).toEqual([]);
    expect(h.requests(`/playlists/${daily}`)).toHaveLength(1);
  });

  it('treats QUOTA_EXCEEDED as the quota even with a short Retry-After', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'rate-limit', path: 'playlist', retryAfterSeconds: 2, quota: true });
    const error = await quotaFailure(h.client.getPlaylist(daily, h.log));
    expect(error.exhaustion.retryAfterSeconds).toBe(2);
    expect(h.waits).toEqual([]);
    expect(h.requests(`/playlists/${daily}`)).toHaveLength(1);
  });

  it('treats a Retry-After beyond the whole budget as the quota, without a reason', async () => {
    const h = await setup({ http: { maxRetryWaitMs: 10_000 } });
    h.emulator.inject({ kind: 'rate-limit', path: 'playlist', retryAfterSeconds: 30, times: 5 });
    const error = await quotaFailure(h.client.getPlaylist(daily, h.log));
    expect(error.exhaustion).toMatchObject({ reason: null, retryAfterSeconds: 30 });
    expect(error.message).toMatch(/^Spotify's quota is exhausted until .* UTC \(30 s from now\)/);
    expect(error.message).toContain('(Retry-After 30 s)');
    expect(h.waits).toEqual([]);
    expect(h.requests(`/playlists/${daily}`)).toHaveLength(1);
  });

  it('assumes an hour for a quota 429 without Retry-After', async () => {
    const stub = await stubServer(() => ({
      status: 429,
      body: '{"error":{"status":429,"message":"API rate limit exceeded","reason":"QUOTA_EXCEEDED"}}',
    }));
    cleanups.push(stub.close);
    const now = Date.parse('2026-11-29T20:00:00.000Z');
    const error = await quotaFailure(
      requestJson(
        { method: 'GET', url: stub.url, label: 'GET /x', schema: z.object({ ok: z.boolean() }) },
        { timeoutMs: 2_000, maxAttempts: 3, maxRetryWaitMs: 10_000 },
        { fetch, sleep: async () => {}, random: () => 0.5, now: () => now },
      ),
    );
    expect(error.exhaustion).toMatchObject({
      until: '2026-11-29T21:00:00.000Z',
      retryAfterSeconds: null,
    });
    expect(error.message).toContain('no Retry-After (a wait of an hour is assumed)');
    expect(stub.count()).toBe(1);
  });

  it('counts earlier waits against the budget', async () => {
    const h = await setup({ http: { maxRetryWaitMs: 5_000 } });
    h.emulator.inject({ kind: 'rate-limit', path: 'playlist', retryAfterSeconds: 3, times: 2 });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error).toMatchObject({ code: 'spotify-rate-limit', permanent: false });
    expect(error.message).toContain('asked to wait 3 s');
    expect(error.message).toContain('the 2 s left of the 5 s budget');
    expect(h.waits).toEqual([3000]);
    expect(h.requests(`/playlists/${daily}`)).toHaveLength(2);
  });

  it('waits one second when Retry-After is absent', async () => {
    const stub = await stubServer((n) =>
      n === 1
        ? { status: 429, body: '{"error":{"status":429,"message":"API rate limit exceeded"}}' }
        : { status: 200, body: '{"ok":true}' },
    );
    cleanups.push(stub.close);
    const waits: number[] = [];
    const reply = await requestJson(
      { method: 'GET', url: stub.url, label: 'GET /x', schema: z.object({ ok: z.boolean() }) },
      { timeoutMs: 2_000, maxAttempts: 3, maxRetryWaitMs: 10_000 },
      { fetch, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(reply).toMatchObject({ ok: true, data: { ok: true } });
    expect(waits).toEqual([1000]);
    expect(stub.count()).toBe(2);
  });
});

describe('server errors, resets and timeouts', () => {
  it('retries 5xx with jittered exponential backoff, then succeeds', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'server-error', path: 'playlist', status: 502, times: 2 });
    await h.client.getPlaylist(daily, h.log);
    // random() = 0.5 of 500 ms, then of 1000 ms.
    expect(h.waits).toEqual([250, 500]);
    expect(h.requests(`/playlists/${daily}`).map((r) => r.status)).toEqual([502, 502, 200]);
    expect(h.logs.filter((l) => l.includes('HTTP 502 from Spotify'))).toHaveLength(2);
  });

  it('gives up after http.maxAttempts with a transient error', async () => {
    const h = await setup({ http: { maxAttempts: 3 } });
    h.emulator.inject({ kind: 'server-error', path: 'playlist', times: 10 });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error).toMatchObject({ code: 'spotify-unavailable', permanent: false });
    expect(error.message).toMatch(
      /HTTP 503 for GET \/playlists\/5FN6Ego7eLX6zHuCMovIR2.*3 attempts/,
    );
    expect(h.requests(`/playlists/${daily}`)).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'connection-reset', path: 'playlist' });
    await h.client.getPlaylist(daily, h.log);
    expect(h.requests(`/playlists/${daily}`).map((r) => r.status)).toEqual([0, 200]);
    expect(h.waits).toHaveLength(1);
    expect(h.logs.some((l) => /connection/.test(l) && l.includes('attempt 2/5'))).toBe(true);
  });

  it('times a slow answer out and retries it', async () => {
    const h = await setup({ http: { timeoutMs: 200 } });
    h.emulator.inject({ kind: 'slow', path: 'playlist', delayMs: 1_500 });
    await h.client.getPlaylist(daily, h.log);
    expect(h.waits).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('no answer from Spotify'))).toBe(true);
    // The abandoned request is recorded whenever the emulator notices the closed socket.
    expect(h.requests(`/playlists/${daily}`).map((r) => r.status)).toContain(200);
  });

  it('names the timeout setting when every attempt is too slow', async () => {
    const h = await setup({ http: { timeoutMs: 150, maxAttempts: 2 } });
    h.emulator.inject({ kind: 'slow', path: 'playlist', delayMs: 1_000, times: 5 });
    const error = await failure(h.client.getPlaylist(daily, h.log));
    expect(error.code).toBe('spotify-unavailable');
    expect(error.message).toContain(
      'did not answer GET /playlists/5FN6Ego7eLX6zHuCMovIR2 within 0.15 s',
    );
    expect(error.message).toContain('http.timeoutMs');
  });
});

describe('malformed replies', () => {
  it('retries a body that is not JSON, then succeeds', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'malformed-json', path: 'items' });
    const { pages } = await h.client.getPlaylistItems(daily, h.log);
    expect(pages.flatMap((p) => p.items)).toHaveLength(50);
    expect(h.waits).toHaveLength(1);
  });

  it('gives up after two retries with a message naming the endpoint', async () => {
    const h = await setup();
    h.emulator.inject({ kind: 'malformed-json', path: 'items', times: 10 });
    const error = await failure(h.client.getPlaylistItems(daily, h.log));
    expect(error.code).toBe('spotify-malformed');
    expect(error.message).toMatch(
      /^Spotify sent a malformed reply for GET \/playlists\/5FN6Ego7eLX6zHuCMovIR2\/items: the body is not JSON/,
    );
    expect(h.requests('/items')).toHaveLength(3);
  });

  it('rejects JSON of the wrong shape, naming the field', async () => {
    const stub = await stubServer(() => ({ status: 200, body: '{"items":"none","limit":50}' }));
    cleanups.push(stub.close);
    const reply = requestJson(
      {
        method: 'GET',
        url: stub.url,
        label: 'GET /playlists/p/items',
        schema: z.object({ items: z.array(z.unknown()) }),
      },
      { timeoutMs: 2_000, maxAttempts: 5, maxRetryWaitMs: 10_000 },
      { fetch, sleep: async () => {}, random: () => 0 },
    );
    const error = await failure(reply);
    expect(error.message).toMatch(/malformed reply for GET \/playlists\/p\/items: items: /);
    expect(stub.count()).toBe(3);
  });

  it('never quotes a malformed token reply', async () => {
    const stub = await stubServer(() => ({ status: 200, body: 'access_token=SECRET-TOKEN-VALUE' }));
    cleanups.push(stub.close);
    const reply = requestJson(
      {
        method: 'POST',
        url: stub.url,
        label: 'POST /api/token',
        schema: z.object({ access_token: z.string() }),
        secretReply: true,
      },
      { timeoutMs: 2_000, maxAttempts: 1, maxRetryWaitMs: 0 },
      { fetch, sleep: async () => {}, random: () => 0 },
    );
    const error = await failure(reply);
    expect(error.message).toContain('not JSON');
    expect(error.message).not.toContain('SECRET-TOKEN-VALUE');
  });
});
