import type { HttpSettings } from '../../config/schema.js';
import type { CredentialStore } from '../../domain/ports/credentials.js';
import type { Log } from '../../domain/ports/sources.js';
import {
  LOGIN_COMMAND,
  type LoginSummary,
  summaryOf,
  type UserLogin,
} from '../../domain/user-login.js';
import { refreshUserToken } from './accounts.js';
import type { AccessToken, TokenDeps, TokenSource } from './auth.js';
import { SpotifyError } from './errors.js';
import { realHttpDeps } from './http.js';
import { TokenCache } from './token-cache.js';

/** Where the login comes from: the credentials file, or SPOTIFY_REFRESH_TOKEN for this process. */
export interface UserTokenSettings {
  clientId: string | undefined;
  accountsUrl: string;
  http: HttpSettings;
  store: CredentialStore;
  /** SPOTIFY_REFRESH_TOKEN: used instead of the file, which is then neither read nor written. */
  refreshToken?: string;
}

/**
 * The logged-in user's access tokens, refreshed from the refresh token when needed. A refresh
 * runs under the credentials store's lock and re-reads the login first, so two processes
 * refreshing at once never lose it: the second uses whatever refresh token the first left (a
 * reply without one keeps the old; a new one replaces it in the file at once). A refused refresh
 * token (invalid_grant) ends the login, in the file too, with a message to log in again.
 */
export class UserTokenProvider implements TokenSource {
  private readonly cache: TokenCache;
  // SPOTIFY_REFRESH_TOKEN as Spotify last left it (it may rotate it); lives as long as the process.
  private envToken: string | undefined;

  constructor(
    private readonly settings: UserTokenSettings,
    private readonly deps: TokenDeps = realHttpDeps,
  ) {
    this.envToken = settings.refreshToken;
    deps.redactor?.add(settings.refreshToken);
    this.cache = new TokenCache(() => this.now());
  }

  /** Whether the login is SPOTIFY_REFRESH_TOKEN (else the credentials file). */
  get fromEnvironment(): boolean {
    return this.settings.refreshToken !== undefined;
  }

  token(log?: Log): Promise<AccessToken> {
    return this.cache.token((l) => this.refresh(l), log);
  }

  invalidate(): void {
    this.cache.forget();
  }

  /** The login as kept in the file, without its secret; null with SPOTIFY_REFRESH_TOKEN. */
  async summary(): Promise<LoginSummary | null> {
    if (this.fromEnvironment) return null;
    const login = await this.settings.store.read();
    if (login) this.deps.redactor?.add(login.refreshToken);
    return login ? summaryOf(login) : null;
  }

  private async refresh(log?: Log): Promise<AccessToken> {
    const clientId = this.settings.clientId;
    if (!clientId) {
      throw new SpotifyError(
        'config',
        'SPOTIFY_CLIENT_ID is not set: a user login needs the id of the app it was made with',
        {
          permanent: true,
          hint: 'Set SPOTIFY_CLIENT_ID (spotify.clientId) to the app you logged in with.',
        },
      );
    }
    const accounts = { accountsUrl: this.settings.accountsUrl, clientId, http: this.settings.http };
    if (this.envToken !== undefined) {
      const refreshed = await refreshUserToken(accounts, this.envToken, this.deps, log);
      if (refreshed.kind === 'invalid-grant') {
        throw new SpotifyError(
          'spotify-auth',
          `${refreshed.reason}: the login in SPOTIFY_REFRESH_TOKEN is over`,
          {
            permanent: true,
            hint: `Log in again with: ${LOGIN_COMMAND} (on a machine with a browser), then give this process the new login (copy the credentials file, or set SPOTIFY_REFRESH_TOKEN to its refreshToken).`,
          },
        );
      }
      const rotated = refreshed.tokens.refreshToken;
      if (rotated) {
        this.deps.redactor?.add(rotated);
        this.envToken = rotated;
      }
      return this.keep(refreshed.tokens.accessToken, refreshed.tokens.expiresInSeconds);
    }
    const { store } = this.settings;
    return store.exclusive(async () => {
      // Read under the lock: another process may have just rotated the refresh token.
      const login = await store.read();
      if (!login) throw notLoggedIn(store.location);
      this.deps.redactor?.add(login.refreshToken);
      if (login.ended) throw loginEnded(login);
      if (login.clientId !== clientId) throw otherApp(login, clientId);
      const refreshed = await refreshUserToken(accounts, login.refreshToken, this.deps, log);
      if (refreshed.kind === 'invalid-grant') {
        const ended: UserLogin = {
          ...login,
          ended: { at: new Date(this.now()).toISOString(), reason: refreshed.reason },
        };
        await store.write(ended);
        throw loginEnded(ended);
      }
      const { tokens } = refreshed;
      this.deps.redactor?.add(tokens.accessToken);
      if (tokens.refreshToken && tokens.refreshToken !== login.refreshToken) {
        this.deps.redactor?.add(tokens.refreshToken);
        await store.write({ ...login, refreshToken: tokens.refreshToken });
      }
      return this.keep(tokens.accessToken, tokens.expiresInSeconds);
    });
  }

  private keep(value: string, expiresInSeconds: number): AccessToken {
    this.deps.redactor?.add(value);
    return this.cache.keep(value, expiresInSeconds);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

/** No login anywhere: say how to make one. */
export function notLoggedIn(location: string): SpotifyError {
  return new SpotifyError(
    'spotify-auth',
    `This chart is read with a user login (auth: "user"), but nobody is logged in (no ${location})`,
    {
      permanent: true,
      hint: `Log in once with: ${LOGIN_COMMAND} (or give workers SPOTIFY_REFRESH_TOKEN).`,
    },
  );
}

function loginEnded(login: UserLogin): SpotifyError {
  const who = login.displayName ?? login.userId;
  return new SpotifyError(
    'spotify-auth',
    `The Spotify login of ${who} is over: ${login.ended?.reason ?? 'Spotify refused it'}`,
    { permanent: true, hint: `Log in again with: ${LOGIN_COMMAND}` },
  );
}

function otherApp(login: UserLogin, clientId: string): SpotifyError {
  return new SpotifyError(
    'spotify-auth',
    `The saved Spotify login was made with app ${login.clientId}, but SPOTIFY_CLIENT_ID is ${clientId}`,
    {
      permanent: true,
      hint: `A login works only with its own app: set SPOTIFY_CLIENT_ID back, or log in again with: ${LOGIN_COMMAND}`,
    },
  );
}
