import type { Command } from 'commander';
import { runUntilStopped } from '../long-running.js';
import type { LogOptions } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper serve`: the scheduler; with no queue configured, it runs the captures too. */
export function define(command: Command): void {
  withLogOptions(command, 'info').action((options: LogOptions) =>
    runUntilStopped('serve', options, (app) => app.serve()),
  );
}
