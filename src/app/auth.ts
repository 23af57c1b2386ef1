import { CredentialsFile } from '../adapters/credentials/credentials-file.js';
import { openBrowser } from '../adapters/login/browser.js';
import { type CallbackPage, startCallbackServer } from '../adapters/login/callback-server.js';
import { authorizeUrl, exchangeCode, fetchProfile } from '../adapters/spotify/accounts.js';
import { newPkcePair } from '../adapters/spotify/pkce.js';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ChartkeeperError } from '../domain/errors.js';
import {
  daysLeft,
  expiryWarning,
  LOGIN_COMMAND,
  LOGIN_SCOPES,
  type LoginSummary,
  refreshExpiryOf,
  summaryOf,
  type UserLogin,
} from '../domain/user-login.js';
import type { Redactor } from '../lib/redact.js';
import { listenError } from './listen-error.js';

/** What `auth login` needs from its entry point besides the configuration. */
export interface LoginRequest {
  /** Where the callback server listens on 127.0.0.1 (0: any free port). */
  port: number;
  /** Try to open the browser (else only print the URL). */
  openBrowser: boolean;
  /** Lines the user pastes (the redirected URL), for a machine without a browser; null: none. */
  pasted: AsyncIterable<string> | null;
  /** Progress for the user: the redirect URI to register, the URL to open. */
  say(line: string): void;
  /** Learns every secret the login meets (code, tokens), before anything could print one. */
  redactor: Redactor;
}

/** The outcome of `auth login`: who logged in, and where the login is kept. */
export interface LoginResult {
  login: LoginSummary;
  file: string;
  /** How many configured charts are read with the login (`auth: "user"`). */
  userCharts: number;
}

/**
 * `auth login`: Authorization Code with PKCE. Starts the one-shot callback server on 127.0.0.1,
 * prints the redirect URI to register and the URL to open (opening the browser when it can), and
 * finishes with the first redirect that arrives, by the callback or pasted on standard input:
 * its state must be this login's, its code is exchanged with the verifier, and the user's
 * refresh token is written to the credentials file (0600), never printed.
 */
export async function login(config: Config, request: LoginRequest): Promise<LoginResult> {
  const clientId = config.spotify.clientId;
  if (!clientId) {
    throw new ConfigError(
      'SPOTIFY_CLIENT_ID is not set: logging in needs the id of your Spotify app',
      'Create an app at https://developer.spotify.com/dashboard and set SPOTIFY_CLIENT_ID (spotify.clientId).',
    );
  }
  const store = new CredentialsFile(config.auth.file);
  const pkce = newPkcePair();
  request.redactor.add(pkce.verifier);
  let finishing: Promise<LoginSummary> | null = null;
  let settle: { resolve: (login: LoginSummary) => void; reject: (error: unknown) => void };
  const done = new Promise<LoginSummary>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The first redirect decides the login; a second one (a reload, a paste after the callback)
  // is told it came too late.
  const finish = (url: URL, redirectUri: string): Promise<LoginSummary> => {
    finishing ??= complete(url, redirectUri);
    finishing.then(settle.resolve, settle.reject);
    return finishing;
  };
  const complete = async (url: URL, redirectUri: string): Promise<LoginSummary> => {
    const params = url.searchParams;
    const code = params.get('code');
    request.redactor.add(code);
    if (params.get('state') !== pkce.state) {
      throw new ChartkeeperError(
        'spotify-auth',
        'Login refused: the redirect does not carry the state of this login, so this chartkeeper did not start it (a stale link, or a forged request)',
        { hint: `Start again with: ${LOGIN_COMMAND}`, permanent: true },
      );
    }
    const error = params.get('error');
    if (error) {
      throw new ChartkeeperError(
        'spotify-auth',
        `Spotify did not log you in: ${error === 'access_denied' ? 'access was denied (the "Cancel" button)' : error}`,
        { hint: `Start again with: ${LOGIN_COMMAND}`, permanent: true },
      );
    }
    if (!code) {
      throw new ChartkeeperError(
        'usage',
        'The redirect carries no code: it is not the end of a Spotify login',
        {
          hint: `Start again with: ${LOGIN_COMMAND}`,
          permanent: true,
        },
      );
    }
    const accounts = { accountsUrl: config.spotify.accountsUrl, clientId, http: config.http };
    const tokens = await exchangeCode(accounts, { code, redirectUri, verifier: pkce.verifier });
    request.redactor.add(tokens.accessToken);
    request.redactor.add(tokens.refreshToken);
    if (!tokens.refreshToken) {
      throw new ChartkeeperError('spotify-auth', 'Spotify sent no refresh token for the login', {
        hint: `Start again with: ${LOGIN_COMMAND}`,
        permanent: true,
      });
    }
    const profile = await fetchProfile(config.spotify.apiUrl, tokens.accessToken, config.http);
    const now = new Date();
    const login: UserLogin = {
      clientId,
      refreshToken: tokens.refreshToken,
      userId: profile.id,
      displayName: profile.displayName,
      scopes: tokens.scopes.length > 0 ? tokens.scopes : [...LOGIN_SCOPES],
      loggedInAt: now.toISOString(),
      refreshExpiresAt: refreshExpiryOf(now).toISOString(),
      ended: null,
    };
    // Under the lock: a process refreshing the old login must not write it back over this one.
    await store.exclusive(() => store.write(login));
    return summaryOf(login);
  };

  let redirectUri = '';
  const server = await startCallbackServer(
    request.port,
    async (url): Promise<CallbackPage> => pageFor(await settled(finish(url, redirectUri))),
  ).catch((error: unknown) => {
    throw listenError(error, '127.0.0.1', request.port);
  });
  redirectUri = server.redirectUri;
  try {
    const url = authorizeUrl(
      { accountsUrl: config.spotify.accountsUrl, clientId },
      { redirectUri, challenge: pkce.challenge, state: pkce.state, scopes: LOGIN_SCOPES },
    );
    request.say(
      `Redirect URI (add it to your app at https://developer.spotify.com/dashboard): ${redirectUri}`,
    );
    request.say(`Open this URL to log in to Spotify:\n\n  ${url}\n`);
    if (request.openBrowser) {
      if (!(await openBrowser(url))) {
        request.say(
          'Could not open a browser here: open the URL above yourself (on a server, use --no-browser).',
        );
      }
    }
    if (request.pasted) {
      request.say(
        `Waiting for Spotify's redirect. Without a browser on this machine, open the URL elsewhere, then paste here the whole address the browser ends on (it starts with ${redirectUri}) and press Enter.`,
      );
      void readPasted(request.pasted, (url) => finish(url, redirectUri), settle!.reject);
    } else {
      request.say('Waiting for Spotify to send the browser back (Ctrl+C to give up)…');
    }
    return {
      login: await done,
      file: store.location,
      userCharts: config.auth.userPlaylists.length,
    };
  } finally {
    await server.close();
  }
}

