import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ChartkeeperError } from '../domain/errors.js';
import type { AppContext } from './context.js';

export interface BackupRequest {
  /** Where the copy goes; an existing file is replaced only with `force`. */
  to: string;
  force?: boolean;
}

export interface BackupResult {
  /** The copy, as an absolute path. */
  file: string;
  bytes: number;
  /** When the copy was taken: it holds the store as it was then. */
  takenAt: string;
}

/**
 * A consistent copy of the store while it is in use (`serve` may keep writing). The copy is
 * written beside its target under a temporary name and renamed into place once checked, so a
 * failure never leaves a half-written backup where a good one was.
 */
export async function backupStore(ctx: AppContext, request: BackupRequest): Promise<BackupResult> {
  const file = resolve(request.to);
  // The store's own files: the database, and the journal and WAL files SQLite keeps beside it.
  const store = resolve(ctx.store.location);
  const own = ['', '-wal', '-shm', '-journal'].map((suffix) => store + suffix);
  if (ctx.store.kind === 'sqlite' && own.includes(file)) {
    throw new ChartkeeperError(
      'usage',
      file === store ? `${file} is the store itself.` : `${file} is one of the store's own files.`,
      { hint: 'Give --to a different file.', permanent: true },
    );
  }
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) {
      throw new ChartkeeperError('usage', `${file} is a folder.`, {
        hint: `Name a file, such as ${join(file, 'chartkeeper-backup.db')}.`,
        permanent: true,
      });
    }
    if (!request.force) {
      throw new ChartkeeperError('usage', `${file} already exists; it was left as it is.`, {
        hint: 'Add --force to replace it, or name another file.',
        permanent: true,
      });
    }
  }
  if (!existsSync(dirname(file))) {
    throw new ChartkeeperError('usage', `The folder ${dirname(file)} does not exist.`, {
      hint: 'Create it first, or name a file in an existing folder.',
      permanent: true,
    });
  }
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    // Made empty first (SQLite writes into an empty file), so that a folder chartkeeper may not
    // write to is named as such, not as a problem of the store.
    writeFileSync(partial, '');
  } catch (error) {
    throw new ChartkeeperError(
      'usage',
      `chartkeeper may not write into ${dirname(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      { hint: 'Choose a folder you may write to, or change its permissions.', permanent: true },
    );
  }
  const takenAt = new Date().toISOString();
  try {
    const bytes = await ctx.store.backupTo(partial);
    renameSync(partial, file);
    return { file, bytes, takenAt };
  } finally {
    rmSync(partial, { force: true });
  }
}
