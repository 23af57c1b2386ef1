import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { ChartKey } from '../domain/chart.js';
import { isLoopback } from '../lib/loopback.js';

export { ConfigError } from '../config/load.js';
export type { Config } from '../config/schema.js';

/**
 * Loads and validates the configuration (file + environment) once, for one command, with the
 * warnings worth showing (a misspelt environment variable).
 */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { config: Config; warnings: string[] } {
  const { config, warnings } = loadConfig(env, cwd);
  return { config, warnings };
}

/**
 * Stops with a clear message when the Spotify app credentials are missing. Charts read only with
 * the user's login (`auth: "user"`) need the client id, not the secret (PKCE has none).
 */
export function requireSpotifyCredentials(config: Config): void {
  const { userPlaylists } = config.auth;
  const appCharts = config.charts.some((key) => !userPlaylists.includes(key.chartId));
  const missing = [
    config.spotify.clientId ? null : 'SPOTIFY_CLIENT_ID',
    config.spotify.clientSecret || !appCharts ? null : 'SPOTIFY_CLIENT_SECRET',
  ].filter(Boolean);
  if (missing.length === 0) return;
  throw new ConfigError(
    `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
    'Create an app at https://developer.spotify.com/dashboard and set both (or spotify.clientId/clientSecret in chartkeeper.config.json). To try chartkeeper without one: chartkeeper demo',
  );
}

/** What a process does: capture now, schedule (and capture, without a queue), or work a queue. */
export type Role = 'run' | 'serve' | 'worker';

/**
 * Stops with a clear message when a setting the role needs is missing, before anything is opened
 * (a command that cannot work creates no store).
 */
export function checkSettingsFor(config: Config, role: Role): void {
  if (role === 'worker' && !config.queue.url) {
    throw new ConfigError(
      '`chartkeeper worker` takes captures from a queue, but CHARTKEEPER_QUEUE (queue.url) is not set',
      'Set CHARTKEEPER_QUEUE=redis://host:6379 for the workers and for `chartkeeper serve`; without a queue, `chartkeeper serve` runs the captures itself.',
    );
  }
  if (role === 'serve') checkWebSettings(config);
  // Nothing to capture: `serve` shows the stored charts and imports from its inbox, if any.
  if (role === 'serve' && config.charts.length === 0) return;
  // `serve` with a queue only schedules: the workers capture, with credentials of their own.
  if (role !== 'serve' || !config.queue.url) requireSpotifyCredentials(config);
}

/** `serve` answers beyond this machine only with a token. */
function checkWebSettings(config: Config): void {
  const { host, token } = config.web;
  if (token || isLoopback(host)) return;
  throw new ConfigError(
    `serve would answer on ${host}, beyond this machine, without a token: set CHARTKEEPER_UI_TOKEN (web.token)`,
    'Set CHARTKEEPER_UI_TOKEN to at least 24 random characters (openssl rand -hex 24), or listen on 127.0.0.1 (--host / CHARTKEEPER_HOST).',
  );
}

/** The charts a capture is for: those asked for, else the configured ones; never none. */
export function chartsToCapture(
  config: Config,
  keys: readonly ChartKey[] | undefined,
): readonly ChartKey[] {
  const chosen = keys ?? config.charts;
  if (chosen.length > 0) return chosen;
  throw new ConfigError(
    'No chart to capture: charts is empty in the configuration',
    'Name one: chartkeeper run -p PLAYLIST (or list playlists in charts).',
  );
}
