import { EMULATOR_USER, type Logins } from './logins.js';
import { apiError, json, type Reply } from './responses.js';

/**
 * GET /authorize, as if the user had logged in and agreed at once: a redirect to `redirect_uri`
 * with a code and the state. Like Spotify, a client or redirect URI it cannot trust gets an
 * error page (never a redirect); other mistakes are sent back to the redirect URI as `error`.
 * Spotify refuses `localhost` and plain HTTP except on a loopback address, and so does this.
 */
export function authorizeEndpoint(query: URLSearchParams, clientId: string, logins: Logins): Reply {
  if (query.get('client_id') !== clientId) return page(400, 'INVALID_CLIENT: Invalid client');
  const redirectUri = query.get('redirect_uri') ?? '';
  const problem = redirectProblem(redirectUri);
  if (problem) return page(400, `INVALID_CLIENT: ${problem}`);
  const back = new URL(redirectUri);
  const state = query.get('state');
  if (state !== null) back.searchParams.set('state', state);
  const fail = (error: string) => {
    back.searchParams.set('error', error);
    return redirect(back);
  };
  if (query.get('response_type') !== 'code') return fail('unsupported_response_type');
  if (query.get('code_challenge_method') !== 'S256') return fail('invalid_request');
  const challenge = query.get('code_challenge') ?? '';
  // base64url of a SHA-256 digest: 43 characters.
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request');
  const code = logins.issueCode({
    clientId,
    redirectUri,
    challenge,
    scope: (query.get('scope') ?? '').trim(),
  });
  back.searchParams.set('code', code);
  return redirect(back);
}

/** GET /v1/me: the logged-in user; an app-only token has none. */
export function meEndpoint(user: string | null): Reply {
  if (user !== EMULATOR_USER.id) return apiError(401, 'Valid user authentication required');
  return json(200, {
    id: EMULATOR_USER.id,
    display_name: EMULATOR_USER.displayName,
    type: 'user',
    uri: `spotify:user:${EMULATOR_USER.id}`,
    href: `https://api.spotify.com/v1/users/${EMULATOR_USER.id}`,
    external_urls: { spotify: `https://open.spotify.com/user/${EMULATOR_USER.id}` },
  });
}

function redirectProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'Invalid redirect URI';
  }
  if (url.hostname === 'localhost') return 'Insecure redirect URI (localhost is not allowed)';
  if (url.protocol === 'https:') return null;
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return url.protocol === 'http:' && loopback ? null : 'Insecure redirect URI';
}

function redirect(to: URL): Reply {
  return { status: 302, headers: { Location: to.toString() }, body: '', contentType: 'text/plain' };
}

function page(status: number, text: string): Reply {
  return { status, body: text, contentType: 'text/plain; charset=utf-8' };
}
