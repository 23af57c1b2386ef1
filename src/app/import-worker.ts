import { parentPort, workerData } from 'node:worker_threads';
import { chartFiles } from '../adapters/chart-files/chart-files.js';
import { openStore } from '../adapters/store/open-store.js';
import type { StoreSetting } from '../config/store-setting.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { ChartFileHints } from '../domain/ports/chart-files.js';
import {
  type FileImportCounts,
  type ImportChartFileOptions,
  importChartFile,
} from '../services/chart-files/import-chart-file.js';

/**
 * The program of the thread a large chart file is imported on (see importOnThread): it opens the
 * store and the file itself, imports the file, and reports progress and the counts (or the error)
 * to the thread that started it. Built as a file of its own (dist/cli/import-worker.cjs).
 */

export interface ImportWorkerData {
  store: StoreSetting;
  file: string;
  hints: ChartFileHints;
  options: Omit<ImportChartFileOptions, 'progress'>;
}

export type ImportWorkerMessage =
  | { type: 'progress'; rows: number; bytes: number | null }
  | { type: 'done'; counts: FileImportCounts }
  | { type: 'failed'; error: ThreadError };

/** An error as it crosses threads: a ChartkeeperError keeps its code, hint and permanence. */
export interface ThreadError {
  message: string;
  code?: string;
  hint?: string | null;
  permanent?: boolean;
  chartkeeper: boolean;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as ImportWorkerData;
  try {
    const store = await openStore(data.store, { access: 'write' });
    let counts: FileImportCounts;
    try {
      counts = await importChartFile(store, await chartFiles.read(data.file, data.hints), {
        ...data.options,
        progress: (rows, bytes) => port.postMessage({ type: 'progress', rows, bytes }),
      });
    } finally {
      // Closed before the counts are given: the caller may use the store at once.
      await store.close();
    }
    port.postMessage({ type: 'done', counts } satisfies ImportWorkerMessage);
  } catch (error) {
    port.postMessage({ type: 'failed', error: threadError(error) } satisfies ImportWorkerMessage);
  }
}

function threadError(error: unknown): ThreadError {
  if (error instanceof ChartkeeperError) {
    return {
      message: error.message,
      code: error.code,
      hint: error.hint,
      permanent: error.permanent,
      chartkeeper: true,
    };
  }
  const { message, code } = error as { message?: unknown; code?: unknown };
  return {
    message: String(message ?? error),
    ...(typeof code === 'string' ? { code } : {}),
    chartkeeper: false,
  };
}

void main();
