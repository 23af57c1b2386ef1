import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv } from '../test-support/cli.js';
import { emulatorStarter } from '../test-support/emulator-client.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startEmulator = emulatorStarter('all');

// The package as a user installs it: packed, then installed with production dependencies only
// into a folder outside the clone, and started from there (what the container image does too).
describe('the packed package, installed outside the clone', () => {
  let home: string;
  let bin: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'chartkeeper-install-'));
    // `npm test` built dist/ already; packing must not build again.
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', home], {
      cwd: ROOT,
    });
    const tarball = join(home, packed.stdout.trim().split('\n').at(-1) ?? '');
    const app = join(home, 'app');
    await exec('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"installed","private":true}\n');
    await exec(
      'npm',
      [
        'install',
        '--omit=dev',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
      ],
      { cwd: app, maxBuffer: 16 * 1024 * 1024 },
    );
    // Install scripts are skipped to keep the test from compiling better-sqlite3's addon again
    // (a minute on a busy machine); the one built for this Node by `npm ci` is the same file.
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    await exec('mkdir', ['-p', join(app, 'node_modules/better-sqlite3/build/Release')]);
    copyFileSync(join(ROOT, addon), join(app, addon));
    bin = join(app, 'node_modules/.bin/chartkeeper');
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('holds the command line and the web assets, and no dev tool, test helper or source map', () => {
    const app = join(home, 'app/node_modules');
    const pkg = JSON.parse(readFileSync(join(app, 'chartkeeper/package.json'), 'utf8'));
    expect(pkg.bin.chartkeeper).toBe('bin/chartkeeper.cjs');
    expect(existsSync(join(app, 'chartkeeper/dist/cli/verbs/run.cjs'))).toBe(true);
    expect(existsSync(join(app, 'chartkeeper/dist/web/assets/app.css'))).toBe(true);
    expect(existsSync(join(app, 'uplot/dist/uPlot.iife.min.js'))).toBe(true);
    for (const dev of ['vitest', 'esbuild', 'typescript', '@biomejs/biome', 'playwright-core']) {
      expect(existsSync(join(app, dev)), dev).toBe(false);
    }
    expect(existsSync(join(app, 'chartkeeper/dist/bench'))).toBe(false);
    expect(existsSync(join(app, 'chartkeeper/src'))).toBe(false);
    expect(existsSync(join(app, 'chartkeeper/dist/cli/verbs/run.cjs.map'))).toBe(false);
  });

  it('answers --version and captures a chart from the emulator', async () => {
    const version = await exec(bin, ['--version'], { cwd: home });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    );
    const emu = await startEmulator();
    const store = join(home, 'chartkeeper.db');
    const run = await exec(bin, ['run', '--json'], {
      cwd: home,
      env: {
        PATH: process.env.PATH,
        XDG_CACHE_HOME: join(home, 'cache'),
        ...emulatorEnv(emu, { CHARTKEEPER_STORE: store, CHARTKEEPER_OUTBOX: join(home, 'outbox') }),
      },
    });
    const {
      ok,
      runs: [captured],
    } = JSON.parse(run.stdout);
    expect(ok).toBe(true);
    expect(captured.state).toBe('succeeded');
    expect(captured.entryCount).toBeGreaterThan(0);
    expect(existsSync(store)).toBe(true);
  });

  it('serves (the image’s command) and answers /healthz', async () => {
    const emu = await startEmulator();
    const serve = spawn(bin, ['serve', '--port', '0', '--log-format', 'json'], {
      cwd: home,
      env: {
        PATH: process.env.PATH,
        XDG_CACHE_HOME: join(home, 'cache'),
        ...emulatorEnv(emu, {
          CHARTKEEPER_STORE: join(home, 'serve.db'),
          CHARTKEEPER_OUTBOX: join(home, 'outbox'),
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        serve.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const found = /web UI and API at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (found?.[1]) resolve(found[1]);
        });
        serve.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
      });
      const health = await fetch(`${url}healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
    } finally {
      const exited = once(serve, 'exit');
      serve.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    }
  });
});
