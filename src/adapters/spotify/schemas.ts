import { z } from 'zod';

/*
 * Lenient validators for Spotify's replies: they check only what chartkeeper relies on, keep
 * unknown fields (a capture is stored as received) and treat fields Spotify removed in 2026 as
 * optional. Single items are judged later, by the normaliser, so one odd item never fails a fetch.
 */

/** Reply of POST /api/token. */
export const tokenReplySchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
});

/** One page of `/items` or `/tracks`. */
export const pageSchema = z.looseObject({
  href: z.string().optional(),
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

const image = z.looseObject({
  url: z.string(),
  height: z.number().nullable().optional(),
  width: z.number().nullable().optional(),
});

/** A track as the normaliser needs it; everything it can do without is optional. */
export const trackSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  uri: z.string(),
  type: z.string().optional(),
  artists: z.array(z.looseObject({ id: z.string().nullable().optional(), name: z.string() })),
  album: z
    .looseObject({
      id: z.string().nullable().optional(),
      name: z.string(),
      release_date: z.string().nullable().optional(),
      images: z.array(image).nullable().optional(),
    })
    .nullable()
    .optional(),
  duration_ms: z.number().nullable().optional(),
  explicit: z.boolean().nullable().optional(),
  external_ids: z.looseObject({ isrc: z.string().nullable().optional() }).nullable().optional(),
});

/** One playlist entry, before its track or episode is judged. */
export const playlistItemSchema = z.looseObject({
  added_at: z.string().nullable().optional(),
  is_local: z.boolean().optional(),
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
