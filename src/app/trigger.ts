import type { ChartKey } from '../domain/chart.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { Run } from '../domain/run.js';
import { queueRun, type WaitEnd, waitForRuns } from '../services/scheduling/manual-runs.js';
import { serveIsAlive } from '../services/scheduling/schedule-state.js';
import { notFetched } from './capture-now.js';
import { chartsToCapture } from './config.js';
import type { AppContext } from './context.js';

export interface TriggerRequest {
  /** The charts to capture; the configured ones when not given. */
  keys?: readonly ChartKey[];
  /** Wait this long for the runs to finish; without it, only queue them. */
  waitMs?: number;
  trigger?: 'manual' | 'api';
}

/** What asking `serve` to capture came to. */
export interface TriggerResult {
  /** The runs as queued. */
  queued: Run[];
  /** The runs as they stand at the end: finished, or still queued or running. */
  runs: Run[];
  /** Whether a `serve` was alive to pick them up when they were queued. */
  serving: boolean;
  /** With `wait`: how waiting ended. */
  end: WaitEnd | null;
}

/**
 * Queues a capture of each chart for the running `serve` (through the store, so it works from any
 * machine sharing it) and, with `waitMs`, waits for them. Waiting stops at once when no `serve` is
 * alive: a queued run would otherwise wait for nothing.
 */
export async function triggerCaptures(
  ctx: AppContext,
  request: TriggerRequest,
): Promise<TriggerResult> {
  const keys = chartsToCapture(ctx.config, request.keys);
  for (const key of keys) {
    if (!ctx.sources.isFetched(key.source)) throw notFetched(key);
  }
  const queued: Run[] = [];
  for (const key of keys) {
    const run = await queueRun(ctx.ledger, key, request.trigger ?? 'manual');
    queued.push(run);
    // A `serve` in this process (the API's) starts it now instead of at its next look.
    ctx.events.emit('run-queued', { run });
  }
  const serving = await serveIsAlive(ctx.coordination);
  if (request.waitMs === undefined) return { queued, runs: queued, serving, end: null };
  if (!serving) return { queued, runs: queued, serving, end: 'no-serve' };
  const { runs, end } = await waitForRuns(
    ctx,
    queued.map((run) => run.id),
    {
      timeoutMs: request.waitMs,
      // Runs of this process are seen the moment they end; others at the next look.
      wake: (signal) => ctx.events.on('run-finished', signal),
    },
  );
  return { queued, runs, serving, end };
}

/** How `chartkeeper trigger` reached the serve: its HTTP API, or the store it polls. */
export interface RemoteTriggerResult extends TriggerResult {
  via: 'api' | 'store';
}

/**
 * `chartkeeper trigger`: through the API of the running `serve` (the URL it recorded in the
 * store), which starts the captures at once; through the store when no serve answers there (it
 * then picks them up within a second), so it works from any machine sharing the store. A serve
 * that answers but refuses (a bad chart) is an error, not a reason to go round it; one that wants
 * a token this command does not have is gone round, since the store is open to this command.
 */
export async function triggerThroughServe(
  ctx: AppContext,
  request: Omit<TriggerRequest, 'trigger'>,
): Promise<RemoteTriggerResult> {
  const url = (await serveIsAlive(ctx.coordination))
    ? await ctx.coordination.getState('web.url')
    : null;
  if (url) {
    const { triggerThroughApi } = await import('../adapters/serve-api/serve-api-client.js');
    const outcome = await triggerThroughApi(url, {
      token: ctx.config.web.token,
      charts: request.keys?.map((key) => `${key.source}/${key.chartId}`),
      waitS: request.waitMs === undefined ? undefined : Math.ceil(request.waitMs / 1000),
    });
    if (outcome.kind === 'answered') {
      const { queued, runs, serving, end } = outcome.reply;
      return { queued, runs, serving, end, via: 'api' };
    }
    if (outcome.kind === 'refused' && outcome.status !== 401 && outcome.status !== 403) {
      throw new ChartkeeperError(outcome.status === 400 ? 'usage' : 'no-serve', outcome.message, {
        hint: outcome.hint,
        permanent: true,
      });
    }
    ctx.logger.warn(
      outcome.kind === 'refused'
        ? `the serve at ${url} refused the request (${outcome.message}); queued through the store instead`
        : `the serve recorded at ${url} did not answer (${outcome.reason}); queued through the store instead`,
    );
  }
  return { ...(await triggerCaptures(ctx, { ...request, trigger: 'manual' })), via: 'store' };
}
