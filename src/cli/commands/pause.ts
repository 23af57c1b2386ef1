import type { Command } from 'commander';
import { pauseSchedule } from '../../services/schedule-state.js';
import { readConfig, withStore } from '../context.js';
import { printJson } from '../output.js';
import { renderPauseState } from '../render/pause.js';

/** `chartkeeper pause`: stops scheduled captures, persistently, until `chartkeeper resume`. */
export function registerPause(program: Command): void {
  program
    .command('pause')
    .description(
      'pause scheduled captures (for every serve and worker on this store) until `chartkeeper resume`; manual triggers still run',
    )
    .option('--json', 'print the state as JSON')
    .action(async (options: { json?: boolean }) => {
      const state = await withStore(readConfig(), (store) => pauseSchedule(store));
      if (options.json) printJson(state);
      else process.stdout.write(`${renderPauseState(state)}\n`);
    });
}
