import type * as z from 'zod/mini';
import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import type { Log } from '../../domain/ports/sources.js';
import { type TokenDeps, TokenProvider, type TokenSource, trimSlash } from './auth.js';
import { apiErrorOf, explainPlaylistError, SpotifyError } from './errors.js';
import { type JsonReply, realHttpDeps, requestJson } from './http.js';
import { nextPageUrl, PageGuard } from './paging.js';
import {
  itemCountSchema,
  pageSchema,
  playlistSchema,
  type SpotifyPage,
  type SpotifyPlaylist,
} from './schemas.js';

/** Every page of a playlist's items as received, and which endpoint gave them. */
export interface PlaylistItemPages {
  endpoint: 'items' | 'tracks';
  pages: SpotifyPage[];
}

/**
 * What the client needs besides settings: I/O for tests, the clock for token expiry, and the
 * redactor each new access token is registered with.
 */
export type ClientDeps = TokenDeps;

const PAGE_LIMIT: Record<'items' | 'tracks', number> = { items: 50, tracks: 100 };

/**
 * The few Web API calls chartkeeper makes, with token handling and 401 recovery. Its tokens are
 * the app's own unless a user's token source is given.
 */
export class SpotifyClient {
  readonly tokens: TokenSource;
  private readonly apiUrl: string;
  // Playlists whose metadata answered 200: an /items 404 for them means "use /tracks".
  private readonly readable = new Set<string>();

  constructor(
    private readonly spotify: SpotifySettings,
    private readonly http: HttpSettings,
    private readonly deps: ClientDeps = realHttpDeps,
    tokens?: TokenSource,
  ) {
    this.tokens = tokens ?? new TokenProvider(spotify, http, deps);
    this.apiUrl = trimSlash(spotify.apiUrl);
  }

  /** GET /playlists/{id}: name, owner, snapshot_id... (with `market` when configured). */
  async getPlaylist(id: string, log?: Log): Promise<SpotifyPlaylist> {
    const url = new URL(`${this.apiUrl}/playlists/${encodeURIComponent(id)}`);
    if (this.spotify.market) url.searchParams.set('market', this.spotify.market);
    const label = `GET /playlists/${id}`;
    const reply = await this.get(url.toString(), label, playlistSchema, log);
    if (!reply.ok)
      throw explainPlaylistError(reply, { playlistId: id, endpoint: 'playlist', label });
    this.readable.add(id);
    return reply.data;
  }

  /**
   * The cheapest look at whether a playlist could be captured: its name (a filtered GET of the
   * playlist), then one item (limit=1, only `total`), from /tracks when /items is missing. Two
   * small requests; throws the explained refusal a capture would meet.
   */
  async probePlaylist(id: string, log?: Log): Promise<{ name: string; total: number | null }> {
    const meta = new URL(`${this.apiUrl}/playlists/${encodeURIComponent(id)}`);
    meta.searchParams.set('fields', 'id,name,snapshot_id');
    if (this.spotify.market) meta.searchParams.set('market', this.spotify.market);
    const label = `GET /playlists/${id}`;
    const playlist = await this.get(meta.toString(), label, playlistSchema, log);
    if (!playlist.ok) {
      throw explainPlaylistError(playlist, { playlistId: id, endpoint: 'playlist', label });
    }
    for (const endpoint of ['items', 'tracks'] as const) {
      const url = new URL(`${this.apiUrl}/playlists/${encodeURIComponent(id)}/${endpoint}`);
      url.searchParams.set('limit', '1');
      url.searchParams.set('fields', 'total');
      if (this.spotify.market) url.searchParams.set('market', this.spotify.market);
      const itemsLabel = `GET /playlists/${id}/${endpoint}`;
      const reply = await this.get(url.toString(), itemsLabel, itemCountSchema, log);
      if (reply.ok) return { name: playlist.data.name, total: reply.data.total ?? null };
      // As a capture does: a missing /items of a readable playlist means "use /tracks".
      if (reply.status === 404 && endpoint === 'items') continue;
      throw explainPlaylistError(reply, { playlistId: id, endpoint, label: itemsLabel });
    }
    throw new Error('unreachable: /tracks either answers or throws');
  }

  /**
   * Every page of the playlist's items, following `next` until null. Falls back to the legacy
   * /tracks endpoint when /items answers 404 for a playlist whose metadata is readable.
   */
  async getPlaylistItems(id: string, log?: Log): Promise<PlaylistItemPages> {
    const pages = await this.pages(id, 'items', log);
    if (pages) return { endpoint: 'items', pages };
    // Reading the metadata either proves the playlist exists or throws the better explanation.
    if (!this.readable.has(id)) await this.getPlaylist(id, log);
    log?.('warn', `/items answered 404 for playlist ${id}; trying the legacy /tracks endpoint`);
    return { endpoint: 'tracks', pages: (await this.pages(id, 'tracks', log)) ?? [] };
  }

  private async pages(
    id: string,
    endpoint: 'items' | 'tracks',
    log?: Log,
  ): Promise<SpotifyPage[] | null> {
    const base = `${this.apiUrl}/playlists/${encodeURIComponent(id)}/${endpoint}`;
    const label = `GET /playlists/${id}/${endpoint}`;
    const first = new URL(base);
    first.searchParams.set('limit', String(PAGE_LIMIT[endpoint]));
    if (this.spotify.market) first.searchParams.set('market', this.spotify.market);
    const guard = new PageGuard(label);
    const pages: SpotifyPage[] = [];
    let url: string | null = first.toString();
    let expected = 1;
    while (url !== null) {
      const reply: JsonReply<SpotifyPage> = await this.get(url, label, pageSchema, log);
      if (!reply.ok) {
        // Only a missing first page of /items means the endpoint itself is missing.
        const fallBack = reply.status === 404 && endpoint === 'items' && pages.length === 0;
        if (fallBack) return null;
        throw explainPlaylistError(reply, { playlistId: id, endpoint, label });
      }
      const page = reply.data;
      if (pages.length === 0) expected = guard.expected(page);
      pages.push(page);
      log?.(
        'info',
        `page ${pages.length}/${Math.max(expected, pages.length)}: ${page.items.length} items`,
      );
      url = nextPageUrl(page.next, base);
      guard.check(page, url);
    }
    const mismatch = guard.mismatch();
    if (mismatch) log?.('warn', mismatch);
    return pages;
  }

  /** A GET with the app token; on 401 the token is renewed once and the request sent once more. */
  private async get<T>(
    url: string,
    label: string,
    schema: z.ZodMiniType<T>,
    log?: Log,
  ): Promise<JsonReply<T>> {
    const send = async () => {
      const token = await this.tokens.token(log);
      return requestJson(
        {
          method: 'GET',
          url,
          label,
          headers: { authorization: `Bearer ${token.value}` },
          schema,
          log,
        },
        this.http,
        this.deps,
      );
    };
    const reply = await send();
    if (reply.ok || reply.status !== 401) return reply;
    log?.(
      'warn',
      `401 from Spotify for ${label}: the token expired or was revoked; getting a new one`,
    );
    this.tokens.invalidate();
    const again = await send();
    if (again.ok || again.status !== 401) return again;
    const { message } = apiErrorOf(again.body);
    throw new SpotifyError(
      'spotify-auth',
      `Spotify refused a freshly issued access token for ${label} (401${message ? `: "${message}"` : ''})`,
      {
        status: 401,
        permanent: true,
        hint: 'Check that the app still exists and is not suspended at https://developer.spotify.com/dashboard, and that SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET belong to it',
      },
    );
  }
}
