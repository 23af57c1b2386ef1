import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import type { Run } from '../domain/run.js';
import { playlistKey } from '../domain/sources.js';
import { EMULATOR_PLAYLISTS, startEmulator } from '../emulator/emulator.js';
import { emulatorEnvironment } from '../emulator/environment.js';
import { silentLogger } from '../lib/silent-logger.js';
import { type Measurement, summarise } from './capture.js';

const CLI = fileURLToPath(new URL('../../bin/chartkeeper.cjs', import.meta.url));

/** What the trigger part measured: each path's time from trigger to done, and the capture's own. */
export interface TriggerMeasurement {
  /** Through the serve's API (what `chartkeeper trigger --wait` does when a serve answers). */
  api: Measurement;
  /** Through the store: queued in the ledger, noticed by the serve's poll, waited for by polling. */
  store: Measurement;
  /** The capture itself, from the ledger: started to finished. */
  capture: Measurement;
  /** API trigger-to-done minus the capture's own time, per sample. */
  apiOverhead: Measurement;
  storeOverhead: Measurement;
}

/**
 * Trigger-to-done of one capture, against a real `chartkeeper serve` (SQLite, the emulator on
 * loopback): through its HTTP API and through the store, samples alternating, each next to the
 * capture's own time (the run's start to finish in the ledger), so that what a path adds is
 * what it costs beyond capturing. The waiting side is this process, with the app `chartkeeper
 * trigger` uses, without its start-up.
 */
export async function measureTrigger(samples: number): Promise<TriggerMeasurement> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-trigger-'));
  const env = emulatorEnvironment(emulator, {
    PATH: process.env.PATH,
    CHARTKEEPER_STORE: join(dir, 'bench.db'),
    CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
    CHARTKEEPER_PORT: '0',
    // Nothing scheduled while measuring.
    CHARTKEEPER_SCHEDULE: '0 0 1 1 *',
    CHARTKEEPER_LOG_FORMAT: 'json',
  });
  const serve = spawn(process.execPath, [CLI, 'serve'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const app = await openApp(loadConfig(env, dir).config, {
    access: 'write',
    logger: silentLogger,
  });
  const times = { api: [] as number[], store: [] as number[], capture: [] as number[] };
  const overhead = { api: [] as number[], store: [] as number[] };
  try {
    await ready(serve, /web UI and API at/);
    const keys = [playlistKey(EMULATOR_PLAYLISTS.daily)];
    const paths = {
      api: () => app.triggerThroughServe({ keys, waitMs: 60_000 }),
      store: () => app.trigger({ keys, waitMs: 60_000 }),
    };
    // The first of each warms up the JIT, the connections and the token; not counted.
    for (let i = 0; i < samples + 1; i++) {
      for (const path of ['api', 'store'] as const) {
        const started = performance.now();
        const result = await paths[path]();
        const elapsed = performance.now() - started;
        const run = result.runs[0] as Run;
        const via = 'via' in result ? result.via : 'store';
        if (run.state !== 'succeeded' || via !== path) {
          throw new Error(
            `bench trigger through the ${path} went wrong: ${JSON.stringify(result)}`,
          );
        }
        if (i === 0) continue;
        const own = Date.parse(run.finishedAt as string) - Date.parse(run.startedAt as string);
        times[path].push(elapsed);
        overhead[path].push(elapsed - own);
        if (path === 'api') times.capture.push(own);
      }
    }
  } finally {
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.once('exit', resolve));
    await app.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    api: summarise('trigger to done through the API', times.api, Number.POSITIVE_INFINITY),
    store: summarise('trigger to done through the store', times.store, Number.POSITIVE_INFINITY),
    capture: summarise("the capture's own time", times.capture, Number.POSITIVE_INFINITY),
    apiOverhead: summarise('API trigger to done, beyond the capture', overhead.api, 50),
    storeOverhead: summarise(
      'store trigger to done, beyond the capture',
      overhead.store,
      Number.POSITIVE_INFINITY,
    ),
  };
}

function ready(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
}
