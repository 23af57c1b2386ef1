import type { Capture } from '../../../domain/capture.js';
import type { ChartEntry, ChartKey, ChartSnapshot, ChartSummary } from '../../../domain/chart.js';
import type { LogLine, Run, TaskRecord } from '../../../domain/run.js';
import { decodePayload, encodePayload, type StoredPayload } from './payload.js';

/*
 * The documents as they lie in MongoDB. Field names follow the domain (camelCase); instants are
 * BSON dates, so that `$gte: ISODate(…)`, TTL indexes, Compass and Atlas Charts work on them
 * (chart dates stay "YYYY-MM-DD": they are calendar days, not instants). Every mapping lists its
 * fields, so that nothing a driver or server adds (such as `_id`) leaks into the domain. Reading
 * accepts the ISO strings of stores written before schema version 2, for read-only users who
 * cannot migrate.
 */

/** An instant as stored: a BSON date (an ISO string before schema version 2). */
type Instant = Date | string;

/** `captures`: one raw fetch; `seq` records the order of saving across processes. */
export type CaptureDoc = {
  _id: string;
  source: string;
  chartId: string;
  runId: string | null;
  capturedAt: Instant;
  chartDate: string;
  contentHash: string;
  version: string | null;
  seq: number;
} & StoredPayload;

/** `charts`: the daily chart with its entries embedded, written in one atomic replace. */
export interface ChartDoc {
  source: string;
  chartId: string;
  chartDate: string;
  title: string;
  captureId: string;
  runId: string | null;
  capturedAt: Instant;
  /** Kept beside the entries so listings need not read them (FerretDB 1.x lacks $size). */
  entryCount: number;
  entries: ChartEntry[];
  skipped: ChartSnapshot['skipped'];
}

type LogDoc = Omit<LogLine, 'at'> & { at: Instant };
type TaskDoc = Omit<TaskRecord, 'startedAt' | 'finishedAt' | 'logs'> & {
  startedAt: Instant | null;
  finishedAt: Instant | null;
  logs: LogDoc[];
};

/** `runs`: the ledger, keyed by run id. */
export type RunDoc = Omit<
  Run,
  'id' | 'createdAt' | 'startedAt' | 'finishedAt' | 'scheduledFor' | 'tasks'
> & {
  _id: string;
  createdAt: Instant;
  startedAt: Instant | null;
  finishedAt: Instant | null;
  scheduledFor: Instant | null;
  tasks: TaskDoc[];
};

/** A domain time (ISO 8601) as a BSON date. */
export function toDate(iso: string): Date {
  return new Date(iso);
}

function toDateOrNull(iso: string | null | undefined): Date | null {
  return iso === null || iso === undefined ? null : new Date(iso);
}

/** A stored instant as the domain writes it (ISO 8601, UTC, milliseconds). */
export function toIso(value: Instant): string {
  return value instanceof Date ? value.toISOString() : value;
}

function toIsoOrNull(value: Instant | null | undefined): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

export function fromCapture(capture: Capture, seq: number): CaptureDoc {
  return {
    _id: capture.id,
    source: capture.source,
    chartId: capture.chartId,
    runId: capture.runId ?? null,
    capturedAt: toDate(capture.capturedAt),
    chartDate: capture.chartDate,
    contentHash: capture.contentHash,
    version: capture.version ?? null,
    seq,
    ...encodePayload(capture.payload),
  };
}

export function toCapture(doc: CaptureDoc): Capture {
  return {
    id: doc._id,
    source: doc.source,
    chartId: doc.chartId,
    runId: doc.runId,
    capturedAt: toIso(doc.capturedAt),
    chartDate: doc.chartDate,
    contentHash: doc.contentHash,
    version: doc.version,
    payload: decodePayload(doc),
  };
}

/**
 * A chart document's `_id`, "source|chartId|chartDate", for charts written from schema 3 on: a
 * chart is then found by `_id`, which every server (FerretDB too) answers through its index.
 */
export function chartDocId(chart: ChartKey & { chartDate: string }): string {
  return `${chart.source}|${chart.chartId}|${chart.chartDate}`;
}

/** A chart key document's `_id`, "source|chartId" (see COLLECTIONS.chartKeys). */
export function chartKeyDocId(key: ChartKey): string {
  return `${key.source}|${key.chartId}`;
}

