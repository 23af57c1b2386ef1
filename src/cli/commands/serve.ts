import type { Command } from 'commander';
import { newLeaseOwner } from '../../services/chart-lease.js';
import { pauseState } from '../../services/schedule-state.js';
import { Scheduler } from '../../services/scheduler.js';
import { readConfig, requireSpotifyCredentials } from '../context.js';
import { describeQueue, exitSoon, openRuntime, say, untilStopSignal } from '../runtime.js';

/** `chartkeeper serve`: the scheduler; with no queue configured, it runs the captures too. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'capture the configured charts on the schedule until stopped (SIGTERM or Ctrl+C); with CHARTKEEPER_QUEUE set, captures are handed to `chartkeeper worker` processes',
    )
    .action(async () => {
      const config = readConfig();
      const distributed = Boolean(config.queue.url);
      if (!distributed) requireSpotifyCredentials(config);
      const runtime = await openRuntime(config, say);
      const { store, executor, schedule } = runtime;
      const scheduler = new Scheduler({
        store,
        executor,
        source: runtime.source,
        chartIds: config.charts.map((c) => c.playlist),
        schedule,
        owner: newLeaseOwner(),
        report: say,
      });
      try {
        if (!distributed) await executor.work(runtime.handler);
        await scheduler.start();
        const next = scheduler.nextSlot()?.toISOString() ?? 'never';
        const paused = (await pauseState(store)).paused
          ? ' (paused: `chartkeeper resume` to run it)'
          : '';
        say(
          `serving: schedule "${schedule.expression}" in ${schedule.timezone}, next ${next}${paused}; ${config.charts.length} chart(s); store ${store.kind} ${store.location}; captures run ${describeQueue(config)}${distributed ? ' by `chartkeeper worker`' : ''}`,
        );
        const signal = await untilStopSignal();
        say(
          `${signal}: stopping; waiting up to ${config.queue.shutdownMs} ms for running captures`,
        );
      } finally {
        await scheduler.stop();
        await executor.close(config.queue.shutdownMs);
        await runtime.close();
      }
      say('stopped');
      exitSoon();
    });
}
