import type Database from 'better-sqlite3';
import type { Artist, ChartKey } from '../../../domain/chart.js';
import type { Appearance, TrackInfo } from '../../../domain/history.js';
import { DamagedRow } from './errors.js';
import { lazily } from './statements.js';

export type HistoryStatements = ReturnType<typeof prepareHistoryStatements>;

export interface KeySummaryRow {
  source: string;
  chart_id: string;
  title: string;
  first_date: string;
  last_date: string;
  chart_count: number;
}

export interface TrackRow {
  id: string;
  name: string;
  artists: string;
  isrc: string | null;
}

export interface AppearanceRow {
  source: string;
  chart_id: string;
  chart_date: string;
  position: number;
  track_id: string;
  streams: number | null;
}

type KeyOrAll = { source: string | null; chartId: string | null };

/**
 * The statements history and analytics read with (see ChartHistory), each served by an index:
 * charts_by_key_date for keys and dates, chart_entries_by_track (track_id, chart, position,
 * streams) for a track's appearances without reading an entry row, tracks and track_artists by
 * their primary keys.
 */
export function prepareHistoryStatements(db: Database.Database) {
  return lazily({
    // Grouped along charts_by_key_date; the title is the latest chart's, one index seek per key.
    chartKeys: () =>
      db.prepare<[], KeySummaryRow>(
        `SELECT c.source, c.chart_id, min(c.chart_date) AS first_date,
         max(c.chart_date) AS last_date, count(*) AS chart_count,
         (SELECT l.title FROM charts l WHERE l.source = c.source AND l.chart_id = c.chart_id
          ORDER BY l.chart_date DESC LIMIT 1) AS title
       FROM charts c INDEXED BY charts_by_key_date
       GROUP BY c.source, c.chart_id ORDER BY c.source, c.chart_id`,
      ),
    chartDates: () =>
      db.prepare<ChartKey & { from: string; to: string }, { chart_date: string }>(
        `SELECT chart_date FROM charts INDEXED BY charts_by_key_date
       WHERE source = @source AND chart_id = @chartId AND chart_date BETWEEN @from AND @to
       ORDER BY chart_date`,
      ),
    // Ids travel as one JSON array, so no list can exceed SQLite's bound-variable limit.
    tracksById: () =>
      db.prepare<[string], TrackRow>(
        `SELECT t.id, t.name, t.artists, t.isrc FROM json_each(?) AS wanted
         CROSS JOIN tracks t ON t.id = wanted.value`,
      ),
    tracksByIsrc: () =>
      db.prepare<[string], TrackRow>(
        `SELECT t.id, t.name, t.artists, t.isrc FROM json_each(?) AS wanted
         CROSS JOIN tracks t INDEXED BY tracks_by_isrc ON t.isrc = wanted.value`,
      ),
    // A substring can use no index: this reads the tracks table (one row per track, not per entry).
    searchTracks: () =>
      db.prepare<{ pattern: string; limit: number }, TrackRow>(
        `SELECT id, name, artists, isrc FROM tracks WHERE name LIKE @pattern ESCAPE '\\'
       ORDER BY name, id LIMIT @limit`,
      ),
    artistTracks: () =>
      db.prepare<{ id: string; name: string }, TrackRow>(
        `SELECT DISTINCT t.id, t.name, t.artists, t.isrc FROM track_artists a
         CROSS JOIN tracks t ON t.id = a.track_id
       WHERE a.artist IN (@id, @name)`,
      ),
    // CROSS JOIN pins the order: each wanted track's entries from the covering index alone
    // (chart_entries_by_track; not named here, as a large import rebuilds it), then each chart by
    // its id. On one chart, an entry's chart is first looked up among the key's chart ids, made
    // once (`+` keeps that a look-up rather than a seek per chart of the key): a hit artist's
    // tracks have tens of thousands of entries on other charts, and reading each one's chart
    // row took three times as long.
    appearancesOf: () =>
      db.prepare<KeyOrAll & { trackIds: string }, AppearanceRow>(
        `SELECT c.source, c.chart_id, c.chart_date, e.position, e.track_id, e.streams
       FROM json_each(@trackIds) AS wanted
         CROSS JOIN chart_entries e ON e.track_id = wanted.value
         CROSS JOIN charts c ON c.id = e.chart
       WHERE @source IS NULL OR +e.chart IN (SELECT id FROM charts
         WHERE source = @source AND chart_id = @chartId)
       ORDER BY c.source, c.chart_id, c.chart_date, e.position`,
      ),
    // The key's charts of the period by charts_by_key_date, then their entries by primary key.
    appearancesBetween: () =>
      db.prepare<ChartKey & { from: string; to: string }, AppearanceRow>(
        `SELECT c.source, c.chart_id, c.chart_date, e.position, e.track_id, e.streams
       FROM charts c INDEXED BY charts_by_key_date CROSS JOIN chart_entries e ON e.chart = c.id
       WHERE c.source = @source AND c.chart_id = @chartId
         AND c.chart_date BETWEEN @from AND @to
       ORDER BY c.chart_date, e.position`,
      ),
  });
}

export function toTrack(row: TrackRow): TrackInfo {
  let artists: Artist[];
  try {
    artists = JSON.parse(row.artists) as Artist[];
  } catch (error) {
    throw new DamagedRow(`a stored value is not readable (${(error as Error).message})`);
  }
  return { id: row.id, name: row.name, artists, isrc: row.isrc };
}

export function toAppearance(row: AppearanceRow): Appearance {
  return {
    source: row.source,
    chartId: row.chart_id,
    chartDate: row.chart_date,
    position: row.position,
    trackId: row.track_id,
    streams: row.streams,
  };
}

/** A LIKE pattern matching `text` anywhere, its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
