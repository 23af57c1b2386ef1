import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, configErrorOf } from '../test-support/config.js';
import { defaultCredentialsFile } from './credentials-path.js';
import { loadConfig } from './load.js';
import { DEFAULT_LOGIN_PORT, DEFAULT_PLAYLIST } from './schema.js';

const LARGE = 'Ck200GlobalDailyChart1';

describe('login settings', () => {
  it('reads which charts use the user login, keeping the chart keys plain', () => {
    const cwd = configDir({
      'chartkeeper.config.json': JSON.stringify({
        charts: [
          { playlist: DEFAULT_PLAYLIST, auth: 'user' },
          { playlist: LARGE, auth: 'app' },
          LARGE,
        ],
        auth: { port: 9123 },
      }),
    });
    const { config } = loadConfig({ XDG_CONFIG_HOME: '/xdg' }, cwd);
    expect(config.charts).toEqual([
      { source: 'spotify-playlist', chartId: DEFAULT_PLAYLIST },
      { source: 'spotify-playlist', chartId: LARGE },
      { source: 'spotify-playlist', chartId: LARGE },
    ]);
    expect(config.auth).toEqual({
      port: 9123,
      file: '/xdg/chartkeeper/credentials.json',
      userPlaylists: [DEFAULT_PLAYLIST],
    });
  });

  it('defaults the port and the file, and takes the file and the refresh token from the environment', () => {
    const cwd = configDir();
    expect(loadConfig({}, cwd).config.auth.port).toBe(DEFAULT_LOGIN_PORT);
    const { config } = loadConfig(
      { CHARTKEEPER_AUTH_FILE: 'secrets/login.json', SPOTIFY_REFRESH_TOKEN: ' AQ-token ' },
      cwd,
    );
    expect(config.auth.file).toBe(join(cwd, 'secrets/login.json'));
    expect(config.auth.refreshToken).toBe('AQ-token');
    expect(loadConfig({ SPOTIFY_REFRESH_TOKEN: 'x' }, cwd).warnings).toEqual([]);
  });

  it('refuses an auth other than user or app, and a bad port, naming the key', () => {
    const cwd = configDir({
      'chartkeeper.config.json': JSON.stringify({
        charts: [{ playlist: DEFAULT_PLAYLIST, auth: 'me' }],
      }),
    });
    expect(configErrorOf(() => loadConfig({}, cwd)).message).toMatch(
      /"charts\.0\.auth" in .* must be "user" \(the logged-in user's token\) or "app"/,
    );
    const port = configDir({ 'chartkeeper.config.json': '{"auth":{"port":70000}}' });
    expect(configErrorOf(() => loadConfig({}, port)).message).toMatch(/"auth\.port" .*port number/);
  });

  it("keeps the default file in the user's config directory on every platform", () => {
    expect(defaultCredentialsFile({}, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/chartkeeper/credentials.json',
    );
    expect(defaultCredentialsFile({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe(
      '/cfg/chartkeeper/credentials.json',
    );
    // A relative XDG_CONFIG_HOME is ignored, as the XDG specification says.
    expect(defaultCredentialsFile({ XDG_CONFIG_HOME: 'cfg' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/.config/chartkeeper/credentials.json',
    );
    expect(
      defaultCredentialsFile(
        { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
        'win32',
        'C:\\Users\\ann',
      ),
    ).toContain('chartkeeper');
  });
});
