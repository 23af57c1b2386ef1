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
