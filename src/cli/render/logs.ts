import type { Run } from '../../domain/run.js';
import { localTime } from '../../lib/local-time.js';
import { runDuration } from './runs.js';

/** A run's task logs, task by task, as Airflow shows a task instance's log; times in `timeZone`. */
export function renderRunLogs(run: Run, timeZone: string, onlyTask?: string): string {
  const lines = [
    `run ${run.id}  ${run.chartId}  ${run.trigger}${run.scheduledFor ? ` for ${localTime(run.scheduledFor, timeZone)}` : ''}  ${run.state}${run.chartDate ? `  ${run.chartDate}` : ''}${run.startedAt ? `  ${runDuration(run)}` : ''}  (times in ${timeZone})`,
  ];
  for (const task of run.tasks) {
    if (onlyTask && task.name !== onlyTask) continue;
    const attempts = task.attempts === 1 ? '1 attempt' : `${task.attempts} attempts`;
    lines.push('', `── ${task.name}: ${task.state}${task.attempts ? `, ${attempts}` : ''}`);
    for (const log of task.logs) {
      lines.push(
        `   ${localTime(log.at, timeZone).slice(11)} ${log.level.padEnd(5)} ${log.message}`,
      );
    }
  }
  if (run.error) {
    lines.push('', `error (${run.error.code}): ${run.error.message}`);
    if (run.error.hint) lines.push(`  ${run.error.hint}`);
  }
  return lines.join('\n');
}
