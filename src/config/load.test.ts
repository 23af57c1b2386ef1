import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, configErrorOf } from '../test-support/config.js';
import { loadConfig } from './load.js';
import { DEFAULT_PLAYLIST, DEFAULT_STORE } from './schema.js';

describe('loadConfig', () => {
  it('uses the embedded defaults when there is no file and no environment', () => {
    const cwd = configDir();
    const { config, file } = loadConfig({}, cwd);
    expect(file).toBeNull();
    expect(config.store).toEqual({ kind: 'sqlite', path: join(cwd, DEFAULT_STORE) });
    expect(config.outbox).toBe(join(cwd, 'chartkeeper-outbox'));
    expect(config.timezone).toBe('UTC');
    expect(config.charts).toEqual([{ source: 'spotify-playlist', chartId: DEFAULT_PLAYLIST }]);
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
    expect(config.store).toEqual({ kind: 'sqlite', path: join(cwd, 'from-env.db') });
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.charts).toEqual([
      { source: 'spotify-playlist', chartId: '37i9dQZEVXbMDoHDwVN2tF' },
      { source: 'spotify-playlist', chartId: DEFAULT_PLAYLIST },
    ]);
    expect(config.spotify).toMatchObject({ clientId: 'file-id', clientSecret: 's3cret-value' });
  });

  it('reads YAML from the path in CHARTKEEPER_CONFIG, accepting playlist links', () => {
    const cwd = configDir({
      'custom.yaml': `charts:\n  - https://open.spotify.com/playlist/${DEFAULT_PLAYLIST}?si=abc\nhttp:\n  timeoutMs: 5000\n`,
    });
    const { config, file } = loadConfig({ CHARTKEEPER_CONFIG: 'custom.yaml' }, cwd);
    expect(file).toBe(join(cwd, 'custom.yaml'));
    expect(config.charts).toEqual([{ source: 'spotify-playlist', chartId: DEFAULT_PLAYLIST }]);
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
    expect(configErrorOf(() => loadConfig({}, typo)).message).toMatch(
      /unknown setting "timezon" \(did you mean "timezone"\?\)/,
    );
    const nested = configDir({
      'chartkeeper.config.json': '{"retries": {"attempt": 2}, "http": {"zzz": 1}}',
    });
    const message = configErrorOf(() => loadConfig({}, nested)).message;
    expect(message).toMatch(/"retries\.attempt" \(did you mean "retries\.attempts"\?\)/);
    expect(message).toMatch(/unknown settings .*"http\.zzz"/);
    expect(message).not.toMatch(/did you mean "http/);
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
    const cwd = configDir();
    const { config } = loadConfig({ SPOTIFY_CLIENT_SECRET: '', CHARTKEEPER_STORE: '  ' }, cwd);
    expect(config.spotify.clientSecret).toBeUndefined();
    expect(config.store).toEqual({ kind: 'sqlite', path: join(cwd, DEFAULT_STORE) });
  });

  it('refuses a store setting that looks like a URI but is not a MongoDB one', () => {
    for (const value of [
      'postgres://x/y',
      'mongdb://h/db',
      'mongodb//h/db',
      'mongodb:/h/db',
      'mongo://h/db',
      'sqlite:store.db',
      'file:///tmp/x.db',
    ]) {
      const error = configErrorOf(() => loadConfig({ CHARTKEEPER_STORE: value }, configDir()));
      expect(error.message, value).toMatch(
        /^CHARTKEEPER_STORE .*looks like a URI, but only mongodb:\/\/ and mongodb\+srv:\/\/ URIs are stores/,
      );
      expect(error.message).not.toContain('\n');
    }
    const file = configDir({ 'chartkeeper.config.json': '{"store": "postgres://u:pw@x/y"}' });
    expect(configErrorOf(() => loadConfig({}, file)).message).toMatch(
      /^"store" in .*looks like a URI/,
    );
  });

  it('warns of an environment variable that looks like a misspelt setting', () => {
    const { warnings } = loadConfig(
      { CHARTKEEPER_STOER: '/x.db', SPOTIFY_CLIENT_SECERT: 's', CHARTKEEPER_RSS_FILE: '/tmp/r' },
      configDir(),
    );
    expect(warnings).toStrictEqual([
      'CHARTKEEPER_STOER is not a chartkeeper setting and is ignored; did you mean CHARTKEEPER_STORE?',
      'SPOTIFY_CLIENT_SECERT is not a chartkeeper setting and is ignored; did you mean SPOTIFY_CLIENT_SECRET?',
    ]);
  });

  it('expands ~ to the home directory and refuses ~user', () => {
    const { config } = loadConfig(
      { CHARTKEEPER_STORE: '~/charts/ck.db', CHARTKEEPER_OUTBOX: '~/box' },
      configDir(),
    );
    expect(config.store).toEqual({ kind: 'sqlite', path: join(homedir(), 'charts', 'ck.db') });
    expect(config.outbox).toBe(join(homedir(), 'box'));
    expect(
      configErrorOf(() => loadConfig({ CHARTKEEPER_STORE: '~bob/ck.db' }, configDir())).message,
    ).toMatch(/CHARTKEEPER_STORE starts with ~user/);
  });

  it('keeps a MongoDB URI as it is and reads every form of playlist reference', () => {
    const cwd = configDir({
      'chartkeeper.config.json': JSON.stringify({
        charts: [
          { playlist: 'spotify:playlist:37i9dQZEVXbMDoHDwVN2tF' },
          'https://open.spotify.com/playlist/5FN6Ego7eLX6zHuCMovIR2?si=x',
        ],
      }),
    });
    const { config } = loadConfig({ CHARTKEEPER_STORE: 'mongodb+srv://u:p@c.example.net/db' }, cwd);
    expect(config.store).toEqual({ kind: 'mongodb', uri: 'mongodb+srv://u:p@c.example.net/db' });
    expect(config.charts).toEqual([
      { source: 'spotify-playlist', chartId: '37i9dQZEVXbMDoHDwVN2tF' },
      { source: 'spotify-playlist', chartId: '5FN6Ego7eLX6zHuCMovIR2' },
    ]);
    const bad = configDir({ 'chartkeeper.config.json': '{"charts": [{"chart": "top-50"}]}' });
    expect(configErrorOf(() => loadConfig({}, bad)).message).toMatch(
      /"charts\.0" in .* must be a playlist id, URI or link, or \{ "playlist": …, "auth": "user" \| "app" \}/,
    );
  });
});
