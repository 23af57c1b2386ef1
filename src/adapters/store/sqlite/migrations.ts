import type Database from 'better-sqlite3';
import { ChartkeeperError } from '../../../domain/errors.js';

/** One schema step; `version` is what `PRAGMA user_version` holds once it is applied. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Marks the file as chartkeeper's ('CKPR'), so a foreign SQLite database is never altered. */
export const APPLICATION_ID = 0x434b5052;

/** Every schema step, oldest first. Append only: a released step is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'captures, charts, chart entries and the run ledger',
    sql: `
      CREATE TABLE captures (
        id           TEXT PRIMARY KEY NOT NULL,
        source       TEXT NOT NULL,
        chart_id     TEXT NOT NULL,
        run_id       TEXT,
        captured_at  TEXT NOT NULL,
        chart_date   TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version      TEXT,
        payload      TEXT NOT NULL CHECK (json_valid(payload))
      );
      CREATE INDEX captures_by_key_time ON captures (source, chart_id, captured_at);

      CREATE TABLE charts (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        chart_id    TEXT NOT NULL,
        chart_date  TEXT NOT NULL,
        title       TEXT NOT NULL,
        capture_id  TEXT NOT NULL,
        run_id      TEXT,
        captured_at TEXT NOT NULL,
        skipped     TEXT NOT NULL CHECK (json_valid(skipped)),
        UNIQUE (source, chart_id, chart_date)
      );
      CREATE INDEX charts_by_date ON charts (chart_date);

      CREATE TABLE chart_entries (
        chart             INTEGER NOT NULL REFERENCES charts (id) ON DELETE CASCADE,
        position          INTEGER NOT NULL,
        track_id          TEXT NOT NULL,
        uri               TEXT NOT NULL,
        name              TEXT NOT NULL,
        artists           TEXT NOT NULL CHECK (json_valid(artists)),
        album             TEXT CHECK (json_valid(album)),
        duration_ms       INTEGER,
        explicit          INTEGER,
        isrc              TEXT,
        added_at          TEXT,
        streams           INTEGER,
        previous_position INTEGER,
        movement          TEXT NOT NULL,
        days_on_chart     INTEGER NOT NULL,
        peak              INTEGER NOT NULL,
        PRIMARY KEY (chart, position)
      );
      CREATE INDEX chart_entries_by_track ON chart_entries (track_id);

      CREATE TABLE runs (
        id            TEXT PRIMARY KEY NOT NULL,
        source        TEXT NOT NULL,
        chart_id      TEXT NOT NULL,
        trigger       TEXT NOT NULL,
        state         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        scheduled_for TEXT,
        chart_date    TEXT,
        capture_id    TEXT,
        entry_count   INTEGER,
        error         TEXT CHECK (json_valid(error)),
        tasks         TEXT NOT NULL CHECK (json_valid(tasks))
      );
      CREATE INDEX runs_by_time ON runs (created_at);
      CREATE INDEX runs_by_key_time ON runs (source, chart_id, created_at);

      PRAGMA application_id = ${APPLICATION_ID};
    `,
  },
  {
    version: 2,
    description: 'scheduler leases and settings; runs by state',
    sql: `
      CREATE TABLE leases (
        name       TEXT PRIMARY KEY NOT NULL,
        owner      TEXT NOT NULL,
        expires_at INTEGER NOT NULL -- milliseconds since 1970-01-01 UTC
      );
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );
      CREATE INDEX runs_by_state ON runs (state, created_at);
    `,
  },
  {
    version: 3,
    description: 'chart files: their own counts, tracks and artists for history queries',
    sql: `
      ALTER TABLE chart_entries ADD COLUMN file_peak_rank INTEGER;
      ALTER TABLE chart_entries ADD COLUMN file_previous_rank INTEGER;
      ALTER TABLE chart_entries ADD COLUMN file_on_chart INTEGER;

      -- A track's history reads this index alone (no entry row), then each chart by its id.
      DROP INDEX chart_entries_by_track;
      CREATE INDEX chart_entries_by_track ON chart_entries (track_id, chart, position, streams);
      CREATE INDEX charts_by_key_date ON charts (source, chart_id, chart_date, id);

      -- Every track seen on any chart, as first seen (title search, versions by ISRC).
      CREATE TABLE tracks (
        id      TEXT PRIMARY KEY NOT NULL,
        name    TEXT NOT NULL,
        artists TEXT NOT NULL CHECK (json_valid(artists)),
        isrc    TEXT
      ) WITHOUT ROWID;
      CREATE INDEX tracks_by_isrc ON tracks (isrc) WHERE isrc IS NOT NULL;

      -- Each artist's tracks, by lower-cased name and by Spotify artist id where known.
      CREATE TABLE track_artists (
        artist   TEXT NOT NULL,
        track_id TEXT NOT NULL,
        PRIMARY KEY (artist, track_id)
      ) WITHOUT ROWID;

      INSERT OR IGNORE INTO tracks (id, name, artists, isrc)
        SELECT track_id, name, artists, isrc FROM chart_entries ORDER BY chart;
      UPDATE tracks SET isrc = (SELECT e.isrc FROM chart_entries e
        WHERE e.track_id = tracks.id AND e.isrc IS NOT NULL LIMIT 1) WHERE isrc IS NULL;
      INSERT OR IGNORE INTO track_artists (artist, track_id)
        SELECT lower(json_extract(a.value, '$.name')), t.id FROM tracks t, json_each(t.artists) a
        WHERE json_extract(a.value, '$.name') IS NOT NULL;
      INSERT OR IGNORE INTO track_artists (artist, track_id)
        SELECT json_extract(a.value, '$.id'), t.id FROM tracks t, json_each(t.artists) a
        WHERE json_extract(a.value, '$.id') IS NOT NULL;
    `,
  },
];

/** The schema version this code writes. */
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings the file's schema up to the newest version, each step in its own write transaction.
 * Refuses files this code must not touch: another program's database, or a newer schema.
 */
