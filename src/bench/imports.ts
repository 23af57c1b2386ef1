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
 * (CHARTKEEPER_BENCH_MONGO_ROWS, 2 million by default); then the history queries over the SQLite
 * store the import made.
 */
export async function measureImports(say: Say, verdict: Verdict) {
  const rows = Number(process.env.CHARTKEEPER_BENCH_ROWS ?? 5_000_000);
  const mongoRows = Number(process.env.CHARTKEEPER_BENCH_MONGO_ROWS ?? 2_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-imports-'));
  const imports: ImportMeasurement[] = [];
  try {
    const file = join(dir, 'charts.csv');
    await writeDatasetFile(file, rows);
    const store = join(dir, 'bench.db');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, CHARTKEEPER_STORE: store };
    imports.push(
      await measureImport({
        name: `import of ${rows.toLocaleString('en-US')} dataset rows into SQLite`,
        file,
        rows,
        env,
        targets: { rowsPerSecond: 300_000, peakMb: 300, lastOverFirst: 0.8 },
      }),
    );
    const uri = process.env.MONGODB_URI;
    if (uri) {
      const mongoFile = join(dir, 'mongo.csv');
      await writeDatasetFile(mongoFile, mongoRows);
      imports.push(
        await measureImport({
          name: `import of ${mongoRows.toLocaleString('en-US')} dataset rows into MongoDB`,
          file: mongoFile,
          rows: mongoRows,
          env: { ...env, CHARTKEEPER_STORE: benchDatabase(uri) },
          targets: { rowsPerSecond: null, peakMb: null, lastOverFirst: 0.8 },
        }),
      );
    } else say('import into MongoDB: skipped (set MONGODB_URI)');
    for (const m of imports) say(describeImport(m, verdict));
    const queries = await measureQueries(store);
    for (const q of queries) {
      say(
        `${q.name}: p50 ${q.p50.toFixed(2)} ms, p95 ${q.p95.toFixed(2)} ms over ${q.samples} queries${q.target === null ? '' : ` (${verdict(q.p95 <= q.target)} target p95 <= ${q.target} ms)`}`,
      );
    }
    return { imports, queries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URI with a database of the bench's own as its path (hosts, credentials, options kept). */
function benchDatabase(uri: string): string {
  const [base = '', query] = uri.split('?');
  const hosts = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]*).*$/i, '$1');
  return `${hosts}/ck_bench_${randomBytes(4).toString('hex')}${query ? `?${query}` : ''}`;
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
    parts.push(
      `first million ${Math.round(m.firstMillion).toLocaleString('en-US')} rows/s, last ${Math.round(m.lastMillion).toLocaleString('en-US')} rows/s = ${ratio.toFixed(2)} (${verdict(ratio >= m.targets.lastOverFirst)} target >= ${m.targets.lastOverFirst})`,
    );
  }
  return parts.join('; ');
}

/** Track, artist and movers queries through the app, as the commands make them. */
async function measureQueries(store: string): Promise<QueryMeasurement[]> {
  const { config } = readConfig({ CHARTKEEPER_STORE: store }, process.cwd());
  const app = await openApp(config, { access: 'read' });
  try {
    const keys = await app.listChartKeys();
    const key = { source: keys[0]?.source ?? '', chartId: keys[0]?.chartId ?? '' };
    const chart = await app.findChart({ key });
    const tracks = (chart.chart?.entries ?? []).map((e) => e.trackId);
    const artists = (chart.chart?.entries ?? []).map((e) => e.artists[0]?.name ?? '');
    const dates = (keys[0] ? [keys[0].firstDate, keys[0].lastDate] : []) as string[];
    const time = async (
      name: string,
      target: number | null,
      query: (i: number) => Promise<unknown>,
    ) => {
      const samples: number[] = [];
      await query(0);
      for (let i = 0; i < 100; i++) {
        const started = performance.now();
        await query(i);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return {
        name,
        samples: samples.length,
        p50: samples[49] ?? 0,
        p95: samples[94] ?? 0,
        target,
      };
    };
    const pick = <T>(list: T[], i: number) => list[(i * 7) % Math.max(1, list.length)] as T;
    return [
      await time("a track's history, every chart", 20, (i) =>
        app.trackHistory({ track: pick(tracks, i) }),
      ),
      await time("an artist's history, every chart", 20, (i) =>
        app.artistHistory({ artist: pick(artists, i) }),
      ),
      await time('movers of a chart', 20, (i) =>
        app.movers({ key, date: i % 2 ? dates[1] : undefined, limit: 10 }),
      ),
    ];
  } finally {
    await app.close();
  }
}
