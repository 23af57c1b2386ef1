import type { Command } from 'commander';
import { runUntilStopped } from '../long-running.js';
import type { LogOptions } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper worker`: takes capture jobs from the BullMQ queue until stopped. */
export function define(command: Command): void {
  withLogOptions(command, 'info').action((options: LogOptions) =>
    runUntilStopped('worker', options, (app) => app.worker()),
  );
}
