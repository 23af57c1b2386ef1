import * as z from 'zod/mini';

/*
 * The one definition of the Spotify Web API's replies as chartkeeper meets them (late 2026): zod
 * schemas (zod/mini, the smaller build), with the TypeScript types inferred from them. They are
 * lenient: they check only what chartkeeper relies on, keep unknown fields (a capture is stored
 * as received) and treat fields Spotify removed in 2026 as optional. Single items are judged
 * later, by the normaliser, so one odd item never fails a fetch. Fields chartkeeper does not read
 * are listed as `unknown`: documented, never a reason to drop a track. The emulator builds its
 * replies from the same types.
 */

/** Spotify's documented lifetime of an access token, assumed when a reply does not say. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

const unread = z.optional(z.unknown());
const text = z.nullish(z.string());

/** A number, or a string that unambiguously is one ("180000"): the only leniency about types. */
const numeric = z.pipe(
  z.transform((value: unknown) =>
    typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
  ),
  z.number(),
);

/** A boolean, or the string "true" / "false". */
const booleanish = z.pipe(
  z.transform((value: unknown) => (value === 'true' ? true : value === 'false' ? false : value)),
  z.boolean(),
);

// Spotify sometimes sends a null name for an artist or album; the entry is still worth keeping.
const optionalName = z.pipe(
  text,
  z.transform((name: string | null | undefined) => name ?? ''),
);

// `url` may be null in the wild (`video_thumbnail: {url: null}`); such images are never shown.
const imageSchema = z.looseObject({
  url: text,
  height: z.nullish(z.number()),
  width: z.nullish(z.number()),
});

const artistSchema = z.looseObject({
  id: text,
  name: optionalName,
  uri: unread,
  type: unread,
  href: unread,
  external_urls: unread,
});

const albumSchema = z.looseObject({
  id: text,
  name: optionalName,
  release_date: text,
  images: z.nullish(z.array(z.nullable(imageSchema))),
  uri: unread,
  type: unread,
  album_type: unread,
  release_date_precision: unread,
  artists: unread,
  total_tracks: unread,
  href: unread,
  external_urls: unread,
});

/**
 * A track as the normaliser needs it; everything it can do without is optional or nullable, so an
 * odd field (a null artist or album name, null images or external_ids) never drops the track.
 * Fields it does not read (`preview_url`, `available_markets`, `popularity`, `linked_from`,
 * `restrictions`, `is_playable`...) are kept unchecked.
 */
export const trackSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  uri: z.string(),
  type: text,
  // A null artist entry is left out rather than failing the track.
  artists: z.pipe(
    z.array(z.nullable(artistSchema)),
    z.transform((artists) => artists.filter((a): a is z.output<typeof artistSchema> => a !== null)),
  ),
  album: z.nullish(albumSchema),
  duration_ms: z.nullish(numeric),
  explicit: z.nullish(booleanish),
  external_ids: z.nullish(z.looseObject({ isrc: text })),
  external_urls: unread,
  is_local: unread,
  href: unread,
  popularity: unread,
});

/** A podcast episode in a playlist; never a chart entry, so only its shape is described. */
const episodeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  uri: z.string(),
  type: z.literal('episode'),
  duration_ms: unread,
  explicit: unread,
  description: unread,
  release_date: unread,
  show: unread,
  href: unread,
  external_urls: unread,
  images: unread,
});

const userRefSchema = z.looseObject({
  id: z.string(),
  type: unread,
  uri: unread,
  href: unread,
  display_name: unread,
  external_urls: unread,
});

/**
 * One playlist entry, before its track or episode is judged: the track sits under `item` (2026)
 * or `track` (legacy), or both. `added_at`, `added_by` and `primary_color` may be null.
 */
export const playlistItemSchema = z.looseObject({
  added_at: text,
  added_by: z.nullish(userRefSchema),
  is_local: z.nullish(z.boolean()),
  item: unread,
  track: unread,
  primary_color: unread,
});

