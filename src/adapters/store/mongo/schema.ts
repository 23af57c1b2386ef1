import type { Db, IndexDescription } from 'mongodb';
import { ChartkeeperError } from '../../../domain/errors.js';

/** Collection names, shared with tests and tools that read the database directly. */
export const COLLECTIONS = {
  captures: 'captures',
  charts: 'charts',
  runs: 'runs',
  /** One document per counter; `captures` numbers captures in the order they were saved. */
  counters: 'counters',
  /** The scheduler's leases (one per name) and small settings, keyed by name. */
  leases: 'leases',
  settings: 'settings',
} as const;

/** Every index chartkeeper relies on, by collection. Named, so that creating them is idempotent. */
export const INDEXES: Record<'captures' | 'charts' | 'runs', IndexDescription[]> = {
  captures: [
    { name: 'captures_by_key_time', key: { source: 1, chartId: 1, capturedAt: -1, seq: -1 } },
    { name: 'captures_by_seq', key: { seq: 1 } },
  ],
  charts: [
    {
      name: 'charts_by_key_date',
      key: { source: 1, chartId: 1, chartDate: 1 },
      unique: true,
    },
    // Multikey: one index entry per embedded entry, for a track's history across charts.
    { name: 'charts_by_track', key: { 'entries.trackId': 1 } },
    { name: 'charts_by_date', key: { chartDate: -1 } },
  ],
  runs: [
    { name: 'runs_by_time', key: { createdAt: -1 } },
    // Runs by start time (null until a run starts), for listings by when captures ran.
    { name: 'runs_by_start', key: { startedAt: -1 } },
    { name: 'runs_by_key_time', key: { source: 1, chartId: 1, createdAt: -1 } },
    // The scheduler looks for queued and running runs.
    { name: 'runs_by_state_time', key: { state: 1, createdAt: -1 } },
  ],
};

/** Creates the collections' indexes; a no-op when they exist as specified. */
export async function ensureIndexes(db: Db, location: string): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    try {
      // One index per command: FerretDB 1.24 drops the connection when a command lists several
      // indexes that all exist already.
      for (const index of indexes) await db.collection(collection).createIndexes([index]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // 85/86: an index of that name exists with another definition (made by hand, or by a newer
      // chartkeeper); changing it silently could break whoever made it.
      if (code !== 85 && code !== 86) throw error;
      throw new ChartkeeperError(
        'store-unreadable',
        `MongoDB at ${location}: the ${collection} collection has an index that conflicts with chartkeeper's: ${(error as Error).message.split('\n')[0]}`,
        {
          hint: 'Point CHARTKEEPER_STORE at a database of its own, or drop the conflicting index.',
          permanent: true,
          cause: error,
        },
      );
    }
  }
}
