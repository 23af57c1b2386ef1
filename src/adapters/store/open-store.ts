import type { StoreSetting } from '../../config/store-setting.js';
import type { ChartStore } from '../../domain/ports/chart-store.js';

export interface OpenStoreOptions {
  /**
   * `read` never writes: a SQLite file that does not exist reads as an empty store (nothing is
   * created), and a MongoDB database gets no collection, index or migration.
   */
  access: 'read' | 'write';
  /** Refuse to create the store: the command makes sense only for one that exists. */
  mustExist?: boolean;
  /** Told when reading everything had to skip records of a damaged store. */
  onDamagedRecords?: (what: string, count: number | null) => void;
}

/**
 * Opens the configured store: a SQLite file, or MongoDB. Each is loaded only when chosen, so a
 * command never pays for the driver it does not use.
 */
export async function openStore(
  setting: StoreSetting,
  options: OpenStoreOptions,
): Promise<ChartStore> {
  if (setting.kind === 'mongodb') {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(setting.uri, { access: options.access, mustExist: options.mustExist });
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return SqliteStore.open(setting.path, options);
}
