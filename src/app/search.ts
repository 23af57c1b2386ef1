import type { Artist } from '../domain/chart.js';
import type { TrackInfo } from '../domain/history.js';
import type { AppContext } from './context.js';

/** How many tracks a search lists at most. */
const TRACK_LIMIT = 50;

/** What a search by title or artist found. */
export interface SearchResult {
  query: string;
  /** Tracks whose title contains the text, then tracks of an artist of that name. */
  tracks: TrackInfo[];
  /** Artists named exactly so (any case), then artists of the found tracks whose name contains the text. */
  artists: Artist[];
}

/**
 * Tracks and artists by title or artist name (case-insensitive): titles containing the text,
 * and artists by their whole name, through the store's track and artist indexes.
 */
export async function searchCatalogue(ctx: AppContext, text: string): Promise<SearchResult> {
  const query = text.trim();
  if (query === '') return { query, tracks: [], artists: [] };
  const [byTitle, byArtist] = await Promise.all([
    ctx.store.searchTracks(query, TRACK_LIMIT),
    ctx.store.artistTracks(query),
  ]);
  const tracks = new Map<string, TrackInfo>();
  for (const track of [...byTitle, ...byArtist]) {
    if (tracks.size < TRACK_LIMIT * 2 && !tracks.has(track.id)) tracks.set(track.id, track);
  }
  const lower = query.toLowerCase();
  const artists = new Map<string, Artist>();
  for (const track of [...byArtist, ...byTitle]) {
    for (const artist of track.artists) {
      const name = artist.name.toLowerCase();
      if (name.includes(lower) && !artists.has(artist.id ?? name)) {
        artists.set(artist.id ?? name, artist);
      }
    }
  }
  return { query, tracks: [...tracks.values()], artists: [...artists.values()] };
}
