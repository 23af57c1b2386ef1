import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import type { Log } from '../../domain/ports/sources.js';
import type { Redactor } from '../../lib/redact.js';
import { explainTokenError, missingCredentialsError } from './errors.js';
import { type HttpDeps, realHttpDeps, requestJson } from './http.js';
import { tokenReplySchema } from './schemas.js';

/** An app-only access token; `value` must never be printed or logged. */
export interface AccessToken {
  value: string;
  /** Epoch milliseconds after which chartkeeper stops using it. */
  usableUntil: number;
  /** Seconds until Spotify itself expires it. */
  validForSeconds: number;
  /** True when this call fetched it, false when it came from the cache. */
  fresh: boolean;
}

/** Where the client gets its access tokens: the app's own, or a logged-in user's. */
export interface TokenSource {
  /** A usable token: a cached one, or a new one. */
  token(log?: Log): Promise<AccessToken>;
  /** Forgets the cached token, after Spotify answered 401 to it. */
  invalidate(): void;
}

// Stop using a token a minute before Spotify does, so a slow request never carries a dead one.
const EXPIRY_MARGIN_MS = 60_000;

/** The token provider's I/O, clock, and where to register each new token as a secret. */
export type TokenDeps = HttpDeps & { redactor?: Redactor };

/** Client-credentials tokens from accounts.spotify.com, cached until shortly before expiry. */
export class TokenProvider implements TokenSource {
  private cached: { value: string; usableUntil: number; expiresAt: number } | null = null;
  private pending: Promise<AccessToken> | null = null;

  constructor(
    private readonly spotify: SpotifySettings,
    private readonly http: HttpSettings,
    private readonly deps: TokenDeps = realHttpDeps,
  ) {}

  /** A usable token: the cached one, or a new one (concurrent callers share one request). */
  async token(log?: Log): Promise<AccessToken> {
    const now = this.now();
    if (this.cached && now < this.cached.usableUntil) return this.describe(this.cached, false);
    this.pending ??= this.request(log).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Forgets the cached token, after Spotify answered 401 to it. */
  invalidate(): void {
    this.cached = null;
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
    const lifetimeMs = reply.data.expires_in * 1000;
    // Short-lived tokens (tests, proxies) would otherwise be stale on arrival.
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    const now = this.now();
    this.cached = {
      value: reply.data.access_token,
      usableUntil: now + lifetimeMs - margin,
      expiresAt: now + lifetimeMs,
    };
    return this.describe(this.cached, true);
  }

  private describe(
    token: { value: string; usableUntil: number; expiresAt: number },
    fresh: boolean,
  ): AccessToken {
    const validForSeconds = Math.max(0, Math.round((token.expiresAt - this.now()) / 1000));
    return { value: token.value, usableUntil: token.usableUntil, validForSeconds, fresh };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

/** Drops trailing slashes so that paths can be appended to configured base URLs. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
