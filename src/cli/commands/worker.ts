import type { Command } from 'commander';
import { ConfigError } from '../../config/load.js';
import { readConfig, requireSpotifyCredentials } from '../context.js';
import { describeQueue, exitSoon, openRuntime, say, untilStopSignal } from '../runtime.js';

/** `chartkeeper worker`: takes capture jobs from the BullMQ queue until stopped. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run captures taken from the queue in CHARTKEEPER_QUEUE (redis://…) until stopped (SIGTERM or Ctrl+C); run as many as you like, on any machines',
    )
    .action(async () => {
      const config = readConfig();
      if (!config.queue.url) {
        throw new ConfigError(
          '`chartkeeper worker` takes captures from a queue, but CHARTKEEPER_QUEUE (queue.url) is not set',
          'Set CHARTKEEPER_QUEUE=redis://host:6379 for the workers and for `chartkeeper serve`; without a queue, `chartkeeper serve` runs the captures itself.',
        );
      }
      requireSpotifyCredentials(config);
      const runtime = await openRuntime(config, say);
      try {
        await runtime.executor.work(runtime.handler);
        say(
          `worker ready: ${describeQueue(config)}, ${config.queue.concurrency} at a time; store ${runtime.store.kind} ${runtime.store.location}`,
        );
        const signal = await untilStopSignal();
        say(
          `${signal}: stopping; waiting up to ${config.queue.shutdownMs} ms for running captures, then handing them back to the queue`,
        );
      } finally {
        await runtime.executor.close(config.queue.shutdownMs);
        await runtime.close();
      }
      say('stopped');
      exitSoon();
    });
}
