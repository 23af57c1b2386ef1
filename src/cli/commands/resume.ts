import type { Command } from 'commander';
import { resumeSchedule } from '../../services/schedule-state.js';
import { readConfig, withStore } from '../context.js';
import { printJson } from '../output.js';
import { renderPauseState } from '../render/pause.js';

/** `chartkeeper resume`: lets scheduled captures run again after `chartkeeper pause`. */
export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('resume scheduled captures after `chartkeeper pause`')
    .option('--json', 'print the state as JSON')
    .action(async (options: { json?: boolean }) => {
      const state = await withStore(readConfig(), (store) => resumeSchedule(store));
      if (options.json) printJson(state);
      else process.stdout.write(`${renderPauseState(state)}\n`);
    });
}
