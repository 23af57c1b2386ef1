import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

export { ConfigError } from '../config/load.js';
export type { Config } from '../config/schema.js';

/** Loads and validates the configuration (file + environment) once, for one command. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  return loadConfig(env, cwd).config;
}

/** Stops with a clear message when the Spotify app credentials are missing. */
export function requireSpotifyCredentials(config: Config): void {
  const missing = [
    config.spotify.clientId ? null : 'SPOTIFY_CLIENT_ID',
    config.spotify.clientSecret ? null : 'SPOTIFY_CLIENT_SECRET',
  ].filter(Boolean);
  if (missing.length === 0) return;
  throw new ConfigError(
    `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`,
    'Create an app at https://developer.spotify.com/dashboard and set both (or spotify.clientId/clientSecret in chartkeeper.config.json). To try chartkeeper without one: chartkeeper demo',
  );
}
