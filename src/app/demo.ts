import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { configSchema } from '../config/schema.js';
import type { ChartSnapshot } from '../domain/chart.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { Run } from '../domain/run.js';
import { playlistKey } from '../domain/sources.js';
import { EMULATOR_PLAYLISTS, type RunningEmulator, startEmulator } from '../emulator/emulator.js';
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
 * new temporary SQLite file (or `store`, which must not exist yet).
 */
export async function runDemo(options: {
  days: number;
  store?: string;
  onRun?: (run: Run) => void;
}): Promise<DemoResult> {
  const path = options.store
    ? resolve(options.store)
    : join(mkdtempSync(join(tmpdir(), 'chartkeeper-demo-')), 'chartkeeper.db');
  if (options.store && /^[a-z][a-z0-9+.-]*:\/\//i.test(options.store)) {
    throw new ChartkeeperError(
      'usage',
      'The demo keeps its data in a SQLite file, not a database server.',
      {
        hint: 'Give --store a file path, or leave it out for a temporary one.',
      },
    );
  }
  if (options.store && !existsSync(dirname(path))) {
    throw new ChartkeeperError('usage', `The directory of --store ${path} does not exist.`, {
      hint: 'Create it first, or give --store a path in an existing directory.',
    });
  }
  if (options.store && existsSync(path)) {
    throw new ChartkeeperError(
      'usage',
      `${path} already exists; the demo writes only into a new file, so that the emulator's charts never mix with real ones.`,
      { hint: 'Give --store a path that does not exist yet, or leave it out for a temporary one.' },
    );
  }
  // An outbox of its own: the default one may hold a real store's captures.
  const outbox = mkdtempSync(join(tmpdir(), 'chartkeeper-demo-outbox-'));
  const days = await openEmulatorDays(path, outbox).catch((error: unknown) => {
    rmSync(outbox, { recursive: true, force: true });
    throw error;
  });
  try {
    const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
    const runs: Run[] = [];
    for (let back = options.days - 1; back >= 0; back -= 1) {
      const noon = today - back * DAY_MS;
      const started = Date.now();
      // Noon of the simulated day, advancing in real time so the ledger shows real durations.
      const run = await days.capture(new Date(noon), () => new Date(noon + Date.now() - started));
      options.onRun?.(run);
      runs.push(run);
    }
    const chart = await days.latestChart();
    return {
      ok: runs.every((r) => r.state === 'succeeded') && chart !== null,
      store: path,
      runs,
      chart,
    };
  } finally {
    await days.close();
    rmSync(outbox, { recursive: true, force: true });
  }
}

/** Captures of the emulator's daily chart, one simulated day at a time (the demo, the bench). */
export interface EmulatorDays {
  readonly emulator: RunningEmulator;
  /** Captures the chart of `day`'s date, the clock reading `clock` (default: `day`). */
  capture(day: Date, clock?: () => Date): Promise<Run>;
  latestChart(): Promise<ChartSnapshot | null>;
  close(): Promise<void>;
}

/** Starts the emulator in this process and opens an app on `store` whose Spotify it is. */
export async function openEmulatorDays(store: string, outbox: string): Promise<EmulatorDays> {
  let date = '';
  const emulator = await startEmulator({ today: () => date });
  try {
    const config = configSchema.parse({
      store,
      outbox,
      spotify: {
        ...emulator.credentials,
        apiUrl: emulator.apiUrl,
        accountsUrl: emulator.accountsUrl,
      },
    });
    const app = await openApp(config, { access: 'write', logger: silentLogger });
    const ctx = app.context;
    const key = playlistKey(EMULATOR_PLAYLISTS.daily);
    const fetcher = await ctx.sources.fetcher(key.source);
    const normaliser = await ctx.sources.normaliser(key.source);
    if (!fetcher || !normaliser) {
      await app.close();
      throw new Error('no Spotify playlist source is registered');
    }
    return {
      emulator,
      capture: (day, clock = () => day) => {
        date = day.toISOString().slice(0, 10);
        return captureChart(
          { ...ctx, fetcher, normaliser, timezone: 'UTC', clock },
          { key, trigger: 'manual' },
        );
      },
      latestChart: () => ctx.charts.getChart(key),
      close: async () => {
        await app.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
