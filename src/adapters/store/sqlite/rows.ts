import { type Capture, payloadJson } from '../../../domain/capture.js';
import type {
  ChartEntry,
  ChartSnapshot,
  Movement,
  NormalisedEntry,
} from '../../../domain/chart.js';
import type { Run, RunState, Trigger } from '../../../domain/run.js';
import { DamagedRow } from './errors.js';

/* The tables' rows (snake_case, JSON in TEXT columns) and their mapping to the domain. */

export interface CaptureRow {
  id: string;
  source: string;
  chart_id: string;
  run_id: string | null;
  captured_at: string;
  chart_date: string;
  content_hash: string;
  version: string | null;
  payload: string;
}

export interface ChartRow {
  id: number;
  source: string;
  chart_id: string;
  chart_date: string;
  title: string;
  capture_id: string;
  run_id: string | null;
  captured_at: string;
  skipped: string;
}

export interface EntryRow {
  chart: number;
  position: number;
  track_id: string;
  uri: string;
  name: string;
  artists: string;
  album: string | null;
  duration_ms: number | null;
  explicit: 0 | 1 | null;
  isrc: string | null;
  added_at: string | null;
  streams: number | null;
  previous_position: number | null;
  movement: string;
  days_on_chart: number;
  peak: number;
  file_peak_rank: number | null;
  file_previous_rank: number | null;
  file_on_chart: number | null;
}

export interface RunRow {
  id: string;
  source: string;
  chart_id: string;
  trigger: string;
  state: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  scheduled_for: string | null;
  chart_date: string | null;
  capture_id: string | null;
  entry_count: number | null;
  error: string | null;
  tasks: string;
}

export interface HistoryRow {
  track_id: string;
  days_on_chart: number;
  peak: number;
  last_date: string;
}

export type SummaryRow = Omit<ChartRow, 'id' | 'capture_id' | 'run_id' | 'skipped'> & {
  entry_count: number;
};

// JSON columns hold SQL NULL for a null value, so the sqlite3 CLI shows what is really missing.
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parsed<T>(text: string | null): T | null {
  return text === null ? null : readJson<T>(text);
}

/** A JSON column's value; text that is not JSON is a damaged row, as SQLite reports damage. */
function readJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new DamagedRow(`a stored value is not readable (${(error as Error).message})`);
  }
}

export function fromCapture(capture: Capture): CaptureRow {
  return {
    id: capture.id,
    source: capture.source,
    chart_id: capture.chartId,
    run_id: capture.runId ?? null,
    captured_at: capture.capturedAt,
    chart_date: capture.chartDate,
    content_hash: capture.contentHash,
    version: capture.version ?? null,
    // The payload is JSON as received; an absent one is stored as JSON null, not refused.
    payload: payloadJson(capture.payload),
  };
}

export function toCapture(row: CaptureRow): Capture {
  return {
    id: row.id,
    source: row.source,
    chartId: row.chart_id,
    runId: row.run_id,
    capturedAt: row.captured_at,
    chartDate: row.chart_date,
    contentHash: row.content_hash,
    version: row.version,
    payload: readJson(row.payload),
  };
}

export function fromChart(chart: ChartSnapshot): Omit<ChartRow, 'id'> {
  return {
    source: chart.source,
    chart_id: chart.chartId,
    chart_date: chart.chartDate,
    title: chart.title,
    capture_id: chart.captureId,
    run_id: chart.runId ?? null,
    captured_at: chart.capturedAt,
    skipped: JSON.stringify(chart.skipped),
  };
}

export function toChart(row: ChartRow, entries: ChartEntry[]): ChartSnapshot {
  return {
    source: row.source,
    chartId: row.chart_id,
    chartDate: row.chart_date,
    title: row.title,
    captureId: row.capture_id,
    runId: row.run_id,
    capturedAt: row.captured_at,
    entries,
    skipped: readJson(row.skipped),
  };
}

export function fromEntry(chart: number, entry: ChartEntry): EntryRow {
  return {
    chart,
    position: entry.position,
    track_id: entry.trackId,
    uri: entry.uri,
    name: entry.name,
    artists: JSON.stringify(entry.artists),
    album: json(entry.album),
    duration_ms: entry.durationMs ?? null,
    // SQLite has no boolean type, and better-sqlite3 refuses to bind one.
    explicit:
      entry.explicit === null || entry.explicit === undefined ? null : entry.explicit ? 1 : 0,
    isrc: entry.isrc ?? null,
    added_at: entry.addedAt ?? null,
    streams: entry.streams ?? null,
    previous_position: entry.previousPosition ?? null,
    movement: entry.movement,
    days_on_chart: entry.daysOnChart,
    peak: entry.peak,
    file_peak_rank: entry.facts?.peakRank ?? null,
    file_previous_rank: entry.facts?.previousRank ?? null,
    file_on_chart: entry.facts?.onChart ?? null,
  };
}

/** Artists as JSON, once per list: an import's entries share the lists of repeated artists. */
const artistsJson = new WeakMap<object, string>();

/**
 * The chart_entries columns, in the order SqliteBulkCharts inserts them and range reads read them, and those a sparse entry has:
 * chart files give no album, duration, explicit flag, ISRC or added date, and most give no
 * facts, so their entries bind 11 values instead of 19 (the rest are NULL in the statement).
 */
