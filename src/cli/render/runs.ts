import { failedTask, type Run, shortId } from '../../domain/run.js';
import { localTime } from '../../lib/local-time.js';
import { renderTable } from './table.js';

/** How long a run took, as "1.2s", or "" when it has not finished. */
export function runDuration(run: Run): string {
  if (!run.startedAt || !run.finishedAt) return '';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** The run ledger as a table, newest first, times in `timeZone` (named in the heading). */
export async function renderRuns(
  runs: readonly Run[],
  timeZone: string,
  width?: number,
): Promise<string> {
  if (runs.length === 0) return 'No runs yet. Capture a chart with: chartkeeper run';
  return renderTable(
    runs,
    [
      { header: `CREATED (${timeZone})`, value: (r) => localTime(r.createdAt, timeZone) },
      { header: 'RUN', value: (r) => shortId(r.id) },
      { header: 'CHART', value: (r) => r.chartId, shrinks: true },
      { header: 'TRIGGER', value: (r) => r.trigger, dropOrder: 1 },
      { header: 'STATE', value: (r) => r.state },
      { header: 'DATE', value: (r) => r.chartDate ?? '', dropOrder: 2 },
      {
        header: 'ENTRIES',
        value: (r) => (r.entryCount === null ? '' : String(r.entryCount)),
        align: 'right',
        dropOrder: 4,
      },
      { header: 'TOOK', value: runDuration, align: 'right', dropOrder: 3 },
      { header: 'ERROR', value: describeError, max: 70, shrinks: true },
    ],
    width,
  );
}

/** Why a run failed or waits, in one line: the failed task and its message. */
function describeError(run: Run): string {
  if (!run.error) return '';
  // A missed or deferred run has no failed task: its message says why nothing ran.
  if (run.state === 'missed' || run.state === 'deferred') return run.error.message;
  return `${failedTask(run)?.name ?? 'run'}: ${run.error.message}`;
}

/** One line per run of a capture command: ✓ or ✗, the chart, and what happened. */
export function renderRunOutcome(run: Run): string {
  switch (run.state) {
    case 'succeeded':
      return `✓ ${run.chartId} ${run.chartDate}: ${run.entryCount} entries stored (run ${shortId(run.id)}, ${runDuration(run)})`;
    case 'missed':
      return withHint(
        run,
        `– ${run.chartId} ${run.chartDate}: missed: ${run.error?.message ?? 'no capture ran'}`,
      );
    case 'deferred':
      return withHint(
        run,
        `– ${run.chartId} ${run.chartDate}: deferred, Spotify was not called: ${run.error?.message ?? 'no reason was recorded'}`,
      );
    case 'failed':
      return withHint(
        run,
        `✗ ${run.chartId}: ${failedTask(run)?.name ?? 'run'} failed: ${run.error?.message ?? 'no reason was recorded'}`,
      );
    case 'queued':
      return `… ${run.chartId}: still queued (run ${shortId(run.id)}): waiting for a \`chartkeeper serve\` to run it${run.error ? `; its last attempt failed: ${run.error.message}` : ''}`;
    case 'running':
      return `… ${run.chartId}: still running (run ${shortId(run.id)})`;
  }
}

function withHint(run: Run, line: string): string {
  return run.error?.hint ? `${line}\n  ${run.error.hint}` : line;
}