/** Feeds pasted lines to the login: the first non-empty one must be the redirected URL. */
async function readPasted(
  lines: AsyncIterable<string>,
  finish: (url: URL) => Promise<LoginSummary>,
  fail: (error: unknown) => void,
): Promise<void> {
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      // The line is never echoed: it may hold the code.
      let url: URL;
      try {
        url = new URL(line);
      } catch {
        fail(
          new ChartkeeperError('usage', 'What was pasted is not a URL', {
            hint: 'Paste the whole address the browser ended on after logging in (it starts with the redirect URI, and holds the code and the state Spotify added).',
            permanent: true,
          }),
        );
        return;
      }
      await finish(url).catch(() => {});
      return;
    }
  } catch (error) {
    fail(error);
  }
}

async function settled(
  login: Promise<LoginSummary>,
): Promise<{ ok: true; login: LoginSummary } | { ok: false; error: unknown }> {
  try {
    return { ok: true, login: await login };
  } catch (error) {
    return { ok: false, error };
  }
}

function pageFor(
  outcome: { ok: true; login: LoginSummary } | { ok: false; error: unknown },
): CallbackPage {
  if (outcome.ok) {
    const who = outcome.login.displayName ?? outcome.login.userId;
    return { status: 200, text: `Logged in to chartkeeper as ${who}. You can close this tab.` };
  }
  const message = outcome.error instanceof Error ? outcome.error.message : 'the login failed';
  return { status: 400, text: `chartkeeper: ${message}` };
}

/** What `auth status` reports. */
export interface LoginStatus {
  /** `file`: the credentials file; `environment`: SPOTIFY_REFRESH_TOKEN, which wins over it. */
  source: 'file' | 'environment';
  file: string;
  loggedIn: boolean;
  /** The login in the file, without its secret; null when there is none. */
  login: LoginSummary | null;
  daysLeft: number | null;
  warning: string | null;
}

/** `auth status`: who is logged in, with which scopes, until when; never the token. */
export async function loginStatus(config: Config, now = new Date()): Promise<LoginStatus> {
  const file = config.auth.file;
  if (config.auth.refreshToken) {
    return {
      source: 'environment',
      file,
      loggedIn: true,
      login: null,
      daysLeft: null,
      warning: null,
    };
  }
  const login = await new CredentialsFile(file).read();
  if (!login)
    return { source: 'file', file, loggedIn: false, login: null, daysLeft: null, warning: null };
  const left = daysLeft(login, now);
  return {
    source: 'file',
    file,
    loggedIn: login.ended === null && left >= 0,
    login: summaryOf(login),
    daysLeft: left,
    warning: expiryWarning(login, now),
  };
}

/** `auth logout`: forgets the login (removes the credentials file); whether there was one. */
export async function logout(config: Config): Promise<{ removed: boolean; file: string }> {
  const store = new CredentialsFile(config.auth.file);
  const removed = await store.exclusive(() => store.remove());
  return { removed, file: store.location };
}