export function migrate(
  db: Database.Database,
  location: string,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const latest = migrations.at(-1)?.version ?? 0;
  // Checked without a lock first, so opening an up-to-date file never waits for a writer.
  if (checkIdentity(db, location, latest) === latest) return;
  const apply = db.transaction((migration: Migration) => {
    // Another process may have migrated since the unlocked check: decide again under the lock.
    if (checkIdentity(db, location, latest) >= migration.version) return;
    db.exec(migration.sql);
    db.pragma(`user_version = ${migration.version}`);
  });
  for (const migration of migrations) apply.immediate(migration);
}

/**
 * The file's schema version, after making sure it is chartkeeper's (or empty) and not newer than
 * this code. Only reads: a file that fails the check has not been written to.
 */
export function checkIdentity(
  db: Database.Database,
  location: string,
  latest: number = LATEST_VERSION,
): number {
  // One read transaction: read apart, another process's first migration could commit in between
  // (tables present, application id not yet seen) and the file would pass for a foreign one.
  const { applicationId, version, tables } = db.transaction(() => ({
    applicationId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare('SELECT count(*) AS tables FROM sqlite_schema').get() as { tables: number })
      .tables,
  }))();
  if (applicationId !== APPLICATION_ID && tables > 0) {
    throw new ChartkeeperError(
      'store-unreadable',
      `${location} is a SQLite database, but not one of chartkeeper's; it was left untouched.`,
      {
        hint: 'Point the store setting (CHARTKEEPER_STORE) at a chartkeeper database, or at a new path to start one.',
        permanent: true,
      },
    );
  }
  if (version > latest) {
    throw new ChartkeeperError(
      'store-too-new',
      `${location} was written by a newer chartkeeper (schema version ${version}; this one knows up to ${latest}).`,
      { hint: 'Upgrade chartkeeper to open this store.', permanent: true },
    );
  }
  return version;
}
