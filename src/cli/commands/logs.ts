import type { Command } from 'commander';
import { TASK_NAMES } from '../../domain/run.js';
import { oneOf } from '../options.js';
import { printJson, say } from '../output.js';
import { renderRunLogs } from '../render/logs.js';
import { withApp } from '../session.js';

/** `chartkeeper logs`: a run's task logs, to read why it failed. */
export function define(command: Command): void {
  command
    .argument('[run]', 'run id, or its first characters as `chartkeeper runs` shows them')
    .option('-t, --task <name>', `only this task (${TASK_NAMES.join(', ')})`, oneOf(TASK_NAMES))
    .option('--json', 'print the run, with every task and its log, as JSON')
    .action(async (id: string | undefined, options: { task?: string; json?: boolean }) => {
      await withApp({ access: 'read' }, async (app) => {
        const run = await app.findRun(id);
        if (options.json) printJson({ run });
        else say(renderRunLogs(run, app.config.timezone, options.task));
      });
    });
}
