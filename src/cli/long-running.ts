import type { App } from '../app/app.js';
import type { Running } from '../app/serve.js';
import { EXIT } from './output.js';
import { exitSoon, untilStopSignal } from './process.js';
import { type LogOptions, openFor } from './session.js';

/**
 * Runs a long-running part of the app (`serve`, `worker`) until SIGTERM or SIGINT, then stops it
 * gracefully (captures under way get `queue.shutdownMs` to finish). Logs go to stdout, warnings
 * and errors to stderr.
 */
export async function runUntilStopped(
  role: 'serve' | 'worker',
  options: LogOptions,
  start: (app: App) => Promise<Running>,
  settings?: Record<string, string | undefined>,
): Promise<void> {
  // Listened for from the start: a signal that comes while starting stops it once it has started.
  const stopSignal = untilStopSignal();
  const app = await openFor({
    access: 'write',
    role,
    log: options,
    target: 'split',
    defaultLevel: 'info',
    settings,
  });
  const { logger } = app;
  try {
    const running = await start(app);
    logger.info(running.description);
    const signal = await stopSignal;
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
