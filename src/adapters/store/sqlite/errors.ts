import { ChartkeeperError } from '../../../domain/errors.js';

/** Whether an error is SQLite's own (better-sqlite3 gives it a code such as SQLITE_CORRUPT). */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_');
}

/**
 * A row whose stored text cannot be read back (a damaged page SQLite itself still reads). Coded
 * as SQLite codes its damage, so that it is reported, and skipped by an export, the same way.
 */
export class DamagedRow extends Error {
  readonly code = 'SQLITE_CORRUPT_ROW';

  constructor(message: string) {
    super(message);
    this.name = 'DamagedRow';
  }
}

/** Whether SQLite found the file damaged (or not a database at all). */
export function isDamage(error: unknown): boolean {
  return isSqliteError(error) && /^SQLITE_(CORRUPT|NOTADB)/.test(error.code);
}

/**
 * Turns a SQLite failure into one line naming the store and what to do. Errors that are not
 * SQLite's are returned as they are: they are bugs, and say so.
 */
export function storeError(location: string, error: unknown): unknown {
  if (error instanceof ChartkeeperError || !isSqliteError(error)) return error;
  const { code } = error;
  const reason = error.message.replace(/\.$/, '');
  if (isDamage(error)) {
    return new ChartkeeperError(
      'store-damaged',
      `The SQLite store ${location} is damaged (${reason}).`,
      {
        hint: `Restore it from a backup. To keep what can still be read: chartkeeper export -o rescued.ndjson (damaged records are skipped and counted), then import that into a new store.`,
        permanent: true,
        cause: error,
      },
    );
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new ChartkeeperError(
      'store-unavailable',
      `The SQLite store ${location} stayed locked by another process (${reason}).`,
      { hint: 'Another chartkeeper is writing to it; try again shortly.', cause: error },
    );
  }
  if (code === 'SQLITE_FULL') {
    return new ChartkeeperError('store-error', `The disk holding ${location} is full.`, {
      hint: 'Free some space, then run again; nothing already stored is lost.',
      cause: error,
    });
  }
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code)) {
    return new ChartkeeperError(
      'store-unreadable',
      `Cannot use the SQLite store ${location}: ${reason}.`,
      {
        hint: 'Check that chartkeeper may read and write the file and its directory.',
        permanent: true,
        cause: error,
      },
    );
  }
  return new ChartkeeperError(
    'store-error',
    `The SQLite store ${location} failed: ${reason} (${code}).`,
    {
      cause: error,
    },
  );
}
