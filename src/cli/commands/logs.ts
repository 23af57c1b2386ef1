import { type Command, InvalidArgumentError } from 'commander';
import type { ChartStore } from '../../domain/ports.js';
import { type Run, TASK_NAMES } from '../../domain/run.js';
import { readConfig, withReadOnlyStore } from '../context.js';
import { CliError, EXIT, printJson } from '../output.js';
import { renderRunLogs } from '../render/logs.js';

/** Runs searched for an id prefix (as `chartkeeper runs` shows ids cut to 8 characters). */
const PREFIX_SEARCH = 5_000;

/** `chartkeeper logs`: a run's task logs, to read why it failed. */
export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("show a run's task logs (default: the latest run)")
    .argument('[run]', 'run id, or its first characters as `chartkeeper runs` shows them')
    .option('-t, --task <name>', `only this task (${TASK_NAMES.join(', ')})`, parseTask)
    .option('--json', 'print the run, with every task and its log, as JSON')
    .action(async (id: string | undefined, options: { task?: string; json?: boolean }) => {
      const run = await withReadOnlyStore(readConfig(), (store) => findRun(store, id));
      if (options.json) printJson({ run });
      else process.stdout.write(`${renderRunLogs(run, options.task)}\n`);
    });
}

async function findRun(store: ChartStore, id: string | undefined): Promise<Run> {
  if (id === undefined) {
    const [latest] = await store.listRuns({ limit: 1 });
    if (!latest)
      throw new CliError('No runs yet.', {
        hint: 'Capture a chart with: chartkeeper run',
        exitCode: EXIT.failed,
        code: 'not-found',
      });
    return latest;
  }
  const exact = await store.getRun(id);
  if (exact) return exact;
  const matches = (await store.listRuns({ limit: PREFIX_SEARCH })).filter((r) =>
    r.id.startsWith(id),
  );
  if (matches.length === 1) return matches[0] as Run;
  throw new CliError(
    matches.length === 0 ? `No run ${id}.` : `${matches.length} runs start with ${id}.`,
    {
      hint: 'List runs with: chartkeeper runs (the RUN column holds the first characters of each id)',
      exitCode: EXIT.failed,
      code: 'not-found',
    },
  );
}

function parseTask(value: string): string {
  if (!(TASK_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${TASK_NAMES.join(', ')}.`);
  }
  return value;
}
