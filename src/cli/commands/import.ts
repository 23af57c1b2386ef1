import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { ImportSummary } from '../../app/transfer.js';
import { CliError, complain, EXIT, printJson, say } from '../output.js';
import { progressReporter } from '../progress.js';
import { describeCounts } from '../render/counts.js';
import { type LogOptions, withApp } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper import FILE`: reads an export into the configured store; safe to repeat. */
export function define(command: Command): void {
  withLogOptions(
    command
      .argument('<file>', 'the NDJSON export, or - for stdin')
      .option('--strict', 'stop at the first invalid record instead of skipping it')
      .option('--json', 'print a summary as JSON'),
    'warn',
  ).action(async (file: string, options: { strict?: boolean; json?: boolean } & LogOptions) => {
    const name = file === '-' ? 'stdin' : resolve(file);
    if (file !== '-') checkReadable(name);
    let summary: ImportSummary | null = null;
    const progress = progressReporter(() => `imported ${describeCounts(summary?.imported)}`);
    await withApp({ access: 'write', log: options }, async (app) => {
      const lines = readLines(file === '-' ? process.stdin : createReadStream(name));
      summary = await app.importFrom(lines, {
        name,
        strict: options.strict,
        progress: (now) => {
          summary = now;
          progress.tick();
        },
        onInvalid: (problem) => {
          if (!options.json)
            complain(`chartkeeper: ${name} line ${problem.line} skipped: ${problem.message}`);
        },
      });
      progress.done();
      const result: ImportSummary = summary;
      if (options.json) {
        printJson({ ok: result.invalid === 0, file: name, store: app.storeLocation, ...result });
      } else {
        say(
          `Imported ${describeCounts(result.imported)} into the ${app.storeLocation}; already there: ${describeCounts(result.unchanged)}${result.invalid ? `; ${result.invalid} invalid line(s) skipped` : ''}.`,
        );
      }
      process.exitCode = result.invalid === 0 ? EXIT.ok : EXIT.failed;
    });
  });
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
  let problem: string | null = 'no such file';
  try {
    const stat = statSync(path);
    problem = stat.isFile() ? null : stat.isDirectory() ? 'it is a directory' : 'not a file';
  } catch {
    // No such file.
  }
  if (problem) {
    throw new CliError(`cannot read ${path}: ${problem}`, {
      exitCode: EXIT.usage,
      hint: 'Give the file written by: chartkeeper export --output FILE (or - to read stdin).',
    });
  }
}
