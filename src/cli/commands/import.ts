import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { RecordCounts } from '../../services/transfer/export-records.js';
import { type ImportSummary, importRecords } from '../../services/transfer/import-records.js';
import { readConfig } from '../context.js';
import { CliError, EXIT, printJson } from '../output.js';
import { progressReporter } from '../progress.js';
import { withPlainStore } from '../stores.js';

/** `chartkeeper import FILE`: reads an export into the configured store; safe to repeat. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'read an export (from `chartkeeper export`) into the configured store; importing again adds nothing twice',
    )
    .argument('<file>', 'the NDJSON export, or - for stdin')
    .option('--json', 'print a summary as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const config = readConfig();
      const name = file === '-' ? 'stdin' : resolve(file);
      if (file !== '-') checkReadable(name);
      const lines = readLines(file === '-' ? process.stdin : createReadStream(name));
      let summary: ImportSummary | null = null;
      const progress = progressReporter(() => `imported ${describe(summary?.imported)}`);
      const { result, location } = await withPlainStore(config, async (store) => ({
        result: await importRecords(store, lines, {
          name,
          progress: (now) => {
            summary = now;
            progress.tick();
          },
        }),
        location: store.location,
      }));
      summary = result;
      progress.done();
      if (options.json) {
        printJson({ ok: true, file: name, store: location, ...result });
        return;
      }
      process.stdout.write(
        `Imported ${describe(result.imported)} into ${location}; already there: ${describe(result.unchanged)}.\n`,
      );
    });
}

function describe(counts: RecordCounts | undefined): string {
  const { captures = 0, charts = 0, runs = 0 } = counts ?? {};
  return `${captures} captures, ${charts} charts and ${runs} runs`;
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

function checkReadable(path: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // Reported below.
  }
  if (!isFile) {
    throw new CliError(`cannot read ${path}: no such file`, {
      exitCode: EXIT.usage,
      hint: 'Give the file written by: chartkeeper export --output FILE (or - to read stdin).',
    });
  }
}
