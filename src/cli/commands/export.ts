import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RecordCounts } from '../../app/transfer.js';
import { CliError, complain, EXIT, printJson, requireWholeStdout, say } from '../output.js';
import { progressReporter } from '../progress.js';
import { describeCounts } from '../render/counts.js';
import { withApp } from '../session.js';

/** `chartkeeper export`: every capture, chart and run of the store as NDJSON. */
export function define(command: Command): void {
  command
    .option(
      '-o, --output <file>',
      'write to this file (default, or -: stdout); never the store itself',
    )
    .option('-f, --force', 'replace FILE if it exists (only once the new export is complete)')
    .option('--json', 'print a summary as JSON on stdout (needs --output)')
    .action(async (options: { output?: string; force?: boolean; json?: boolean }) => {
      if (options.output === '-') options.output = undefined;
      if (options.force && !options.output) {
        throw new CliError('--force goes with --output: it lets the export replace that file');
      }
      if (options.json && !options.output) {
        throw new CliError('--json needs --output: without it, stdout carries the export itself');
      }
      const path = options.output ? resolve(options.output) : null;
      if (!path) requireWholeStdout();
      let counts: RecordCounts = { captures: 0, charts: 0, runs: 0 };
      const progress = progressReporter(() => `exported ${describeCounts(counts)}`);
      const track = (now: RecordCounts) => {
        counts = now;
        progress.tick();
      };
      // A store that is not there is a mistyped setting: an empty export would pass for a backup.
      await withApp({ access: 'read', mustExist: true }, async (app) => {
        const result = path
          ? await app.exportToFile(path, { force: options.force, progress: track })
          : await app.exportTo((line) => writeStdout(line), track);
        counts = result;
        progress.done();
        // An export that had to leave damaged records out is not a whole backup: exit 1.
        const complete = result.damaged.length === 0;
        process.exitCode = complete ? EXIT.ok : EXIT.failed;
        if (options.json) {
          printJson({ ok: complete, file: path, store: app.storeLocation, ...result });
          return;
        }
        const missing = complete
          ? ''
          : `; left out, damaged: ${result.damaged.join(', ')} (the export holds everything else)`;
        const summary = `Exported ${describeCounts(result)} from the ${app.storeLocation}${path ? ` to ${path}` : ''}${missing}.`;
        // stdout may be the export itself.
        if (path && complete) say(summary);
        else complain(summary);
      });
    });
}

/** Writes a line to stdout, waiting when its buffer is full (a closed stdout: readerStopped). */
function writeStdout(line: string): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(line)) done();
    else process.stdout.once('drain', done);
  });
}
