import { resolve } from 'node:path';
import type { ChartStore } from '../../domain/ports.js';

const MONGODB_URI = /^mongodb(\+srv)?:\/\//i;

/** Opens the store named by CHARTKEEPER_STORE: a MongoDB URI, or else a SQLite file path. */
export async function openStore(
  location: string,
  cwd: string = process.cwd(),
): Promise<ChartStore> {
  if (MONGODB_URI.test(location)) {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(location);
  }
  // Loaded on demand so that commands that need no store start fast.
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return SqliteStore.open(resolve(cwd, location));
}
