import type { ChartKey } from './chart.js';
import type { RunError } from './errors.js';

export type { RunError } from './errors.js';

/** What started a run; `import`: a chart file dropped into the inbox. */
export const TRIGGERS = ['manual', 'schedule', 'api', 'import'] as const;
export type Trigger = (typeof TRIGGERS)[number];
/**
 * `queued`: waiting for its first or next attempt; `missed`: a scheduled slot no capture ran for
 * (chartkeeper was down, the schedule was paused, or the chart date had passed); `deferred`: a
 * capture not attempted because Spotify's quota was known to be exhausted (no call was made).
 */
export const RUN_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'missed',
  'deferred',
] as const;
export type RunState = (typeof RUN_STATES)[number];

/** States a run never leaves. */
export const FINAL_RUN_STATES: readonly RunState[] = ['succeeded', 'failed', 'missed', 'deferred'];
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** The capture pipeline's tasks, in order. */
export const TASK_NAMES = [
  'authenticate',
  'fetch',
  'persist-capture',
  'normalise',
  'store-chart',
] as const;
/** The one task of an import run (a file from the inbox). */
export const IMPORT_TASK_NAMES = ['import'] as const;
export type TaskName = (typeof TASK_NAMES)[number] | (typeof IMPORT_TASK_NAMES)[number];

export interface LogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface TaskRecord {
  name: TaskName;
  state: TaskState;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: RunError | null;
  logs: LogLine[];
}

/** One capture of one chart, from trigger to stored chart: the ledger's row. */
export interface Run extends ChartKey {
  id: string;
  trigger: Trigger;
  scheduledFor: string | null;
  chartDate: string | null;
  state: RunState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  captureId: string | null;
  entryCount: number | null;
  error: RunError | null;
  tasks: TaskRecord[];
}

/** A new run with every task pending (the capture's tasks, or an import's). */
export function newRun(init: {
  id: string;
  key: ChartKey;
  trigger: Trigger;
  createdAt: string;
  scheduledFor?: string | null;
}): Run {
  const tasks: readonly TaskName[] = init.trigger === 'import' ? IMPORT_TASK_NAMES : TASK_NAMES;
  return {
    id: init.id,
    source: init.key.source,
    chartId: init.key.chartId,
    trigger: init.trigger,
    scheduledFor: init.scheduledFor ?? null,
    chartDate: null,
    state: 'queued',
    createdAt: init.createdAt,
    startedAt: null,
    finishedAt: null,
    captureId: null,
    entryCount: null,
    error: null,
    tasks: tasks.map((name) => ({
      name,
      state: 'pending',
      attempts: 0,
      startedAt: null,
      finishedAt: null,
      error: null,
      logs: [],
    })),
  };
}

/** Whether the run has ended (succeeded, failed, missed or deferred). */
export function isFinished(run: Run): boolean {
  return FINAL_RUN_STATES.includes(run.state);
}

/**
 * Whether `a` is a later state of the same run than `b`: a finished run is later than an
 * unfinished one (a run is never reopened), otherwise the one with the later activity. Imports and
 * the outbox use it so that an older copy never rolls a run back.
 */
export function isLaterState(a: Run, b: Run): boolean {
  if (isFinished(a) !== isFinished(b)) return isFinished(a);
  return lastActivity(a) > lastActivity(b);
}

/** The latest time anything happened to a run (ISO strings of one form compare as times). */
function lastActivity(run: Run): string {
  let latest = run.finishedAt ?? run.startedAt ?? run.createdAt;
  for (const task of run.tasks) {
    for (const at of [task.startedAt, task.finishedAt, task.logs.at(-1)?.at]) {
      if (at && at > latest) latest = at;
    }
  }
  return latest;
}

/** Whether the run failed because whoever ran it stopped part-way. */
export function isInterrupted(run: Run): boolean {
  return run.state === 'failed' && run.error?.code === 'interrupted';
}

/** The task that failed, if one did. */
export function failedTask(run: Run): TaskRecord | undefined {
  return run.tasks.find((task) => task.state === 'failed');
}

/** The first characters of a run id, as listings show it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
