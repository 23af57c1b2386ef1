import type { Command } from 'commander';
import type { FileImportResult } from '../../app/import-files.js';
import { importProgress } from '../import-progress.js';
import { parseDate, parseFileChart } from '../options.js';
import { complain, EXIT, printJson, say } from '../output.js';
import { describeCounts } from '../render/counts.js';
import { type LogOptions, withApp } from '../session.js';
import { withLogOptions } from './common.js';

/** Rejected lines printed per file; --json lists them all. */
const REJECTS_SHOWN = 20;

/**
 * `chartkeeper import FILE|DIR...`: chart files downloaded from charts.spotify.com or
 * spotifycharts.com, the public 2017–2021 dataset, or a chartkeeper export; safe to repeat.
 */
export function define(command: Command): void {
  withLogOptions(
    command
      .argument(
        '<files...>',
        'chart files (CSV), folders of them, or a chartkeeper export (NDJSON; - for stdin)',
      )
      .option(
        '--chart <id>',
        'the chart of a file whose name does not say it, e.g. regional-global-daily',
        parseFileChart,
      )
      .option(
        '--date <YYYY-MM-DD>',
        'the date of a file whose name does not say it (a …-latest.csv download)',
        parseDate,
      )
      .option('--strict', 'import nothing of a file that has a bad row')
      .option('--json', 'print what was imported as JSON'),
    'warn',
  ).action(
    async (
      inputs: string[],
      options: { chart?: string; date?: string; strict?: boolean; json?: boolean } & LogOptions,
    ) => {
      await withApp({ access: 'write', log: options }, async (app) => {
        const progress = await importProgress();
        let results: FileImportResult[];
        try {
          results = await app.importFiles({
            inputs,
            chartId: options.chart,
            chartDate: options.date,
            strict: options.strict,
            onFile: (file, size) => progress.file(file, size),
            onSkip: (path, why) => {
              progress.stop();
              complain(`chartkeeper: skipped ${path}: ${why}`);
            },
            progress: (_file, rows, bytes) => progress.rows(rows, bytes),
            onResult: (result) => {
              progress.stop();
              if (!options.json) report(result, app.storeLocation);
            },
          });
        } finally {
          progress.stop();
        }
        const failed = results.some((r) => r.error || r.rejected.length > 0);
        if (options.json) {
          const [only] = results;
          // One export alone: also the fields `import --json` printed before chart files came.
          const legacy =
            results.length === 1 && only?.records
              ? {
                  file: only.file,
                  ...only.records,
                  invalid: only.rejected.length,
                  problems: only.rejected
                    .slice(0, REJECTS_SHOWN)
                    .map((r) => ({ line: r.line, message: r.reason })),
                }
              : {};
          printJson({
            ok: !failed,
            store: app.storeLocation,
            ...legacy,
            files: results.map((r) => ({
              file: r.file,
              format: r.format,
              charts: r.charts,
              rows: r.rows,
              imported: r.imported,
              duplicates: r.duplicates,
              rejected: r.rejected,
              ...(r.heldBack !== undefined ? { heldBack: r.heldBack } : {}),
              ...(r.rejectedNotListed ? { rejectedNotListed: r.rejectedNotListed } : {}),
              ...(r.error ? { error: r.error } : {}),
            })),
          });
        } else if (results.length > 1) {
          const total = (pick: (r: FileImportResult) => number) =>
            results.reduce((sum, r) => sum + pick(r), 0).toLocaleString('en-US');
          say(
            `${results.length} files into the ${app.storeLocation}: ${total((r) => r.imported)} rows imported, ${total((r) => r.duplicates)} already there, ${total((r) => r.rejected.length + (r.rejectedNotListed ?? 0))} rejected.`,
          );
        } else if (results.length === 1 && !results[0]?.records) {
          say(
            results[0]?.imported
              ? `Stored in the ${app.storeLocation}.`
              : `Nothing new was stored in the ${app.storeLocation}.`,
          );
        }
        process.exitCode = failed ? EXIT.failed : EXIT.ok;
      });
    },
  );
}

function report(result: FileImportResult, store: string): void {
  if (result.error && result.rows === 0) {
    complain(`chartkeeper: ${result.file}: ${result.error}`);
    return;
  }
  if (result.records) {
    const { imported, unchanged } = result.records;
    say(
      `Imported ${describeCounts(imported)} into the ${store}; already there: ${describeCounts(unchanged)}${result.rejected.length ? `; ${result.rejected.length} invalid line(s) skipped` : ''}.`,
    );
    for (const bad of result.rejected.slice(0, REJECTS_SHOWN)) {
      complain(`chartkeeper: ${result.file} line ${bad.line} skipped: ${bad.reason}`);
    }
    return;
  }
  const n = (value: number) => value.toLocaleString('en-US');
  const held =
    result.heldBack !== undefined
      ? `; nothing imported (--strict): ${n(result.heldBack)} good rows held back`
      : '';
  say(
    `${result.file} (${result.format}): ${n(result.rows)} rows in ${n(result.charts)} chart(s): ${n(result.imported)} imported, ${n(result.duplicates)} already there, ${n(result.rejected.length + (result.rejectedNotListed ?? 0))} rejected${held}.`,
  );
  for (const bad of result.rejected.slice(0, REJECTS_SHOWN)) {
    complain(`chartkeeper: ${result.file} line ${bad.line}: ${bad.reason}`);
  }
  if (result.error) {
    complain(
      `chartkeeper: ${result.file}: reading stopped there: ${result.error} The rows before it are imported; once the file is fixed, importing it again adds only the rest.`,
    );
  }
  if (result.rejected.length > REJECTS_SHOWN) {
    complain(
      `chartkeeper: ${result.file}: ${n(result.rejected.length - REJECTS_SHOWN)} more rejected lines (--json lists them all).`,
    );
  }
}
