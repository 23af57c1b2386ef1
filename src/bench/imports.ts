import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../app/config.js';
import { openApp } from '../app/open-app.js';
import { type ImportMeasurement, measureImport, writeDatasetFile } from './import.js';

type Say = (line: string) => void;
type Verdict = (ok: boolean) => string;

export interface QueryMeasurement {
  name: string;
  samples: number;
  p50: number;
  p95: number;
  target: number | null;
}

/**
 * Imports of a synthetic file in the public dataset's format (5 million rows; set
 * CHARTKEEPER_BENCH_ROWS to change it) into SQLite, and into MongoDB when MONGODB_URI is set
 * (CHARTKEEPER_BENCH_MONGO_ROWS, 2 million by default), timing the history queries on the store
 * imported there; then the history queries over a SQLite store of 5 years of 71 daily charts (26
 * million entries; CHARTKEEPER_BENCH_QUERY_ROWS), made by importing such a file.
 */
export async function measureImports(say: Say, verdict: Verdict) {
  const rows = Number(process.env.CHARTKEEPER_BENCH_ROWS ?? 5_000_000);
  const mongoRows = Number(process.env.CHARTKEEPER_BENCH_MONGO_ROWS ?? 2_000_000);
  const queryRows = Number(process.env.CHARTKEEPER_BENCH_QUERY_ROWS ?? 26_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-imports-'));
  const imports: ImportMeasurement[] = [];
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  try {
    const file = join(dir, 'charts.csv');
    await writeDatasetFile(file, rows);
    imports.push(
      await measureImport({
        name: `import of ${rows.toLocaleString('en-US')} dataset rows into SQLite`,
        file,
        rows,
        env: { ...env, CHARTKEEPER_STORE: join(dir, 'import.db') },
        targets: { rowsPerSecond: 300_000, peakMb: 300, lastOverFirst: 0.8 },
      }),
    );
    say(describeImport(imports[0] as ImportMeasurement, verdict));
    rmSync(file);
    rmSync(join(dir, 'import.db'), { force: true });
    const uri = process.env.MONGODB_URI;
    const mongoQueries: QueryMeasurement[] = [];
    if (uri) {
      const mongoFile = join(dir, 'mongo.csv');
      await writeDatasetFile(mongoFile, mongoRows);
      const database = `ck_bench_${randomBytes(4).toString('hex')}`;
      try {
        const measured = await measureImport({
          name: `import of ${mongoRows.toLocaleString('en-US')} dataset rows into MongoDB`,
          file: mongoFile,
          rows: mongoRows,
          env: { ...env, CHARTKEEPER_STORE: withDatabase(uri, database) },
          targets: { rowsPerSecond: null, peakMb: null, lastOverFirst: 0.8 },
        });
        imports.push(measured);
        say(describeImport(measured, verdict));
        rmSync(mongoFile);
        // The same queries on the store just imported (no targets: its size is set apart).
        for (const q of await measureQueries(withDatabase(uri, database), 'MongoDB')) {
          const measured = { ...q, target: null };
          mongoQueries.push(measured);
          say(describeQuery(measured, verdict));
        }
      } finally {
        await dropDatabase(uri, database);
      }
    } else say('import into MongoDB: skipped (set MONGODB_URI)');

    const store = join(dir, 'history.db');
    const history = join(dir, 'history.csv');
    await writeDatasetFile(history, queryRows);
    const built = await measureImport({
      name: `import of ${queryRows.toLocaleString('en-US')} dataset rows into SQLite (the store queried next)`,
      file: history,
      rows: queryRows,
      env: { ...env, CHARTKEEPER_STORE: store },
      // Set-up for the queries, reported without targets (those are set for 5 million rows):
      // its memory grows with the tracks and (chart, track) pairs whose history the derivation
      // keeps, 377,000 and 800,000 in this file.
      targets: { rowsPerSecond: null, peakMb: null, lastOverFirst: null },
    });
    imports.push(built);
    say(describeImport(built, verdict));
    rmSync(history);
    const queries = await measureQueries(store, 'SQLite');
    for (const q of queries) say(describeQuery(q, verdict));
    return { imports, queries: [...queries, ...mongoQueries] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URI with `database` as its path (hosts, credentials and options kept). */
function withDatabase(uri: string, database: string): string {
  const [base = '', query] = uri.split('?');
  const hosts = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]*).*$/i, '$1');
  return `${hosts}/${database}${query ? `?${query}` : ''}`;
}

/** Removes the bench's database (it holds millions of rows). */
async function dropDatabase(uri: string, database: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(uri, { socketTimeoutMS: 300_000 });
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}

function describeImport(m: ImportMeasurement, verdict: Verdict): string {
  const parts = [
    `${m.name}: ${Math.round(m.rowsPerSecond).toLocaleString('en-US')} rows/s (${m.seconds.toFixed(1)} s)`,
  ];
  if (m.targets.rowsPerSecond !== null) {
    parts.push(
      `${verdict(m.rowsPerSecond >= m.targets.rowsPerSecond)} target >= ${m.targets.rowsPerSecond.toLocaleString('en-US')}`,
    );
  }
  parts.push(`peak ${m.peakMb.toFixed(0)} MB`);
  if (m.targets.peakMb !== null) {
    parts.push(`${verdict(m.peakMb <= m.targets.peakMb)} target <= ${m.targets.peakMb} MB`);
  }
  if (m.firstMillion && m.lastMillion) {
    const ratio = m.lastMillion / m.firstMillion;
    const target = m.targets.lastOverFirst;
    parts.push(
      `first million ${Math.round(m.firstMillion).toLocaleString('en-US')} rows/s, last ${Math.round(m.lastMillion).toLocaleString('en-US')} rows/s = ${ratio.toFixed(2)}${target === null ? '' : ` (${verdict(ratio >= target)} target >= ${target})`}`,
    );
  }
  return parts.join('; ');
}

function describeQuery(q: QueryMeasurement, verdict: Verdict): string {
  const target =
    q.target === null ? '' : ` (${verdict(q.p95 <= q.target)} target p95 <= ${q.target} ms)`;
  return `${q.name}: p50 ${q.p50.toFixed(2)} ms, p95 ${q.p95.toFixed(2)} ms over ${q.samples} queries${target}`;
}

/**
 * Track, artist and movers queries through the app, as the commands make them, on `store` (a
 * SQLite path or a MongoDB URI); `kind` names it in the results.
 */
async function measureQueries(store: string, kind: string): Promise<QueryMeasurement[]> {
  const { config } = readConfig({ CHARTKEEPER_STORE: store }, process.cwd());
  const app = await openApp(config, { access: 'read' });
  try {
    const key = { source: 'spotify-charts', chartId: 'regional-global-daily' };
    const { chart } = await app.findChart({ key });
    const dates = (await app.listChartKeys()).find((k) => k.chartId === key.chartId);
    const tracks = (chart?.entries ?? []).map((e) => e.trackId);
    const artists = (chart?.entries ?? []).map((e) => e.artists[0]?.name ?? '');
    const pick = <T>(list: T[], i: number) => list[(i * 7) % Math.max(1, list.length)] as T;
    // A date of the key's 5 years, a different one each time.
    const dayOf = (i: number) => {
      const first = Date.parse(dates?.firstDate ?? '2017-01-01');
      const span = Date.parse(dates?.lastDate ?? '2017-01-01') - first;
      return new Date(first + ((i * 7_919) % 1_000) * (span / 1_000)).toISOString().slice(0, 10);
    };
    const time = async (
      name: string,
      target: number | null,
      query: (i: number) => Promise<unknown>,
    ): Promise<QueryMeasurement> => {
      const samples: number[] = [];
      await query(0);
      for (let i = 0; i < 100; i++) {
        const started = performance.now();
        await query(i);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return {
        name: `${name} (${kind})`,
        samples: samples.length,
        p50: samples[49] ?? 0,
        p95: samples[94] ?? 0,
        target,
      };
    };
    return [
      await time("a track's history on one chart", 20, (i) =>
        app.trackHistory({ track: pick(tracks, i), key }),
      ),
      await time("an artist's history on one chart", 20, (i) =>
        app.artistHistory({ artist: pick(artists, i), key }),
      ),
      await time('movers of a chart on a day', 20, (i) =>
        app.movers({ key, date: dayOf(i), limit: 10 }),
      ),
      await time("a track's history on every chart", null, (i) =>
        app.trackHistory({ track: pick(tracks, i) }),
      ),
      await time("an artist's history on every chart", null, (i) =>
        app.artistHistory({ artist: pick(artists, i) }),
      ),
    ];
  } finally {
    await app.close();
  }
}
