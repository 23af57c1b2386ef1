import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, configErrorOf } from '../test-support/config.js';
import { loadConfig } from './load.js';
import { DEFAULT_PLAYLIST, DEFAULT_STORE } from './schema.js';

describe('loadConfig', () => {
  it('uses the embedded defaults when there is no file and no environment', () => {
    const { config, file } = loadConfig({}, configDir());
    expect(file).toBeNull();
    expect(config.store).toBe(DEFAULT_STORE);
    expect(config.timezone).toBe('UTC');
    expect(config.charts).toEqual([{ playlist: DEFAULT_PLAYLIST }]);
    expect(config.spotify.apiUrl).toBe('https://api.spotify.com/v1');
    expect(config.spotify.accountsUrl).toBe('https://accounts.spotify.com');
    expect(config.spotify.clientSecret).toBeUndefined();
  });

  it('reads a JSON file and lets the environment win', () => {
    const cwd = configDir({
      'chartkeeper.config.json': JSON.stringify({
        store: 'from-file.db',
        timezone: 'Europe/Berlin',
        charts: ['spotify:playlist:37i9dQZEVXbMDoHDwVN2tF', { playlist: DEFAULT_PLAYLIST }],
        spotify: { clientId: 'file-id' },
      }),
    });
    const { config } = loadConfig(
      { CHARTKEEPER_STORE: 'from-env.db', SPOTIFY_CLIENT_SECRET: 's3cret-value' },
      cwd,
    );
    expect(config.store).toBe('from-env.db');
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.charts).toEqual([
      { playlist: '37i9dQZEVXbMDoHDwVN2tF' },
      { playlist: DEFAULT_PLAYLIST },
    ]);
    expect(config.spotify).toMatchObject({ clientId: 'file-id', clientSecret: 's3cret-value' });
  });

  it('reads YAML from the path in CHARTKEEPER_CONFIG, accepting playlist links', () => {
    const cwd = configDir({
      'custom.yaml': `charts:\n  - https://open.spotify.com/playlist/${DEFAULT_PLAYLIST}?si=abc\nhttp:\n  timeoutMs: 5000\n`,
    });
    const { config, file } = loadConfig({ CHARTKEEPER_CONFIG: 'custom.yaml' }, cwd);
    expect(file).toBe(join(cwd, 'custom.yaml'));
    expect(config.charts).toEqual([{ playlist: DEFAULT_PLAYLIST }]);
    expect(config.http.timeoutMs).toBe(5000);
    expect(config.http.maxAttempts).toBe(5);
  });

  it('names the environment variable that holds a bad value', () => {
    const error = configErrorOf(() =>
      loadConfig({ CHARTKEEPER_TIMEZONE: 'Mars/Olympus' }, configDir()),
    );
    expect(error.message).toMatch(/^CHARTKEEPER_TIMEZONE is not an IANA time zone/);
    const url = configErrorOf(() => loadConfig({ SPOTIFY_API_URL: 'ftp://x' }, configDir()));
    expect(url.message).toMatch(/^SPOTIFY_API_URL must be an http\(s\) URL/);
  });

  it('names the file key that holds a bad value, and unknown keys', () => {
    const cwd = configDir({ 'chartkeeper.config.json': '{"charts": ["not-a-playlist"]}' });
    expect(configErrorOf(() => loadConfig({}, cwd)).message).toMatch(
      /"charts\.0\.playlist" in .*chartkeeper\.config\.json "not-a-playlist" is not a Spotify playlist id/,
    );
    const typo = configDir({ 'chartkeeper.config.json': '{"timezon": "UTC"}' });
    expect(configErrorOf(() => loadConfig({}, typo)).message).toMatch(/unknown setting "timezon"/);
  });

  it('reports unparseable files, missing explicit files and non-object files', () => {
    expect(
      configErrorOf(() => loadConfig({}, configDir({ 'chartkeeper.config.json': '{"store": ' })))
        .message,
    ).toMatch(/is not valid JSON/);
    expect(
      configErrorOf(() => loadConfig({ CHARTKEEPER_CONFIG: 'nope.json' }, configDir())).message,
    ).toMatch(/CHARTKEEPER_CONFIG points to .*nope\.json, which does not exist/);
    expect(
      configErrorOf(() => loadConfig({}, configDir({ 'chartkeeper.config.yaml': '- a\n- b\n' })))
        .message,
    ).toMatch(/must hold an object of settings, not a list/);
  });

  it('treats empty environment variables as unset', () => {
    const { config } = loadConfig(
      { SPOTIFY_CLIENT_SECRET: '', CHARTKEEPER_STORE: '  ' },
      configDir(),
    );
    expect(config.spotify.clientSecret).toBeUndefined();
    expect(config.store).toBe(DEFAULT_STORE);
  });
});
