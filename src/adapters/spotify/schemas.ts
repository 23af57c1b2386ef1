import { z } from 'zod';

/*
 * The one definition of the Spotify Web API's replies as chartkeeper meets them (late 2026): zod
 * schemas, with the TypeScript types inferred from them. They are lenient: they check only what
 * chartkeeper relies on, keep unknown fields (a capture is stored as received) and treat fields
 * Spotify removed in 2026 as optional. Single items are judged later, by the normaliser, so one
 * odd item never fails a fetch. The emulator builds its replies from the same types.
 */

/** Spotify's documented lifetime of an access token, assumed when a reply does not say. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** A number, or a string that unambiguously is one ("180000"): the only leniency about types. */
const numeric = z.preprocess(
  (value) =>
    typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
  z.number(),
);

/** A boolean, or the string "true" / "false". */
const booleanish = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean(),
);

// Spotify sometimes sends a null name for an artist or album; the entry is still worth keeping.
const optionalName = z
  .string()
  .nullable()
  .optional()
  .transform((name) => name ?? '');

// `url` may be null in the wild (`video_thumbnail: {url: null}`); such images are never shown.
const imageSchema = z.looseObject({
  url: z.string().nullish(),
  height: z.number().nullish(),
  width: z.number().nullish(),
});

// Fields chartkeeper does not read are listed as `unknown`: documented, never a reason to drop a track.
const artistSchema = z.looseObject({
  id: z.string().nullish(),
  name: optionalName,
  uri: z.unknown().optional(),
  type: z.unknown().optional(),
  href: z.unknown().optional(),
  external_urls: z.unknown().optional(),
});

const albumSchema = z.looseObject({
  id: z.string().nullish(),
  name: optionalName,
  release_date: z.string().nullish(),
  images: z.array(imageSchema.nullable()).nullish(),
  uri: z.unknown().optional(),
  type: z.unknown().optional(),
  album_type: z.unknown().optional(),
  release_date_precision: z.unknown().optional(),
  artists: z.unknown().optional(),
  total_tracks: z.unknown().optional(),
  href: z.unknown().optional(),
  external_urls: z.unknown().optional(),
});

/**
 * A track as the normaliser needs it; everything it can do without is optional or nullable, so an
 * odd field (a null artist or album name, null images or external_ids) never drops the track.
 * Fields it does not read (`preview_url`, `available_markets`, `popularity`, `linked_from`,
 * `restrictions`, `is_playable`...) are kept unchecked.
 */
export const trackSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  uri: z.string(),
  type: z.string().nullish(),
  // A null artist entry is left out rather than failing the track.
  artists: z
    .array(artistSchema.nullable())
    .transform((artists) => artists.filter((a): a is z.output<typeof artistSchema> => a !== null)),
  album: albumSchema.nullish(),
  duration_ms: numeric.nullish(),
  explicit: booleanish.nullish(),
  external_ids: z.looseObject({ isrc: z.string().nullish() }).nullish(),
  external_urls: z.unknown().optional(),
  is_local: z.unknown().optional(),
  href: z.unknown().optional(),
  popularity: z.unknown().optional(),
});

/** A podcast episode in a playlist; never a chart entry, so only its shape is described. */
const episodeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  uri: z.string(),
  type: z.literal('episode'),
  duration_ms: z.number().nullish(),
  explicit: z.boolean().nullish(),
  description: z.string().nullish(),
  release_date: z.string().nullish(),
  show: z.looseObject({ id: z.string(), name: z.string() }).nullish(),
  href: z.string().nullish(),
  external_urls: z.unknown().optional(),
  images: z.array(imageSchema).nullish(),
});

const userRefSchema = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  uri: z.string().nullish(),
  href: z.string().nullish(),
  display_name: z.string().nullish(),
  external_urls: z.unknown().optional(),
});

/**
 * One playlist entry, before its track or episode is judged: the track sits under `item` (2026)
 * or `track` (legacy), or both. `added_at`, `added_by` and `primary_color` may be null.
 */
export const playlistItemSchema = z.looseObject({
  added_at: z.string().nullish(),
  added_by: userRefSchema.nullish(),
  is_local: z.boolean().nullish(),
  item: z.unknown().nullish(),
  track: z.unknown().nullish(),
  primary_color: z.string().nullish(),
});

/** One page of `/items` or `/tracks`. */
export const pageSchema = z.looseObject({
  href: z.string().nullable().optional(),
  items: z.array(z.unknown()),
  limit: z.number().int().nonnegative(),
  next: z.string().nullable(),
  offset: z.number().int().nonnegative(),
  previous: z.string().nullable().optional(),
  total: z.number().int().nonnegative(),
});

/** Reply of GET /playlists/{id}; `items` (or legacy `tracks`) is absent where the app may not read them. */
export const playlistSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  snapshot_id: z.string().min(1),
  description: z.string().nullable().optional(),
  owner: userRefSchema.nullable().optional(),
  collaborative: z.boolean().optional(),
  public: z.boolean().nullable().optional(),
  followers: z.looseObject({ total: z.number() }).optional(),
  images: z.array(imageSchema).nullable().optional(),
  type: z.literal('playlist').optional(),
  uri: z.string().optional(),
  href: z.string().optional(),
  external_urls: z.unknown().optional(),
  items: pageSchema.optional(),
  tracks: z.unknown().optional(),
});

/** Reply of POST /api/token; a reply without `expires_in` gets the documented hour. */
export const tokenReplySchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullable().optional(),
  expires_in: z
    .number()
    .positive()
    .nullish()
    .transform((seconds) => seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
  scope: z.string().optional(),
});

/** Error body of api.spotify.com; a quota 429 may add `reason: "QUOTA_EXCEEDED"`. */
export const apiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    status: z.number(),
    message: z.string(),
    reason: z.string().optional(),
  }),
});

/** OAuth-style error body of accounts.spotify.com. */
export const oauthErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
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
export type SpotifyApiErrorBody = z.input<typeof apiErrorBodySchema>;
export type SpotifyOAuthErrorBody = z.input<typeof oauthErrorBodySchema>;

/** What chartkeeper stores as the raw capture of a playlist: everything received, every page. */
export interface SpotifyPlaylistPayload {
  playlist: SpotifyPlaylist;
  /** `/items` for current apps; `/tracks` when the API only offered the legacy endpoint. */
  endpoint: 'items' | 'tracks';
  pages: SpotifyPage[];
}
