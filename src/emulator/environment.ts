import type { RunningEmulator } from './emulator.js';

/** The environment variables that point chartkeeper at a running emulator, plus `overrides`. */
export function emulatorEnvironment(
  emulator: Pick<RunningEmulator, 'credentials' | 'apiUrl' | 'accountsUrl'>,
  overrides: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    SPOTIFY_CLIENT_ID: emulator.credentials.clientId,
    SPOTIFY_CLIENT_SECRET: emulator.credentials.clientSecret,
    SPOTIFY_API_URL: emulator.apiUrl,
    SPOTIFY_ACCOUNTS_URL: emulator.accountsUrl,
    ...overrides,
  };
}
