import type { ChartKey } from '../../domain/chart.js';
import { chartDateOf } from '../../domain/chart-date.js';
import { toRunError } from '../../domain/errors.js';
import type { EventSink } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import type { QuotaExhaustedError } from '../../domain/quota.js';
import { newRun, type Run, type Trigger } from '../../domain/run.js';
import { deferRun } from '../../domain/run-transitions.js';

/** What is deferred: the run of a job (if it exists yet), else a new one under `runId`. */
export interface DeferTarget {
  run: Run | null;
  runId: string;
  key: ChartKey;
  trigger: Trigger;
  scheduledFor: string | null;
}

/**
 * Records a capture that is not attempted because Spotify's quota is exhausted: a run in state
 * `deferred` whose error is the quota's ("Spotify's quota is exhausted until …"). Nothing is sent
 * to Spotify; the ledger shows the slot was not forgotten.
 */
export async function deferCapture(
  deps: { ledger: RunLedger; timezone: string; events?: EventSink },
  target: DeferTarget,
  refusal: QuotaExhaustedError,
  now: Date,
): Promise<Run> {
  const run =
    target.run ??
    newRun({
      id: target.runId,
      key: target.key,
      trigger: target.trigger,
      createdAt: now.toISOString(),
      scheduledFor: target.scheduledFor,
    });
  deferRun(run, chartDateOf(now, deps.timezone), toRunError(refusal), now.toISOString());
  await deps.ledger.saveRun(run);
  deps.events?.emit('run-finished', { run });
  return run;
}
