import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import type { Log } from '../../domain/ports/sources.js';
import type { Redactor } from '../../lib/redact.js';
import { explainTokenError, missingCredentialsError } from './errors.js';
import { type HttpDeps, realHttpDeps, requestJson } from './http.js';
import { tokenReplySchema } from './schemas.js';
import { type AccessToken, TokenCache } from './token-cache.js';

export type { AccessToken } from './token-cache.js';

/** Where the client gets its access tokens: the app's own, or a logged-in user's. */
export interface TokenSource {
  /** A usable token: a cached one, or a new one. */
  token(log?: Log): Promise<AccessToken>;
  /** Forgets the cached token, after Spotify answered 401 to it. */
  invalidate(): void;
}

/** The token provider's I/O, clock, and where to register each new token as a secret. */
export type TokenDeps = HttpDeps & { redactor?: Redactor };

/** Client-credentials tokens from accounts.spotify.com, cached until shortly before expiry. */
export class TokenProvider implements TokenSource {
  private readonly cache: TokenCache;

  constructor(
    private readonly spotify: SpotifySettings,
    private readonly http: HttpSettings,
    private readonly deps: TokenDeps = realHttpDeps,
  ) {
    this.cache = new TokenCache(() => this.deps.now?.() ?? Date.now());
  }

  /** A usable token: the cached one, or a new one (concurrent callers share one request). */
  token(log?: Log): Promise<AccessToken> {
    return this.cache.token((l) => this.request(l), log);
  }

  /** Forgets the cached token, after Spotify answered 401 to it. */
  invalidate(): void {
    this.cache.forget();
  }

  private async request(log?: Log): Promise<AccessToken> {
    const { clientId, clientSecret, accountsUrl } = this.spotify;
    const missing = [
      ...(clientId ? [] : ['SPOTIFY_CLIENT_ID']),
      ...(clientSecret ? [] : ['SPOTIFY_CLIENT_SECRET']),
    ];
    if (!clientId || !clientSecret) throw missingCredentialsError(missing);
    // Masked in every form before it is sent: a server may echo the header in its error body.
    this.deps.redactor?.addBasicCredential(clientId, clientSecret);
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const reply = await requestJson(
      {
        method: 'POST',
        url: `${trimSlash(accountsUrl)}/api/token`,
        label: 'POST /api/token',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        schema: tokenReplySchema,
        secretReply: true,
        log,
      },
      this.http,
      this.deps,
    );
    if (!reply.ok) throw explainTokenError(reply);
    // Before anything else sees it: an error that echoes the token must find it masked.
    this.deps.redactor?.add(reply.data.access_token);
    return this.cache.keep(reply.data.access_token, reply.data.expires_in);
  }
}

/** Drops trailing slashes so that paths can be appended to configured base URLs. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
