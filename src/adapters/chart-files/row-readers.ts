import type { Artist, ChartFacts, NormalisedEntry } from '../../domain/chart.js';
import { isChartDate } from '../../domain/chart-date.js';
import { CHART_FILE_FORMATS, type ChartFileRow } from '../../domain/chart-file.js';
import type { CsvLayout } from './detect.js';
import {
  artistsOfRow,
  Memo,
  sharedArtistsOf,
  type TrackRef,
  trackRefOf,
  wholeNumber,
} from './fields.js';
import { columnNames } from './headers.js';
import type { RegionCodes } from './regions.js';

/** Reads one row's fields: a chart file row, or why the row cannot be one. */
export type RowReader = (fields: string[], line: number) => ChartFileRow | string;

export type RowContext =
  | { format: typeof CHART_FILE_FORMATS.dataset; regionCodes: RegionCodes }
  | {
      format: Exclude<CsvLayout['format'], typeof CHART_FILE_FORMATS.dataset>;
      chartId: string;
      chartDate: string;
    };

/** The reader of `layout`'s rows, its columns found by their header names. */
export function rowReader(layout: CsvLayout, context: RowContext): RowReader {
  const columns = columnIndexes(layout.header);
  const memos: Memos = { tracks: new Memo(trackRefOf), artists: new Memo(sharedArtistsOf) };
  if (context.format === CHART_FILE_FORMATS.dataset) {
    return datasetReader(columns, layout.header.length, memos, context.regionCodes);
  }
  if (context.format === CHART_FILE_FORMATS.chartsSpotify) {
    return chartsSpotifyReader(
      columns,
      layout.header.length,
      memos,
      context.chartId,
      context.chartDate,
    );
  }
  return legacyReader(columns, layout.header.length, memos, context.chartId, context.chartDate);
}

type Columns = (name: string) => number;

/** Readings shared by the rows of a file (see Memo). */
interface Memos {
  tracks: Memo<TrackRef | null>;
  artists: Memo<Artist[]>;
}

function columnIndexes(header: string[]): Columns {
  const names = columnNames(header);
  return (name) => names.indexOf(name);
}

/** A column that may be missing reads as empty. */
function field(fields: string[], index: number): string {
  return index === -1 ? '' : fields[index]!;
}

/** A row's entry; `artistsField` is the row's artists column as read. */
function entryOf(
  position: number,
  track: TrackRef,
  name: string,
  artistsField: string,
  memos: Memos,
  streams: number | null,
  facts: ChartFacts | null,
): NormalisedEntry {
  return {
    position,
    trackId: track.trackId,
    uri: track.uri,
    name,
    artists: artistsOfRow(track, artistsField, memos.artists),
    album: null,
    durationMs: null,
    explicit: null,
    isrc: null,
    addedAt: null,
    streams,
    facts,
  };
}

function fieldCount(expected: number, found: number): string {
  return `expected ${expected} fields as in the header, found ${found}`;
}

/** A field's text as a reason quotes it: cut short, since a broken row can hold anything. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function badRank(text: string, column: string): string {
  return `${column}: expected a whole number of at least 1, found ${quoted(text)}`;
}

function badTrack(text: string, column: string): string {
  return `${column}: not a Spotify track (spotify:track:… or https://open.spotify.com/track/…): ${quoted(text)}`;
}

/** Streams, null when the column is missing or empty; a string says what is wrong. */
function streamsOf(text: string): number | null | string {
  if (text === '') return null;
  const streams = wholeNumber(text);
  if (!Number.isNaN(streams)) return streams;
  return text.startsWith('-')
    ? `streams: negative (${quoted(text)})`
    : `streams: expected a whole number, found ${quoted(text)}`;
}

function chartsSpotifyReader(
  column: Columns,
  width: number,
  memos: Memos,
  chartId: string,
  chartDate: string,
): RowReader {
  const rank = column('rank');
  const uri = column('uri');
  const artists = column('artist_names');
  const name = column('track_name');
  const streams = column('streams');
  const peak = column('peak_rank');
  const previous = column('previous_rank');
  const days = column('days_on_chart');
  const onChart = days === -1 ? column('weeks_on_chart') : days;
  return (fields, line) => {
    if (fields.length !== width) return fieldCount(width, fields.length);
    const position = wholeNumber(fields[rank]!);
    if (!(position >= 1)) return badRank(fields[rank]!, 'rank');
    const track = memos.tracks.get(fields[uri]!);
    if (track === null) return badTrack(fields[uri]!, 'uri');
    const title = fields[name]!;
    if (title === '') return 'track_name is empty';
    const count = streamsOf(field(fields, streams));
    if (typeof count === 'string') return count;
    const facts: ChartFacts = {
      peakRank: rankOrNull(field(fields, peak)),
      previousRank: rankOrNull(field(fields, previous)),
      onChart: rankOrNull(field(fields, onChart)),
    };
    return {
      line,
      chartId,
      chartDate,
      entry: entryOf(position, track, title, fields[artists]!, memos, count, facts),
    };
  };
}

