/** What the original system kept per run: one raw `/tracks` page and when it was fetched. */
export interface LegacyPage {
  playlistId: string;
  capturedAt: Date;
  /** The page as received: the document without its `_id` and `datetime`. */
  page: Record<string, unknown>;
}

/** Why a document could not be read, in words a user can act on. */
export type LegacySkip = 'no-playlist' | 'no-datetime' | 'not-a-page';

const PLAYLIST_IN_HREF = /\/playlists\/([A-Za-z0-9]{1,64})\/tracks(?:[/?#]|$)/;
const NAIVE_OR_ISO =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads one document of the original collection. The playlist id comes from the page's `href`
 * (https://api.spotify.com/v1/playlists/ID/tracks?...), else `fallbackPlaylist`; the time from
 * `datetime` (Python's str(datetime): naive times are UTC), else from `insertedAt`.
 */
export function readLegacyPage(
  fields: Record<string, unknown>,
  insertedAt: Date | null,
  fallbackPlaylist: string | undefined,
): LegacyPage | { skip: LegacySkip } {
  const { datetime, ...page } = fields;
  if (!Array.isArray(page.items)) return { skip: 'not-a-page' };
  const href = typeof page.href === 'string' ? page.href : '';
  const playlistId = PLAYLIST_IN_HREF.exec(href)?.[1] ?? fallbackPlaylist;
  if (!playlistId) return { skip: 'no-playlist' };
  const capturedAt = parseLegacyTime(datetime) ?? insertedAt;
  if (!capturedAt) return { skip: 'no-datetime' };
  return { playlistId, capturedAt, page };
}

/** A `datetime` as the DAG wrote it: "2024-11-20 10:15:03.123456", ISO 8601, or a BSON date. */
export function parseLegacyTime(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const parts = NAIVE_OR_ISO.exec(value.trim());
  if (!parts) return null;
  const [, date, time, fraction = '', zone = 'Z'] = parts;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const seconds = time!.length === 5 ? `${time}:00` : time;
  const parsed = new Date(`${date}T${seconds}.${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
