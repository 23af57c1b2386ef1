import { mkdirSync, statSync } from 'node:fs';
import { ConfigError } from '../config/load.js';
import type { AlertSink } from '../domain/ports/alert-sink.js';
import type { Executor } from '../domain/ports/executor.js';
import { CronSchedule } from '../lib/cron.js';
import { localTimeWithZone } from '../lib/local-time.js';
import { redactUrlPassword } from '../lib/redact.js';
import { newLeaseOwner } from '../services/capture/chart-lease.js';
import { captureJobHandler } from '../services/scheduling/capture-job.js';
import { pauseState } from '../services/scheduling/schedule-state.js';
import { Scheduler } from '../services/scheduling/scheduler.js';
import { checkSettingsFor } from './config.js';
import type { AppContext } from './context.js';
import { sweepInterrupted } from './sweep.js';

/** A running `serve` or `worker`, and how to stop it. */
export interface Running {
  /** One line saying what runs, for the start-up message. */
  readonly description: string;
  /** Stops taking work, waits up to `queue.shutdownMs` for captures under way, and closes. */
  stop(): Promise<void>;
}

/** The capture job handler every executor runs. */
function jobHandler(ctx: AppContext) {
  const { config } = ctx;
  return captureJobHandler({
    ...ctx,
    timezone: config.timezone,
    retry: config.retries,
    schedule: new CronSchedule(config.schedule, config.timezone),
    clock: () => new Date(),
  });
}

/**
 * `serve`: the scheduler, and with no queue configured the captures too. Scheduled captures
 * happen only while some `serve` runs.
 */
export async function startServing(ctx: AppContext): Promise<Running> {
  const { config } = ctx;
  const distributed = Boolean(config.queue.url);
  checkSettingsFor(config, 'serve');
  if (config.inbox.dir) prepareInbox(config.inbox.dir);
  await sweepInterrupted(ctx);
  const executor = await ctx.executor();
  if (!distributed) await executor.work(jobHandler(ctx));
  const { charts } = config;
  const schedule = new CronSchedule(config.schedule, config.timezone);
  const scheduler = new Scheduler({
    ...ctx,
    executor,
    charts,
    schedule,
    owner: newLeaseOwner(),
  });
  await scheduler.start();
  // Runs queued by this process (the API's trigger) start at once.
  const stopNudges = ctx.events.on('run-queued', ({ run }) => scheduler.submitQueued(run));
  const inbox = config.inbox.dir ? await openInbox(ctx) : null;
  const alertChecks = ctx.alerts ? await watchForAlerts(ctx) : null;
  const next = localTimeWithZone(scheduler.nextSlot()?.toISOString() ?? null, config.timezone);
  const paused = (await pauseState(ctx.coordination)).paused
    ? ' (paused: `chartkeeper resume` to run it)'
    : '';
  return {
    description: `serving: schedule "${schedule.expression}" in ${schedule.timezone}, next ${next || 'never'}${paused}; ${charts.length} chart(s); store ${ctx.store.kind} ${ctx.store.location}; captures run ${describeQueue(ctx, executor)}${distributed ? ' by `chartkeeper worker`' : ''}${inbox ? `; chart files dropped into ${inbox.dir} are imported` : ''}`,
    stop: async () => {
      if (alertChecks) clearInterval(alertChecks);
      stopNudges();
      await inbox?.stop();
      await scheduler.stop();
      await executor.close(config.queue.shutdownMs);
    },
  };
}

/** Makes the inbox folder, or stops with one clear line before anything starts. */
function prepareInbox(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('it is not a folder');
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? 'it is a file, not a folder'
        : (error as Error).message;
    throw new ConfigError(
      `inbox.dir (CHARTKEEPER_INBOX) ${dir} cannot be the inbox: ${why}`,
      'Point it at a folder chartkeeper may create and write to.',
    );
  }
}

async function openInbox(ctx: AppContext) {
  const [{ watchInbox }, { chartFiles }] = await Promise.all([
    import('./inbox.js'),
    import('../adapters/chart-files/chart-files.js'),
  ]);
  return watchInbox(ctx, chartFiles);
}

/**
 * Every `alerts.checkMs`: alerts on charts gone stale and on a user login about to expire.
 */
async function watchForAlerts(ctx: AppContext): Promise<NodeJS.Timeout> {
  const [{ alertOnStaleCharts }, { alertOnLoginExpiry }, { loginStatus }] = await Promise.all([
    import('../services/alerts/stale-charts.js'),
    import('../services/alerts/login-expiry.js'),
    import('./auth.js'),
  ]);
  const { config } = ctx;
  const sink = ctx.alerts as AlertSink;
  const stale = {
    ...ctx,
    sink,
    charts: config.charts,
    staleAfterMs: config.alerts.staleAfterMs,
    timezone: config.timezone,
    since: new Date(),
  };
  const login = { ...ctx, sink, login: () => loginStatus(config) };
  const check = async () => {
    await alertOnStaleCharts(stale);
    await alertOnLoginExpiry(login);
  };
  return setInterval(() => {
    check().catch((error: Error) =>
      ctx.logger.warn(`could not check for stale charts or an expiring login: ${error.message}`),
    );
  }, config.alerts.checkMs);
}

/** `worker`: runs captures taken from the queue until stopped. */
export async function startWorker(ctx: AppContext): Promise<Running> {
  const { config } = ctx;
  checkSettingsFor(config, 'worker');
  await sweepInterrupted(ctx);
  const executor = await ctx.executor();
  await executor.work(jobHandler(ctx));
  return {
    description: `worker ready: ${describeQueue(ctx, executor)}, ${config.queue.concurrency} at a time; store ${ctx.store.kind} ${ctx.store.location}`,
    stop: () => executor.close(config.queue.shutdownMs),
  };
}

/** Where the queue lives, safe to print. */
function describeQueue(ctx: AppContext, executor: Executor): string {
  const { url, name } = ctx.config.queue;
  return url ? `BullMQ on ${redactUrlPassword(url)}, queue "${name}"` : executor.location;
}
