import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { shortId } from '../../domain/run.js';
import { collectPlaylist } from '../options.js';
import { complain, EXIT, printJson, say } from '../output.js';
import { onStopSignal } from '../process.js';
import { renderRunOutcome } from '../render/runs.js';
import { type LogOptions, openFor } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper run`: captures the configured charts (or --playlist ones) now, once. */
export function define(command: Command): void {
  withLogOptions(
    command
      .option(
        '-p, --playlist <id>',
        'capture this playlist (id, spotify: URI or link) instead of the configured charts; repeatable',
        collectPlaylist,
      )
      .option('--no-retry', 'fail at the first error instead of retrying transient failures')
      .option(
        '--force',
        'call Spotify even though its quota is known to be exhausted (otherwise `run` refuses until it resumes)',
      )
      .option('--json', 'print the runs as JSON'),
    'error',
  ).action(
    async (
      options: {
        playlist?: ChartKey[];
        retry: boolean;
        force?: boolean;
        json?: boolean;
      } & LogOptions,
    ) => {
      // The outcome lines say how each capture went; task logs only with --log-level info.
      const app = await openFor({
        access: 'write',
        role: 'run',
        log: options,
        defaultLevel: 'error',
      });
      // Ctrl+C or SIGTERM: the runs under way are marked interrupted before the process ends.
      let stopping = false;
      const stopListening = onStopSignal((signal) => {
        stopping = true;
        void app
          .interrupt(`stopped by ${signal} before it finished`)
          .then((runs) => {
            for (const run of runs) complain(renderRunOutcome(run));
          })
          .finally(() => process.exit(EXIT.interrupted));
      });
      try {
        const runs = await app.captureNow({
          keys: options.playlist,
          retry: options.retry,
          force: options.force,
          onRetryWait: (wait) => {
            const seconds = (wait.waitMs / 1000).toFixed(1);
            complain(
              `${wait.run.chartId}: ${wait.task} failed (attempt ${wait.attempt} of ${wait.attempts}): ${(wait.run.error?.message ?? 'unknown error').replace(/\.$/, '')}; trying again in ${seconds} s (run ${shortId(wait.run.id)}; --no-retry fails at once)`,
            );
          },
          onRunEnd: (run) => {
            if (options.json) return;
            if (run.state === 'succeeded') say(renderRunOutcome(run));
            else complain(renderRunOutcome(run));
          },
        });
        const ok = runs.every((run) => run.state === 'succeeded');
        if (options.json) printJson({ ok, store: app.storeLocation, runs });
        else if (runs.some((run) => run.state === 'succeeded')) {
          say(`Stored in the ${app.storeLocation}.`);
        }
        process.exitCode = ok ? EXIT.ok : EXIT.failed;
      } catch (error) {
        // A stopped capture ends with CaptureStopped; the stop handler reports and exits.
        if (!stopping) throw error;
      } finally {
        // Stopping: the store stays open for the interrupted marks, and the handler ends the process.
        if (stopping) await new Promise(() => {});
        stopListening();
        await app.close();
      }
    },
  );
}
