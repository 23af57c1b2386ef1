import type { Run } from '../../domain/run.js';
import { renderTable } from './table.js';

/** How long a run took, as "1.2s", or "" when it has not finished. */
export function runDuration(run: Run): string {
  if (!run.startedAt || !run.finishedAt) return '';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** The run ledger as a table, newest first. */
export function renderRuns(runs: readonly Run[]): string {
  if (runs.length === 0) return 'No runs yet. Capture a chart with: chartkeeper run';
  return renderTable(runs, [
    { header: 'CREATED', value: (r) => r.createdAt.replace('T', ' ').slice(0, 19) },
    { header: 'RUN', value: (r) => r.id.slice(0, 8) },
    { header: 'CHART', value: (r) => r.chartId },
    { header: 'TRIGGER', value: (r) => r.trigger },
    { header: 'STATE', value: (r) => r.state },
    { header: 'DATE', value: (r) => r.chartDate ?? '' },
    {
      header: 'ENTRIES',
      value: (r) => (r.entryCount === null ? '' : String(r.entryCount)),
      align: 'right',
    },
    { header: 'TOOK', value: runDuration, align: 'right' },
    {
      header: 'ERROR',
      // A missed slot has no failed task: its message says why nothing ran.
      value: (r) =>
        r.error
          ? r.state === 'missed'
            ? r.error.message
            : `${failedTask(r)}: ${r.error.message}`
          : '',
      max: 70,
    },
  ]);
}

/** One line per run of a capture command: ✓ or ✗, the chart, and what happened. */
export function renderRunOutcome(run: Run): string {
  if (run.state === 'succeeded') {
    return `✓ ${run.chartId} ${run.chartDate}: ${run.entryCount} entries stored (run ${run.id.slice(0, 8)}, ${runDuration(run)})`;
  }
  const lines = [
    run.state === 'missed'
      ? `– ${run.chartId} ${run.chartDate}: missed: ${run.error?.message ?? 'no capture ran'}`
      : `✗ ${run.chartId}: ${failedTask(run)} failed: ${run.error?.message ?? 'unknown error'}`,
  ];
  if (run.error?.hint) lines.push(`  ${run.error.hint}`);
  return lines.join('\n');
}

function failedTask(run: Run): string {
  return run.tasks.find((t) => t.state === 'failed')?.name ?? 'run';
}
