import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CHART_FILE_FORMATS,
  CHART_FILE_IMPORT_LEASE,
  type ChartFileFormat,
} from '../domain/chart-file.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { ChartFileHints, ChartFiles } from '../domain/ports/chart-files.js';
import { takeLease } from '../services/capture/chart-lease.js';
import {
  type FileImportCounts,
  type ImportChartFileOptions,
  importChartFile,
} from '../services/chart-files/import-chart-file.js';
import type { AppContext } from './context.js';
import type { ImportWorkerData, ImportWorkerMessage, ThreadError } from './import-worker.js';
import { importFrom, type RecordCounts } from './transfer.js';

/** What importing one file did, or why it could not be read. */
export interface FileImportResult extends FileImportCounts {
  file: string;
  /** Null when the file could not be read at all (see `error`). */
  format: ChartFileFormat | null;
  error?: string;
  /** For an export: records imported and already there, by kind. */
  records?: { imported: RecordCounts; unchanged: RecordCounts };
}

export interface ImportFilesRequest extends ChartFileHints {
  /** Files, folders (their files, by name), or `-` for an export on standard input. */
  inputs: readonly string[];
  /** A file with a bad row imports nothing (the other files still do). */
  strict?: boolean;
  /** Rows read so far in the current file. */
  progress?: (file: string, rows: number, bytes: number | null) => void;
  /** Called when a file starts, with its size in bytes where known. */
  onFile?: (file: string, size: number | null) => void;
  /** Called as each file is done. */
  onResult?: (result: FileImportResult) => void;
  /** Called for what a folder holds that is not imported (a folder inside it), with why. */
  onSkip?: (path: string, why: string) => void;
}

/** The file names `inputs` stand for: folders expand to their files, hidden ones skipped. */
export function expandInputs(
  inputs: readonly string[],
  onSkip: (path: string, why: string) => void = () => {},
): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push(input);
      continue;
    }
    const path = resolve(input);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      throw new ChartkeeperError('usage', `cannot read ${path}: no such file`, {
        hint: 'Give chart files downloaded from charts.spotify.com, folders of them, or a chartkeeper export.',
        permanent: true,
      });
    }
    if (stats.isDirectory()) {
      const entries = readdirSync(path, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.isDirectory() && !entry.name.startsWith('.')) {
          onSkip(
            join(path, entry.name),
            'folders inside a folder are not read; name it to import it',
          );
        }
      }
      const names = entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => entry.name)
        .sort();
      files.push(...names.map((name) => join(path, name)));
    } else if (stats.isFile()) files.push(path);
    else {
      throw new ChartkeeperError(
        'usage',
        `${path} is not a file or a folder; nothing was imported.`,
        {
          permanent: true,
        },
      );
    }
  }
  return files;
}

/**
 * `chartkeeper import`: each file's format is told from its content; chart files go through the
 * chart-file import (grouped into charts, derived, duplicates and conflicts counted), exports
 * through the record import. Files are imported one after another, each on its own: a file that
 * cannot be read is reported and the others still import.
 */
export async function importFiles(
  ctx: AppContext,
  chartFiles: ChartFiles,
  request: ImportFilesRequest,
): Promise<FileImportResult[]> {
  const results: FileImportResult[] = [];
  const own = ctx.store.kind === 'sqlite' ? storeFiles(ctx.store.location) : [];
  const files = expandInputs(request.inputs, request.onSkip).filter((f) => !own.includes(f));
  const taken = await takeLease(ctx.coordination, CHART_FILE_IMPORT_LEASE);
  if (!taken.held) {
    throw new ChartkeeperError(
      'chart-busy',
      `Another import of chart files is under way on this store (${taken.holder.owner}); nothing was imported.`,
      {
        hint: 'Try again once it has ended (a serve importing its inbox finishes each file on its own).',
        permanent: false,
      },
    );
  }
  try {
    for (const file of files) {
      const result = await importOne(ctx, chartFiles, file, request).catch(
        (error: unknown): FileImportResult => {
          // A file that cannot be read is that file's problem; a store that fails stops everything.
          if (!(error instanceof ChartkeeperError) || /^(store|outbox)-/.test(error.code))
            throw error;
          return { ...emptyCounts(), file, format: null, error: error.message };
        },
      );
      results.push(result);
      request.onResult?.(result);
    }
  } finally {
    await taken.lease.release();
  }
  return results;
}

