import type { Command } from 'commander';
import { printJson, say } from '../output.js';
import { renderScheduleState } from '../render/schedule.js';
import { withApp } from '../session.js';

/** `chartkeeper resume`: scheduled captures on again after `chartkeeper pause`. */
export function define(command: Command): void {
  command
    .option('--json', 'print the state as JSON')
    .action(async (options: { json?: boolean }) => {
      await withApp({ access: 'write', mustExist: true }, async (app) => {
        const state = await app.resume();
        if (options.json) printJson(state);
        else say(renderScheduleState(state));
      });
    });
}
