import { ChartkeeperError } from '../domain/errors.js';
import { SOURCES } from '../domain/sources.js';
import { importSeed, type SeedSummary } from '../services/seed/import-seed.js';
import type { AppContext } from './context.js';

export type { SeedSummary } from '../services/seed/import-seed.js';
export type { LegacySkip } from '../services/seed/legacy-page.js';

export interface SeedRequest {
  /** The MongoDB holding the original system's documents (mongodb:// or mongodb+srv://). */
  from: string;
  database?: string;
  collection?: string;
  /** The playlist of documents whose page has no `href` to read it from. */
  playlist?: string;
  title?: string;
  /** Told the number of documents read so far, and how many there are. */
  progress?: (read: number, total: number) => void;
}

/**
 * Imports the original Airflow system's MongoDB documents (one raw /tracks page per run) as
 * captures and daily charts; safe to repeat.
 */
export async function importFromAirflow(
  ctx: AppContext,
  request: SeedRequest,
): Promise<SeedSummary & { from: string }> {
  if (!/^mongodb(\+srv)?:\/\//i.test(request.from)) {
    throw new ChartkeeperError('usage', '--from must be a mongodb:// or mongodb+srv:// URI', {
      hint: 'For example: --from mongodb://user:password@localhost:27017',
      permanent: true,
    });
  }
  // The driver is loaded only by the commands that talk to MongoDB.
  const { openLegacyCollection } = await import('../adapters/store/mongo/legacy-collection.js');
  const legacy = openLegacyCollection(request.from, {
    database: request.database,
    collection: request.collection,
  });
  try {
    const total = await legacy.count();
    if (total === 0) {
      throw new ChartkeeperError('not-found', `${legacy.location} holds no documents`, {
        hint: 'Check --db and --collection (the original system wrote spotify / currency_collection).',
        permanent: true,
      });
    }
    const normaliser = (await ctx.sources.normaliser(SOURCES.spotifyPlaylist))!;
    // Straight into the store: an import that fails is simply repeated.
    const summary = await importSeed({
      captures: ctx.store,
      charts: ctx.store,
      normaliser,
      documents: legacy.documents(),
      timezone: ctx.config.timezone,
      playlist: request.playlist,
      title: request.title,
      progress: (read) => request.progress?.(read, total),
    });
    return { ...summary, from: legacy.location };
  } finally {
    await legacy.close();
  }
}
