import { isEditorialPlaylist } from '../../domain/chart-ref.js';
import { ChartkeeperError, type ErrorCode } from '../../domain/errors.js';
import { apiErrorBodySchema, oauthErrorBodySchema } from './schemas.js';

/** The user-owned copy of "Top 50 - Global" that the original system read. */
const MIRROR_PLAYLIST = '5FN6Ego7eLX6zHuCMovIR2';

/** Error codes the Spotify adapter raises; the ledger and the CLI show them as they are. */
export type SpotifyErrorCode = Extract<ErrorCode, 'config' | `spotify-${string}`>;

/** A failure talking to Spotify, with the HTTP status when there was one. */
export class SpotifyError extends ChartkeeperError {
  declare readonly code: SpotifyErrorCode;
  readonly status: number | null;

  constructor(
    code: SpotifyErrorCode,
    message: string,
    options: { hint?: string | null; permanent?: boolean; status?: number | null; cause?: unknown },
  ) {
    super(code, oneLine(message), {
      ...options,
      hint: options.hint ? oneLine(options.hint) : null,
    });
    this.name = 'SpotifyError';
    this.status = options.status ?? null;
  }
}

/** Which Spotify endpoint answered: the playlist's metadata, its items, or the legacy tracks. */
export type PlaylistEndpoint = 'playlist' | 'items' | 'tracks';

/**
 * What api.spotify.com said in its `{"error":{"status","message","reason"}}` body. A body that is
 * plain text (Spotify sends some refusals so) gives its first line as the message.
 */
export function apiErrorOf(body: unknown): { message: string | null; reason: string | null } {
  const parsed = apiErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { message, reason } = parsed.data.error;
    return { message: message ? oneLine(message) : null, reason: reason || null };
  }
  if (typeof body === 'string' && body.trim() && !body.trimStart().startsWith('<')) {
    return { message: cutAtWord(oneLine(body), 200), reason: null };
  }
  return { message: null, reason: null };
}

export { isEditorialPlaylist } from '../../domain/chart-ref.js';

const CHARTS_CSV =
  'download the official chart files from charts.spotify.com and import them with `chartkeeper import`';

/**
 * Explains a refusal (4xx other than 401 and 429) of a playlist request in terms of what the
 * app may do since Spotify's 2024–2026 restrictions, and what the user can do instead.
 */
export function explainPlaylistError(
  reply: { status: number; body: unknown },
  context: { playlistId: string; endpoint: PlaylistEndpoint; label: string },
): SpotifyError {
  const { status } = reply;
  const { playlistId: id, endpoint, label } = context;
  const { message } = apiErrorOf(reply.body);
  const said = message ? `: "${message}"` : '';
  if (status === 404 && isEditorialPlaylist(id)) {
    return new SpotifyError(
      'spotify-not-found',
      `Playlist ${id} is a Spotify-owned editorial playlist, and those answer 404 to Development Mode apps since 2024-11-27 (${label})`,
      {
        status,
        permanent: true,
        hint: `Only Extended Quota apps (organisations) can read it; capture a user-owned playlist that mirrors the chart instead (such as ${MIRROR_PLAYLIST}), or ${CHARTS_CSV}`,
      },
    );
  }
  if (status === 404) {
    return new SpotifyError(
      'spotify-not-found',
      `Spotify playlist ${id} was not found (404 for ${label})`,
      {
        status,
        permanent: true,
        hint: 'Check the playlist id (it is the 22 characters after /playlist/ in the link); the playlist may be private or deleted',
      },
    );
  }
  if (status === 403 && isPremiumLapse(message)) return premiumError(label, status, message);
  if (status === 403 && endpoint === 'items') {
    return new SpotifyError(
      'spotify-forbidden',
      `Spotify refused to list the items of playlist ${id} (403): Development Mode apps created on or after 2026-02-11 may only read items of playlists the logged-in user owns or collaborates on, and an app-only (client credentials) token has no user`,
      {
        status,
        permanent: true,
        hint: `Log in (\`chartkeeper auth login\`) and read a playlist you own or collaborate on with "auth": "user" in charts; or use an Extended Quota app, or an app created before 2026-02-11 (works for now, Spotify may end that at any time); or ${CHARTS_CSV}`,
      },
    );
  }
  if (status === 403 && endpoint === 'tracks') {
    return new SpotifyError(
      'spotify-forbidden',
      `Spotify refused the legacy endpoint ${label} (403): /tracks is removed for Development Mode apps`,
      {
        status,
        permanent: true,
        hint: `Only Extended Quota apps still have /tracks; use an app whose /items endpoint works for this playlist, or ${CHARTS_CSV}`,
      },
    );
  }
  if (status === 403) {
    return new SpotifyError(
      'spotify-forbidden',
      `Spotify refused access to ${label} (403)${said}`,
      {
        status,
        permanent: true,
        hint: `This app may not read playlist ${id}; an Extended Quota app may, or ${CHARTS_CSV}`,
      },
    );
  }
  return new SpotifyError('spotify-http', `Spotify refused ${label} with HTTP ${status}${said}`, {
    status,
    permanent: true,
    hint: 'Spotify may have changed its API; check for a newer chartkeeper version',
  });
}