/** One page of `/items` or `/tracks`. */
export const pageSchema = z.looseObject({
  href: text,
  items: z.array(z.unknown()),
  limit: z.int().check(z.nonnegative()),
  next: z.nullable(z.string()),
  offset: z.int().check(z.nonnegative()),
  previous: text,
  total: z.int().check(z.nonnegative()),
});

/** Reply of GET /playlists/{id}/items?limit=1&fields=total: all a probe reads. */
export const itemCountSchema = z.looseObject({ total: z.optional(z.int().check(z.nonnegative())) });

/** Reply of GET /playlists/{id}; `items` (or legacy `tracks`) is absent where the app may not read them. */
export const playlistSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  snapshot_id: z.string().check(z.minLength(1)),
  description: text,
  owner: z.nullish(userRefSchema),
  collaborative: unread,
  public: unread,
  followers: unread,
  images: unread,
  type: unread,
  uri: unread,
  href: unread,
  external_urls: unread,
  items: z.optional(pageSchema),
  tracks: unread,
});

/** Reply of POST /api/token; a reply without `expires_in` gets the documented hour. */
export const tokenReplySchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: text,
  expires_in: z.pipe(
    z.nullish(z.number().check(z.positive())),
    z.transform((seconds: number | null | undefined) => seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
  ),
  scope: z.optional(z.string()),
  /** Only in user grants (authorization code, refresh); a refresh may leave it out. A secret. */
  refresh_token: z.optional(z.string().check(z.minLength(1))),
});

/** GET /v1/me: who the user token belongs to (the id is all chartkeeper relies on). */
export const userProfileSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  display_name: z.nullish(z.string()),
  type: unread,
  uri: unread,
  href: unread,
  external_urls: unread,
});

/** Error body of api.spotify.com; a quota 429 may add `reason: "QUOTA_EXCEEDED"`. */
export const apiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    status: z.number(),
    message: z.string(),
    reason: z.optional(z.string()),
  }),
});

/** OAuth-style error body of accounts.spotify.com. */
export const oauthErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.optional(z.string()),
});

/** The stored capture's top level, as `normalise` checks it (older captures carry less). */
export const payloadSchema = z.looseObject({
  playlist: z.looseObject({ name: z.string() }),
  endpoint: z.enum(['items', 'tracks']),
  pages: z.array(z.looseObject({ items: z.array(z.unknown()) })),
});

export type SpotifyImage = z.input<typeof imageSchema>;
export type SpotifyArtist = z.input<typeof artistSchema>;
export type SpotifyAlbum = z.input<typeof albumSchema>;
export type SpotifyTrack = z.input<typeof trackSchema>;
/** A local file in a playlist: a track object without an id (never a chart entry). */
export type SpotifyLocalTrack = Omit<SpotifyTrack, 'id'> & { id: null };
export type SpotifyEpisode = z.input<typeof episodeSchema>;
export type SpotifyUserRef = z.input<typeof userRefSchema>;
export type SpotifyPlaylistItem = z.input<typeof playlistItemSchema>;
export type SpotifyPage = z.output<typeof pageSchema>;
export type SpotifyPlaylist = z.output<typeof playlistSchema>;
export type SpotifyTokenReply = z.input<typeof tokenReplySchema>;
export type SpotifyUserProfile = z.input<typeof userProfileSchema>;
export type SpotifyApiErrorBody = z.input<typeof apiErrorBodySchema>;
export type SpotifyOAuthErrorBody = z.input<typeof oauthErrorBodySchema>;

/** What chartkeeper stores as the raw capture of a playlist: everything received, every page. */
export interface SpotifyPlaylistPayload {
  playlist: SpotifyPlaylist;
  /** `/items` for current apps; `/tracks` when the API only offered the legacy endpoint. */
  endpoint: 'items' | 'tracks';
  pages: SpotifyPage[];
}
