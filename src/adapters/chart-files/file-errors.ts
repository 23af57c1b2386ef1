import { basename } from 'node:path';
import { ChartkeeperError } from '../../domain/errors.js';

/** The file as messages name it: its name alone, which is what a user recognises. */
export function fileLabel(path: string): string {
  return basename(path);
}

/** A file whose content chartkeeper cannot read as a chart file. */
export function invalidChartFile(
  path: string,
  what: string,
  hint?: string,
  cause?: unknown,
): ChartkeeperError {
  return new ChartkeeperError('chart-file-invalid', `${fileLabel(path)} ${what}`, {
    permanent: true,
    hint: hint ?? null,
    cause,
  });
}

/**
 * Turns a failure to open or read `path` into an error a user can act on; anything else (a
 * ChartkeeperError already, a bug) is returned as it is.
 */
export function unreadableFile(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (error instanceof ChartkeeperError || typeof code !== 'string') return error;
  if (code === 'ENOENT') {
    return new ChartkeeperError('not-found', `${path} does not exist.`, {
      permanent: true,
      hint: 'Check the path of the chart file',
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new ChartkeeperError('usage', `${path} is a directory, not a chart file.`, {
      permanent: true,
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ChartkeeperError('chart-file-invalid', `${path} cannot be read: ${reason}`, {
    permanent: true,
    cause: error,
  });
}