export const ENTRY_COLUMNS = [
  'chart',
  'position',
  'track_id',
  'uri',
  'name',
  'artists',
  'album',
  'duration_ms',
  'explicit',
  'isrc',
  'added_at',
  'streams',
  'previous_position',
  'movement',
  'days_on_chart',
  'peak',
  'file_peak_rank',
  'file_previous_rank',
  'file_on_chart',
] as const satisfies readonly (keyof EntryRow)[];
/** The columns only a full entry binds (see isSparse). */
const FULL_ONLY_COLUMNS: ReadonlySet<string> = new Set([
  'album',
  'duration_ms',
  'explicit',
  'isrc',
  'added_at',
  'file_peak_rank',
  'file_previous_rank',
  'file_on_chart',
]);
export const SPARSE_ENTRY_COLUMNS: readonly (typeof ENTRY_COLUMNS)[number][] = ENTRY_COLUMNS.filter(
  (column) => !FULL_ONLY_COLUMNS.has(column),
);

/** Whether an entry has a value in none of the columns a sparse insert leaves NULL. */
export function isSparse(entry: ChartEntry): boolean {
  const facts = entry.facts;
  return (
    !entry.album &&
    entry.durationMs == null &&
    entry.explicit == null &&
    entry.isrc == null &&
    entry.addedAt == null &&
    (!facts || (facts.peakRank == null && facts.previousRank == null && facts.onChart == null))
  );
}

/**
 * Writes an entry's values into `values` from `at`, in the order of ENTRY_COLUMNS (or, with
 * `sparse`, SPARSE_ENTRY_COLUMNS); returns where the next entry's values go. One array is
 * refilled for every statement: an import binds millions of entries.
 */
export function putEntryValues(
  values: unknown[],
  at: number,
  chart: number,
  entry: ChartEntry,
  sparse: boolean,
): number {
  const artists = artistsText(entry.artists);
  let i = at;
  values[i++] = chart;
  values[i++] = entry.position;
  values[i++] = entry.trackId;
  values[i++] = entry.uri;
  values[i++] = entry.name;
  values[i++] = artists;
  if (!sparse) {
    values[i++] = entry.album ? JSON.stringify(entry.album) : null;
    values[i++] = entry.durationMs ?? null;
    values[i++] =
      entry.explicit === null || entry.explicit === undefined ? null : entry.explicit ? 1 : 0;
    values[i++] = entry.isrc ?? null;
    values[i++] = entry.addedAt ?? null;
  }
  values[i++] = entry.streams ?? null;
  values[i++] = entry.previousPosition ?? null;
  values[i++] = entry.movement;
  values[i++] = entry.daysOnChart;
  values[i++] = entry.peak;
  if (!sparse) {
    const facts = entry.facts;
    values[i++] = facts?.peakRank ?? null;
    values[i++] = facts?.previousRank ?? null;
    values[i++] = facts?.onChart ?? null;
  }
  return i;
}

/** An entry's artists as stored (JSON), written once per array of artists (readers share them). */
export function artistsText(artists: ChartEntry['artists']): string {
  let text = artistsJson.get(artists);
  if (text === undefined) {
    text = JSON.stringify(artists);
    artistsJson.set(artists, text);
  }
  return text;
}

export function toEntry(row: EntryRow): ChartEntry {
  return {
    position: row.position,
    trackId: row.track_id,
    uri: row.uri,
    name: row.name,
    artists: readJson(row.artists),
    album: parsed(row.album),
    durationMs: row.duration_ms,
    explicit: row.explicit === null ? null : row.explicit === 1,
    isrc: row.isrc,
    addedAt: row.added_at,
    streams: row.streams,
    previousPosition: row.previous_position,
    movement: row.movement as Movement,
    daysOnChart: row.days_on_chart,
    peak: row.peak,
    ...(row.file_peak_rank !== null || row.file_previous_rank !== null || row.file_on_chart !== null
      ? {
          facts: {
            peakRank: row.file_peak_rank,
            previousRank: row.file_previous_rank,
            onChart: row.file_on_chart,
          },
        }
      : {}),
  };
}

/** The rows of `tracks` and `track_artists` for an entry (artists by lower-cased name and id). */
export function trackRows(entry: NormalisedEntry): {
  track: { id: string; name: string; artists: string; isrc: string | null };
  artists: string[];
} {
  const artists: string[] = [];
  for (const artist of entry.artists) {
    artists.push(artist.name.toLowerCase());
    if (artist.id) artists.push(artist.id);
  }
  return {
    track: {
      id: entry.trackId,
      name: entry.name,
      artists: JSON.stringify(entry.artists),
      isrc: entry.isrc ?? null,
    },
    artists,
  };
}

export function fromRun(run: Run): RunRow {
  return {
    id: run.id,
    source: run.source,
    chart_id: run.chartId,
    trigger: run.trigger,
    state: run.state,
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    scheduled_for: run.scheduledFor ?? null,
    chart_date: run.chartDate ?? null,
    capture_id: run.captureId ?? null,
    entry_count: run.entryCount ?? null,
    error: json(run.error),
    tasks: JSON.stringify(run.tasks),
  };
}

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    source: row.source,
    chartId: row.chart_id,
    trigger: row.trigger as Trigger,
    scheduledFor: row.scheduled_for,
    chartDate: row.chart_date,
    state: row.state as RunState,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    captureId: row.capture_id,
    entryCount: row.entry_count,
    error: parsed(row.error),
    tasks: readJson(row.tasks),
  };
}
