import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { RunningEmulator } from '../../emulator/emulator.js';
import { Redactor } from '../../lib/redact.js';
import { emulatorStarter, get } from '../../test-support/emulator-client.js';
import { emulatorLogin } from '../../test-support/user-login.js';
import { CredentialsFile } from '../credentials/credentials-file.js';
import { UserTokenProvider } from './user-tokens.js';

const start = emulatorStarter();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const http = { ...configSchema.parse({}).http, maxAttempts: 1 };

/** A credentials file holding a fresh login to `emu`. */
async function loggedIn(emu: RunningEmulator): Promise<CredentialsFile> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-user-tokens-'));
  dirs.push(dir);
  const store = new CredentialsFile(join(dir, 'credentials.json'));
  const { refreshToken, scope } = await emulatorLogin(emu);
  await store.write({
    clientId: emu.credentials.clientId,
    refreshToken,
    userId: 'toplists-fan',
    displayName: 'Toplists Fan',
    scopes: scope.split(' '),
    loggedInAt: new Date().toISOString(),
    refreshExpiresAt: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    ended: null,
  });
  return store;
}

function provider(emu: RunningEmulator, store: CredentialsFile, redactor = new Redactor()) {
  return new UserTokenProvider(
    { clientId: emu.credentials.clientId, accountsUrl: emu.accountsUrl, http, store },
    { fetch, sleep: async () => {}, random: Math.random, redactor },
  );
}

const refreshTokenIn = async (store: CredentialsFile) => (await store.read())?.refreshToken;

describe('the user token provider', () => {
  it('refreshes an access token for the user, and keeps the refresh token when the reply has none', async () => {
    const emu = await start();
    emu.login({ omitRefreshToken: true });
    const store = await loggedIn(emu);
    const before = await refreshTokenIn(store);
    const redactor = new Redactor();
    const tokens = provider(emu, store, redactor);
    const first = await tokens.token();
    expect(first.fresh).toBe(true);
    expect((await get(emu, '/me', first.value)).body.id).toBe('toplists-fan');
    expect((await tokens.token()).fresh).toBe(false);
    expect(await refreshTokenIn(store)).toBe(before);
    // The old one still works, for this process and the next.
    tokens.invalidate();
    expect((await tokens.token()).fresh).toBe(true);
    expect(redactor.redact(`${first.value} ${before}`)).not.toMatch(/BQ|AQ/);
  });

  it('replaces a rotated refresh token in the file', async () => {
    const emu = await start();
    const store = await loggedIn(emu);
    const before = await refreshTokenIn(store);
    await provider(emu, store).token();
    const after = await refreshTokenIn(store);
    expect(after).not.toBe(before);
    // The next process starts from the new one.
    expect((await provider(emu, store).token()).fresh).toBe(true);
  });

  it('ends the login on invalid_grant, in the file too, and says to log in again', async () => {
    const emu = await start();
    const store = await loggedIn(emu);
    emu.login({ revoke: true });
    const error = await provider(emu, store)
      .token()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect(error).toMatchObject({ code: 'spotify-auth', permanent: true });
    expect((error as ChartkeeperError).message).toContain('invalid_grant');
    expect((error as ChartkeeperError).hint).toBe('Log in again with: chartkeeper auth login');
    expect((await store.read())?.ended?.reason).toContain('invalid_grant');
    // An ended login is not sent to Spotify again.
    const calls = emu.requests.length;
    await expect(provider(emu, store).token()).rejects.toThrow(/login of Toplists Fan is over/);
    expect(emu.requests.length).toBe(calls);
  });

  it('never loses the login when several refresh at once with rotating tokens', async () => {
    const emu = await start();
    const store = await loggedIn(emu);
    // Separate providers and file handles, as separate processes would have.
    const providers = Array.from({ length: 4 }, () =>
      provider(emu, new CredentialsFile(store.location)),
    );
    const tokens = await Promise.all(providers.map((p) => p.token()));
    for (const token of tokens) expect((await get(emu, '/me', token.value)).status).toBe(200);
    expect((await store.read())?.ended).toBeNull();
    expect((await provider(emu, store).token()).fresh).toBe(true);
  });

  it('uses SPOTIFY_REFRESH_TOKEN without any file, following its rotation in memory', async () => {
    const emu = await start();
    const { refreshToken } = await emulatorLogin(emu);
    const nowhere = new CredentialsFile(join(tmpdir(), 'ck-no-such-dir', 'credentials.json'));
    const tokens = new UserTokenProvider(
      {
        clientId: emu.credentials.clientId,
        accountsUrl: emu.accountsUrl,
        http,
        store: nowhere,
        refreshToken,
      },
      { fetch, sleep: async () => {}, random: Math.random },
    );
    expect((await tokens.token()).fresh).toBe(true);
    tokens.invalidate();
    expect((await tokens.token()).fresh).toBe(true);
    expect(await tokens.summary()).toBeNull();
    expect(() => readFileSync(nowhere.location)).toThrow();
  });

  it('names the missing login and the command that makes one', async () => {
    const emu = await start();
    const dir = mkdtempSync(join(tmpdir(), 'ck-user-tokens-'));
    dirs.push(dir);
    const error = await provider(emu, new CredentialsFile(join(dir, 'credentials.json')))
      .token()
      .catch((e: unknown) => e as ChartkeeperError);
    expect(error).toMatchObject({ code: 'spotify-auth', permanent: true });
    expect((error as ChartkeeperError).message).toContain('nobody is logged in');
    expect((error as ChartkeeperError).hint).toContain('chartkeeper auth login');
  });
});
