import { z } from 'zod';

/*
 * Lenient validators for Spotify's replies: they check only what chartkeeper relies on, keep
 * unknown fields (a capture is stored as received) and treat fields Spotify removed in 2026 as
 * optional. Single items are judged later, by the normaliser, so one odd item never fails a fetch.
 */

/** Spotify's documented lifetime of an access token, assumed when a reply does not say. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** Reply of POST /api/token; a reply without `expires_in` gets the documented hour. */
export const tokenReplySchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullable().optional(),
  expires_in: z
    .number()
    .positive()
    .nullish()
    .transform((seconds) => seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
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

/** Reply of GET /playlists/{id}. */
export const playlistSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  snapshot_id: z.string().min(1),
  description: z.string().nullable().optional(),
  owner: z.looseObject({ id: z.string() }).nullable().optional(),
});

// `url` may be null in the wild (`video_thumbnail: {url: null}`); such images are never shown.
const image = z.looseObject({
  url: z.string().nullable().optional(),
  height: z.number().nullable().optional(),
  width: z.number().nullable().optional(),
});

// Spotify sometimes sends a null name for an artist or album; the entry is still worth keeping.
const optionalName = z
  .string()
  .nullable()
  .optional()
  .transform((name) => name ?? '');

const artist = z.looseObject({
  id: z.string().nullable().optional(),
  name: optionalName,
});

/**
 * A track as the normaliser needs it; everything it can do without is optional or nullable, so an
 * odd field (a null artist or album name, null images or external_ids) never drops the track.
 * Fields it does not read (`preview_url`, `available_markets`, `popularity`, `linked_from`,
 * `restrictions`, `is_playable`, `external_urls`...) are kept unchecked.
 */
export const trackSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  uri: z.string(),
  type: z.string().nullable().optional(),
  // A null artist entry is left out rather than failing the track.
  artists: z
    .array(artist.nullable())
    .transform((artists) => artists.filter((a): a is z.output<typeof artist> => a !== null)),
  album: z
    .looseObject({
      id: z.string().nullable().optional(),
      name: optionalName,
      release_date: z.string().nullable().optional(),
      images: z.array(image.nullable()).nullable().optional(),
    })
    .nullable()
    .optional(),
  duration_ms: z.number().nullable().optional(),
  explicit: z.boolean().nullable().optional(),
  external_ids: z.looseObject({ isrc: z.string().nullable().optional() }).nullable().optional(),
});

/**
 * One playlist entry, before its track or episode is judged. `added_at`, `added_by`,
 * `primary_color` and `video_thumbnail` may be null; only `added_at` is read.
 */
export const playlistItemSchema = z.looseObject({
  added_at: z.string().nullable().optional(),
  is_local: z.boolean().nullable().optional(),
  item: z.unknown().optional(),
  track: z.unknown().optional(),
});

/** The stored capture's top level (`SpotifyPlaylistPayload`). */
export const payloadSchema = z.looseObject({
  playlist: z.looseObject({ name: z.string() }),
  endpoint: z.enum(['items', 'tracks']),
  pages: z.array(z.looseObject({ items: z.array(z.unknown()) })),
});

/** Up to three zod issues as "path: message", for one-line error messages. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}