export function fromChart(chart: ChartSnapshot): ChartDoc {
  return {
    source: chart.source,
    chartId: chart.chartId,
    chartDate: chart.chartDate,
    title: chart.title,
    captureId: chart.captureId,
    runId: chart.runId ?? null,
    capturedAt: toDate(chart.capturedAt),
    entryCount: chart.entries.length,
    entries: chart.entries.map(toEntry),
    skipped: chart.skipped.map((s) => ({ position: s.position, reason: s.reason, name: s.name })),
  };
}

export function toChart(doc: ChartDoc): ChartSnapshot {
  return {
    source: doc.source,
    chartId: doc.chartId,
    chartDate: doc.chartDate,
    title: doc.title,
    captureId: doc.captureId,
    runId: doc.runId,
    capturedAt: toIso(doc.capturedAt),
    entries: doc.entries.map(toEntry),
    skipped: doc.skipped.map((s) => ({ position: s.position, reason: s.reason, name: s.name })),
  };
}

export function toSummary(doc: Omit<ChartDoc, 'entries' | 'skipped'>): ChartSummary {
  return {
    source: doc.source,
    chartId: doc.chartId,
    chartDate: doc.chartDate,
    title: doc.title,
    entryCount: doc.entryCount,
    capturedAt: toIso(doc.capturedAt),
  };
}

/** An entry with exactly the domain's fields, absent ones as null, in the domain's order. */
function toEntry(entry: ChartEntry): ChartEntry {
  return {
    position: entry.position,
    trackId: entry.trackId,
    uri: entry.uri,
    name: entry.name,
    artists: entry.artists.map((a) => ({ id: a.id ?? null, name: a.name })),
    album: entry.album
      ? {
          id: entry.album.id ?? null,
          name: entry.album.name,
          releaseDate: entry.album.releaseDate ?? null,
          imageUrl: entry.album.imageUrl ?? null,
        }
      : null,
    durationMs: entry.durationMs ?? null,
    explicit: entry.explicit ?? null,
    isrc: entry.isrc ?? null,
    addedAt: entry.addedAt ?? null,
    streams: entry.streams ?? null,
    previousPosition: entry.previousPosition ?? null,
    movement: entry.movement,
    daysOnChart: entry.daysOnChart,
    peak: entry.peak,
    ...(entry.facts
      ? {
          facts: {
            peakRank: entry.facts.peakRank ?? null,
            previousRank: entry.facts.previousRank ?? null,
            onChart: entry.facts.onChart ?? null,
          },
        }
      : {}),
  };
}

export function fromRun(run: Run): RunDoc {
  return {
    _id: run.id,
    source: run.source,
    chartId: run.chartId,
    trigger: run.trigger,
    scheduledFor: toDateOrNull(run.scheduledFor),
    chartDate: run.chartDate ?? null,
    state: run.state,
    createdAt: toDate(run.createdAt),
    startedAt: toDateOrNull(run.startedAt),
    finishedAt: toDateOrNull(run.finishedAt),
    captureId: run.captureId ?? null,
    entryCount: run.entryCount ?? null,
    error: run.error ?? null,
    tasks: run.tasks.map((task) => ({
      name: task.name,
      state: task.state,
      attempts: task.attempts,
      startedAt: toDateOrNull(task.startedAt),
      finishedAt: toDateOrNull(task.finishedAt),
      error: task.error ?? null,
      logs: task.logs.map((l) => ({ at: toDate(l.at), level: l.level, message: l.message })),
    })),
  };
}

export function toRun(doc: RunDoc): Run {
  return {
    id: doc._id,
    source: doc.source,
    chartId: doc.chartId,
    trigger: doc.trigger,
    scheduledFor: toIsoOrNull(doc.scheduledFor),
    chartDate: doc.chartDate ?? null,
    state: doc.state,
    createdAt: toIso(doc.createdAt),
    startedAt: toIsoOrNull(doc.startedAt),
    finishedAt: toIsoOrNull(doc.finishedAt),
    captureId: doc.captureId ?? null,
    entryCount: doc.entryCount ?? null,
    error: doc.error ?? null,
    tasks: doc.tasks.map((task) => ({
      name: task.name,
      state: task.state,
      attempts: task.attempts,
      startedAt: toIsoOrNull(task.startedAt),
      finishedAt: toIsoOrNull(task.finishedAt),
      error: task.error ?? null,
      logs: task.logs.map((l) => ({ at: toIso(l.at), level: l.level, message: l.message })),
    })),
  };
}