/** Imports one file (not `-`); throws what stops it before any row. */
export async function importOne(
  ctx: AppContext,
  files: ChartFiles,
  file: string,
  request: ImportFilesRequest,
): Promise<FileImportResult> {
  const format = file === '-' ? CHART_FILE_FORMATS.export : await files.detect(file);
  request.onFile?.(file, file === '-' ? null : statSync(file).size);
  if (format === CHART_FILE_FORMATS.export) return importExport(ctx, file, request);
  const hints = { chartId: request.chartId, chartDate: request.chartDate };
  const options = {
    fileName: basename(file),
    // Chart files run at 60 to 140 bytes a row.
    expectedRows: Math.round(statSync(file).size / 100),
    importedAt: new Date().toISOString(),
    progress: (rows: number, bytes: number | null) => request.progress?.(file, rows, bytes),
  };
  const run = (dryRun: boolean) =>
    options.expectedRows >= ON_THREAD_ROWS && ctx.store.kind === 'sqlite' && existsSync(WORKER)
      ? importOnThread(ctx, file, hints, { ...options, dryRun })
      : files
          .read(file, hints)
          .then((reading) => importChartFile(ctx.store, reading, { ...options, dryRun }));
  if (request.strict) {
    const check = await run(true);
    if (check.rejected.length > 0 || check.error) {
      return {
        ...check,
        file,
        format,
        imported: 0,
        heldBack: check.imported,
      };
    }
  }
  const counts = await run(false);
  return { ...counts, file, format };
}

/** Rows (as a file's size tells them) from which a chart file is imported on a thread of its own. */
const ON_THREAD_ROWS = 200_000;
/**
 * The thread's program, built beside the command line's bundles (see scripts/build.mjs). Run
 * from the sources (tests), there is none, and files are imported on the calling thread.
 */
const WORKER = fileURLToPath(new URL('../import-worker.cjs', import.meta.url));
/**
 * The import thread's heap. V8 lets a heap grow to about four times what is alive in it before it
 * collects (an import keeps 60 to 80 MB alive at 5 million rows, and its heap reached 300 MB); a
 * heap limited to a few hundred MB is collected at about 1.4 times what is alive, at little cost,
 * and still leaves several times what the largest files keep alive. The young generation is kept
 * below its default, still large enough for a batch's rows to die in it.
 */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 };

/**
 * Imports a large chart file on a worker thread with its own connection to the store and a
 * bounded heap (see THREAD_LIMITS), so that an import of millions of rows keeps the process's
 * memory low; the calling thread only relays its progress. The lease stays with the caller.
 */
function importOnThread(
  ctx: AppContext,
  file: string,
  hints: ChartFileHints,
  options: ImportChartFileOptions,
): Promise<FileImportCounts> {
  const { progress, ...plain } = options;
  const data: ImportWorkerData = { store: ctx.config.store, file, hints, options: plain };
  return new Promise((done, fail) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const worker = new Worker(WORKER, { workerData: data, resourceLimits: THREAD_LIMITS });
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') progress?.(message.rows, message.bytes);
      else if (message.type === 'done') settle(() => done(message.counts));
      else settle(() => fail(fromThread(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) =>
      settle(() =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(
                `importing ${file} took more than the ${THREAD_LIMITS.maxOldGenerationSizeMb} MB its thread may use; what was written is kept, and importing the file again finishes it`,
                { cause: error },
              )
            : error,
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() => fail(new Error(`the import thread stopped unexpectedly (exit code ${code})`))),
    );
  });
}

function fromThread(error: ThreadError): Error {
  if (error.chartkeeper) {
    return new ChartkeeperError(error.code as ChartkeeperError['code'], error.message, {
      hint: error.hint,
      permanent: error.permanent,
    });
  }
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}

async function importExport(
  ctx: AppContext,
  file: string,
  request: ImportFilesRequest,
): Promise<FileImportResult> {
  const rejected: FileImportCounts['rejected'] = [];
  let rows = 0;
  const lines = countLines(readLines(file === '-' ? process.stdin : createReadStream(file)), () => {
    rows += 1;
  });
  const summary = await importFrom(ctx, lines, {
    name: file === '-' ? 'stdin' : file,
    strict: request.strict,
    onInvalid: (problem) => rejected.push({ line: problem.line, reason: problem.message }),
    progress: () => request.progress?.(file, rows, null),
  });
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    file,
    format: CHART_FILE_FORMATS.export,
    charts: summary.imported.charts + summary.unchanged.charts,
    rows,
    imported: sum({ ...summary.imported }),
    duplicates: sum({ ...summary.unchanged }),
    rejected,
    records: { imported: summary.imported, unchanged: summary.unchanged },
  };
}

/** A SQLite store's own files, which a folder being imported may hold. */
function storeFiles(location: string): string[] {
  const path = resolve(location);
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}

function emptyCounts(): FileImportCounts {
  return { charts: 0, rows: 0, imported: 0, duplicates: 0, rejected: [] };
}

async function* countLines(
  lines: AsyncIterable<string>,
  count: () => void,
): AsyncGenerator<string> {
  for await (const line of lines) {
    if (line.trim() !== '') count();
    yield line;
  }
}

/**
 * The input's lines, read a chunk at a time as they are consumed (a paused stream keeps the rest
 * on disk). readline is not used: lines it emits before iteration starts are lost.
 */
async function* readLines(input: Readable): AsyncGenerator<string> {
  let rest = '';
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.replace(/\r$/, '');
  }
  if (rest) yield rest;
}
