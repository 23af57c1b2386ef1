import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChartStore } from '../../domain/ports.js';

const MONGODB_URI = /^mongodb(\+srv)?:\/\//i;

export interface OpenStoreOptions {
  /**
   * For commands that only read: a SQLite file that does not exist is not created (nor its
   * directory); an empty store in memory stands in for it, so the command finds nothing stored.
   */
  ifMissing?: 'create' | 'empty';
}

/** Opens the store named by CHARTKEEPER_STORE: a MongoDB URI, or else a SQLite file path. */
export async function openStore(
  location: string,
  cwd: string = process.cwd(),
  options: OpenStoreOptions = {},
): Promise<ChartStore> {
  if (MONGODB_URI.test(location)) {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(location);
  }
  // Loaded on demand so that commands that need no store start fast.
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  const path = resolve(cwd, location);
  if (options.ifMissing === 'empty' && !existsSync(path)) {
    return SqliteStore.open(':memory:');
  }
  return SqliteStore.open(path);
}
