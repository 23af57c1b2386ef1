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

/** Which Spotify endpoint a request went to, for metrics (never the URL, which names charts). */
export type SpotifyEndpoint = 'token' | 'playlist' | 'items' | 'other';

/** What happens in the application, as typed events: metrics and alerts subscribe to them. */
export interface AppEventMap {
  /** A run was queued for whoever serves (`trigger`, the API): a `serve` in this process starts it at once. */
  'run-queued': { run: Run };
  'run-started': { run: Run };
  'task-finished': { run: Run; task: TaskRecord };
  'run-finished': { run: Run };
  'job-retried': { job: CaptureJob; attempt: number; delayMs: number; reason: string };
  /** One HTTP exchange with Spotify: its status, or null when no reply came (network, timeout). */
  'spotify-response': { endpoint: SpotifyEndpoint; status: number | null; durationMs: number };
}

export type AppEventName = keyof AppEventMap;

/** Where events are sent. */
export interface EventSink {
  emit<K extends AppEventName>(name: K, event: AppEventMap[K]): void;
}
