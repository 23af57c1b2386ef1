import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_PLAYLISTS, startEmulator } from '../emulator/emulator.js';
import { emulatorEnvironment } from '../emulator/environment.js';

const CLI = fileURLToPath(new URL('../../bin/chartkeeper.cjs', import.meta.url));

/**
 * The comparison the issue asks for: a bare script in Python's standard library doing what
 * `chartkeeper run` does at its core (a token, the playlist's items, a row in a SQLite table).
 */
const BARE_CAPTURE_PY = `
import base64, datetime, json, os, sqlite3, sys, urllib.request
api, accounts, playlist, path = sys.argv[1:5]
basic = base64.b64encode(f"{os.environ['SPOTIFY_CLIENT_ID']}:{os.environ['SPOTIFY_CLIENT_SECRET']}".encode()).decode()
request = urllib.request.Request(accounts + '/api/token', data=b'grant_type=client_credentials',
    headers={'Authorization': 'Basic ' + basic, 'Content-Type': 'application/x-www-form-urlencoded'})
token = json.load(urllib.request.urlopen(request))['access_token']
request = urllib.request.Request(f'{api}/playlists/{playlist}/items?limit=50', headers={'Authorization': 'Bearer ' + token})
page = urllib.request.urlopen(request).read().decode()
db = sqlite3.connect(path)
db.execute('CREATE TABLE IF NOT EXISTS captures (at TEXT, payload TEXT)')
db.execute('INSERT INTO captures VALUES (?, ?)', (datetime.datetime.now(datetime.timezone.utc).isoformat(), page))
db.commit()
db.close()
`;

// Records the process's peak resident memory when it exits (loaded with --import).
const RSS_PROBE = `
import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.CHARTKEEPER_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

export interface Comparison {
  name: string;
  /** Median wall time of each side, process start to exit, in milliseconds. */
  median: number;
  baseline: { name: string; median: number };
  ratio: number;
  /** The ratio it must not exceed. */
  target: number;
  samples: number;
}

export interface MemoryMeasurement {
  name: string;
  /** Peak resident memory in megabytes (median of the samples). */
  peakMb: number;
  target: number;
  samples: number;
}

function timed(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }) {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    execFile(command, args, options, (error) =>
      error && error.code !== 1 ? reject(error) : resolve(performance.now() - started),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Start-up of `chartkeeper --help` and `chartkeeper chart` (a store with one chart) against
 * `node -e 0`, and `chartkeeper run` (a new store each time, so every task runs) against the
 * bare Python script, all on the same loopback emulator. Samples of the two sides alternate, so
 * that a machine busy for a moment weighs on both alike.
 */
export async function measureStartup(samples: number): Promise<{
  comparisons: Comparison[];
  memory: MemoryMeasurement;
}> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-startup-'));
  const env = emulatorEnvironment(emulator, {
    PATH: process.env.PATH,
    CHARTKEEPER_STORE: join(dir, 'chart.db'),
  });
  const options = { env, cwd: dir };
  try {
    await timed(process.execPath, [CLI, 'run'], options);
    const python = join(dir, 'bare-capture.py');
    writeFileSync(python, BARE_CAPTURE_PY);
    const pairs: {
      name: string;
      baseline: string;
      target: number;
      run: () => Promise<number>;
      base: () => Promise<number>;
    }[] = [
      {
        name: 'chartkeeper --help',
        baseline: 'node -e 0',
        target: 2,
        run: () => timed(process.execPath, [CLI, '--help'], options),
        base: () => timed(process.execPath, ['-e', '0'], options),
      },
      {
        name: 'chartkeeper chart',
        baseline: 'node -e 0',
        target: 2,
        run: () => timed(process.execPath, [CLI, 'chart'], options),
        base: () => timed(process.execPath, ['-e', '0'], options),
      },
      {
        name: 'chartkeeper run (SQLite, 50 entries)',
        baseline: 'a bare Python script (token, page, SQLite row)',
        target: 1,
        run: () => {
          const store = join(dir, `run-${Math.random().toString(36).slice(2)}.db`);
          return timed(process.execPath, [CLI, 'run'], {
            ...options,
            env: { ...env, CHARTKEEPER_STORE: store },
          });
        },
        base: () =>
          timed(
            'python3',
            [
              python,
              emulator.apiUrl,
              emulator.accountsUrl,
              EMULATOR_PLAYLISTS.daily,
              join(dir, `bare-${Math.random().toString(36).slice(2)}.db`),
            ],
            options,
          ),
      },
    ];
    const comparisons: Comparison[] = [];
    for (const pair of pairs) {
      const mine: number[] = [];
      const theirs: number[] = [];
      await pair.run();
      await pair.base();
      for (let i = 0; i < samples; i++) {
        mine.push(await pair.run());
        theirs.push(await pair.base());
      }
      const ratio = median(mine) / median(theirs);
      comparisons.push({
        name: pair.name,
        median: median(mine),
        baseline: { name: pair.baseline, median: median(theirs) },
        ratio,
        target: pair.target,
        samples,
      });
    }

    const probe = join(dir, 'rss-probe.mjs');
    writeFileSync(probe, RSS_PROBE);
    const peaks: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(samples / 3)); i++) {
      const file = join(dir, `rss-${i}`);
      const store = join(dir, `rss-${i}.db`);
      await timed(process.execPath, ['--import', probe, CLI, 'run'], {
        ...options,
        env: { ...env, CHARTKEEPER_STORE: store, CHARTKEEPER_RSS_FILE: file },
      });
      peaks.push(Number(readFileSync(file, 'utf8')) / 1024);
    }
    return {
      comparisons,
      memory: {
        name: 'chartkeeper run, peak resident memory',
        peakMb: median(peaks),
        target: 70,
        samples: peaks.length,
      },
    };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
