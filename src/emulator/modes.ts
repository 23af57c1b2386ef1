import { EDITORIAL_PREFIX } from './constants.js';
import { apiError, type Reply } from './responses.js';
import type { AppMode } from './types.js';

const MODES: readonly AppMode[] = ['extended', 'development-legacy', 'development'];

/** Reads an app mode from a flag or request; throws listing the accepted modes. */
export function parseAppMode(value: string): AppMode {
  if (MODES.includes(value as AppMode)) return value as AppMode;
  throw new Error(
    `Unknown app mode "${value}": expected one of ${MODES.join(', ')} ` +
      '(extended = Extended Quota Mode; development-legacy = Development Mode app created ' +
      'before 2026-02-11; development = Development Mode app created on or after 2026-02-11)',
  );
}

export type PlaylistEndpoint = 'playlist' | 'items' | 'tracks';

/**
 * What Spotify refuses in each mode (see spotify-api-2026.md): Development Mode hides editorial
 * playlists, never offers /tracks, and since 2026-02-11 only shows items of playlists the
 * logged-in user owns; an app-only token has no user, so it owns nothing.
 */
export function accessDenied(
  mode: AppMode,
  playlistId: string,
  endpoint: PlaylistEndpoint,
  ownedByUser = false,
): Reply | null {
  if (mode === 'extended') return null;
  if (playlistId.startsWith(EDITORIAL_PREFIX)) return apiError(404, 'Resource not found');
  if (endpoint === 'tracks') return apiError(403, 'Forbidden');
  if (endpoint === 'items' && mode === 'development' && !ownedByUser) {
    return apiError(403, 'Forbidden');
  }
  return null;
}

/** How a Premium refusal's body looks: Spotify has been seen sending both. */
export type PremiumRefusal = 'json' | 'text';

export const PREMIUM_MESSAGE = 'Active premium subscription required for the owner of the app';

/**
 * What every Web API call of a Development Mode app gets while its owner has no Premium (the
 * token endpoint still answers 200): a JSON error body, or the bare phrase as plain text.
 */
export function premiumRequired(as: PremiumRefusal): Reply {
  if (as === 'text') {
    return { status: 403, body: PREMIUM_MESSAGE, contentType: 'text/plain; charset=utf-8' };
  }
  return apiError(403, PREMIUM_MESSAGE);
}

/** Reads a Premium refusal form from a flag or request. */
export function parsePremiumRefusal(value: string): PremiumRefusal {
  if (value === 'json' || value === 'text') return value;
  throw new Error(`Unknown Premium refusal "${value}": expected json or text`);
}

/**
 * Whether the playlist object embeds its first page: Development Mode omits it unless the
 * logged-in user owns the playlist.
 */
export function embedsItems(mode: AppMode, ownedByUser = false): boolean {
  return mode === 'extended' || ownedByUser;
}

/** Whether track objects carry popularity (removed for Development Mode in February 2026). */
export function showsPopularity(mode: AppMode): boolean {
  return mode === 'extended';
}
