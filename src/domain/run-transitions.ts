import type { LogLine, Run, RunError, RunState, TaskName, TaskRecord } from './run.js';

/*
 * The run state machine. Every change of a run's or a task's state goes through one of these
 * functions, which refuse a transition the state does not allow (that would be a bug, never
 * something a user did):
 *
 *   (new) → queued → running → succeeded
 *                      ↓  ↑  → failed
 *                    queued (waiting for another attempt)
 *   queued | running → failed (interrupted, or not retried)
 *   (new) → missed (a schedule slot nobody captured)
 *   (new) | queued → deferred (not attempted: Spotify's quota is exhausted)
 */

/** Task logs are kept with the run; these bounds keep a noisy task from bloating the ledger. */
export const MAX_LOG_LINES_PER_TASK = 200;
export const MAX_LOG_LINE_LENGTH = 1000;

/** A transition the run's state does not allow: a bug in chartkeeper. */
export class RunTransitionError extends Error {
  constructor(run: Run, what: string) {
    super(`run ${run.id} is ${run.state}: cannot ${what}`);
    this.name = 'RunTransitionError';
  }
}

/** queued → running, on `chartDate`; a continued run keeps its first start time. */
export function startRun(run: Run, chartDate: string, at: string): void {
  expectState(run, ['queued'], 'start');
  run.state = 'running';
  run.chartDate = chartDate;
  run.startedAt ??= at;
  run.finishedAt = null;
  run.error = null;
}

/**
 * A task of a running run starts its next attempt. A task that succeeded may run again when what
 * it produced was not kept (a fetch whose capture the store could not take).
 */
export function startTask(run: Run, name: TaskName, at: string): TaskRecord {
  expectState(run, ['running'], `start task ${name}`);
  const task = taskOf(run, name);
  if (task.state === 'running') {
    throw new RunTransitionError(run, `start task ${name}, which is running`);
  }
  task.state = 'running';
  task.attempts += 1;
  task.startedAt = at;
  task.finishedAt = null;
  task.error = null;
  return task;
}

/** A running task succeeded. */
export function succeedTask(run: Run, name: TaskName, at: string): void {
  const task = runningTask(run, name, 'succeed');
  task.state = 'succeeded';
  task.finishedAt = at;
}

/** A running task failed with `error`, which its log also records. */
export function failTask(run: Run, name: TaskName, error: RunError, at: string): void {
  const task = runningTask(run, name, 'fail');
  task.state = 'failed';
  task.error = error;
  task.finishedAt = at;
  appendLog(task, { at, level: 'error', message: error.message });
}

/** A pending task is not needed this time; `reason` goes to its log. */
export function skipTask(run: Run, name: TaskName, reason: string, at: string): void {
  expectState(run, ['running'], `skip task ${name}`);
  const task = taskOf(run, name);
  if (task.state !== 'pending')
    throw new RunTransitionError(run, `skip task ${name} (${task.state})`);
  task.state = 'skipped';
  appendLog(task, { at, level: 'info', message: reason });
}

/** running → queued: waiting for another attempt, with the error that made it wait. */
export function requeueRun(run: Run, error: RunError): void {
  expectState(run, ['running'], 'wait for another attempt');
  run.state = 'queued';
  run.error = error;
  run.finishedAt = null;
}

/** running → succeeded (no error) or failed. */
export function finishRun(run: Run, error: RunError | null, at: string): void {
  expectState(run, ['running'], 'finish');
  run.state = error ? 'failed' : 'succeeded';
  run.error = error;
  run.finishedAt = at;
}

/**
 * queued | running → failed, because whoever ran it stopped part-way (a crash, a kill, Ctrl+C).
 * Tasks left running fail with the same error.
 */
export function interruptRun(run: Run, error: RunError, at: string): void {
  expectState(run, ['queued', 'running'], 'be marked interrupted');
  for (const task of run.tasks) {
    if (task.state !== 'running') continue;
    task.state = 'failed';
    task.error = error;
    task.finishedAt = at;
    appendLog(task, { at, level: 'error', message: error.message });
  }
  run.state = 'failed';
  run.error = error;
  run.finishedAt = at;
}

/**
 * queued → failed without another attempt (its chart date passed, it kept being interrupted);
 * the error it waited with, if any, stays in the message.
 */
export function giveUpRun(run: Run, why: string, at: string): void {
  expectState(run, ['queued'], 'be given up');
  run.state = 'failed';
  run.error = {
    code: run.error?.code ?? 'not-retried',
    message: `${run.error ? `${run.error.message}; ` : ''}not retried: ${why}`,
    hint: run.error?.hint ?? null,
    permanent: true,
  };
  run.finishedAt = at;
}

/** A new run → missed: a schedule slot no capture ran for, and why. */
export function missRun(run: Run, chartDate: string, reason: string, at: string): void {
  expectState(run, ['queued'], 'be missed');
  if (run.startedAt !== null) throw new RunTransitionError(run, 'be missed after it started');
  run.state = 'missed';
  run.chartDate = chartDate;
  run.finishedAt = at;
  run.error = { code: 'missed', message: `no capture ran: ${reason}`, hint: null, permanent: true };
}

/**
 * A new or queued run → deferred: not attempted, because Spotify's quota is known to be exhausted
 * (`error` says until when). A run waiting for another attempt keeps what its tasks did so far.
 */
export function deferRun(run: Run, chartDate: string, error: RunError, at: string): void {
  expectState(run, ['queued'], 'be deferred');
  run.state = 'deferred';
  run.chartDate ??= chartDate;
  run.finishedAt = at;
  run.error = error;
}

/**
 * Adds a line to a task's log within the bounds: lines longer than MAX_LOG_LINE_LENGTH are cut,
 * and past MAX_LOG_LINES_PER_TASK lines the first ones (context) and the newest one (usually why
 * it ended) are kept.
 */
export function appendLog(task: TaskRecord, line: LogLine): void {
  if (task.logs.length >= MAX_LOG_LINES_PER_TASK) task.logs.splice(MAX_LOG_LINES_PER_TASK - 1, 1);
  const message =
    line.message.length > MAX_LOG_LINE_LENGTH
      ? `${line.message.slice(0, MAX_LOG_LINE_LENGTH - 1)}…`
      : line.message;
  task.logs.push({ at: line.at, level: line.level, message });
}

/** The task record of `name`. */
export function taskOf(run: Run, name: TaskName): TaskRecord {
  const task = run.tasks.find((t) => t.name === name);
  if (!task) throw new RunTransitionError(run, `find task ${name}`);
  return task;
}

function runningTask(run: Run, name: TaskName, what: string): TaskRecord {
  const task = taskOf(run, name);
  if (task.state !== 'running')
    throw new RunTransitionError(run, `${what} task ${name} (${task.state})`);
  return task;
}

function expectState(run: Run, allowed: readonly RunState[], what: string): void {
  if (!allowed.includes(run.state)) throw new RunTransitionError(run, what);
}
