import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openStore } from '../../adapters/store/open-store.js';
import { Redactor } from '../../lib/redact.js';
import { parseCount } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { renderChart } from '../render/chart.js';
import { renderRunOutcome } from '../render/runs.js';

const DAY_MS = 86_400_000;

/** `chartkeeper demo`: the whole pipeline offline, against the built-in Spotify emulator. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'offline demo: start the Spotify emulator, capture its daily chart for the last few days, print the latest',
    )
    .option('--days <n>', 'how many days to capture, ending today', parseCount(1, 60), 7)
    .option('--store <path>', 'SQLite file to keep the demo data in (default: a new temporary one)')
    .option('--json', 'print the runs and the latest chart as JSON')
    .action(async (options: { days: number; store?: string; json?: boolean }) => {
      const path = options.store
        ? resolve(options.store)
        : join(mkdtempSync(join(tmpdir(), 'chartkeeper-demo-')), 'chartkeeper.db');
      // Loaded here so that other commands do not pay for the emulator's catalogue at start-up.
      const [
        { EMULATOR_PLAYLISTS, startEmulator },
        { SpotifyPlaylistSource },
        { configSchema },
        { captureChart },
      ] = await Promise.all([
        import('../../adapters/emulator/emulator.js'),
        import('../../adapters/spotify/spotify-source.js'),
        import('../../config/schema.js'),
        import('../../services/capture-chart.js'),
      ]);
      let day = '';
      const emulator = await startEmulator({ today: () => day });
      const store = await openStore(path);
      try {
        const defaults = configSchema.parse({});
        // The emulator's secret and every token it issues are masked like real ones.
        const redactor = new Redactor([emulator.credentials.clientSecret]);
        const source = new SpotifyPlaylistSource(
          { ...emulator.credentials, apiUrl: emulator.apiUrl, accountsUrl: emulator.accountsUrl },
          defaults.http,
          { redactor },
        );
        const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
        const runs = [];
        for (let back = options.days - 1; back >= 0; back -= 1) {
          const noon = today - back * DAY_MS;
          day = new Date(noon).toISOString().slice(0, 10);
          const started = Date.now();
          // Noon of the simulated day, advancing in real time so the ledger shows real durations.
          const clock = () => new Date(noon + Date.now() - started);
          const run = await captureChart(
            { store, source, timezone: 'UTC', clock, redactor },
            { chartId: EMULATOR_PLAYLISTS.daily, trigger: 'manual' },
          );
          if (!options.json) process.stdout.write(`${renderRunOutcome(run)}\n`);
          runs.push(run);
        }
        const chart = await store.getChart({
          source: source.source,
          chartId: EMULATOR_PLAYLISTS.daily,
        });
        const ok = runs.every((r) => r.state === 'succeeded') && chart !== null;
        if (options.json) {
          printJson({ ok, store: path, runs, chart });
        } else if (chart) {
          process.stdout.write(`\n${renderChart(chart, 20)}\n\n`);
          process.stdout.write(`Demo data is in ${path}. Look around with:\n`);
          process.stdout.write(`  CHARTKEEPER_STORE=${path} npx chartkeeper runs\n`);
          process.stdout.write(
            `  CHARTKEEPER_STORE=${path} npx chartkeeper chart --playlist ${EMULATOR_PLAYLISTS.daily}\n`,
          );
        }
        process.exitCode = ok ? EXIT.ok : EXIT.failed;
      } finally {
        await store.close();
        await emulator.close();
      }
    });
}
