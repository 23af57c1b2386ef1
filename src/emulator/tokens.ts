import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SpotifyTokenReply } from '../adapters/spotify/schemas.js';
import { apiError, json, oauthError, type Reply } from './responses.js';

export type TokenCheck = 'valid' | 'expired' | 'unknown';

/** The access tokens handed out, with their expiry, so expired ones get the right 401. */
export class TokenStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly lifetimeSeconds: number) {}

  /** Issues a fresh random token. */
  issue(): SpotifyTokenReply {
    // Real tokens start with "BQ" and are about 115 characters of base64url.
    const token = `BQ${randomBytes(84).toString('base64url')}`;
    this.expiries.set(token, Date.now() + this.lifetimeSeconds * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: this.lifetimeSeconds };
  }

  /** Whether a presented token is usable. */
  check(token: string): TokenCheck {
    const expiry = this.expiries.get(token);
    if (expiry === undefined) return 'unknown';
    return Date.now() < expiry ? 'valid' : 'expired';
  }

  /** Makes every token issued so far expired. */
  expireAll(): void {
    const past = Date.now() - 1;
    for (const token of this.expiries.keys()) this.expiries.set(token, past);
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
 * that, from client_id/client_secret in the form, and only the client-credentials grant can
 * succeed here (no user ever logs in to the emulator).
 */
export function tokenEndpoint(
  headers: IncomingHttpHeaders,
  body: string,
  expected: { clientId: string; clientSecret: string },
  tokens: TokenStore,
): Reply {
  const form = new URLSearchParams(body);
  const client = basicCredentials(headers.authorization) ?? {
    id: form.get('client_id') ?? '',
    secret: form.get('client_secret') ?? '',
  };
  if (!client.id || !sameText(client.id, expected.clientId)) {
    return oauthError('invalid_client', 'Invalid client');
  }
  if (!sameText(client.secret, expected.clientSecret)) {
    return oauthError('invalid_client', 'Invalid client secret');
  }
  const grant = form.get('grant_type');
  if (!grant) return oauthError('unsupported_grant_type', 'grant_type parameter is missing');
  if (grant === 'authorization_code')
    return oauthError('invalid_grant', 'Invalid authorization code');
  if (grant === 'refresh_token') return oauthError('invalid_grant', 'Invalid refresh token');
  if (grant !== 'client_credentials') {
    return oauthError(
      'unsupported_grant_type',
      'grant_type must be client_credentials, authorization_code or refresh_token',
    );
  }
  return json(200, tokens.issue());
}

/** Checks the bearer token of a /v1 request; null when it may proceed, else the error reply. */
export function authorise(headers: IncomingHttpHeaders, tokens: TokenStore): Reply | null {
  const header = headers.authorization;
  if (!header) return apiError(401, 'No token provided');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return apiError(400, 'Only valid bearer authentication supported');
  const check = tokens.check(match[1]!);
  if (check === 'valid') return null;
  const message = check === 'expired' ? 'The access token expired' : 'Invalid access token';
  return apiError(401, message, {
    headers: {
      'WWW-Authenticate': `Bearer realm="spotify", error="invalid_token", error_description="${message}"`,
    },
  });
}
