import { randomUUID } from 'node:crypto';
import type { Capture } from '../../domain/capture.js';
import type { ChartKey, NormalisedChart } from '../../domain/chart.js';
import { chartDateOf } from '../../domain/chart-date.js';
import { type ChartVerdict, judgeChart } from '../../domain/chart-quality.js';
import { ChartkeeperError } from '../../domain/errors.js';
import type { CaptureLog } from '../../domain/ports/capture-log.js';
import type { ChartArchive } from '../../domain/ports/chart-archive.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { EventSink, Logger } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import type { ChartFetcher, ChartNormaliser } from '../../domain/ports/sources.js';
import { QuotaExhaustedError } from '../../domain/quota.js';
import { newRun, type Run, type TaskName, type Trigger } from '../../domain/run.js';
import { NO_EVENTS } from '../../lib/event-bus.js';
import { Redactor } from '../../lib/redact.js';
import { silentLogger } from '../../lib/silent-logger.js';
import { quotaAnswered, recordQuota } from '../quota/quota-state.js';
import { buildChart } from './chart-builder.js';
import { contentHash } from './content-hash.js';
import { type RetryPolicy, retryDelayMs } from './retry-policy.js';
import { RunRecorder, TaskFailure } from './run-recorder.js';

/** The roles a capture uses, and where its log lines and events go. */
export interface CaptureDependencies {
  captures: CaptureLog;
  charts: ChartArchive;
  ledger: RunLedger;
  /** Where an exhausted quota is kept, so that no process calls Spotify before it resumes. */
  coordination: Coordination;
  /** The chart's source: fetched over the network, read by its normaliser. */
  fetcher: ChartFetcher;
  normaliser: ChartNormaliser;
  /** The zone that decides a capture's chart date. */
  timezone: string;
  /** Secret values to mask in task logs and errors. */
  redactor?: Redactor;
  clock?: () => Date;
  logger?: Logger;
  events?: EventSink;
}

export interface CaptureRequest {
  key: ChartKey;
  trigger: Trigger;
  scheduledFor?: string | null;
  /**
   * The run to record into. A new run is created under this id when none exists; a queued one
   * (waiting for its next attempt) is continued: tasks that succeeded are not run again.
   */
  runId?: string;
  /**
   * A queued run this process holds already (its own earlier attempt), continued without reading
   * it back from the ledger, which may be out of reach.
   */
  run?: Run;
  /** Told of the run as soon as it is created or continued (to mark it if the process is stopped). */
  onRun?: (run: Run) => void;
  /** Stops the capture at its next step, saving nothing more (see CaptureStopped). */
  signal?: AbortSignal;
}

/** One attempt's outcome: the run, and when to try again if a task failed in a way time may cure. */
export interface CaptureAttempt {
  run: Run;
  /** Milliseconds until the next attempt (the run is then `queued`), or null when it is over. */
  retryInMs: number | null;
}

/**
 * Captures one chart now: authenticate → fetch → persist capture → normalise → store chart,
 * each task recorded in the run ledger. The raw capture is stored before it is read, so a later
 * failure never loses what was fetched; the chart is written in one atomic step, so a failed run
 * leaves no partial chart. Never throws for a failed capture: the returned run says what happened.
 */
export async function captureChart(
  deps: CaptureDependencies,
  request: CaptureRequest,
): Promise<Run> {
  return (await captureChartAttempt(deps, request, null)).run;
}

/**
 * One attempt at a capture, as captureChart, continuing a queued run where its last attempt
 * stopped. With a retry policy, a task failure that is not permanent, on a task that has not used
 * its attempts, leaves the run `queued` and says when to try again (the task's log says so too).
 */
