import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CredentialsFile } from '../adapters/credentials/credentials-file.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import type { CliResult } from '../test-support/cli.js';
import type { CliProcess } from '../test-support/cli-process.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { redirectOf } from '../test-support/user-login.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const LARGE = EMULATOR_PLAYLISTS.large;

describe('chartkeeper auth (built binary, emulator over HTTP)', () => {
  const sandbox = cliSandbox('ck-auth-', {
    env: (dir) => ({ XDG_CONFIG_HOME: join(dir, 'config') }),
  });
  const credentials = () => join(sandbox.dir, 'config', 'chartkeeper', 'credentials.json');
  const outputs: string[] = [];
  beforeEach(() => {
    sandbox.emulator.setMode('development');
    sandbox.emulator.login({ rotate: true, omitRefreshToken: false });
    outputs.length = 0;
  });

  const cli = async (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    const result = await sandbox.run(args, extra);
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  /** Starts `auth login --no-browser --port 0` and reads the URL it prints. */
  async function startLogin(): Promise<{ proc: CliProcess; url: string }> {
    const proc = sandbox.start(
      ['auth', 'login', '--no-browser', '--port', '0'],
      {},
      { stdin: true },
    );
    await proc.waitFor(/\/authorize\?\S+/);
    const url = /(http:\/\/\S+\/authorize\?\S+)/.exec(proc.output())?.[1] as string;
    return { proc, url };
  }

  /** The whole login the way a browser does it: the authorize URL, then its redirect. */
  async function logIn(): Promise<void> {
    const { proc, url } = await startLogin();
    const { location } = await redirectOf(url);
    const page = await fetch(location as URL);
    expect(await page.text()).toContain('Logged in to chartkeeper as Toplists Fan');
    expect(await proc.exited()).toBe(0);
    outputs.push(proc.output());
  }

  /** No token or code the emulator handed out appears in `texts`. */
  function expectNoSecrets(texts: string[]): void {
    const secrets = sandbox.emulator.secretsIssued();
    expect(secrets.length).toBeGreaterThan(0);
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    }
  }

  it('logs in through the callback, keeps the login 0600 in a 0700 folder, and shows it', async () => {
    const { proc, url } = await startLogin();
    const printed = proc.output();
    const redirect = /Redirect URI[^\n]*: (http:\/\/127\.0\.0\.1:\d+\/callback)\n/.exec(
      printed,
    )?.[1];
    expect(redirect).toBeDefined();
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirect);
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(url).searchParams.get('scope')).toBe(
      'playlist-read-private playlist-read-collaborative',
    );
    const { location } = await redirectOf(url);
    const page = await fetch(location as URL);
    expect(page.status).toBe(200);
    expect(await proc.exited()).toBe(0);
    expect(proc.output()).toMatch(/Logged in to Spotify as Toplists Fan \(toplists-fan\)/);
    expect(proc.output()).toContain('No configured chart uses it yet');

    expect(statSync(credentials()).mode & 0o777).toBe(0o600);
    expect(statSync(join(credentials(), '..')).mode & 0o777).toBe(0o700);
    const status = await cli(['auth', 'status', '--json']);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout);
    expect(shown).toMatchObject({
      source: 'file',
      loggedIn: true,
      file: credentials(),
      warning: null,
      login: {
        userId: 'toplists-fan',
        displayName: 'Toplists Fan',
        scopes: ['playlist-read-private', 'playlist-read-collaborative'],
        ended: null,
      },
    });
    expect(shown.login).not.toHaveProperty('refreshToken');
    expect(shown.daysLeft).toBeGreaterThanOrEqual(179);
    const text = await cli(['auth', 'status']);
    expect(text.stdout).toMatch(/user: +Toplists Fan/);
    expectNoSecrets([proc.output(), ...outputs]);

    const logout = await cli(['auth', 'logout']);
    expect(logout.code).toBe(0);
    expect(existsSync(credentials())).toBe(false);
    expect((await cli(['auth', 'status'])).code).toBe(1);
  });

  it('finishes with the redirected URL pasted on standard input', async () => {
    const { proc, url } = await startLogin();
    const { location } = await redirectOf(url);
    proc.child.stdin?.write(`\n  ${location}  \n`);
    expect(await proc.exited()).toBe(0);
    expect(existsSync(credentials())).toBe(true);
    expectNoSecrets([proc.output()]);
  });

  it('refuses a redirect whose state is not its own, and writes nothing', async () => {
    const { proc, url } = await startLogin();
    const { location } = await redirectOf(url);
    const forged = new URL(location as URL);
    forged.searchParams.set('state', 'someone-elses-state');
    const page = await fetch(forged);
    expect(page.status).toBe(400);
    expect(await proc.exited()).toBe(1);
    expect(proc.output()).toContain('Login refused: the redirect does not carry the state');
    expect(proc.output()).not.toMatch(/\n\s+at /);
    expect(existsSync(credentials())).toBe(false);
  });

  it('refuses a pasted line that is not a URL without echoing it', async () => {
    const { proc } = await startLogin();
    proc.child.stdin?.write('code=not-a-url-at-all-0123456789\n');
    expect(await proc.exited()).toBe(2);
    expect(proc.output()).toContain('What was pasted is not a URL');
    expect(proc.output()).not.toContain('not-a-url-at-all');
  });

  it('says a port is in use, and refuses a damaged credentials file, in one or two lines', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await cli(['auth', 'login', '--no-browser', '--port', String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
    await new CredentialsFile(credentials()).write({
      clientId: 'x',
      refreshToken: 'y',
      userId: 'z',
      displayName: null,
      scopes: [],
      loggedInAt: new Date().toISOString(),
      refreshExpiresAt: new Date().toISOString(),
      ended: null,
    });
    writeFileSync(credentials(), '{"version":1,"refreshToken":');
    const damaged = await cli(['auth', 'status']);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain(`the credentials file ${credentials()} cannot be read`);
    expect(damaged.stderr.trim().split('\n')).toHaveLength(2);
  });

  describe('charts read with the user login', () => {
    beforeEach(() => {
      writeFileSync(
        join(sandbox.dir, 'chartkeeper.config.json'),
        JSON.stringify({
          charts: [
            { playlist: DAILY, auth: 'user' },
            { playlist: LARGE, auth: 'user' },
            EMULATOR_PLAYLISTS.awkward,
          ],
        }),
      );
    });

    it("captures a user's own playlist with their token where the app token is refused, and no token reaches any output, log, store or export", async () => {
      await logIn();
      const run = await cli(['run', '--json']);
      expect(run.code).toBe(1);
      const runs = JSON.parse(run.stdout).runs as {
        chartId: string;
        state: string;
        error: { code: string } | null;
      }[];
      expect(runs.map((r) => [r.chartId, r.state])).toEqual([
        [DAILY, 'succeeded'],
        [LARGE, 'succeeded'],
        [EMULATOR_PLAYLISTS.awkward, 'failed'],
      ]);
      expect(runs[2]?.error?.code).toBe('spotify-forbidden');
      const logs = await cli([
        'logs',
        runs[0] ? (JSON.parse(run.stdout).runs[0].id as string) : '',
      ]);
      expect(logs.stdout).toContain('user token obtained');
      expect(logs.stdout).toContain('reading as Spotify user Toplists Fan (toplists-fan)');
      const exported = await cli(['export', '-o', join(sandbox.dir, 'all.ndjson')]);
      expect(exported.code).toBe(0);
      const csv = await cli(['export', '--format', 'csv']);
      const files = readdirSync(sandbox.dir)
        .filter((name) => name.startsWith('store.db') || name === 'all.ndjson')
        .map((name) => readFileSync(join(sandbox.dir, name)).toString('latin1'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      const refreshToken = JSON.parse(readFileSync(credentials(), 'utf8')).refreshToken as string;
      for (const text of [...files, ...outputs, csv.stdout])
        expect(text).not.toContain(refreshToken);
      expectNoSecrets([...files, ...outputs]);
    });

    it('refreshes the login from two processes at once without losing it', async () => {
      await logIn();
      // Slow refreshes, so that the two processes' refreshes overlap: with rotating refresh
      // tokens, a second refresh sent with the token the first one retired would end the login.
      sandbox.emulator.inject({ kind: 'slow', path: 'token', times: 2, delayMs: 2_000 });
      const [a, b] = await Promise.all([cli(['run', '-p', DAILY]), cli(['run', '-p', LARGE])]);
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
      const again = await cli(['run', '-p', DAILY]);
      expect(again.code).toBe(0);
      expect((await cli(['auth', 'status'])).code).toBe(0);
    });

    it('keeps the refresh token when a refresh reply has none, and takes a rotated one', async () => {
      await logIn();
      const inFile = () => JSON.parse(readFileSync(credentials(), 'utf8')).refreshToken as string;
      const first = inFile();
      sandbox.emulator.login({ omitRefreshToken: true });
      expect((await cli(['run', '-p', DAILY])).code).toBe(0);
      expect(inFile()).toBe(first);
      sandbox.emulator.login({ omitRefreshToken: false });
      expect((await cli(['run', '-p', DAILY])).code).toBe(0);
      expect(inFile()).not.toBe(first);
      expect(statSync(credentials()).mode & 0o777).toBe(0o600);
      expect((await cli(['run', '-p', DAILY])).code).toBe(0);
    });

    it('ends a revoked login with a message to log in again', async () => {
      await logIn();
      sandbox.emulator.login({ revoke: true });
      const run = await cli(['run', '-p', DAILY]);
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toContain('Log in again with: chartkeeper auth login');
      expect(run.stdout + run.stderr).toContain('invalid_grant');
      const status = await cli(['auth', 'status']);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/ended: .*invalid_grant/);
    });

    it('warns in auth status and in the run log from 14 days before the login expires', async () => {
      await logIn();
      const store = new CredentialsFile(credentials());
      const login = await store.read();
      const soon = new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString();
      await store.write({ ...(login as NonNullable<typeof login>), refreshExpiresAt: soon });
      const status = await cli(['auth', 'status']);
      expect(status.code).toBe(0);
      expect(status.stderr).toContain('warning: the Spotify login expires in 5 days');
      expect(JSON.parse((await cli(['auth', 'status', '--json'])).stdout).warning).toContain(
        'log in again before then with: chartkeeper auth login',
      );
      expect((await cli(['run', '-p', DAILY])).code).toBe(0);
      const logs = await cli(['logs']);
      expect(logs.stdout).toMatch(/warn +the Spotify login expires in 5 days/);
    });

    it('reads the login from SPOTIFY_REFRESH_TOKEN on a machine without the file', async () => {
      await logIn();
      const token = JSON.parse(readFileSync(credentials(), 'utf8')).refreshToken as string;
      const elsewhere = {
        XDG_CONFIG_HOME: join(sandbox.dir, 'other-config'),
        SPOTIFY_REFRESH_TOKEN: token,
      };
      const run = await cli(['run', '-p', DAILY], elsewhere);
      expect(run.code).toBe(0);
      const status = await cli(['auth', 'status', '--json'], elsewhere);
      expect(JSON.parse(status.stdout)).toMatchObject({ source: 'environment', loggedIn: true });
      expectNoSecrets(outputs);
    });
  });
});