/** A rank or count of the file's facts; -1, 0 or empty (a new entry's previous rank) is null. */
function rankOrNull(text: string): number | null {
  const value = wholeNumber(text);
  return value >= 1 ? value : null;
}

function legacyReader(
  column: Columns,
  width: number,
  memos: Memos,
  chartId: string,
  chartDate: string,
): RowReader {
  const rank = column('position');
  const name = column('track name');
  const artists = column('artist');
  const streams = column('streams');
  const url = column('url');
  return (fields, line) => {
    if (fields.length !== width) return fieldCount(width, fields.length);
    const position = wholeNumber(fields[rank]!);
    if (!(position >= 1)) return badRank(fields[rank]!, 'Position');
    const track = memos.tracks.get(fields[url]!);
    if (track === null) return badTrack(fields[url]!, 'URL');
    const title = fields[name]!;
    if (title === '') return 'Track Name is empty';
    const count = streamsOf(field(fields, streams));
    if (typeof count === 'string') return count;
    return {
      line,
      chartId,
      chartDate,
      entry: entryOf(position, track, title, fields[artists]!, memos, count, null),
    };
  };
}

const DATASET_CHARTS = new Map([
  ['top200', 'regional'],
  ['viral50', 'viral'],
]);

function datasetReader(
  column: Columns,
  width: number,
  memos: Memos,
  regionCodes: RegionCodes,
): RowReader {
  const title = column('title');
  const rank = column('rank');
  const date = column('date');
  const artists = column('artist');
  const url = column('url');
  const region = column('region');
  const chart = column('chart');
  const streams = column('streams');
  // The date as first read stands for every row of that date; null for what is not a date.
  const dates = new Memo((text) => (isChartDate(text) ? text : null), {
    limit: 10_000,
    runs: true,
  });
  // chart → region name → chart id, or why there is none: the same few hundred pairs repeat.
  const chartIds = new Memo(
    (chartName) =>
      new Memo((regionName) => datasetChartId(chartName, regionName, regionCodes), {
        limit: 10_000,
        runs: true,
      }),
    { limit: 100, runs: true },
  );
  return (fields, line) => {
    if (fields.length !== width) return fieldCount(width, fields.length);
    const position = wholeNumber(fields[rank]!);
    if (!(position >= 1)) return badRank(fields[rank]!, 'rank');
    const chartDate = dates.get(fields[date]!);
    if (chartDate === null) return `date: not a date YYYY-MM-DD: ${quoted(fields[date]!)}`;
    const chartId = chartIds.get(fields[chart]!).get(fields[region]!);
    if (chartId.reason !== null) return chartId.reason;
    const track = memos.tracks.get(fields[url]!);
    if (track === null) return badTrack(fields[url]!, 'url');
    const name = fields[title]!;
    if (name === '') return 'title is empty';
    const count = streamsOf(field(fields, streams));
    if (typeof count === 'string') return count;
    return {
      line,
      chartId: chartId.id,
      chartDate,
      entry: entryOf(position, track, name, fields[artists]!, memos, count, null),
    };
  };
}

/** A dataset row's chart id, or why it has none. */
type DatasetChart = { id: string; reason: null } | { id: null; reason: string };

function datasetChartId(
  chartName: string,
  regionName: string,
  regionCodes: RegionCodes,
): DatasetChart {
  const type = DATASET_CHARTS.get(chartName);
  if (type === undefined) {
    return { id: null, reason: `chart: expected top200 or viral50, found ${quoted(chartName)}` };
  }
  const code = regionCodes(regionName);
  if (code === null) return { id: null, reason: `region: unknown region ${quoted(regionName)}` };
  // The dataset holds daily charts only.
  return { id: `${type}-${code}-daily`, reason: null };
}
