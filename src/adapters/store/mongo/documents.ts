import type { Capture } from '../../../domain/capture.js';
import type { ChartEntry, ChartSnapshot, ChartSummary } from '../../../domain/chart.js';
import type { Run } from '../../../domain/run.js';
import { decodePayload, encodePayload, type StoredPayload } from './payload.js';

/*
 * The documents as they lie in MongoDB. Field names follow the domain (camelCase), times stay
 * ISO 8601 strings (they sort correctly and read back exactly), and every mapping lists its
 * fields so that nothing a driver or server adds (such as `_id`) leaks into the domain.
 */

/** `captures`: one raw fetch; `seq` records the order of saving across processes. */
export type CaptureDoc = {
  _id: string;
  source: string;
  chartId: string;
  runId: string | null;
  capturedAt: string;
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
  capturedAt: string;
  /** Kept beside the entries so listings need not read them (FerretDB 1.x lacks $size). */
  entryCount: number;
  entries: ChartEntry[];
  skipped: ChartSnapshot['skipped'];
}

/** `runs`: the ledger, keyed by run id. */
export type RunDoc = Omit<Run, 'id'> & { _id: string };

export function fromCapture(capture: Capture, seq: number): CaptureDoc {
  return {
    _id: capture.id,
    source: capture.source,
    chartId: capture.chartId,
    runId: capture.runId ?? null,
    capturedAt: capture.capturedAt,
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
    capturedAt: doc.capturedAt,
    chartDate: doc.chartDate,
    contentHash: doc.contentHash,
    version: doc.version,
    payload: decodePayload(doc),
  };
}

export function fromChart(chart: ChartSnapshot): ChartDoc {
  return {
    source: chart.source,
    chartId: chart.chartId,
    chartDate: chart.chartDate,
    title: chart.title,
    captureId: chart.captureId,
    runId: chart.runId ?? null,
    capturedAt: chart.capturedAt,
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
    capturedAt: doc.capturedAt,
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
    capturedAt: doc.capturedAt,
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
  };
}

export function fromRun(run: Run): RunDoc {
  // toRun lists exactly the domain's fields, absent ones as null; the document keys them by _id.
  const { id, ...fields } = toRun({ ...run, _id: run.id });
  return { _id: id, ...fields };
}

export function toRun(doc: RunDoc): Run {
  return {
    id: doc._id,
    source: doc.source,
    chartId: doc.chartId,
    trigger: doc.trigger,
    scheduledFor: doc.scheduledFor ?? null,
    chartDate: doc.chartDate ?? null,
    state: doc.state,
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    finishedAt: doc.finishedAt ?? null,
    captureId: doc.captureId ?? null,
    entryCount: doc.entryCount ?? null,
    error: doc.error ?? null,
    tasks: doc.tasks.map((task) => ({
      name: task.name,
      state: task.state,
      attempts: task.attempts,
      startedAt: task.startedAt ?? null,
      finishedAt: task.finishedAt ?? null,
      error: task.error ?? null,
      logs: task.logs.map((l) => ({ at: l.at, level: l.level, message: l.message })),
    })),
  };
}
