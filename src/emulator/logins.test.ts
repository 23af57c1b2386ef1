import { describe, expect, it } from 'vitest';
import { emulatorStarter, get, token } from '../test-support/emulator-client.js';
import {
  authorizeUrlOf,
  emulatorLogin,
  pkce,
  redirectOf,
  userTokenRequest,
} from '../test-support/user-login.js';
import { EMULATOR_PLAYLISTS, EMULATOR_USER } from './emulator.js';

const start = emulatorStarter();
const REDIRECT = 'http://127.0.0.1:8888/callback';

describe('emulated user login (Authorization Code with PKCE)', () => {
  it('redirects at once with a code and the state, and exchanges the code for user tokens', async () => {
    const emu = await start();
    const { verifier, challenge } = pkce();
    const { status, location } = await redirectOf(
      authorizeUrlOf(emu, { redirectUri: REDIRECT, challenge, state: 's-1' }),
    );
    expect(status).toBe(302);
    expect(`${location?.origin}${location?.pathname}`).toBe(REDIRECT);
    expect(location?.searchParams.get('state')).toBe('s-1');
    const code = location?.searchParams.get('code') as string;
    expect(code).toMatch(/^AQ/);

    const wrong = await userTokenRequest(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
    });
    expect(wrong).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier was incorrect' },
    });
    // A refused code is spent all the same; a new login gets a new one.
    const again = await redirectOf(
      authorizeUrlOf(emu, { redirectUri: REDIRECT, challenge, state: 's-2' }),
    );
    const exchange = {
      grant_type: 'authorization_code',
      code: again.location?.searchParams.get('code') as string,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    };
    const granted = await userTokenRequest(emu, exchange);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'playlist-read-private playlist-read-collaborative',
    });
    expect(granted.body.refresh_token).toMatch(/^AQ/);
    expect((await userTokenRequest(emu, exchange)).body.error).toBe('invalid_grant');

    const me = await get(emu, '/me', granted.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: EMULATOR_USER.id,
      display_name: EMULATOR_USER.displayName,
    });
    expect((await get(emu, '/me', await token(emu))).status).toBe(401);
  });

  it('refuses localhost, plain HTTP beyond loopback, another client, and methods other than S256', async () => {
    const emu = await start();
    const { challenge } = pkce();
    const page = async (params: Record<string, string>) => {
      const url = authorizeUrlOf(emu, { redirectUri: REDIRECT, challenge, state: 's', ...params });
      const reply = await fetch(url, { redirect: 'manual' });
      return {
        status: reply.status,
        text: await reply.text(),
        location: reply.headers.get('location'),
      };
    };
    expect(await page({ redirectUri: 'http://localhost:8888/callback' })).toMatchObject({
      status: 400,
      text: expect.stringContaining('localhost is not allowed'),
    });
    expect((await page({ redirectUri: 'http://192.0.2.1:8888/callback' })).status).toBe(400);
    expect((await page({ client_id: 'someone-else' })).text).toContain('INVALID_CLIENT');
    const plain = await page({ code_challenge_method: 'plain' });
    expect(plain.status).toBe(302);
    expect(new URL(plain.location as string).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(plain.location as string).searchParams.get('code')).toBeNull();
    // A code for one redirect URI is refused for another.
    const other = await redirectOf(
      authorizeUrlOf(emu, { redirectUri: REDIRECT, challenge, state: 's' }),
    );
    const mismatch = await userTokenRequest(emu, {
      grant_type: 'authorization_code',
      code: other.location?.searchParams.get('code') as string,
      redirect_uri: 'http://127.0.0.1:9999/callback',
      code_verifier: 'x'.repeat(43),
    });
    expect(mismatch.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid redirect URI',
    });
  });

  it('rotates refresh tokens by default, and can keep them, leave them out, revoke and age them', async () => {
    const emu = await start();
    const first = await emulatorLogin(emu);
    const refresh = (refreshToken: string) =>
      userTokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken });

    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).toMatch(/^AQ/);
    expect(rotated.body.refresh_token).not.toBe(first.refreshToken);
    expect((await refresh(first.refreshToken)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token revoked',
    });

    emu.login({ rotate: false });
    const kept = await refresh(rotated.body.refresh_token as string);
    expect(kept.body.refresh_token).toBe(rotated.body.refresh_token);

    const control = await fetch(`${emu.url}/_emulator/login`, {
      method: 'POST',
      body: JSON.stringify({ omitRefreshToken: true }),
    });
    expect(control.status).toBe(204);
    const omitted = await refresh(rotated.body.refresh_token as string);
    expect(omitted.status).toBe(200);
    expect(omitted.body).not.toHaveProperty('refresh_token');
    expect((await get(emu, '/me', omitted.body.access_token)).status).toBe(200);

    emu.login({ ageDays: 181 });
    expect((await refresh(rotated.body.refresh_token as string)).status).toBe(200);
    emu.login({ ageDays: 1 });
    expect((await refresh(rotated.body.refresh_token as string)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token expired',
    });

    const second = await emulatorLogin(emu);
    await fetch(`${emu.url}/_emulator/login`, { method: 'POST', body: '{"revoke":true}' });
    expect((await refresh(second.refreshToken)).body.error_description).toBe(
      'Refresh token revoked',
    );
    const described = await (await fetch(`${emu.url}/_emulator/login`)).json();
    expect(described).toMatchObject({ usable: 0, rotate: false, omitRefreshToken: true });
    const bad = await fetch(`${emu.url}/_emulator/login`, {
      method: 'POST',
      body: '{"ageDays":"x"}',
    });
    expect(bad.status).toBe(400);
  });

  it("lets a Development Mode app read the items of the logged-in user's own playlists only", async () => {
    const emu = await start({ mode: 'development' });
    const user = (await emulatorLogin(emu)).accessToken;
    const app = await token(emu);
    const items = `/playlists/${EMULATOR_PLAYLISTS.daily}/items?limit=5`;
    expect((await get(emu, items, app)).status).toBe(403);
    const owned = await get(emu, items, user);
    expect(owned.status).toBe(200);
    expect(owned.body.items).toHaveLength(5);
    expect(
      (await get(emu, `/playlists/${EMULATOR_PLAYLISTS.daily}`, user)).body.items,
    ).toBeDefined();
    expect((await get(emu, `/playlists/${EMULATOR_PLAYLISTS.editorial}/items`, user)).status).toBe(
      404,
    );
    expect((await get(emu, `/playlists/${EMULATOR_PLAYLISTS.daily}/tracks`, user)).status).toBe(
      403,
    );
  });
});
