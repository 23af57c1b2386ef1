import type { ChartKey } from '../chart.js';
import type { Appearance, ChartKeySummary, TrackInfo } from '../history.js';

/**
 * What history and analytics read: stored chart keys, tracks and artists, and appearances (one
 * per chart entry: key, date, position, track, streams), each through an index. Every source's
 * charts alike.
 */
export interface ChartHistory {
  /** Every stored chart key with its latest title, first and last date and number of charts. */
  listChartKeys(): Promise<ChartKeySummary[]>;
  /** The stored chart dates of the key, oldest first, optionally within [from, to]. */
  chartDates(key: ChartKey, range?: { from?: string; to?: string }): Promise<string[]>;
  /** The tracks with these ids (unknown ids are left out), in no particular order. */
  getTracks(ids: readonly string[]): Promise<TrackInfo[]>;
  /** Tracks whose title contains `text` (case-insensitive), by title, at most `limit`. */
  searchTracks(text: string, limit: number): Promise<TrackInfo[]>;
  /** Tracks with any of these ISRCs (the versions of a recording). */
  tracksByIsrc(isrcs: readonly string[]): Promise<TrackInfo[]>;
  /** Tracks of an artist, by Spotify artist id or by name (case-insensitive, whole name). */
  artistTracks(artist: string): Promise<TrackInfo[]>;
  /**
   * Every appearance of these tracks on any chart (or on the key's charts only), ordered by
   * source, chart id, date and position.
   */
  appearancesOf(trackIds: readonly string[], key?: ChartKey): Promise<Appearance[]>;
  /** Every entry of the key's charts dated from `from` to `to` (inclusive), by date and position. */
  appearancesBetween(key: ChartKey, from: string, to: string): Promise<Appearance[]>;
}
