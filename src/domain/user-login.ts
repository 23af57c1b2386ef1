/**
 * A Spotify user's login (Authorization Code with PKCE): who logged in, what they allowed, and
 * the refresh token that keeps the login alive. The refresh token is a secret: it lives only in
 * the credentials file (or SPOTIFY_REFRESH_TOKEN), never in the store, a log or the output.
 */
export interface UserLogin {
  /** The Spotify app the refresh token belongs to: a token is refused for any other client. */
  clientId: string;
  refreshToken: string;
  userId: string;
  displayName: string | null;
  scopes: string[];
  /** When the user consented (ISO 8601); the refresh token's lifetime counts from here. */
  loggedInAt: string;
  /** When Spotify stops accepting the refresh token (six months after consent). */
  refreshExpiresAt: string;
  /** Set once Spotify refused the refresh token (invalid_grant): the login is over. */
  ended: { at: string; reason: string } | null;
}

/** What `auth status` and run logs may show of a login: everything but the secret. */
export type LoginSummary = Omit<UserLogin, 'refreshToken'>;

/** The scopes chartkeeper asks for: reading the user's own and collaborative playlists, no more. */
export const LOGIN_SCOPES = ['playlist-read-private', 'playlist-read-collaborative'] as const;

/** Since 2026 a refresh token expires six months after the user's consent. */
export const REFRESH_TOKEN_LIFETIME_MONTHS = 6;

/** From this many days before the refresh token expires, every run and `auth status` warn. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 86_400_000;

/** The command that starts a new login, named in every message that needs one. */
export const LOGIN_COMMAND = 'chartkeeper auth login';

/** When a refresh token consented to at `loggedInAt` expires. */
export function refreshExpiryOf(loggedInAt: Date): Date {
  const expiry = new Date(loggedInAt);
  expiry.setUTCMonth(expiry.getUTCMonth() + REFRESH_TOKEN_LIFETIME_MONTHS);
  return expiry;
}

/** The login without its secret. */
export function summaryOf(login: UserLogin): LoginSummary {
  const { refreshToken: _secret, ...summary } = login;
  return summary;
}

/** Whole days from `now` until the refresh token expires (negative once it has). */
export function daysLeft(login: Pick<UserLogin, 'refreshExpiresAt'>, now: Date): number {
  return Math.floor((Date.parse(login.refreshExpiresAt) - now.getTime()) / DAY_MS);
}

/**
 * The warning every run using the login, and `auth status`, give from EXPIRY_WARNING_DAYS before
 * the refresh token expires; null before then.
 */
export function expiryWarning(
  login: Pick<UserLogin, 'refreshExpiresAt' | 'ended'>,
  now: Date,
): string | null {
  if (login.ended) return null;
  const expires = Date.parse(login.refreshExpiresAt);
  if (Number.isNaN(expires) || expires - now.getTime() > EXPIRY_WARNING_DAYS * DAY_MS) return null;
  const date = login.refreshExpiresAt.slice(0, 10);
  if (expires <= now.getTime()) {
    return `the Spotify login expired on ${date} (refresh tokens last six months); log in again with: ${LOGIN_COMMAND}`;
  }
  const days = daysLeft(login, now);
  const when = days < 1 ? 'in less than a day' : `in ${days} day${days === 1 ? '' : 's'}`;
  return `the Spotify login expires ${when} (${date}; refresh tokens last six months); log in again before then with: ${LOGIN_COMMAND}`;
}
