import type { Run, TaskRecord } from '../run.js';
import type { CaptureJob } from './executor.js';

/** Fields a log line carries besides its message (runId, chartId, task...). */
export type LogFields = Record<string, unknown>;

export interface LogFn {
  (message: string): void;
  (fields: LogFields, message: string): void;
}

/**
 * The process's logger (pino satisfies it): levels, and child loggers that carry the run, chart
 * and task they speak for. It masks secrets itself.
 */
export interface Logger {
  child(bindings: LogFields): Logger;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** What happens in the application, as typed events: metrics and alerts subscribe to them. */
export interface AppEventMap {
  'run-started': { run: Run };
  'task-finished': { run: Run; task: TaskRecord };
  'run-finished': { run: Run };
  'job-retried': { job: CaptureJob; attempt: number; delayMs: number; reason: string };
}

export type AppEventName = keyof AppEventMap;

/** Where events are sent. */
export interface EventSink {
  emit<K extends AppEventName>(name: K, event: AppEventMap[K]): void;
}
