import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/chartkeeper.cjs', import.meta.url));

// Records the process's peak resident memory when it exits (loaded with --import).
const RSS_PROBE = `
import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.CHARTKEEPER_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

/** The dataset's regions (70 countries and Global). */
const REGIONS = [
  'Global',
  'Argentina',
  'Australia',
  'Austria',
  'Belgium',
  'Bolivia',
  'Brazil',
  'Bulgaria',
  'Canada',
  'Chile',
  'Colombia',
  'Costa Rica',
  'Czech Republic',
  'Denmark',
  'Dominican Republic',
  'Ecuador',
  'Egypt',
  'El Salvador',
  'Estonia',
  'Finland',
  'France',
  'Germany',
  'Greece',
  'Guatemala',
  'Honduras',
  'Hong Kong',
  'Hungary',
  'Iceland',
  'India',
  'Indonesia',
  'Ireland',
  'Israel',
  'Italy',
  'Japan',
  'Latvia',
  'Lithuania',
  'Luxembourg',
  'Malaysia',
  'Mexico',
  'Morocco',
  'Netherlands',
  'New Zealand',
  'Nicaragua',
  'Norway',
  'Panama',
  'Paraguay',
  'Peru',
  'Philippines',
  'Poland',
  'Portugal',
  'Romania',
  'Russia',
  'Saudi Arabia',
  'Singapore',
  'Slovakia',
  'South Africa',
  'South Korea',
  'Spain',
  'Sweden',
  'Switzerland',
  'Taiwan',
  'Thailand',
  'Turkey',
  'Ukraine',
  'United Arab Emirates',
  'United Kingdom',
  'United States',
  'Uruguay',
  'Vietnam',
  'Andorra',
];
/** Tracks on charts everywhere, and each region's own. */
const GLOBAL_TRACKS = 4_000;
const REGIONAL_TRACKS = 1_500;

export interface ImportMeasurement {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakMb: number;
  /** Rows per second over the first and the last million rows (from the progress lines). */
  firstMillion: number | null;
  lastMillion: number | null;
  targets: { rowsPerSecond: number | null; peakMb: number | null; lastOverFirst: number };
}

/**
 * Writes a file in the public dataset's format: `rows` rows, 200 per chart, the charts of the
 * dataset's 71 regions day after day. Three in five places go to tracks charting everywhere
 * (4,000), the rest to each region's own (1,500 each), drifting day by day so that tracks climb,
 * fall, leave and come back; an artist has a handful of tracks. Titles carry commas and quotes
 * as real ones do.
 */
export async function writeDatasetFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((done) => out.once('drain', done));
  await write('title,rank,date,artist,url,region,chart,trend,streams\n');
  let written = 0;
  let chunk = '';
  for (let day = 0; written < rows; day++) {
    const date = new Date(Date.UTC(2017, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    for (let r = 0; r < REGIONS.length && written < rows; r++) {
      for (let rank = 1; rank <= 200 && written < rows; rank++) {
        const everywhere = (rank + day + r) % 5 < 3;
        const track = everywhere
          ? (rank * 13 + Math.floor(day / 5) * 7 + r * 3) % GLOBAL_TRACKS
          : GLOBAL_TRACKS +
            r * REGIONAL_TRACKS +
            ((rank * 7 + Math.floor(day / 4) * 11) % REGIONAL_TRACKS);
        const artist = everywhere ? track % 1_200 : 1_200 + Math.floor(track / 4);
        const id = `${track.toString(36).padStart(5, '0')}${'A'.repeat(17)}`;
        const title = track % 17 === 0 ? `"Song ${track}, ""Live"""` : `Song ${track}`;
        chunk += `${title},${rank},${date},Artist ${artist},https://open.spotify.com/track/${id},${REGIONS[r]},top200,MOVE_UP,${(400_000 - rank * 1_000).toFixed(1)}\n`;
        written += 1;
      }
      if (chunk.length > 1_000_000) {
        await write(chunk);
        chunk = '';
      }
    }
  }
  await write(chunk);
  await new Promise<void>((done) => out.end(done));
}

/** Runs `chartkeeper import FILE` and measures its wall time, memory and progress. */
export async function measureImport(options: {
  name: string;
  file: string;
  rows: number;
  env: NodeJS.ProcessEnv;
  targets: ImportMeasurement['targets'];
}): Promise<ImportMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-import-'));
  try {
    const probe = join(dir, 'rss-probe.mjs');
    writeFileSync(probe, RSS_PROBE);
    const rssFile = join(dir, 'rss');
    const progress: { at: number; rows: number }[] = [];
    const started = performance.now();
    await new Promise<void>((done, fail) => {
      const child = spawn(
        process.execPath,
        ['--import', probe, CLI, 'import', options.file, '--json'],
        {
          env: { ...options.env, CHARTKEEPER_RSS_FILE: rssFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stdout.resume();
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        for (const match of chunk.toString().matchAll(/: ([\d,]+) rows/g)) {
          progress.push({ at: performance.now(), rows: Number(match[1]?.replaceAll(',', '')) });
        }
      });
      child.on('exit', (code) =>
        code === 0 ? done() : fail(new Error(`import exited with ${code}: ${stderr.slice(-500)}`)),
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = (from: number, to: number) => {
      const a = progress.find((p) => p.rows >= from);
      const b = progress.find((p) => p.rows >= to);
      return a && b && b.at > a.at ? (b.rows - a.rows) / ((b.at - a.at) / 1000) : null;
    };
    const first = progress.length ? rate(progress[0]?.rows ?? 0, 1_000_000) : null;
    const lastRows = progress.at(-1)?.rows ?? 0;
    return {
      name: options.name,
      rows: options.rows,
      seconds,
      rowsPerSecond: options.rows / seconds,
      peakMb: Number(readFileSync(rssFile, 'utf8')) / 1024,
      firstMillion: first,
      lastMillion: lastRows >= 2_000_000 ? rate(lastRows - 1_000_000, lastRows) : null,
      targets: options.targets,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
