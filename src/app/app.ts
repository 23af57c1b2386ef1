import type { ChartKey } from '../domain/chart.js';
import type { Run } from '../domain/run.js';
import { type CaptureNowRequest, captureNow, interruptActiveRuns } from './capture-now.js';
import { findChart } from './charts.js';
import type { AppContext } from './context.js';
import { flushOutbox } from './flush.js';
import { findRun, listRuns } from './runs.js';
import { pause, resume, scheduleState } from './schedule.js';
import { importFromAirflow, type SeedRequest } from './seed.js';
import { startServing, startWorker } from './serve.js';
import {
  exportTo,
  exportToFile,
  type ImportSummary,
  type InvalidLine,
  importFrom,
  type RecordCounts,
} from './transfer.js';
import { triggerCaptures } from './trigger.js';

/**
 * Everything a user can do, for every entry point (the CLI, the web server): each method is one
 * use case. Open one with openApp; close it when done.
 */
export class App {
  /** Runs under way in this process, to mark interrupted if the process is stopped. */
  private readonly active = new Set<Run>();

  constructor(
    readonly context: AppContext,
    private readonly closeAll: () => Promise<void>,
  ) {}

  get config() {
    return this.context.config;
  }

  get logger() {
    return this.context.logger;
  }

  get events() {
    return this.context.events;
  }

  /** Where the data lives, safe to print: "sqlite store /path/chartkeeper.db". */
  get storeLocation(): string {
    return `${this.context.store.kind} store ${this.context.store.location}`;
  }

  /** Captures charts now (`chartkeeper run`). */
  captureNow(request: CaptureNowRequest): Promise<Run[]> {
    return captureNow(this.context, this.active, request);
  }

  /** Marks the captures under way in this process interrupted (the process is being stopped). */
  interrupt(why: string): Promise<Run[]> {
    return interruptActiveRuns(this.context, this.active, why);
  }

  /** A stored chart, by key and date, with the fallback `chartkeeper chart` shows. */
  findChart(request: { key?: ChartKey; date?: string }) {
    return findChart(this.context, request);
  }

  listRuns(limit: number) {
    return listRuns(this.context, limit);
  }

  /** A run by id or id prefix; the latest without one. */
  findRun(id?: string) {
    return findRun(this.context, id);
  }

  pause() {
    return pause(this.context);
  }

  resume() {
    return resume(this.context);
  }

  scheduleState() {
    return scheduleState(this.context);
  }

  /** Asks the running `serve` to capture now; with `waitMs`, waits for the runs. */
  trigger(request: { keys: readonly ChartKey[]; waitMs?: number; trigger?: 'manual' | 'api' }) {
    return triggerCaptures(this.context, request);
  }

  exportTo(write: (line: string) => Promise<void>, progress?: (counts: RecordCounts) => void) {
    return exportTo(this.context, write, progress);
  }

  exportToFile(
    path: string,
    options: { force?: boolean; progress?: (counts: RecordCounts) => void },
  ) {
    return exportToFile(this.context, path, options);
  }

  importFrom(
    lines: AsyncIterable<string>,
    options: {
      name: string;
      strict?: boolean;
      progress?: (summary: ImportSummary) => void;
      onInvalid?: (problem: InvalidLine) => void;
    },
  ) {
    return importFrom(this.context, lines, options);
  }

  importFromAirflow(request: SeedRequest) {
    return importFromAirflow(this.context, request);
  }

  flush() {
    return flushOutbox(this.context);
  }

  serve() {
    return startServing(this.context);
  }

  worker() {
    return startWorker(this.context);
  }

  /** Closes the store, the executor and the rate limiter. */
  close(): Promise<void> {
    return this.closeAll();
  }
}
