import type { ChartKey } from '../../domain/chart.js';
import type { AlertSink } from '../../domain/ports/alert-sink.js';
import type { Coordination } from '../../domain/ports/coordination.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import { keyLabel } from '../../domain/sources.js';
import { localTimeWithZone } from '../../lib/local-time.js';

export interface StaleChartDeps {
  ledger: Pick<RunLedger, 'listRuns'>;
  coordination: Coordination;
  sink: AlertSink;
  charts: readonly ChartKey[];
  staleAfterMs: number;
  timezone: string;
  /** Since when this `serve` runs: a chart never captured is stale that long after it. */
  since: Date;
}

/**
 * Alerts once for each configured chart whose last successful capture is older than
 * `staleAfterMs`; once more only after it was captured again and went stale again. What was
 * alerted is kept in the store, so a restart does not repeat it.
 */
export async function alertOnStaleCharts(deps: StaleChartDeps, now = new Date()): Promise<void> {
  for (const key of deps.charts) {
    const [last] = await deps.ledger.listRuns({ limit: 1, key, states: ['succeeded'] });
    const lastAt = last?.finishedAt ?? null;
    const reference = lastAt ? new Date(lastAt) : deps.since;
    if (now.getTime() - reference.getTime() <= deps.staleAfterMs) continue;
    const marker = lastAt ?? 'never';
    if ((await deps.coordination.getState('alerts.stale', keyLabel(key))) === marker) continue;
    const hours = Math.round((now.getTime() - reference.getTime()) / 360_000) / 10;
    deps.sink.send({
      kind: 'chart-stale',
      text: lastAt
        ? `chartkeeper: ${keyLabel(key)} has not been captured since ${localTimeWithZone(lastAt, deps.timezone)} (${hours} h). Look at: chartkeeper runs`
        : `chartkeeper: ${keyLabel(key)} has never been captured, ${hours} h after serve started. Look at: chartkeeper runs`,
      at: now.toISOString(),
      chart: key,
      details: { lastCapture: lastAt, staleAfterMs: deps.staleAfterMs },
    });
    await deps.coordination.setState('alerts.stale', marker, keyLabel(key));
  }
}
