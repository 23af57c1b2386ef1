import type {
  SpotifyAlbum,
  SpotifyArtist,
  SpotifyEpisode,
  SpotifyImage,
  SpotifyLocalTrack,
  SpotifyPage,
  SpotifyPlaylist,
  SpotifyPlaylistItem,
  SpotifyTrack,
  SpotifyUserRef,
} from '../adapters/spotify/schemas.js';
import type { PlaylistDefinition, PlaylistOwner } from './catalogue.js';
import type { CatalogueEntry, LocalFile, PoolEpisode } from './entries.js';
import { imageUrl } from './images.js';
import type { PoolAlbum, PoolArtist, PoolTrack } from './pool.js';

/** What rendering depends on besides the catalogue. */
export interface RenderContext {
  /** http://host:port of the emulator as the client reached it, so links lead back to it. */
  origin: string;
  /** Spotify dropped popularity for Development Mode apps in February 2026. */
  popularity: boolean;
}

const OPEN = 'https://open.spotify.com';

function artistObject(ctx: RenderContext, artist: PoolArtist): SpotifyArtist {
  return {
    id: artist.id,
    name: artist.name,
    uri: `spotify:artist:${artist.id}`,
    type: 'artist',
    href: `${ctx.origin}/v1/artists/${artist.id}`,
    external_urls: { spotify: `${OPEN}/artist/${artist.id}` },
  };
}

function coverImages(ctx: RenderContext, key: string): SpotifyImage[] {
  return [640, 300, 64].map((size) => ({
    url: imageUrl(ctx.origin, key, size),
    height: size,
    width: size,
  }));
}

function albumObject(ctx: RenderContext, album: PoolAlbum): SpotifyAlbum {
  return {
    id: album.id,
    name: album.name,
    uri: `spotify:album:${album.id}`,
    type: 'album',
    album_type: album.albumType,
    release_date: album.releaseDate,
    release_date_precision: album.precision,
    images: coverImages(ctx, album.imageKey),
    artists: album.artists.map((artist) => artistObject(ctx, artist)),
    total_tracks: album.totalTracks,
    href: `${ctx.origin}/v1/albums/${album.id}`,
    external_urls: { spotify: `${OPEN}/album/${album.id}` },
  };
}

/** A full track object; popularity only when the app mode still gets it. */
export function trackObject(
  ctx: RenderContext,
  track: PoolTrack,
  popularity: number,
): SpotifyTrack {
  const object: SpotifyTrack = {
    id: track.id,
    name: track.name,
    uri: `spotify:track:${track.id}`,
    type: 'track',
    artists: track.artists.map((artist) => artistObject(ctx, artist)),
    album: albumObject(ctx, track.album),
    duration_ms: track.durationMs,
    explicit: track.explicit,
    disc_number: 1,
    track_number: track.trackNumber,
    external_ids: { isrc: track.isrc },
    external_urls: { spotify: `${OPEN}/track/${track.id}` },
    is_local: false,
    href: `${ctx.origin}/v1/tracks/${track.id}`,
    preview_url: null,
  };
  if (ctx.popularity) object.popularity = popularity;
  return object;
}

function episodeObject(ctx: RenderContext, episode: PoolEpisode): SpotifyEpisode {
  return {
    id: episode.id,
    name: episode.name,
    uri: `spotify:episode:${episode.id}`,
    type: 'episode',
    duration_ms: episode.durationMs,
    explicit: false,
    description: episode.description,
    release_date: episode.releaseDate,
    show: episode.show,
    href: `${ctx.origin}/v1/episodes/${episode.id}`,
    external_urls: { spotify: `${OPEN}/episode/${episode.id}` },
    images: coverImages(ctx, episode.imageKey),
  };
}

// Spotify's local-file URIs are form-encoded and end with the duration in seconds.
function localUri(file: LocalFile): string {
  const part = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  const seconds = Math.round(file.durationMs / 1000);
  return `spotify:local:${part(file.artist)}:${part(file.album)}:${part(file.name)}:${seconds}`;
}

