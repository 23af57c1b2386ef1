import {
  dayNumber,
  findPlaylist,
  type PlaylistContents,
  type PlaylistDefinition,
  playlistContents,
} from './catalogue.js';
import { accessDenied, embedsItems, type PlaylistEndpoint, showsPopularity } from './modes.js';
import { page, playlistObject, type RenderContext } from './objects.js';
import { apiError, json, type Reply } from './responses.js';
import type { AppMode } from './types.js';

/** One GET on /v1/playlists/{id}[/items|/tracks]. */
export interface PlaylistRequest {
  id: string;
  endpoint: PlaylistEndpoint;
  query: URLSearchParams;
  origin: string;
  mode: AppMode;
  date: string;
  /** The user the token belongs to; null for an app-only token. */
  user?: string | null;
}

const LIMITS = {
  items: { fallback: 20, max: 50 },
  tracks: { fallback: 100, max: 100 },
} as const;

const contentsCache = new Map<string, PlaylistContents>();

// Benchmarks fetch the same few playlists many times a second; hashing 200 entries each time
// would show up as emulator cost rather than client cost.
function cachedContents(playlist: PlaylistDefinition, date: string): PlaylistContents {
  const key = `${playlist.id}|${date}`;
  const cached = contentsCache.get(key);
  if (cached) return cached;
  const contents = playlistContents(playlist, date);
  if (contentsCache.size >= 64) contentsCache.delete(contentsCache.keys().next().value as string);
  contentsCache.set(key, contents);
  return contents;
}

function integerParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Serves the playlist object or one page of its entries, as Spotify would for the mode. */
export function playlistEndpoint(request: PlaylistRequest): Reply {
  const { id, endpoint, query, mode } = request;
  if (!/^[0-9A-Za-z]{22}$/.test(id)) return apiError(400, 'Invalid base62 id');
  const market = query.get('market') ?? undefined;
  if (market !== undefined && !/^[A-Z]{2}$/.test(market) && market !== 'from_token') {
    return apiError(400, 'Invalid market code');
  }
  const playlist = findPlaylist(id);
  if (!playlist) return apiError(404, 'Resource not found');
  const owned = request.user != null && request.user === playlist.owner.id;
  const denied = accessDenied(mode, id, endpoint, owned);
  if (denied) return denied;
  const contents = cachedContents(playlist, request.date);

  const ctx: RenderContext = { origin: request.origin, popularity: showsPopularity(mode) };
  if (endpoint === 'playlist') {
    const followers = playlist.followers(dayNumber(request.date));
    return json(
      200,
      playlistObject(ctx, playlist, contents, {
        followers,
        withItems: embedsItems(mode, owned),
        market,
      }),
    );
  }
  const bounds = LIMITS[endpoint];
  const limit = integerParam(query, 'limit', bounds.fallback);
  if (limit === null || limit < 1 || limit > bounds.max) return apiError(400, 'Invalid limit');
  const offset = integerParam(query, 'offset', 0);
  if (offset === null) return apiError(400, 'Invalid offset');
  return json(200, page(ctx, playlist, contents.entries, endpoint, { offset, limit, market }));
}
