import { toRunError } from '../../domain/errors.js';
import type { EventSink, Logger } from '../../domain/ports/observability.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import type { Log } from '../../domain/ports/sources.js';
import type { LogLine, Run, RunError, TaskName } from '../../domain/run.js';
import {
  appendLog,
  failTask,
  finishRun,
  requeueRun,
  skipTask,
  startRun,
  startTask,
  succeedTask,
  taskOf,
} from '../../domain/run-transitions.js';
import type { Redactor } from '../../lib/redact.js';

/**
 * A failure inside a task, carrying the ledger's error so the run can finish with it, and what
 * was thrown (`cause`), for what the ledger's shape cannot hold (when a quota resumes).
 */
export class TaskFailure extends Error {
  constructor(
    readonly task: TaskName,
    readonly error: RunError,
    cause?: unknown,
  ) {
    super(error.message, { cause });
    this.name = 'TaskFailure';
  }
}

/** The capture was stopped (the process is being stopped): nothing more of it is saved. */
export class CaptureStopped extends Error {
  constructor() {
    super('the capture was stopped');
    this.name = 'CaptureStopped';
  }
}

/** What a recorder writes to besides the ledger. */
export interface RecorderOptions {
  /** Masks secrets in task log lines and errors before they are kept. */
  redactor: Redactor;
  clock: () => Date;
  /** The process's logger; task log lines go to it too, with the run, chart and task. */
  logger: Logger;
  events: EventSink;
  /** Once aborted, the run is no longer saved (whoever stopped it records how it ended). */
  signal?: AbortSignal;
}

/**
 * Keeps one run's ledger row up to date through the run state machine: the run's start, every
 * task's start and the run's end are saved, so a crash leaves the ledger showing how far the run
 * got. A task's end (state, log lines) is saved with the next of these, which follows at once:
 * one write per task fewer, and a crash in between still leaves the task shown running, so the
 * run is found interrupted.
 */
export class RunRecorder {
  private readonly logger: Logger;

  constructor(
    readonly run: Run,
    private readonly ledger: RunLedger,
    private readonly options: RecorderOptions,
  ) {
    this.logger = options.logger.child({
      runId: run.id,
      chartId: run.chartId,
      source: run.source,
    });
  }

  /** Marks the run as running and saves it. */
  async start(chartDate: string): Promise<void> {
    startRun(this.run, chartDate, this.now());
    await this.save();
    this.options.events.emit('run-started', { run: this.run });
  }

  /**
   * Runs one task, recording attempts, timings, logs and the error; throws TaskFailure on failure.
   * Its start is saved at once; its end with the next save (a task's start, finish or requeue).
   */
  async task<T>(name: TaskName, work: (log: Log) => Promise<T>): Promise<T> {
    startTask(this.run, name, this.now());
    await this.save();
    const log: Log = (level, message) => this.log(name, level, message);
    try {
      const result = await work(log);
      succeedTask(this.run, name, this.now());
      return result;
    } catch (error) {
      const runError = this.redactError(toRunError(error));
      failTask(this.run, name, runError, this.now());
      // A warning from the process's point of view: how the run ends is said when it ends.
      this.logger.child({ task: name }).warn(runError.message);
      throw new TaskFailure(name, runError, error);
    } finally {
      this.options.events.emit('task-finished', { run: this.run, task: taskOf(this.run, name) });
    }
  }

  /** Marks a task as not needed this time, with the reason in its log. */
  skip(name: TaskName, reason: string): void {
    skipTask(this.run, name, this.options.redactor.redact(reason), this.now());
    this.logger.child({ task: name }).info(reason);
  }

  /** Ends the run as succeeded or failed; tasks never reached stay pending. */
  async finish(error: RunError | null): Promise<Run> {
    finishRun(this.run, error, this.now());
    await this.save();
    this.options.events.emit('run-finished', { run: this.run });
    return this.run;
  }

  /**
   * Leaves the run waiting for another attempt after `task` failed: queued, with the error kept
   * (so the ledger shows why) and `note` (when the next try comes) in the task's log.
   */
  async requeue(task: TaskName, error: RunError, note: string): Promise<Run> {
    this.log(task, 'warn', note);
    requeueRun(this.run, error);
    await this.save();
    return this.run;
  }

  private async save(): Promise<void> {
    if (this.options.signal?.aborted) throw new CaptureStopped();
    await this.ledger.saveRun(this.run);
  }

  /** A line in a task's log, kept with the run (secrets masked) and sent to the logger. */
  log(task: TaskName, level: LogLine['level'], message: string): void {
    const text = this.options.redactor.redact(message);
    appendLog(taskOf(this.run, task), { at: this.now(), level, message: text });
    this.logger.child({ task })[level](text);
  }

  private redactError(error: RunError): RunError {
    const { redactor } = this.options;
    return {
      ...error,
      message: redactor.redact(error.message),
      hint: error.hint === null ? null : redactor.redact(error.hint),
    };
  }

  private now(): string {
    return this.options.clock().toISOString();
  }
}
