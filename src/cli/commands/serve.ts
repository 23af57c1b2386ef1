import type { Command } from 'commander';
import type { App } from '../../app/app.js';
import { EXIT } from '../output.js';
import { exitSoon, untilStopSignal } from '../process.js';
import { type LogOptions, openFor } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper serve`: the scheduler; with no queue configured, it runs the captures too. */
export function registerServe(program: Command): void {
  withLogOptions(
    program
      .command('serve')
      .description(
        'capture the configured charts on the schedule until stopped (SIGTERM or Ctrl+C); with CHARTKEEPER_QUEUE set, captures are handed to `chartkeeper worker` processes',
      ),
    'info',
  ).action((options: LogOptions) => runUntilStopped(options, (app) => app.serve()));
}

/** `chartkeeper worker`: takes capture jobs from the BullMQ queue until stopped. */
export function registerWorker(program: Command): void {
  withLogOptions(
    program
      .command('worker')
      .description(
        'run captures taken from the queue in CHARTKEEPER_QUEUE (redis://…) until stopped (SIGTERM or Ctrl+C); run as many as you like, on any machines',
      ),
    'info',
  ).action((options: LogOptions) => runUntilStopped(options, (app) => app.worker()));
}

/** Starts a long-running part of the app, and stops it gracefully on SIGTERM or SIGINT. */
async function runUntilStopped(
  options: LogOptions,
  start: (app: App) => Promise<{ description: string; stop(): Promise<void> }>,
): Promise<void> {
  const app = await openFor({
    access: 'write',
    log: options,
    target: 'split',
    defaultLevel: 'info',
  });
  const { logger } = app;
  try {
    const running = await start(app);
    logger.info(running.description);
    const signal = await untilStopSignal();
    logger.info(
      `${signal}: stopping; waiting up to ${app.config.queue.shutdownMs} ms for running captures`,
    );
    await running.stop();
  } finally {
    await app.close();
  }
  logger.info('stopped');
  process.exitCode = EXIT.ok;
  exitSoon();
}
