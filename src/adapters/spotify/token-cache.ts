import type { Log } from '../../domain/ports/sources.js';

/** An access token (the app's or a user's); `value` must never be printed or logged. */
export interface AccessToken {
  value: string;
  /** Epoch milliseconds after which chartkeeper stops using it. */
  usableUntil: number;
  /** Seconds until Spotify itself expires it. */
  validForSeconds: number;
  /** True when this call fetched it, false when it came from the cache. */
  fresh: boolean;
}

// Stop using a token a minute before Spotify does, so a slow request never carries a dead one.
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The access token in hand, used until shortly before it expires, and the one request for a new
 * one that concurrent callers share. Both kinds of token (the app's, the user's) keep theirs here.
 */
export class TokenCache {
  private cached: { value: string; usableUntil: number; expiresAt: number } | null = null;
  private pending: Promise<AccessToken> | null = null;

  constructor(private readonly now: () => number) {}

  /** The cached token while usable, else one from `fetchNew` (shared by concurrent callers). */
  token(fetchNew: (log?: Log) => Promise<AccessToken>, log?: Log): Promise<AccessToken> {
    if (this.cached && this.now() < this.cached.usableUntil) {
      return Promise.resolve(this.describe(this.cached, false));
    }
    this.pending ??= fetchNew(log).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Keeps a token Spotify just gave, valid for `expiresInSeconds`. */
  keep(value: string, expiresInSeconds: number): AccessToken {
    const lifetimeMs = expiresInSeconds * 1000;
    // Short-lived tokens (tests, proxies) would otherwise be stale on arrival.
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    const now = this.now();
    this.cached = { value, usableUntil: now + lifetimeMs - margin, expiresAt: now + lifetimeMs };
    return this.describe(this.cached, true);
  }

  /** Forgets the token, after Spotify answered 401 to it. */
  forget(): void {
    this.cached = null;
  }

  private describe(
    token: { value: string; usableUntil: number; expiresAt: number },
    fresh: boolean,
  ): AccessToken {
    const validForSeconds = Math.max(0, Math.round((token.expiresAt - this.now()) / 1000));
    return { value: token.value, usableUntil: token.usableUntil, validForSeconds, fresh };
  }
}
