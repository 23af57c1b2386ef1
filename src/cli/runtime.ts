import { openExecutor } from '../adapters/queue/open-executor.js';
import type { Config } from '../config/schema.js';
import type { ChartStore, Executor, JobHandler } from '../domain/ports.js';
import { TASK_NAMES } from '../domain/run.js';
import { CronSchedule } from '../lib/cron.js';
import { configSecrets, Redactor, redactUrlPassword } from '../lib/redact.js';
import { captureJobHandler } from '../services/capture-job.js';
import { retryDelayMs } from '../services/retry-policy.js';
import { type OpenedSource, openOutboxStore, openSpotifySource } from './stores.js';

/** What `serve` and `worker` run on: the store, the executor, and the capture job handler. */
export interface Runtime {
  store: ChartStore;
  executor: Executor;
  handler: JobHandler;
  schedule: CronSchedule;
  source: string;
  close(): Promise<void>;
}

/** Opens the configured store, executor and rate limit, and builds the job handler. */
export async function openRuntime(config: Config, say: (line: string) => void): Promise<Runtime> {
  // Behind the outbox, like `run`: a capture the store cannot take waits on disk, never lost.
  const store = await openOutboxStore(config);
  let opened: OpenedSource | null = null;
  try {
    // The client secret, the store's and queue's passwords, and every token the source obtains.
    const redactor = new Redactor(configSecrets(config));
    // Paced by the configured rate limit, like `run`.
    opened = await openSpotifySource(config, { redactor });
    const { source } = opened;
    const executor = await openExecutor(config.queue, {
      concurrency: config.queue.concurrency,
      // Each task may use its own attempts; a job's deliveries are bounded by all of them.
      maxAttempts: config.retries.attempts * TASK_NAMES.length,
      backoffMs: (attempt) => retryDelayMs(config.retries, attempt),
      warn: say,
    });
    const schedule = new CronSchedule(config.schedule, config.timezone);
    const handler = captureJobHandler({
      store,
      source,
      timezone: config.timezone,
      redactor,
      retry: config.retries,
      schedule,
      report: say,
    });
    return {
      store,
      executor,
      handler,
      schedule,
      source: source.source,
      close: async () => {
        await opened?.close();
        await store.close();
      },
    };
  } catch (error) {
    await opened?.close();
    await store.close();
    throw error;
  }
}

/** Where the queue lives, safe to print. */
export function describeQueue(config: Config): string {
  return config.queue.url
    ? `BullMQ on ${redactUrlPassword(config.queue.url)}, queue "${config.queue.name}"`
    : 'in this process';
}

/**
 * Resolves on the first SIGTERM or SIGINT; a second one ends the process at once (exit 130),
 * for when a bounded shutdown is still too long to wait.
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** A line on stdout with the time first, as a long-running process prints them. */
export function say(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

/**
 * Ends the process shortly after a bounded shutdown: a capture that did not finish in time may
 * still hold a socket or timer, and must not keep the process (or its store writes) alive.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), 200).unref();
}
