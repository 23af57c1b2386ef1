import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ChartkeeperError } from '../domain/errors.js';
import { exportRecords, type RecordCounts } from '../services/transfer/export-records.js';
import {
  type ImportSummary,
  type InvalidLine,
  importRecords,
} from '../services/transfer/import-records.js';
import type { AppContext } from './context.js';
import { sweepInterrupted } from './sweep.js';

export type { RecordCounts } from '../services/transfer/export-records.js';
export type { ImportSummary, InvalidLine } from '../services/transfer/import-records.js';

/** What an export wrote, and what it had to leave out of a damaged store. */
export interface ExportResult extends RecordCounts {
  /** Records skipped because the store is damaged ("2 captures", "all charts"); empty if none. */
  damaged: string[];
}

/** Writes every capture, chart and run as NDJSON through `write` (stdout, an HTTP reply...). */
export async function exportTo(
  ctx: AppContext,
  write: (line: string) => Promise<void>,
  progress?: (counts: RecordCounts) => void,
): Promise<ExportResult> {
  const before = ctx.damaged.length;
  const counts = await exportRecords(ctx.store, write, { progress });
  return { ...counts, damaged: ctx.damaged.slice(before) };
}

/**
 * Writes the export to a file, safely: never onto the store's own files, never over an existing
 * file unless `force`, and through a temporary file renamed into place only once the export is
 * complete, so a failed export leaves nothing behind and never a half file.
 */
export async function exportToFile(
  ctx: AppContext,
  path: string,
  options: { force?: boolean; progress?: (counts: RecordCounts) => void } = {},
): Promise<ExportResult> {
  return writeExportFile(ctx, path, options.force ?? false, (write) =>
    exportTo(ctx, write, options.progress),
  );
}

/**
 * Writes what `produce` writes to a file as exportToFile does (never onto the store, never over
 * an existing file unless `force`, through a temporary file renamed into place once complete),
 * and returns what `produce` returns.
 */
export async function writeExportFile<T>(
  ctx: AppContext,
  path: string,
  force: boolean,
  produce: (write: (text: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  checkExportTarget(ctx, path, force);
  removeAbandonedPartials(path);
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  let out: ReturnType<typeof createWriteStream>;
  try {
    out = createWriteStream(partial, { flags: 'wx' });
    await once(out, 'open');
  } catch (error) {
    throw cannotWrite(path, error);
  }
  let failed: unknown = null;
  out.on('error', (error) => {
    failed = error;
  });
  try {
    const result = await produce((text) => write(out, text, () => failed));
    await new Promise<void>((done, fail) =>
      out.end((error?: Error | null) => (error ? fail(error) : done())),
    );
    if (failed) throw failed;
    renameSync(partial, path);
    return result;
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    // The store's own failures say what they are; only a failure to write blames the file.
    if (error instanceof ChartkeeperError) throw error;
    throw cannotWrite(path, error);
  }
}

/** Refuses an export target that is one of the store's files, or an existing file without force. */
function checkExportTarget(ctx: AppContext, path: string, force: boolean): void {
  const target = canonical(path);
  if (ctx.store.kind === 'sqlite') {
    const store = canonical(ctx.store.location);
    const own = [store, `${store}-wal`, `${store}-shm`, `${store}-journal`];
    if (own.includes(target) || sameFile(path, ctx.store.location)) {
      throw new ChartkeeperError(
        'usage',
        `${path} is the store's own file; exporting onto it would destroy the store.`,
        {
          hint: 'Export to another file, for example: chartkeeper export -o chartkeeper-export.ndjson',
          permanent: true,
        },
      );
    }
  }
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    throw new ChartkeeperError('usage', `${path} is a directory.`, {
      hint: 'Give a file name for the export, for example -o chartkeeper-export.ndjson',
      permanent: true,
    });
  }
  if (!force) {
    throw new ChartkeeperError('usage', `${path} already exists; it was left as it is.`, {
      hint: 'Choose another file, or add --force to replace it (once the new export is complete).',
      permanent: true,
    });
  }
}

/** The path with symbolic links resolved, as far as it exists. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** Whether two paths are the same file (a hard link counts). */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

function cannotWrite(path: string, error: unknown): ChartkeeperError {
  return new ChartkeeperError(
    'export-failed',
    `Cannot write the export to ${path}: ${(error as Error).message}`,
    { hint: 'Check that the directory exists, is writable and has space.', permanent: true },
  );
}

/** Writes a line, waiting when the stream's buffer is full. */
function write(out: NodeJS.WritableStream, line: string, failed: () => unknown): Promise<void> {
  const error = failed();
  if (error) return Promise.reject(error);
  if (out.write(line)) return Promise.resolve();
  return new Promise((done, fail) => {
    const onError = (e: Error) => fail(e);
    out.once('error', onError);
    out.once('drain', () => {
      out.off('error', onError);
      done();
    });
  });
}

export interface ImportOptions {
  /** The file's name, for messages. */
  name: string;
  /** Stop at the first invalid line instead of skipping it. */
  strict?: boolean;
  progress?: (summary: ImportSummary) => void;
  onInvalid?: (problem: InvalidLine) => void;
}

/**
 * Removes the temporary files of exports to `path` whose process died before finishing (kill -9,
 * power loss): they are named after it with the pid of their process.
 */
function removeAbandonedPartials(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && /^(\d+)\.partial$/.exec(name.slice(prefix.length))?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(join(dirname(path), name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads an export into the store (see importRecords): invalid lines are skipped and reported
 * with their line numbers, or stop the import with `strict`.
 */
export async function importFrom(
  ctx: AppContext,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportSummary> {
  await sweepInterrupted(ctx);
  // Straight into the store, not through the outbox: an import that fails is simply repeated.
  const { store } = ctx;
  return importRecords({ captures: store, charts: store, ledger: store }, lines, options);
}
