import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configSchema } from '../config/schema.js';
import type { ChartSnapshot } from '../domain/chart.js';
import type { Run } from '../domain/run.js';
import { playlistKey } from '../domain/sources.js';
import { EMULATOR_PLAYLISTS, startEmulator } from '../emulator/emulator.js';
import { silentLogger } from '../lib/silent-logger.js';
import { captureChart } from '../services/capture/capture-chart.js';
import { openApp } from './open-app.js';

const DAY_MS = 86_400_000;

export interface DemoResult {
  ok: boolean;
  /** The SQLite file holding the demo's data. */
  store: string;
  runs: Run[];
  chart: ChartSnapshot | null;
}

/**
 * The whole pipeline offline (`chartkeeper demo`): starts the Spotify emulator in this process
 * and captures its daily chart for the last `days` days, each on its own simulated day, into a
 * new temporary SQLite file (or `store`).
 */
export async function runDemo(options: {
  days: number;
  store?: string;
  onRun?: (run: Run) => void;
}): Promise<DemoResult> {
  const path = options.store
    ? resolve(options.store)
    : join(mkdtempSync(join(tmpdir(), 'chartkeeper-demo-')), 'chartkeeper.db');
  let day = '';
  const emulator = await startEmulator({ today: () => day });
  try {
    const config = configSchema.parse({
      store: path,
      outbox: join(path, '..', 'chartkeeper-outbox'),
      spotify: {
        ...emulator.credentials,
        apiUrl: emulator.apiUrl,
        accountsUrl: emulator.accountsUrl,
      },
    });
    const app = await openApp(config, { access: 'write', logger: silentLogger });
    const ctx = app.context;
    const key = playlistKey(EMULATOR_PLAYLISTS.daily);
    const fetcher = (await ctx.sources.fetcher(key.source))!;
    const normaliser = (await ctx.sources.normaliser(key.source))!;
    try {
      const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
      const runs: Run[] = [];
      for (let back = options.days - 1; back >= 0; back -= 1) {
        const noon = today - back * DAY_MS;
        day = new Date(noon).toISOString().slice(0, 10);
        const started = Date.now();
        // Noon of the simulated day, advancing in real time so the ledger shows real durations.
        const clock = () => new Date(noon + Date.now() - started);
        const run = await captureChart(
          { ...ctx, fetcher, normaliser, timezone: 'UTC', clock },
          { key, trigger: 'manual' },
        );
        options.onRun?.(run);
        runs.push(run);
      }
      const chart = await ctx.charts.getChart(key);
      return {
        ok: runs.every((r) => r.state === 'succeeded') && chart !== null,
        store: path,
        runs,
        chart,
      };
    } finally {
      await app.close();
    }
  } finally {
    await emulator.close();
  }
}
