import type * as z from 'zod/mini';
import type { Album, NormalisedChart, NormalisedEntry, SkippedItem } from '../../domain/chart.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { ChartNormaliser } from '../../domain/ports/sources.js';
import { SOURCES } from '../../domain/sources.js';
import { describeIssues } from '../../lib/describe-issues.js';
import { payloadSchema, playlistItemSchema, trackSchema } from './schemas.js';

/** Reads stored Spotify playlist captures; needs no credentials. */
export const spotifyPlaylistNormaliser: ChartNormaliser = {
  source: SOURCES.spotifyPlaylist,
  normalise: (payload) => normalisePlaylist(payload),
};

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
  const problems = new Map<string, number>();
  let count = 0;
  for (const page of parsed.data.pages) {
    // A page's offset places its items, so a short page does not shift the ranks after it.
    const offset = validOffset(page.offset);
    page.items.forEach((raw, index) => {
      count++;
      const result = readItem(raw, offset === null ? count : offset + index + 1);
      if ('reason' in result) {
        skipped.push(result.skip);
        if (result.problem) problems.set(result.problem, (problems.get(result.problem) ?? 0) + 1);
      } else entries.push(result.entry);
    });
  }
  return {
    title: parsed.data.playlist.name,
    entries,
    skipped,
    problems: [...problems].map(([problem, n]) => (n > 1 ? `${problem} (${n} items)` : problem)),
  };
}

function validOffset(offset: unknown): number | null {
  return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

type ItemResult =
  | { entry: NormalisedEntry }
  | { reason: SkippedItem['reason']; skip: SkippedItem; problem: string | null };

function skip(
  position: number,
  reason: SkippedItem['reason'],
  name: string | null,
  problem: string | null = null,
): ItemResult {
  return { reason, skip: { position, reason, name }, problem };
}

function readItem(raw: unknown, position: number): ItemResult {
  const item = playlistItemSchema.safeParse(raw);
  if (!item.success) return skip(position, 'malformed', null, describeIssues(item.error));
  if (!isRecord(raw)) return skip(position, 'malformed', null, 'the item is not an object');
  // `item` is the 2026 name and wins whenever the key is there (even as null); older replies
  // (and /tracks) only have `track`. Null means the track was removed from the catalogue.
  const track = Object.hasOwn(raw, 'item') ? raw.item : raw.track;
  if (track === null) return skip(position, 'removed', null);
  if (!isRecord(track)) return skip(position, 'malformed', null, 'the track is not an object');
  const name = typeof track.name === 'string' ? track.name : null;
  if (isEpisode(track)) return skip(position, 'episode', name);
  if (item.data.is_local || track.is_local === true || track.id === null) {
    return skip(position, 'local-file', name);
  }
  const parsed = trackSchema.safeParse(track);
  if (!parsed.success) return skip(position, 'malformed', name, describeIssues(parsed.error));
  const t = parsed.data;
  return {
    entry: {
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
    },
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
