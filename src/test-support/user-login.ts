import { createHash, randomBytes } from 'node:crypto';
import type { RunningEmulator } from '../emulator/emulator.js';

/** A PKCE verifier and its S256 challenge, made independently of chartkeeper's own code. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The emulator's /authorize URL for a login that would come back to `redirectUri`. */
export function authorizeUrlOf(
  emu: RunningEmulator,
  params: { redirectUri: string; challenge: string; state: string } & Record<string, string>,
): string {
  const url = new URL(`${emu.accountsUrl}/authorize`);
  url.searchParams.set('client_id', emu.credentials.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('scope', 'playlist-read-private playlist-read-collaborative');
  for (const [name, value] of Object.entries(params)) {
    if (name === 'redirectUri') url.searchParams.set('redirect_uri', value);
    else if (name === 'challenge') url.searchParams.set('code_challenge', value);
    else url.searchParams.set(name, value);
  }
  return url.toString();
}

/** GETs a URL without following redirects: the status and where it redirects to. */
export async function redirectOf(url: string): Promise<{ status: number; location: URL | null }> {
  const reply = await fetch(url, { redirect: 'manual' });
  await reply.arrayBuffer();
  const location = reply.headers.get('location');
  return { status: reply.status, location: location ? new URL(location) : null };
}

/** POSTs a public client's (PKCE) form to the token endpoint: the status and JSON body. */
export async function userTokenRequest(
  emu: RunningEmulator,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const reply = await fetch(`${emu.accountsUrl}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: emu.credentials.clientId, ...form }).toString(),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, string> };
}

/** A whole login against the emulator, browser-free: the user's tokens. */
export async function emulatorLogin(
  emu: RunningEmulator,
  redirectUri = 'http://127.0.0.1:8888/callback',
): Promise<{ accessToken: string; refreshToken: string; scope: string }> {
  const { verifier, challenge } = pkce();
  const { location } = await redirectOf(
    authorizeUrlOf(emu, { redirectUri, challenge, state: 'test-state' }),
  );
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`the emulator sent no code: ${location}`);
  const { status, body } = await userTokenRequest(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  if (status !== 200) throw new Error(`login refused: ${JSON.stringify(body)}`);
  return {
    accessToken: body.access_token as string,
    refreshToken: body.refresh_token as string,
    scope: body.scope as string,
  };
}
