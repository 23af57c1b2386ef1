import { toRunError } from '../domain/errors.js';
import type { ChartStore, Log } from '../domain/ports.js';
import type { LogLine, Run, RunError, TaskName, TaskRecord } from '../domain/run.js';
import type { Redactor } from '../lib/redact.js';

/** Task logs are kept with the run; these bounds keep a noisy task from bloating the ledger. */
export const MAX_LOG_LINES_PER_TASK = 200;
export const MAX_LOG_LINE_LENGTH = 1000;

/** A failure inside a task, carrying the ledger's error so the run can finish with it. */
export class TaskFailure extends Error {
  constructor(
    readonly task: TaskName,
    readonly error: RunError,
  ) {
    super(error.message);
    this.name = 'TaskFailure';
  }
}

/**
 * Keeps one run's ledger row up to date: the run's start, every task's start and the run's end
 * are saved, so a crash leaves the ledger showing how far the run got. A task's end (state, log
 * lines) is saved with the next of these, which follows at once: one write per task fewer, and a
 * crash in between still leaves the task shown running, so the run is found interrupted.
 */
export class RunRecorder {
  constructor(
    readonly run: Run,
    private readonly store: ChartStore,
    private readonly redactor: Redactor,
    private readonly clock: () => Date,
  ) {}

  /** Marks the run as running and saves it; a continued run keeps its first start time. */
  async start(chartDate: string): Promise<void> {
    this.run.state = 'running';
    this.run.chartDate = chartDate;
    this.run.startedAt ??= this.now();
    this.run.finishedAt = null;
    this.run.error = null;
    await this.store.saveRun(this.run);
  }

  /**
   * Runs one task, recording attempts, timings, logs and the error; throws TaskFailure on failure.
   * Its start is saved at once; its end with the next save (a task's start, finish or requeue).
   */
  async task<T>(name: TaskName, work: (log: Log) => Promise<T>): Promise<T> {
    const record = this.record(name);
    record.state = 'running';
    record.attempts += 1;
    record.startedAt = this.now();
    record.finishedAt = null;
    record.error = null;
    await this.store.saveRun(this.run);
    const log: Log = (level, message) => this.append(record, level, message);
    try {
      const result = await work(log);
      record.state = 'succeeded';
      return result;
    } catch (error) {
      const runError = this.redactError(toRunError(error));
      record.state = 'failed';
      record.error = runError;
      this.append(record, 'error', runError.message);
      throw new TaskFailure(name, runError);
    } finally {
      record.finishedAt = this.now();
    }
  }

  /** Marks a task as not needed this time, with the reason in its log. */
  skip(name: TaskName, reason: string): void {
    const record = this.record(name);
    record.state = 'skipped';
    this.append(record, 'info', reason);
  }

  /** Ends the run as succeeded or failed; tasks never reached stay pending. */
  async finish(error: RunError | null): Promise<Run> {
    this.run.state = error ? 'failed' : 'succeeded';
    this.run.error = error;
    this.run.finishedAt = this.now();
    await this.store.saveRun(this.run);
    return this.run;
  }

  /**
   * Leaves the run waiting for another attempt after `task` failed: queued, with the error kept
   * (so the ledger shows why) and `note` (when the next try comes) in the task's log.
   */
  async requeue(task: TaskName, error: RunError, note: string): Promise<Run> {
    this.append(this.record(task), 'warn', note);
    this.run.state = 'queued';
    this.run.error = error;
    this.run.finishedAt = null;
    await this.store.saveRun(this.run);
    return this.run;
  }

  private record(name: TaskName): TaskRecord {
    const record = this.run.tasks.find((t) => t.name === name);
    if (!record) throw new Error(`run ${this.run.id} has no task ${name}`);
    return record;
  }

  private append(record: TaskRecord, level: LogLine['level'], message: string): void {
    if (record.logs.length >= MAX_LOG_LINES_PER_TASK) {
      // Keep the first lines (context) and the newest one (usually the reason it ended).
      record.logs.splice(MAX_LOG_LINES_PER_TASK - 1, 1);
    }
    let text = this.redactor.redact(message);
    if (text.length > MAX_LOG_LINE_LENGTH) text = `${text.slice(0, MAX_LOG_LINE_LENGTH - 1)}…`;
    record.logs.push({ at: this.now(), level, message: text });
  }

  private redactError(error: RunError): RunError {
    return {
      ...error,
      message: this.redactor.redact(error.message),
      hint: error.hint === null ? null : this.redactor.redact(error.hint),
    };
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
