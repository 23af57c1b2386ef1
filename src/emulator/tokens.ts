import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SpotifyTokenReply } from '../adapters/spotify/schemas.js';
import { EMULATOR_USER, type Logins } from './logins.js';
import { apiError, json, oauthError, type Reply } from './responses.js';

export type TokenCheck = 'valid' | 'expired' | 'unknown';

/**
 * The access tokens handed out, with their expiry (so expired ones get the right 401) and the
 * user each belongs to (null for an app-only token, which has no user).
 */
export class TokenStore {
  private readonly issued = new Map<string, { expiry: number; user: string | null }>();

  constructor(private readonly lifetimeSeconds: number) {}

  /** Issues a fresh random token, for the app alone or for a user. */
  issue(user: string | null = null): SpotifyTokenReply {
    // Real tokens start with "BQ" and are about 115 characters of base64url.
    const token = `BQ${randomBytes(84).toString('base64url')}`;
    this.issued.set(token, { expiry: Date.now() + this.lifetimeSeconds * 1000, user });
    return { access_token: token, token_type: 'Bearer', expires_in: this.lifetimeSeconds };
  }

  /** Whether a presented token is usable. */
  check(token: string): TokenCheck {
    const issued = this.issued.get(token);
    if (issued === undefined) return 'unknown';
    return Date.now() < issued.expiry ? 'valid' : 'expired';
  }

  /** The user a token was issued for; null for an app-only or unknown token. */
  userOf(token: string): string | null {
    return this.issued.get(token)?.user ?? null;
  }

  /** Makes every token issued so far expired. */
  expireAll(): void {
    const past = Date.now() - 1;
    for (const issued of this.issued.values()) issued.expiry = past;
  }

  /** Every access token handed out (tests check none of them leaks). */
  secrets(): string[] {
    return [...this.issued.keys()];
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * POST /api/token. Like accounts.spotify.com it takes the client from Basic auth or, failing
 * that, from client_id/client_secret in the form. The user grants (authorization code with PKCE,
 * refresh token) may come from a public client, with the client id alone: PKCE proves the login
 * with the verifier instead of a secret.
 */
export function tokenEndpoint(
  headers: IncomingHttpHeaders,
  body: string,
  expected: { clientId: string; clientSecret: string },
  tokens: TokenStore,
  logins: Logins,
): Reply {
  const form = new URLSearchParams(body);
  const basic = basicCredentials(headers.authorization);
  const client = basic ?? {
    id: form.get('client_id') ?? '',
    secret: form.get('client_secret') ?? '',
  };
  if (!client.id || !sameText(client.id, expected.clientId)) {
    return oauthError('invalid_client', 'Invalid client');
  }
  const grant = form.get('grant_type');
  const publicClient =
    (grant === 'authorization_code' || grant === 'refresh_token') &&
    !basic &&
    !form.has('client_secret');
  if (!publicClient && !sameText(client.secret, expected.clientSecret)) {
    return oauthError('invalid_client', 'Invalid client secret');
  }
  if (!grant) return oauthError('unsupported_grant_type', 'grant_type parameter is missing');
  if (grant === 'authorization_code') {
    const redeemed = logins.redeem(form.get('code') ?? '', {
      clientId: client.id,
      redirectUri: form.get('redirect_uri') ?? '',
      verifier: form.get('code_verifier') ?? '',
    });
    if (redeemed.kind === 'refused') return oauthError('invalid_grant', redeemed.description);
    return json(200, {
      ...tokens.issue(EMULATOR_USER.id),
      scope: redeemed.scope,
      refresh_token: redeemed.refreshToken,
    });
  }
  if (grant === 'refresh_token') {
    const token = form.get('refresh_token');
    if (!token) return oauthError('invalid_request', 'refresh_token must be supplied');
    const refreshed = logins.refresh(token, client.id, () => tokens.issue(logins.userOf(token)));
    if (refreshed.kind === 'refused') return oauthError('invalid_grant', refreshed.description);
    return json(200, refreshed.reply);
  }
  if (grant !== 'client_credentials') {
    return oauthError(
      'unsupported_grant_type',
      'grant_type must be client_credentials, authorization_code or refresh_token',
    );
  }
  return json(200, tokens.issue());
}

/**
 * Checks the bearer token of a /v1 request: who may proceed (the token's user, null for the app
 * alone), or the error reply.
 */
export function authorise(
  headers: IncomingHttpHeaders,
  tokens: TokenStore,
): { user: string | null } | Reply {
  const header = headers.authorization;
  if (!header) return apiError(401, 'No token provided');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return apiError(400, 'Only valid bearer authentication supported');
  const check = tokens.check(match[1]!);
  if (check === 'valid') return { user: tokens.userOf(match[1]!) };
  const message = check === 'expired' ? 'The access token expired' : 'Invalid access token';
  return apiError(401, message, {
    headers: {
      'WWW-Authenticate': `Bearer realm="spotify", error="invalid_token", error_description="${message}"`,
    },
  });
}
