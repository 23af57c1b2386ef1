import type { HttpSettings } from '../../config/schema.js';
import type { Log } from '../../domain/ports/sources.js';
import { LOGIN_COMMAND } from '../../domain/user-login.js';
import { trimSlash } from './auth.js';
import { apiErrorOf, SpotifyError } from './errors.js';
import { type HttpDeps, realHttpDeps, requestJson } from './http.js';
import { oauthErrorBodySchema, tokenReplySchema, userProfileSchema } from './schemas.js';

/** A user token reply: the access token, and the refresh token when Spotify sent one. */
export interface UserTokens {
  accessToken: string;
  expiresInSeconds: number;
  /** Absent when a refresh keeps the refresh token as it was. */
  refreshToken: string | null;
  scopes: string[];
}

/** The accounts service of one Spotify app, for the user (PKCE) grants. */
export interface AccountsSettings {
  accountsUrl: string;
  clientId: string;
  http: HttpSettings;
}

/** The URL that asks the user to log in and allow `scopes` (Authorization Code with PKCE). */
export function authorizeUrl(
  settings: Pick<AccountsSettings, 'accountsUrl' | 'clientId'>,
  request: { redirectUri: string; challenge: string; state: string; scopes: readonly string[] },
): string {
  const url = new URL(`${trimSlash(settings.accountsUrl)}/authorize`);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('code_challenge', request.challenge);
  url.searchParams.set('state', request.state);
  url.searchParams.set('scope', request.scopes.join(' '));
  return url.toString();
}

/** Exchanges the code the redirect brought for the user's tokens, proving the login with the verifier. */
export async function exchangeCode(
  settings: AccountsSettings,
  grant: { code: string; redirectUri: string; verifier: string },
  deps: HttpDeps = realHttpDeps,
): Promise<UserTokens> {
  const tokens = await tokenRequest(
    settings,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      client_id: settings.clientId,
      code_verifier: grant.verifier,
    },
    deps,
  );
  if (!tokens.ok) throw explainCodeRefusal(tokens);
  return tokens.data;
}

/**
 * Gets a new access token with the refresh token. A refusal comes back as `invalid-grant` (the
 * login is over: revoked, expired, or for another app) or throws for anything else.
 */
export async function refreshUserToken(
  settings: AccountsSettings,
  refreshToken: string,
  deps: HttpDeps = realHttpDeps,
  log?: Log,
): Promise<{ kind: 'ok'; tokens: UserTokens } | { kind: 'invalid-grant'; reason: string }> {
  const reply = await tokenRequest(
    settings,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: settings.clientId },
    deps,
    log,
  );
  if (reply.ok) return { kind: 'ok', tokens: reply.data };
  const code = oauthCodeOf(reply.body);
  if (code === 'invalid_grant') {
    return {
      kind: 'invalid-grant',
      reason:
        'Spotify refused the refresh token (invalid_grant): it was revoked, has expired, or belongs to another app',
    };
  }
  throw new SpotifyError(
    'spotify-auth',
    `Spotify refused to refresh the user login: HTTP ${reply.status} from the token endpoint${code ? ` (${code})` : ''}`,
    {
      status: reply.status,
      permanent: true,
      hint: `Check SPOTIFY_CLIENT_ID against the app at https://developer.spotify.com/dashboard; if it is right, log in again with: ${LOGIN_COMMAND}`,
    },
  );
}

/** GET /v1/me with a user's access token: their id and display name. */
export async function fetchProfile(
  apiUrl: string,
  accessToken: string,
  http: HttpSettings,
  deps: HttpDeps = realHttpDeps,
): Promise<{ id: string; displayName: string | null }> {
  const reply = await requestJson(
    {
      method: 'GET',
      url: `${trimSlash(apiUrl)}/me`,
      label: 'GET /me',
      headers: { authorization: `Bearer ${accessToken}` },
      schema: userProfileSchema,
    },
    http,
    deps,
  );
  if (!reply.ok) {
    const { message } = apiErrorOf(reply.body);
    throw new SpotifyError(
      'spotify-auth',
      `Spotify did not say who logged in: HTTP ${reply.status} from GET /me${message ? ` ("${message}")` : ''}`,
      {
        status: reply.status,
        permanent: true,
        hint: 'If the app is in Development Mode, add the user under "User Management" in the developer dashboard, then log in again.',
      },
    );
  }
  return { id: reply.data.id, displayName: reply.data.display_name ?? null };
}

async function tokenRequest(
  settings: AccountsSettings,
  form: Record<string, string>,
  deps: HttpDeps,
  log?: Log,
) {
  const reply = await requestJson(
    {
      method: 'POST',
      url: `${trimSlash(settings.accountsUrl)}/api/token`,
      label: 'POST /api/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      schema: tokenReplySchema,
      secretReply: true,
      log,
    },
    settings.http,
    deps,
  );
  if (!reply.ok) return reply;
  const data = reply.data;
  const tokens: UserTokens = {
    accessToken: data.access_token,
    expiresInSeconds: data.expires_in,
    refreshToken: data.refresh_token ?? null,
    scopes: (data.scope ?? '').split(/\s+/).filter(Boolean),
  };
  return { ok: true as const, status: reply.status, data: tokens };
}

function oauthCodeOf(body: unknown): string | null {
  const parsed = oauthErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : null;
}

/** The code exchange refused: name the OAuth code (never quote the body: it may echo the code). */
function explainCodeRefusal(reply: { status: number; body: unknown }): SpotifyError {
  const code = oauthCodeOf(reply.body);
  const meaning =
    code === 'invalid_grant'
      ? 'the code was already used, has expired, or does not match this login (redirect URI or verifier)'
      : code === 'invalid_client'
        ? 'the client id is wrong, or the app was deleted'
        : null;
  return new SpotifyError(
    'spotify-auth',
    `Spotify refused the login: HTTP ${reply.status} from the token endpoint${code ? ` (${code}${meaning ? `: ${meaning}` : ''})` : ''}`,
    {
      status: reply.status,
      permanent: true,
      hint: `Start again with: ${LOGIN_COMMAND}`,
    },
  );
}
