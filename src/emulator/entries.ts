import type { PoolTrack } from './pool.js';

export interface PoolEpisode {
  id: string;
  name: string;
  description: string;
  durationMs: number;
  releaseDate: string;
  show: { id: string; name: string; publisher: string };
  imageKey: string;
}

export interface LocalFile {
  name: string;
  artist: string;
  album: string;
  durationMs: number;
}

export type EntryContent =
  | { kind: 'track'; track: PoolTrack; popularity: number }
  | { kind: 'episode'; episode: PoolEpisode }
  | { kind: 'local'; file: LocalFile }
  | { kind: 'removed' };

/** One playlist entry before it is rendered as JSON. */
export interface CatalogueEntry {
  addedAt: string | null;
  addedByOwner: boolean;
  content: EntryContent;
  /** Which of `item` / `track` the /items endpoint shows (real playlists mix them). */
  keys: 'both' | 'item' | 'track';
}
