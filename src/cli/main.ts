import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerChart } from './commands/chart.js';
import { registerDemo } from './commands/demo.js';
import { registerEmulator } from './commands/emulator.js';
import { registerExport } from './commands/export.js';
import { registerFlush } from './commands/flush.js';
import { registerImport } from './commands/import.js';
import { registerImportSeed } from './commands/import-seed.js';
import { registerLogs } from './commands/logs.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerSchedule } from './commands/schedule.js';
import { registerServe, registerWorker } from './commands/serve.js';
import { registerTrigger } from './commands/trigger.js';
import { EXIT, reportError } from './output.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

/**
 * The chartkeeper command line, every verb registered. Each verb's file defines its options and
 * loads what it needs (the application core, renderers, drivers) only when it runs, so that
 * `--help` and a quick `chart` start fast.
 */
export function buildProgram(): Command {
  const program = new Command('chartkeeper')
    .description('Keeps a daily record of what the world listens to on Spotify.')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of [
    registerRun,
    registerChart,
    registerRuns,
    registerServe,
    registerWorker,
    registerTrigger,
    registerSchedule,
    registerLogs,
    registerDemo,
    registerEmulator,
    registerFlush,
    registerExport,
    registerImport,
    registerImportSeed,
  ]) {
    register(program);
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

// A reader that stops early (`chartkeeper runs | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(error);
  }
}
