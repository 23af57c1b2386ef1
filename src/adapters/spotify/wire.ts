/**
 * The Spotify Web API's JSON shapes as chartkeeper meets them (late 2026). Fields that Spotify
 * removed for Development Mode apps are optional; so is everything the client does not rely on.
 * The emulator produces these shapes and the client reads them.
 */

export interface SpotifyImage {
  url: string;
  height: number | null;
  width: number | null;
}

export interface SpotifyExternalUrls {
  spotify?: string;
}

export interface SpotifyArtist {
  id: string | null;
  name: string;
  uri: string | null;
  type: 'artist';
  href?: string | null;
  external_urls?: SpotifyExternalUrls;
}

export interface SpotifyAlbum {
  id: string | null;
  name: string;
  uri?: string | null;
  type: 'album';
  album_type?: string;
  release_date?: string | null;
  release_date_precision?: 'year' | 'month' | 'day' | null;
  images?: SpotifyImage[];
  artists?: SpotifyArtist[];
  total_tracks?: number;
  href?: string | null;
  external_urls?: SpotifyExternalUrls;
}

export interface SpotifyTrack {
  id: string | null;
  name: string;
  uri: string;
  type: 'track';
  artists: SpotifyArtist[];
  album: SpotifyAlbum;
  duration_ms: number;
  explicit: boolean;
  disc_number?: number;
  track_number?: number;
  external_ids?: { isrc?: string; ean?: string; upc?: string };
  external_urls?: SpotifyExternalUrls;
  is_local: boolean;
  href?: string | null;
  preview_url?: string | null;
  /** Removed for Development Mode apps in February 2026. */
  popularity?: number;
  available_markets?: string[];
}

export interface SpotifyEpisode {
  id: string;
  name: string;
  uri: string;
  type: 'episode';
  duration_ms: number;
  explicit: boolean;
  description?: string;
  release_date?: string;
  show?: { id: string; name: string; publisher?: string };
  href?: string;
  external_urls?: SpotifyExternalUrls;
  images?: SpotifyImage[];
}

export interface SpotifyUserRef {
  id: string;
  type: 'user';
  uri: string;
  href?: string;
  display_name?: string | null;
  external_urls?: SpotifyExternalUrls;
}

/** One entry of a playlist: the track sits under `item` (2026) or `track` (legacy), or both. */
export interface SpotifyPlaylistItem {
  added_at: string | null;
  added_by: SpotifyUserRef | null;
  is_local: boolean;
  item?: SpotifyTrack | SpotifyEpisode | null;
  track?: SpotifyTrack | SpotifyEpisode | null;
  primary_color?: string | null;
}

export interface SpotifyPage<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total: number;
}

export interface SpotifyPlaylist {
  id: string;
  name: string;
  description: string | null;
  collaborative: boolean;
  public: boolean | null;
  snapshot_id: string;
  owner: SpotifyUserRef;
  followers?: { href: null; total: number };
  images?: SpotifyImage[] | null;
  type: 'playlist';
  uri: string;
  href: string;
  external_urls?: SpotifyExternalUrls;
  /** First page of items; absent when a Development Mode app may not read the items. */
  items?: SpotifyPage<SpotifyPlaylistItem>;
  /** Legacy name of the same field (Extended Quota apps). */
  tracks?: SpotifyPage<SpotifyPlaylistItem> | { href: string; total: number };
}

/** Error body of api.spotify.com. */
export interface SpotifyApiErrorBody {
  error: { status: number; message: string; reason?: string };
}

/** Reply of accounts.spotify.com/api/token. */
export interface SpotifyTokenReply {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/** OAuth-style error body of accounts.spotify.com. */
export interface SpotifyOAuthErrorBody {
  error: string;
  error_description?: string;
}

/** What chartkeeper stores as the raw capture of a playlist: everything received, every page. */
export interface SpotifyPlaylistPayload {
  playlist: SpotifyPlaylist;
  /** `/items` for current apps; `/tracks` when the API only offered the legacy endpoint. */
  endpoint: 'items' | 'tracks';
  pages: SpotifyPage<SpotifyPlaylistItem>[];
}
