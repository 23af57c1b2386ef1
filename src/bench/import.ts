import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../emulator/hash.js';

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
/** Tracks on charts everywhere at a time, the artists they are by, and each region's own artists. */
const GLOBAL_HITS = 400;
const HIT_ARTISTS = 300;
const REGION_ARTISTS = 60;
/** Of a chart's tracks, those that leave it each day; of the global hits, those replaced. */
const LEAVING = 0.04;
const HITS_REPLACED = 0.02;

export interface ImportMeasurement {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakMb: number;
  /** Rows per second over the first and the last million rows (from the progress lines). */
  firstMillion: number | null;
  lastMillion: number | null;
  targets: { rowsPerSecond: number | null; peakMb: number | null; lastOverFirst: number | null };
}

/**
 * Writes a file in the public dataset's format: `rows` rows, 200 per chart, the charts of the
 * dataset's 71 regions day after day. As on the real charts, each chart carries on from the day
 * before: about one in 25 of its tracks leaves each day and the others move a few places. Of the
 * tracks coming in, three in five are among the 400 hits charting everywhere at the time (one in
 * 50 of which gives way to a new hit each day), one in ten comes back, and the rest are new
 * tracks of the region's own artists: 5 million rows hold about 80,000 tracks. Titles carry
 * commas and quotes as real ones do. The same rows every time (a seeded generator).
 */
export async function writeDatasetFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((done) => out.once('drain', done));
  await write('title,rank,date,artist,url,region,chart,trend,streams\n');
  // Seeded: the bench measures the same file on every run.
  const random = seededRandom(2017);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const artistOf: number[] = [];
  const newTrack = (artist: number) => artistOf.push(artist) - 1;
  const hits = Array.from({ length: GLOBAL_HITS }, (_, i) => newTrack(i % HIT_ARTISTS));
  const regions = REGIONS.map((_, r) => ({
    artists: Array.from({ length: REGION_ARTISTS }, (_, i) => HIT_ARTISTS + r * REGION_ARTISTS + i),
    chart: [] as number[],
    left: [] as number[],
  }));
  const incoming = (region: (typeof regions)[number]): number => {
    const roll = random();
    if (roll < 0.6) return pick(hits);
    if (roll < 0.7 && region.left.length > 0) return pick(region.left);
    return newTrack(pick(region.artists));
  };
  let written = 0;
  let chunk = '';
  for (let day = 0; written < rows; day++) {
    const date = new Date(Date.UTC(2017, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < GLOBAL_HITS; i++) {
      if (random() < HITS_REPLACED) hits[i] = newTrack(Math.floor(random() * HIT_ARTISTS));
    }
    for (let r = 0; r < REGIONS.length && written < rows; r++) {
      const region = regions[r] as (typeof regions)[number];
      // Each track's place today: yesterday's moved a little, newcomers anywhere.
      const places: { track: number; place: number }[] = [];
      region.chart.forEach((track, i) => {
        if (random() < LEAVING) region.left = [track, ...region.left.slice(0, 49)];
        else places.push({ track, place: i + (random() - 0.5) * 8 });
      });
      const on = new Set(places.map((p) => p.track));
      while (places.length < 200) {
        const track = incoming(region);
        if (on.has(track)) continue;
        on.add(track);
        places.push({ track, place: random() * 200 });
      }
      region.chart = places.sort((a, b) => a.place - b.place).map((p) => p.track);
      for (let rank = 1; rank <= 200 && written < rows; rank++) {
        const track = region.chart[rank - 1] as number;
        const id = `${track.toString(36).padStart(5, '0')}${'A'.repeat(17)}`;
        const title = track % 17 === 0 ? `"Song ${track}, ""Live"""` : `Song ${track}`;
        chunk += `${title},${rank},${date},Artist ${artistOf[track]},https://open.spotify.com/track/${id},${REGIONS[r]},top200,MOVE_UP,${(400_000 - rank * 1_000).toFixed(1)}\n`;
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
      // The last progress line comes up to a second before the end: a 2-million-row import's may
      // say 1,996,000.
      lastMillion: lastRows >= 1_900_000 ? rate(lastRows - 1_000_000, lastRows) : null,
      targets: options.targets,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