export async function captureChartAttempt(
  deps: CaptureDependencies,
  request: CaptureRequest,
  retry: { policy: RetryPolicy; random?: () => number } | null,
): Promise<CaptureAttempt> {
  const clock = deps.clock ?? (() => new Date());
  const { captures, charts, ledger, fetcher, normaliser } = deps;
  const { key } = request;
  const existing = request.run ?? (request.runId ? await ledger.getRun(request.runId) : null);
  if (existing && existing.state !== 'queued') {
    throw new Error(`run ${existing.id} is ${existing.state}; only a queued run can be continued`);
  }
  const run =
    existing ??
    newRun({
      id: request.runId ?? randomUUID(),
      key,
      trigger: request.trigger,
      createdAt: clock().toISOString(),
      scheduledFor: request.scheduledFor ?? null,
    });
  request.onRun?.(run);
  const recorder = new RunRecorder(run, ledger, {
    redactor: deps.redactor ?? new Redactor(),
    clock,
    logger: deps.logger ?? silentLogger,
    events: deps.events ?? NO_EVENTS,
    signal: request.signal,
  });
  // A capture kept by an earlier attempt is used again: what was fetched is never fetched twice.
  const kept = run.captureId ? await captures.getCapture(run.captureId) : null;
  // A continued run keeps the date its first attempt took: its kept capture may be an older one,
  // reused because the chart had not changed, and its own date would file the chart a day early.
  const chartDate = existing?.chartDate ?? kept?.chartDate ?? chartDateOf(clock(), deps.timezone);
  const done = (name: TaskName) => {
    const state = run.tasks.find((t) => t.name === name)?.state;
    return state === 'succeeded' || state === 'skipped';
  };
  await recorder.start(chartDate);
  try {
    let capture: Capture;
    if (kept) {
      capture = kept;
    } else {
      // A token is fetched on demand by later calls, so a succeeded authenticate is not repeated.
      if (!done('authenticate')) {
        await recorder.task('authenticate', (log) => fetcher.authenticate(log, key.chartId));
      }
      // A store that cannot be read must not stop the fetch: the capture then waits in the
      // outbox, and every page is fetched as there is nothing to compare with. Only the latest
      // capture's version is read here; its payload only if it is reused.
      const head = await captures.latestCaptureHead(key).catch(() => null);
      const fetched = await recorder.task('fetch', async (log) => {
        const result = await fetcher.fetch(key.chartId, {
          latestVersion: head?.version ?? null,
          log,
        });
        if (result.kind !== 'unchanged') return result;
        const unchanged = head ? await captures.getCapture(head.id).catch(() => null) : null;
        if (unchanged) return { ...result, capture: unchanged };
        log('warn', 'the unchanged capture could not be read back; fetching every page');
        const again = await fetcher.fetch(key.chartId, { latestVersion: null, log });
        if (again.kind === 'unchanged') throw new Error('the source sent no payload to store');
        return again;
      });

      // Spotify answered: a quota kept as exhausted is over. Never a reason to fail the capture.
      await quotaAnswered(deps.coordination).catch(() => {});
      if (fetched.kind === 'unchanged') {
        capture = fetched.capture;
        recorder.skip('persist-capture', `unchanged since capture ${capture.id}; reusing it`);
      } else {
        const { payload } = fetched;
        capture = await recorder.task('persist-capture', async (log) => {
          const saved = await captures.saveCapture({
            id: randomUUID(),
            ...key,
            runId: run.id,
            capturedAt: clock().toISOString(),
            chartDate,
            contentHash: contentHash(payload),
            version: fetched.version,
            payload,
          });
          log(
            'info',
            saved.created
              ? `stored capture ${saved.capture.id}`
              : `identical to capture ${saved.capture.id}; not stored twice`,
          );
          return saved.capture;
        });
      }
      run.captureId = capture.id;
    }

    // Normalising is pure: after a later task failed, it is simply done again, unrecorded.
    const normalised = done('normalise')
      ? normaliser.normalise(capture.payload)
      : await recorder.task('normalise', async (log) => {
          const chart = normaliser.normalise(capture.payload);
          log('info', describeNormalised(chart));
          if (chart.entries.length === 0) throw unusable(judgeChart(chart, null));
          return chart;
        });

    const chart = await recorder.task('store-chart', async (log) => {
      const verdict = judgeChart(normalised, await charts.getChart(key, chartDate));
      if (verdict.kind === 'refuse') throw unusable(verdict);
      if (verdict.warning) log('warn', verdict.warning);
      const snapshot = await buildChart(charts, key, chartDate, capture, run.id, normalised);
      await charts.saveChart(snapshot);
      log(
        'info',
        `stored chart ${key.chartId} for ${chartDate} with ${snapshot.entries.length} entries`,
      );
      return snapshot;
    });
    run.entryCount = chart.entries.length;
    return { run: await recorder.finish(null), retryInMs: null };
  } catch (error) {
    if (!(error instanceof TaskFailure)) throw error;
    if (error.cause instanceof QuotaExhaustedError) {
      // Kept before the run ends, so the next job to look finds it; a store that cannot take it
      // must not change how this run ends (its error says until when anyway).
      await recordQuota(deps.coordination, error.cause.exhaustion).catch((why: unknown) =>
        (deps.logger ?? silentLogger).warn(
          `could not keep the quota exhaustion in the store: ${(why as Error).message}`,
        ),
      );
    }
    const attempts = run.tasks.find((t) => t.name === error.task)?.attempts ?? 1;
    if (retry && !error.error.permanent && attempts < retry.policy.attempts) {
      const retryInMs = retryDelayMs(retry.policy, attempts, retry.random);
      await recorder.requeue(
        error.task,
        error.error,
        `attempt ${attempts} of ${retry.policy.attempts} failed; trying again in ${formatWait(retryInMs)}`,
      );
      return { run, retryInMs };
    }
    return { run: await recorder.finish(error.error), retryInMs: null };
  }
}

/** The error of a capture whose chart may not be stored; its raw capture stays kept. */
function unusable(verdict: ChartVerdict): ChartkeeperError {
  if (verdict.kind === 'store') throw new Error('a chart fit to store was refused');
  if (verdict.cause === 'empty') {
    return new ChartkeeperError('empty-chart', `Nothing to store: ${verdict.message}.`, {
      hint: 'Check that the playlist still holds tracks (open it in Spotify); the raw capture is kept.',
      permanent: true,
    });
  }
  return new ChartkeeperError('spotify-malformed', `Not stored: ${verdict.message}.`, {
    hint: 'Spotify sent items in a shape chartkeeper cannot read. The raw capture is kept, so the chart can be rebuilt; check for a newer chartkeeper version.',
    permanent: true,
  });
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function describeNormalised(chart: NormalisedChart): string {
  const skipped = chart.skipped.length
    ? `; skipped ${chart.skipped.map((s) => `#${s.position} (${s.reason})`).join(', ')}`
    : '';
  return `"${chart.title}": ${chart.entries.length} entries${skipped}`;
}