function localTrackObject(file: LocalFile): SpotifyLocalTrack {
  return {
    id: null,
    name: file.name,
    uri: localUri(file),
    type: 'track',
    artists: [
      { id: null, name: file.artist, uri: null, type: 'artist', href: null, external_urls: {} },
    ],
    album: { id: null, name: file.album, uri: null, type: 'album', images: [], href: null },
    duration_ms: file.durationMs,
    explicit: false,
    disc_number: 0,
    track_number: 0,
    external_ids: {},
    external_urls: {},
    is_local: true,
    href: null,
    preview_url: null,
  };
}

/** The user reference Spotify embeds as `owner` and `added_by`. */
export function userRef(ctx: RenderContext, owner: PlaylistOwner): SpotifyUserRef {
  return {
    id: owner.id,
    type: 'user',
    uri: `spotify:user:${owner.id}`,
    href: `${ctx.origin}/v1/users/${owner.id}`,
    display_name: owner.displayName,
    external_urls: { spotify: `${OPEN}/user/${owner.id}` },
  };
}

/** One playlist entry; /items shows `item` and `track`, the legacy /tracks only `track`. */
export function playlistItem(
  ctx: RenderContext,
  owner: PlaylistOwner,
  entry: CatalogueEntry,
  endpoint: 'items' | 'tracks',
): SpotifyPlaylistItem {
  const { content } = entry;
  let object: SpotifyTrack | SpotifyLocalTrack | SpotifyEpisode | null;
  if (content.kind === 'track') object = trackObject(ctx, content.track, content.popularity);
  else if (content.kind === 'episode') object = episodeObject(ctx, content.episode);
  else if (content.kind === 'local') object = localTrackObject(content.file);
  else object = null;
  const item: SpotifyPlaylistItem = {
    added_at: entry.addedAt,
    added_by: entry.addedByOwner ? userRef(ctx, owner) : null,
    is_local: content.kind === 'local',
    primary_color: null,
  };
  // The legacy endpoint always has `track`, whatever the newer one shows.
  if (endpoint === 'items' && entry.keys !== 'track') item.item = object;
  if (endpoint === 'tracks' || entry.keys !== 'item') item.track = object;
  return item;
}

/** A page of entries with absolute links back to the endpoint that served it. */
export function page(
  ctx: RenderContext,
  playlist: PlaylistDefinition,
  entries: readonly CatalogueEntry[],
  endpoint: 'items' | 'tracks',
  range: { offset: number; limit: number; market?: string },
): SpotifyPage {
  const { offset, limit, market } = range;
  const link = (at: number) => {
    const query = new URLSearchParams({ offset: String(at), limit: String(limit) });
    if (market) query.set('market', market);
    return `${ctx.origin}/v1/playlists/${playlist.id}/${endpoint}?${query}`;
  };
  const total = entries.length;
  return {
    href: link(offset),
    items: entries
      .slice(offset, offset + limit)
      .map((entry) => playlistItem(ctx, playlist.owner, entry, endpoint)),
    limit,
    next: offset + limit < total ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    offset,
    total,
  };
}

/** The playlist object; `withItems` is false where Development Mode hides the items. */
export function playlistObject(
  ctx: RenderContext,
  playlist: PlaylistDefinition,
  contents: { entries: readonly CatalogueEntry[]; snapshotId: string },
  meta: { followers: number; withItems: boolean; market?: string },
): SpotifyPlaylist {
  const object: SpotifyPlaylist = {
    id: playlist.id,
    name: playlist.name,
    description: playlist.description,
    collaborative: false,
    public: true,
    snapshot_id: contents.snapshotId,
    owner: userRef(ctx, playlist.owner),
    followers: { href: null, total: meta.followers },
    images:
      playlist.cover === 'editorial'
        ? [{ url: imageUrl(ctx.origin, playlist.id, 640), height: null, width: null }]
        : coverImages(ctx, playlist.id),
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
    href: `${ctx.origin}/v1/playlists/${playlist.id}`,
    external_urls: { spotify: `${OPEN}/playlist/${playlist.id}` },
  };
  if (meta.withItems) {
    const market = meta.market;
    object.items = page(ctx, playlist, contents.entries, 'items', { offset: 0, limit: 50, market });
    object.tracks = page(ctx, playlist, contents.entries, 'tracks', {
      offset: 0,
      limit: 100,
      market,
    });
  }
  return object;
}
