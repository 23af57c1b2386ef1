import type { z } from 'zod';
import type { Album, NormalisedChart, NormalisedEntry, SkippedItem } from '../../domain/chart.js';
import { ChartkeeperError } from '../../domain/errors.js';
import { describeIssues, payloadSchema, playlistItemSchema, trackSchema } from './schemas.js';

/**
 * Reads a stored Spotify capture (`SpotifyPlaylistPayload`) into chart entries. Pure. Items that
 * are not tracks are listed as skipped with their reason, never dropped; only a payload whose top
 * level is wrong throws.
 */
export function normalisePlaylist(payload: unknown): NormalisedChart {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new ChartkeeperError(
      'malformed-capture',
      `The stored capture is not a Spotify playlist capture: ${describeIssues(parsed.error)}`,
      {
        permanent: true,
        hint: 'It was stored by another source or an incompatible version; capture the playlist again',
      },
    );
  }
  const entries: NormalisedEntry[] = [];
  const skipped: SkippedItem[] = [];
  let count = 0;
  for (const page of parsed.data.pages) {
    // A page's offset places its items, so a short page does not shift the ranks after it.
    const offset = validOffset(page.offset);
    page.items.forEach((raw, index) => {
      count++;
      const result = readItem(raw, offset === null ? count : offset + index + 1);
      if ('reason' in result) skipped.push(result);
      else entries.push(result);
    });
  }
  return { title: parsed.data.playlist.name, entries, skipped };
}

function validOffset(offset: unknown): number | null {
  return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

function readItem(raw: unknown, position: number): NormalisedEntry | SkippedItem {
  const item = playlistItemSchema.safeParse(raw);
  if (!item.success || !isRecord(raw)) return { position, reason: 'malformed', name: null };
  // `item` is the 2026 name and wins whenever the key is there (even as null); older replies
  // (and /tracks) only have `track`. Null means the track was removed from the catalogue.
  const track = Object.hasOwn(raw, 'item') ? raw.item : raw.track;
  if (track === null) return { position, reason: 'removed', name: null };
  if (!isRecord(track)) return { position, reason: 'malformed', name: null };
  const name = typeof track.name === 'string' ? track.name : null;
  if (isEpisode(track)) return { position, reason: 'episode', name };
  if (item.data.is_local || track.is_local === true || track.id === null) {
    return { position, reason: 'local-file', name };
  }
  const parsed = trackSchema.safeParse(track);
  if (!parsed.success) return { position, reason: 'malformed', name };
  const t = parsed.data;
  return {
    position,
    trackId: t.id,
    uri: t.uri,
    name: t.name,
    artists: t.artists.map((artist) => ({ id: artist.id ?? null, name: artist.name })),
    album: readAlbum(t.album),
    durationMs: t.duration_ms ?? null,
    explicit: t.explicit ?? null,
    isrc: t.external_ids?.isrc ?? null,
    addedAt: item.data.added_at ?? null,
    streams: null,
  };
}

/** An episode by its type, its URI, or the `episode: true` flag of legacy /tracks objects. */
function isEpisode(track: Record<string, unknown>): boolean {
  return (
    track.type === 'episode' ||
    track.episode === true ||
    (typeof track.uri === 'string' && track.uri.startsWith('spotify:episode:'))
  );
}

function readAlbum(album: z.output<typeof trackSchema>['album']): Album | null {
  if (!album) return null;
  return {
    id: album.id ?? null,
    name: album.name,
    releaseDate: album.release_date ?? null,
    imageUrl: largestImage(imagesWithUrl(album.images))?.url ?? null,
  };
}

function imagesWithUrl<I extends { url?: string | null }>(
  images: readonly (I | null)[] | null | undefined,
): (I & { url: string })[] {
  return (images ?? []).filter((image): image is I & { url: string } => !!image?.url);
}

/** The image with the most pixels; Spotify lists the largest first, so ties keep the first. */
function largestImage<I extends { height?: number | null; width?: number | null }>(
  images: readonly I[],
): I | undefined {
  let best: I | undefined;
  let bestArea = -1;
  for (const image of images) {
    const area = (image.height ?? 0) * (image.width ?? 0);
    if (area > bestArea) {
      best = image;
      bestArea = area;
    }
  }
  return best;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
