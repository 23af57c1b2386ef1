import { createHash } from 'node:crypto';
import type { ChartKey } from './chart.js';

export type Trigger = 'manual' | 'schedule' | 'api';
/**
 * `queued`: waiting for its first or next attempt; `missed`: a scheduled slot no capture ran for
 * (chartkeeper was down, the schedule was paused, or the chart date had passed).
 */
export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'missed';

/** States a run never leaves. */
export const FINAL_RUN_STATES: readonly RunState[] = ['succeeded', 'failed', 'missed'];
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** The capture pipeline's tasks, in order. */
export const TASK_NAMES = [
  'authenticate',
  'fetch',
  'persist-capture',
  'normalise',
  'store-chart',
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface LogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A failure as the ledger keeps it: what happened, what to do, and whether a retry could help. */
export interface RunError {
  code: string;
  message: string;
  hint: string | null;
  permanent: boolean;
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

/** A new run with every task pending. */
export function newRun(init: {
  id: string;
  key: ChartKey;
  trigger: Trigger;
  createdAt: string;
  scheduledFor?: string | null;
}): Run {
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
    tasks: TASK_NAMES.map((name) => ({
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

/**
 * The run id of a chart's capture for one schedule slot. Deterministic, so every scheduler and
 * worker that handles the slot names the same ledger row and the slot is captured once.
 */
export function scheduledRunId(chartId: string, slot: string): string {
  return uuidFrom(`schedule|${chartId}|${slot}`);
}

/** The id of the run that retries `runId` after it was interrupted; deterministic for the same reason. */
export function retryRunId(runId: string): string {
  return uuidFrom(`retry|${runId}`);
}

// Shaped like a UUID (version nibble 5, as name-based UUIDs have), so every id looks alike.
function uuidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
