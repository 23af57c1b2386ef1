import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type {
  ChartExportCounts,
  ChartExportFormat,
  ChartExportResult,
} from '../../app/chart-export.js';
import type { RecordCounts } from '../../app/transfer.js';
import type { ChartKey } from '../../domain/chart.js';
import { parseChart, parseDate } from '../options.js';
import { CliError, complain, EXIT, printJson, requireWholeStdout, say } from '../output.js';
import { progressReporter } from '../progress.js';
import { describeCounts } from '../render/counts.js';
import { withApp } from '../session.js';

const FORMATS = ['csv', 'ndjson'] as const satisfies readonly ChartExportFormat[];

interface ExportOptions {
  output?: string;
  force?: boolean;
  json?: boolean;
  format?: ChartExportFormat;
  chart?: ChartKey[];
  from?: string;
  to?: string;
}

/**
 * `chartkeeper export`: every capture, chart and run of the store as NDJSON; with --format, the
 * charts (of --chart keys, dated --from/--to) with their entries as CSV or NDJSON.
 */
export function define(command: Command): void {
  command
    .option(
      '-o, --output <file>',
      'write to this file (default, or -: stdout); never the store itself',
    )
    .option('-f, --force', 'replace FILE if it exists (only once the new export is complete)')
    .option('--json', 'print a summary as JSON on stdout (needs --output)')
    .option(
      '--format <format>',
      `export charts with their entries instead of the whole store: ${FORMATS.join(' or ')} (csv: one row per entry)`,
      parseFormat,
    )
    .option(
      '--chart <key>',
      'only this chart (repeatable): an official chart id, a playlist id, URI or link, or source/id (needs --format)',
      collectChart,
    )
    .option('--from <date>', 'only charts dated on or after YYYY-MM-DD (needs --format)', parseDate)
    .option('--to <date>', 'only charts dated on or before YYYY-MM-DD (needs --format)', parseDate)
    .action(async (options: ExportOptions) => {
      if (options.output === '-') options.output = undefined;
      if (options.force && !options.output) {
        throw new CliError('--force goes with --output: it lets the export replace that file');
      }
      if (options.json && !options.output) {
        throw new CliError('--json needs --output: without it, stdout carries the export itself');
      }
      const path = options.output ? resolve(options.output) : null;
      if (options.format) return exportCharts(options, options.format, path);
      if (options.chart || options.from || options.to) {
        throw new CliError(
          '--chart, --from and --to go with --format csv or --format ndjson: without it, export writes the whole store',
          { hint: 'For example: chartkeeper export --format csv --chart regional-global-daily' },
        );
      }
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

function parseFormat(value: string): ChartExportFormat {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected ${FORMATS.join(' or ')}.`);
  }
  return value as ChartExportFormat;
}

function collectChart(value: string, previous: ChartKey[] = []): ChartKey[] {
  return [...previous, parseChart(value)];
}

/** `export --format`: the charts of the range, streamed to stdout or a file. */
async function exportCharts(
  options: ExportOptions,
  format: ChartExportFormat,
  path: string | null,
): Promise<void> {
  const { from, to } = options;
  if (from && to && from > to) {
    throw new CliError(`--from ${from} is after --to ${to}: no chart is dated in between.`);
  }
  if (!path) requireWholeStdout();
  let counts: ChartExportCounts = { charts: 0, entries: 0 };
  const describe = (c: ChartExportCounts) => `${c.charts} charts (${c.entries} entries)`;
  const progress = progressReporter(() => `exported ${describe(counts)}`);
  const request = {
    format,
    range: { keys: options.chart, from, to },
    progress: (now: ChartExportCounts) => {
      counts = now;
      progress.tick();
    },
  };
  await withApp({ access: 'read', mustExist: true }, async (app) => {
    const result: ChartExportResult = path
      ? await app.exportChartsToFile(path, { ...request, force: options.force })
      : await app.exportCharts(request, (text) => writeStdout(text));
    counts = result;
    progress.done();
    // A key asked for that has nothing in the range is most likely a mistake: exit 1.
    const complete = result.empty.length === 0;
    process.exitCode = complete ? EXIT.ok : EXIT.failed;
    if (options.json) {
      printJson({ ok: complete, file: path, store: app.storeLocation, ...result });
    }
    const dates =
      from && to
        ? ` dated ${from} to ${to}`
        : from
          ? ` dated ${from} or later`
          : to
            ? ` dated ${to} or earlier`
            : '';
    for (const { key, latest } of result.empty) {
      complain(
        latest
          ? `chartkeeper: no chart of ${key}${dates} is stored; its latest chart is dated ${latest}.`
          : `chartkeeper: no chart of ${key} is stored at all; check the key (the official chart id, or the playlist id).`,
      );
    }
    if (options.json) return;
    const summary = `Exported ${describe(result)} as ${format.toUpperCase()} from the ${app.storeLocation}${path ? ` to ${path}` : ''}.`;
    // stdout may be the export itself.
    if (path && complete) say(summary);
    else complain(summary);
  });
}
