import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ChartkeeperError } from '../../domain/errors.js';
import { exportRecords, type RecordCounts } from '../../services/transfer/export-records.js';
import { readConfig } from '../context.js';
import { CliError, EXIT, printJson } from '../output.js';
import { progressReporter } from '../progress.js';
import { withPlainStore } from '../stores.js';

/** `chartkeeper export`: every capture, chart and run of the store as NDJSON. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write every capture, chart and run of the store as NDJSON (one record per line), for `chartkeeper import`',
    )
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .option('--json', 'print a summary as JSON on stdout (needs --output)')
    .action(async (options: { output?: string; json?: boolean }) => {
      if (options.json && !options.output) {
        throw new CliError('--json needs --output: without it, stdout carries the export itself');
      }
      const config = readConfig();
      const path = options.output ? resolve(options.output) : null;
      // Written beside the target and renamed at the end, so a failed export leaves no half file.
      const partial = path ? `${path}.partial` : null;
      let counts: RecordCounts = { captures: 0, charts: 0, runs: 0 };
      const progress = progressReporter(() => `exported ${describe(counts)}`);
      const { location, kind } = await withPlainStore(config, async (store) => {
        const out: Writable = partial
          ? createWriteStream(partial, { fd: create(partial, path) })
          : process.stdout;
        try {
          counts = await exportRecords(store, (line) => write(out, line), {
            progress: (now) => {
              counts = now;
              progress.tick();
            },
          });
          if (partial && path) {
            await new Promise<void>((done, fail) =>
              out.end((error?: Error | null) => (error ? fail(error) : done())),
            );
            renameSync(partial, path);
          }
        } catch (error) {
          if (partial) {
            out.destroy();
            rmSync(partial, { force: true });
          }
          if (error instanceof ChartkeeperError) throw error;
          throw cannotWrite(path, error);
        }
        return { location: store.location, kind: store.kind };
      });
      progress.done();
      if (options.json) {
        printJson({ ok: true, file: path, store: location, ...counts });
        return;
      }
      const summary = `Exported ${describe(counts)} from the ${kind} store ${location}${path ? ` to ${path}` : ''}.\n`;
      // stdout may be the export itself.
      (path ? process.stdout : process.stderr).write(summary);
    });
}

/** Opens the file at once, so that a bad path is reported as such, before any record is read. */
function create(partial: string, path: string | null): number {
  try {
    return openSync(partial, 'w');
  } catch (error) {
    throw cannotWrite(path, error);
  }
}

function cannotWrite(path: string | null, error: unknown): CliError {
  return new CliError(
    `cannot write the export to ${path ?? 'stdout'}: ${(error as Error).message}`,
    {
      exitCode: EXIT.failed,
      code: 'export-failed',
      hint: 'Check that the directory exists, is writable and has space.',
    },
  );
}

function describe(counts: RecordCounts): string {
  return `${counts.captures} captures, ${counts.charts} charts and ${counts.runs} runs`;
}

/** Writes a line, waiting when the stream's buffer is full. */
function write(out: Writable, line: string): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: Error) => fail(error);
    out.once('error', onError);
    const drained = out.write(line, (error) => {
      if (error) fail(error);
    });
    const finish = () => {
      out.off('error', onError);
      done();
    };
    if (drained) finish();
    else out.once('drain', finish);
  });
}
