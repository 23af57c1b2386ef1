import type { Command } from 'commander';
import { printJson, say } from '../output.js';
import { withApp } from '../session.js';

/** `chartkeeper pause` and `chartkeeper resume`: scheduled captures off and on, for every serve. */
export function registerSchedule(program: Command): void {
  program
    .command('pause')
    .description(
      'pause scheduled captures (for every serve on this store) until `chartkeeper resume`; manual triggers still run',
    )
    .option('--json', 'print the state as JSON')
    .action((options: { json?: boolean }) => change('pause', options));
  program
    .command('resume')
    .description('resume scheduled captures after `chartkeeper pause`')
    .option('--json', 'print the state as JSON')
    .action((options: { json?: boolean }) => change('resume', options));
}

async function change(what: 'pause' | 'resume', options: { json?: boolean }): Promise<void> {
  const { renderScheduleState } = await import('../render/schedule.js');
  await withApp({ access: 'write' }, async (app) => {
    const state = what === 'pause' ? await app.pause() : await app.resume();
    if (options.json) printJson(state);
    else say(renderScheduleState(state));
  });
}
