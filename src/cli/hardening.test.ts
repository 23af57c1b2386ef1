import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { CLI, cliBaseEnv } from '../test-support/cli.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { displayWidthOf } from '../test-support/display-width.js';
import { echoingSpotify } from '../test-support/echoing-spotify.js';
import { fetchUnderway } from '../test-support/ledger.js';

/** Bad input and faults, from the outside: the built binary, the emulator, a real SQLite file. */
describe('chartkeeper under bad input and faults (built binary)', () => {
  const sandbox = cliSandbox('ck-hard-', { openStore: true });
  const cli = sandbox.run;
  const configure = (config: object) =>
    writeFileSync(join(sandbox.dir, 'chartkeeper.config.json'), JSON.stringify(config));
  const fetching = () => fetchUnderway(sandbox.store);

  it('refuses a store setting that looks like a URI but is not MongoDB, creating nothing', async () => {
    for (const store of [
      'postgres://x/y',
      'mongdb://h/db',
      'mongodb//h/db',
      'mongodb:/h/db',
      'mongo://h/db',
    ]) {
      const result = await cli(['run'], { CHARTKEEPER_STORE: store });
      expect(result.code, store).toBe(2);
      expect(result.stderr).toMatch(
        /^chartkeeper: CHARTKEEPER_STORE .*looks like a URI, but only mongodb:\/\/ and mongodb\+srv:\/\/ URIs are stores/,
      );
    }
    expect(readdirSync(sandbox.dir).sort()).toStrictEqual([
      'store.db',
      'store.db-shm',
      'store.db-wal',
    ]);
  });

  it('never creates a missing directory for the store, and fails at once for a path it cannot use', async () => {
    const missing = join(sandbox.dir, 'no', 'such', 'dir', 'ck.db');
    for (const store of [missing, '/proc/x/s.db']) {
      const result = await cli(['run'], { CHARTKEEPER_STORE: store });
      expect(result.code, store).toBe(2);
      expect(result.stderr).toMatch(
        /The directory .* of the SQLite store \(CHARTKEEPER_STORE\) does not exist/,
      );
      expect(result.stderr).toMatch(/mkdir -p/);
    }
    expect(existsSync(join(sandbox.dir, 'no'))).toBe(false);
    // `~/` is the home directory: the message names the expanded path.
    const home = await cli(['run'], {
      CHARTKEEPER_STORE: '~/no-such-dir-for-chartkeeper/ck.db',
      HOME: sandbox.dir,
    });
    expect(home.stderr).toContain(join(sandbox.dir, 'no-such-dir-for-chartkeeper'));
  });

  it('creates no store where a command cannot or should not work, and says why with exit 2', async () => {
    const dir = join(sandbox.dir, 'places');
    mkdirSync(dir);
    const at = (name: string) => join(dir, name);
    // A directory named as the store, and a missing directory, for reading commands too.
    for (const [store, pattern] of [
      [dir, /is a directory, not a file/],
      [at('missing/ck.db'), /The directory .* does not exist/],
    ] as const) {
      for (const verb of ['runs', 'export', 'run']) {
        const result = await cli([verb], { CHARTKEEPER_STORE: store });
        expect([verb, result.code, result.stderr]).toStrictEqual([
          verb,
          2,
          expect.stringMatching(pattern),
        ]);
      }
    }
    // An export of a store that is not there would pass for an empty backup.
    const noStore = await cli(['export', '-o', at('backup.ndjson')], {
      CHARTKEEPER_STORE: at('typo.db'),
    });
    expect([noStore.code, noStore.stderr]).toStrictEqual([
      2,
      expect.stringMatching(/There is no chartkeeper store at .*typo\.db yet/),
    ]);
    expect((await cli(['export', '--force'])).code).toBe(2);
    // trigger, pause and resume make sense only for a store in use: a typo starts none.
    for (const verb of ['trigger', 'pause', 'resume']) {
      const result = await cli([verb], { CHARTKEEPER_STORE: at('typo.db') });
      expect([verb, result.code, result.stderr]).toStrictEqual([
        verb,
        2,
        expect.stringMatching(/There is no chartkeeper store at .*typo\.db yet/),
      ]);
    }
    // Without credentials, `run` stops before it opens (and so creates) anything.
    const anonymous = await cli(['run'], {
      CHARTKEEPER_STORE: at('new.db'),
      SPOTIFY_CLIENT_SECRET: '',
    });
    expect(anonymous.code).toBe(2);
    // An empty file read by a reading command stays an empty file.
    writeFileSync(at('empty.db'), '');
    expect((await cli(['runs'], { CHARTKEEPER_STORE: at('empty.db') })).code).toBe(0);
    expect(readFileSync(at('empty.db'))).toHaveLength(0);
    // An outbox that is a file, or inside a missing directory, is refused before any capture.
    writeFileSync(at('a-file'), '');
    for (const outbox of [at('a-file'), at('missing/outbox')]) {
      const result = await cli(['run'], {
        CHARTKEEPER_STORE: at('store.db'),
        CHARTKEEPER_OUTBOX: outbox,
      });
      expect([outbox, result.code, result.stderr]).toStrictEqual([
        outbox,
        2,
        expect.stringMatching(
          /The outbox \(CHARTKEEPER_OUTBOX\) .* (is not a directory|cannot be created)/,
        ),
      ]);
    }
    expect(readdirSync(dir).sort()).toStrictEqual(['a-file', 'empty.db']);
  });

  it('lets processes that start together on a new store all open it', async () => {
    // Two serves at once on a file neither has created yet: SQLite answers the switch to WAL
    // mode "database is locked" at once, without waiting, while the other one migrates.
    for (let round = 0; round < 4; round++) {
      const env = { CHARTKEEPER_STORE: join(sandbox.dir, `new-${round}.db`) };
      const serves = [0, 1].map(() => sandbox.start(['serve', '--log-format', 'pretty'], env));
      await Promise.all(serves.map((serve) => serve.waitFor(/serving:/)));
      expect(await Promise.all(serves.map((serve) => serve.stop('SIGTERM')))).toStrictEqual([0, 0]);
    }
  });

  it('fails an export whose reader stops early, instead of leaving a cut file behind exit 0', async () => {
    const store = join(sandbox.dir, 'week.db');
    expect((await cli(['demo', '--days', '7', '--store', store])).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'export'], {
      cwd: sandbox.dir,
      env: { ...cliBaseEnv(), ...sandbox.env, CHARTKEEPER_STORE: store },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // The reader takes the first chunk and goes away, as `| head -c 100` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/cut short/);
  });

  it('exports what a damaged store still holds, says what it left out, and exits 1', async () => {
    const store = join(sandbox.dir, 'damaged.db');
    expect((await cli(['demo', '--days', '3', '--store', store])).code).toBe(0);
    const db = new Database(store);
    const { rootpage } = db
      .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'charts'")
      .get() as { rootpage: number };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    // A run whose stored tasks are no longer JSON, as a damaged page SQLite still reads.
    db.pragma('ignore_check_constraints = ON');
    db.prepare(
      "UPDATE runs SET tasks = '{\"broken' WHERE rowid = (SELECT min(rowid) FROM runs)",
    ).run();
    db.close();
    const bytes = readFileSync(store);
    bytes.fill(0xa5, (rootpage - 1) * pageSize, rootpage * pageSize);
    writeFileSync(store, bytes);

    const env = { CHARTKEEPER_STORE: store, CHARTKEEPER_LOG_FORMAT: 'json' };
    const file = join(sandbox.dir, 'rescued.ndjson');
    const rescued = await cli(['export', '-o', file], env);
    expect(rescued.code).toBe(1);
    expect(rescued.stderr).toMatch(/left out, damaged: all charts, 1 runs/);
    expect(rescued.stderr).not.toMatch(/This is a bug/);
    const types = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((t) => t === 'capture')).toHaveLength(3);
    expect(types.filter((t) => t === 'run')).toHaveLength(2);

    const listed = await cli(['runs'], env);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(/damaged\.db is damaged/);
    expect(listed.stderr).not.toMatch(/This is a bug|\n\s+at /);
  });

  it('says where it stored, once, and nothing of the kind when it stored nothing', async () => {
    const result = await cli(['run']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/Stored in the sqlite store /g)).toHaveLength(1);
    expect(result.stdout).toContain(join(sandbox.dir, 'store.db'));

    const failed = await cli(['run', '--no-retry', '--playlist', '0000000000000000000000']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
  });

  it('says a port is in use, with exit 2, never that it is a bug', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await cli(['emulator', '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^chartkeeper: Port ${port} on 127\\.0\\.0\\.1 is already in use\\.\\n`),
      );
      expect(result.stderr).not.toMatch(/bug/);
    } finally {
      server.close();
    }
  });

  it('marks the run interrupted when stopped with Ctrl+C, before it exits', async () => {
    sandbox.emulator.inject({ kind: 'slow', path: 'items', delayMs: 30_000, times: 1 });
    const run = sandbox.start(['run']);
    const held = await fetching();
    expect(await run.stop('SIGINT')).toBe(130);
    const after = await sandbox.store.getRun(held.id);
    expect(after?.state).toBe('failed');
    expect(after?.error).toMatchObject({ code: 'interrupted', permanent: false });
    expect(after?.error?.message).toMatch(/stopped by SIGINT/);
    expect(after?.tasks.find((t) => t.name === 'fetch')?.state).toBe('failed');
    expect(run.output()).toMatch(
      /✗ 5FN6Ego7eLX6zHuCMovIR2: fetch failed: interrupted: stopped by SIGINT/,
    );
  });

  it('marks a run whose process was killed as interrupted, at the next command that writes', async () => {
    sandbox.emulator.inject({ kind: 'slow', path: 'items', delayMs: 30_000, times: 1 });
    const run = sandbox.start(['run']);
    const held = await fetching();
    expect(await run.stop('SIGKILL')).toBeNull();
    // Reading changes nothing.
    expect((await cli(['runs', '--json'])).code).toBe(0);
    expect((await sandbox.store.getRun(held.id))?.state).toBe('running');
    expect((await cli(['flush'])).code).toBe(0);
    const after = await sandbox.store.getRun(held.id);
    expect(after?.state).toBe('failed');
    expect(after?.error?.code).toBe('interrupted');
    expect(after?.error?.hint).toMatch(/chartkeeper run/);
  });

  it('retries a transient failure as serve does, saying so on stderr; --no-retry fails at once', async () => {
    configure({
      http: { maxAttempts: 1 },
      retries: { attempts: 2, delayMs: 100, maxDelayMs: 100 },
    });
    sandbox.emulator.inject({ kind: 'server-error', path: 'items', times: 1, status: 503 });
    const retried = await cli(['run']);
    expect(retried.code).toBe(0);
    expect(retried.stderr).toMatch(
      /^5FN6Ego7eLX6zHuCMovIR2: fetch failed \(attempt 1 of 2\): Spotify is unavailable: HTTP 503 .*; trying again in 0\.\d s \(run [0-9a-f]{8}; --no-retry fails at once\)\n$/,
    );
    expect(retried.stdout).toMatch(/^✓ 5FN6Ego7eLX6zHuCMovIR2/);

    sandbox.emulator.inject({ kind: 'server-error', path: 'playlist', times: 1, status: 503 });
    const failed = await cli(['run', '--no-retry']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toMatch(/trying again/);
    expect(failed.stderr).toMatch(
      /^✗ 5FN6Ego7eLX6zHuCMovIR2: fetch failed: Spotify is unavailable: HTTP 503/m,
    );
  });

  it('says at once that no serve runs, when told to wait for a trigger, showing the real state', async () => {
    const result = await cli(['trigger', '--wait', '--timeout', '600']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^queued run [0-9a-f]{8} for 5FN6Ego7eLX6zHuCMovIR2\n$/);
    expect(result.stderr).toMatch(/still queued .* waiting for a `chartkeeper serve` to run it/);
    expect(result.stderr).toMatch(/no `chartkeeper serve` is running on this store/);
    expect(result.stderr).not.toMatch(/unknown error/);
    const json = JSON.parse((await cli(['trigger', '--wait', '--json'])).stdout);
    expect(json).toMatchObject({ ok: false, serving: false, end: 'no-serve' });
    expect(json.runs[0].state).toBe('queued');
  });

  it('fits tables to the terminal width and shows times in the configured zone, named', async () => {
    expect((await cli(['run', '-p', EMULATOR_PLAYLISTS.awkward])).code).toBe(0);
    const env = { COLUMNS: '52', CHARTKEEPER_TIMEZONE: 'Asia/Tokyo' };
    const chart = await cli(['chart', '-p', EMULATOR_PLAYLISTS.awkward], env);
    expect(chart.code).toBe(0);
    const runs = await cli(['runs'], env);
    for (const output of [chart.stdout, runs.stdout]) {
      for (const line of output.trimEnd().split('\n')) {
        expect(displayWidthOf(line), line).toBeLessThanOrEqual(52);
      }
    }
    expect(chart.stdout).toMatch(/ Asia\/Tokyo\)?/);
    expect(chart.stdout).toContain('…');
    expect(runs.stdout.split('\n')[0]).toMatch(/^CREATED \(Asia\/Tokyo\)\s+RUN\s+/);
    const created = JSON.parse((await cli(['runs', '--json'])).stdout).runs[0].createdAt as string;
    const tokyo = new Date(Date.parse(created) + 9 * 3_600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    expect(runs.stdout).toContain(tokyo);
  });

  it('never lets a secret an accounts service echoes reach the output or the logs, in any format', async () => {
    const spotify = await echoingSpotify({ refuseToken: true });
    try {
      const env = { SPOTIFY_API_URL: spotify.apiUrl, SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl };
      const basic = Buffer.from(
        `${sandbox.env.SPOTIFY_CLIENT_ID}:${sandbox.env.SPOTIFY_CLIENT_SECRET}`,
      ).toString('base64');
      for (const format of ['json', 'pretty']) {
        const result = await cli(['run', '--log-level', 'debug', '--log-format', format], env);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /Spotify refused the app credentials: HTTP 400 .*invalid_client/,
        );
        for (const text of [result.stdout, result.stderr]) {
          expect(text).not.toContain(basic);
          expect(text).not.toContain(sandbox.env.SPOTIFY_CLIENT_SECRET);
        }
      }
      const exported = await cli(['export']);
      expect(exported.stdout).not.toContain(basic);
      expect(exported.stdout).not.toContain(sandbox.env.SPOTIFY_CLIENT_SECRET);
    } finally {
      await spotify.close();
    }
  });
});
