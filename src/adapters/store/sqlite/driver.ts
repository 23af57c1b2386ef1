import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type { Database };

let addon: string | undefined;

/**
 * better-sqlite3's native addon, named to the driver outright. Its own finder (the `bindings`
 * package) reads a stack trace and tries a dozen paths, which costs a start-up a millisecond, and
 * would search from the bundle's folder, where the addon is not. Undefined (the finder decides)
 * where the addon was built somewhere unusual.
 */
export function addonPath(): string | undefined {
  if (addon === undefined) {
    const lib = dirname(createRequire(import.meta.url).resolve('better-sqlite3'));
    const built = join(lib, '..', 'build', 'Release', 'better_sqlite3.node');
    addon = existsSync(built) ? built : '';
  }
  return addon || undefined;
}

/** Opens a SQLite database with better-sqlite3. */
export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  return new Database(file, { ...options, nativeBinding: addonPath() });
}
