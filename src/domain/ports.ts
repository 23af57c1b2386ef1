import type { Capture } from './capture.js';
import type {
  ChartKey,
  ChartSnapshot,
  ChartSummary,
  NormalisedChart,
  TrackHistory,
} from './chart.js';
import type { LogLine, Run, RunState, Trigger } from './run.js';

/** Where captures, charts and the run ledger live. Implemented by every store adapter. */
export interface ChartStore {
  /** 'sqlite' or 'mongodb': shown to users, never a connection string. */
  readonly kind: string;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  close(): Promise<void>;

  /**
   * Appends a capture unless its content hash equals that of the latest capture of the same key;
   * then the latest one is returned with `created: false`.
   */
  saveCapture(capture: Capture): Promise<{ capture: Capture; created: boolean }>;
  getCapture(id: string): Promise<Capture | null>;
  latestCapture(key: ChartKey): Promise<Capture | null>;
  /**
   * The id and version of the latest capture of the key (as `latestCapture` picks it), without
   * reading its payload: enough to ask the source whether anything changed.
   */
  latestCaptureHead(key: ChartKey): Promise<CaptureHead | null>;

  /** Inserts or replaces the chart of (source, chartId, chartDate) in one atomic write. */
  saveChart(chart: ChartSnapshot): Promise<void>;
  /** The chart of that date, or the latest chart of the key when no date is given. */
  getChart(key: ChartKey, chartDate?: string): Promise<ChartSnapshot | null>;
  /** The latest chart of the key dated strictly before `chartDate`. */
  previousChart(key: ChartKey, chartDate: string): Promise<ChartSnapshot | null>;
  /** For each track id, what charts of the key dated before `chartDate` say about it. */
  trackHistory(
    key: ChartKey,
    trackIds: readonly string[],
    chartDate: string,
  ): Promise<Map<string, TrackHistory>>;
  /** Stored charts, newest date first, optionally of one key. */
  listCharts(options?: { key?: ChartKey; limit?: number }): Promise<ChartSummary[]>;

  /** Inserts or replaces a run in the ledger. */
  saveRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | null>;
  /** Runs, newest first (by createdAt), optionally of one key and only in the given states. */
  listRuns(options: {
    limit: number;
    key?: ChartKey;
    states?: readonly RunState[];
  }): Promise<Run[]>;

  /**
   * Takes the named lease for `owner` until `ttlMs` from now when nobody holds it, its holder's
   * time is up, or `owner` already holds it (then it is extended). One atomic step across every
   * process sharing the store. Returns the holder after the call: `owner` exactly when taken.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease>;
  /** Gives the lease up if `owner` holds it, expired or not; true when it did. */
  releaseLease(name: string, owner: string): Promise<boolean>;

  /** A small persistent value the scheduler keeps (pause flag, last slot handled), or null. */
  getSetting(key: string): Promise<string | null>;
  /** Sets such a value; null removes it. */
  setSetting(key: string, value: string | null): Promise<void>;

  /** Everything stored, streamed for export: captures in order of saving, then charts, then runs. */
  records(): AsyncIterable<StoreRecord>;
}

/** One stored thing, tagged with its type: a line of an export, an entry of the outbox. */
export type StoreRecord =
  | { type: 'capture'; capture: Capture }
  | { type: 'chart'; chart: ChartSnapshot }
  | { type: 'run'; run: Run };

/** What identifies a stored capture and its version, without its payload. */
export interface CaptureHead {
  id: string;
  version: string | null;
}

/** Who holds a lease and until when (ISO 8601). */
export interface Lease {
  name: string;
  owner: string;
  expiresAt: string;
}

export type Log = (level: LogLine['level'], message: string) => void;

export type FetchResult =
  | { kind: 'fetched'; payload: unknown; version: string | null }
  /** The source says nothing changed since the latest capture (same version): no re-fetch. */
  | { kind: 'unchanged'; version: string };

/** A place charts come from (the Spotify Web API, chart files...). */
export interface ChartSource {
  readonly source: string;
  /** Obtains credentials, so that the ledger tells auth failures apart from fetch failures. */
  authenticate(log: Log): Promise<void>;
  /** Fetches a chart as received, every page of it. */
  fetch(chartId: string, context: { latestVersion: string | null; log: Log }): Promise<FetchResult>;
  /** Reads a raw payload this source fetched into chart entries. Pure; throws on a bad payload. */
  normalise(payload: unknown): NormalisedChart;
}

/** One capture to execute: the ledger row it records into, and what to capture. */
export interface CaptureJob {
  /** The run this job records into; also the job's id, so a job is queued at most once. */
  runId: string;
  chartId: string;
  trigger: Trigger;
  /** The schedule slot (ISO 8601) of a scheduled capture, else null. */
  scheduledFor: string | null;
}

/** What a job handler tells the executor when it returns. */
export type JobOutcome =
  | { kind: 'done' }
  /** Handled, and failed for good; the ledger says why. */
  | { kind: 'failed'; reason: string }
  /** Try again after `delayMs`; counts as an attempt. */
  | { kind: 'retry'; delayMs: number; reason: string }
  /** Not now (the chart is busy elsewhere); try again after `delayMs` without counting an attempt. */
  | { kind: 'postpone'; delayMs: number; reason: string };

export type JobHandler = (job: CaptureJob) => Promise<JobOutcome>;

/** When scheduled captures are due: a cron expression in a time zone, for each chart. */
export interface ScheduleSpec {
  cron: string;
  timezone: string;
  chartIds: readonly string[];
}

/**
 * Runs capture jobs: in this process, or on BullMQ workers sharing a Redis. Delivery is at least
 * once; handlers make a repeated delivery harmless through the ledger.
 */
export interface Executor {
  /** 'in-process' or 'bullmq'. */
  readonly kind: string;
  /** Where jobs wait, safe to print (no password). */
  readonly location: string;
  /**
   * Queues a job unless one with the same run id is waiting, delayed or running, or finished
   * lately (BullMQ keeps finished jobs for days; the in-process executor its last 10,000).
   */
  submit(job: CaptureJob): Promise<void>;
  /**
   * From now on, queues a job per chart at every slot of the schedule (the job's run id is
   * `scheduledRunId(chartId, slot)`); replaces any earlier schedule, null removes it.
   */
  schedule(spec: ScheduleSpec | null): Promise<void>;
  /** Starts running queued jobs with `handler` in this process. */
  work(handler: JobHandler): Promise<void>;
  /**
   * Stops scheduling and taking jobs, waits up to `timeoutMs` for running ones, then hands any
   * still running back to the queue where the queue outlives this process.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Paces calls to a rate-limited service; shared by every process when backed by Redis. */
export interface RateLimiter {
  /** Resolves when one more call fits in the limit. */
  acquire(): Promise<void>;
  close(): Promise<void>;
}