/**
 * Whether a refusal is Spotify's "Active premium subscription required for the owner of the app":
 * seen as a JSON error body and as plain text, so the phrase is matched, not the body's shape.
 */
export function isPremiumLapse(message: string | null): boolean {
  return message !== null && /premium subscription required/i.test(message);
}

/** A Development Mode app whose owner's account has no Premium: every call is refused. */
function premiumError(label: string, status: number, message: string | null): SpotifyError {
  return new SpotifyError(
    'spotify-premium',
    `Spotify refused ${label} because the account that owns the Spotify app has no active Premium subscription${message ? `: "${message}"` : ''}`,
    {
      status,
      permanent: true,
      hint: 'A Development Mode app works only while the account that created it (see https://developer.spotify.com/dashboard) holds Spotify Premium: renew Premium on that account, or use an app in Extended Quota Mode. Meanwhile, import the official chart files with `chartkeeper import`',
    },
  );
}

/** What the standard OAuth error codes of the token endpoint mean for an app-only token. */
const OAUTH_ERRORS: Record<string, string> = {
  invalid_client: 'the client id or client secret is wrong, or the app was deleted',
  invalid_request: 'the token request was malformed',
  unauthorized_client: 'this app may not use the client credentials flow',
  unsupported_grant_type: 'the token endpoint does not support the client credentials flow',
  invalid_grant: 'the grant was refused',
  invalid_scope: 'a requested scope was refused',
};

/**
 * Explains a refusal by the token endpoint. Its body is never quoted: an accounts service may
 * echo what it was sent (the Basic credential). Only a standard OAuth error code is named.
 */
export function explainTokenError(reply: { status: number; body: unknown }): SpotifyError {
  const { message } = apiErrorOf(reply.body);
  if (reply.status === 403 && isPremiumLapse(message)) {
    return premiumError('the token request', reply.status, message);
  }
  const oauth = oauthErrorBodySchema.safeParse(reply.body);
  const code = oauth.success ? oauth.data.error : null;
  const meaning = code ? OAUTH_ERRORS[code] : undefined;
  const said = meaning ? ` (${code}: ${meaning})` : '';
  return new SpotifyError(
    'spotify-auth',
    `Spotify refused the app credentials: HTTP ${reply.status} from the token endpoint${said}`,
    {
      status: reply.status,
      permanent: true,
      hint: 'Check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET against the app at https://developer.spotify.com/dashboard (values are never printed)',
    },
  );
}

/** The error for missing credentials, naming what to set and where to get it. */
export function missingCredentialsError(missing: readonly string[]): SpotifyError {
  return new SpotifyError(
    'config',
    `Spotify credentials are missing: set ${missing.join(' and ')} (environment, or spotify.clientId / spotify.clientSecret in the config file)`,
    {
      permanent: true,
      hint: 'Create an app at https://developer.spotify.com/dashboard and copy its client id and client secret',
    },
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * At most about `max` characters of `text`, cut between words: a word cut in half is left out
 * whole, so that a credential an error body echoes is never shown in part (the redactor knows it
 * only whole).
 */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max + 1).replace(/\s*\S*$/, '')}…`;
}
