import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app/app.js';
import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { createWebApp } from './web-app.js';

const HEADER =
  'rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams';
const id = (n: number) => `${String(n).padStart(4, '0')}${'Q'.repeat(18)}`;
const HOSTILE = '<script>alert(1)</script> "quoted" & \u202eevil';
const name = (n: number) => (n === 3 ? HOSTILE : `Song ${n}`);
const artist = (n: number) => (n === 2 ? 'AC/DC' : `Artist ${n}`);

/** A charts.spotify.com daily download. */
function download(tracks: number[]): string {
  const rows = tracks.map(
    (t, i) =>
      `${i + 1},spotify:track:${id(t)},"${artist(t)}, Guest","${name(t).replaceAll('"', '""')}",Label,${i + 1},-1,${t},${100_000 - i * 1_000}`,
  );
  return `${[HEADER, ...rows].join('\n')}\n`;
}

const SECRET = 'client-secret-that-must-not-show';
const CLIENT_ID = 'client-id-0123456789';

describe('the pages (through the real router, SQLite store with imported charts)', () => {
  let dir: string;
  let app: App;
  let web: ReturnType<typeof createWebApp>;
  const get = async (path: string) => {
    const response = await web.request(`http://127.0.0.1${path}`);
    return { status: response.status, text: await response.text(), response };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-pages-'));
    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'regional-global-daily-2024-11-27.csv'), download([1, 2, 3, 4]));
    writeFileSync(join(files, 'regional-global-daily-2024-11-28.csv'), download([2, 1, 3, 5]));
    writeFileSync(join(files, 'regional-global-daily-2024-11-29.csv'), download([3, 1, 2, 4]));
    const { config } = loadConfig(
      {
        SPOTIFY_CLIENT_ID: CLIENT_ID,
        SPOTIFY_CLIENT_SECRET: SECRET,
        SPOTIFY_ACCOUNTS_URL: 'http://127.0.0.1:9/',
        CHARTKEEPER_STORE: join(dir, 'store.db'),
        CHARTKEEPER_OUTBOX: join(dir, 'outbox'),
        CHARTKEEPER_QUEUE: 'redis://user:redis-password-secret@127.0.0.1:9',
      },
      dir,
    );
    app = await openApp(config, { access: 'write', logger: recordingLogger() });
    await app.importFiles({ inputs: [files] });
    web = createWebApp(app);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the overview: schedule, last runs, the latest chart and what changed', async () => {
    const { status, text } = await get('/');
    expect(status).toBe(200);
    expect(text).toContain('Schedule');
    expect(text).toContain('Pause schedule');
    expect(text).toMatch(/regional-global-daily/);
    expect(text).toMatch(/What changed since 2024-11-28/);
    expect(text).toContain('Drop-outs');
    expect(text).not.toContain('<script>alert(1)');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows a chart by key and date with movement, links, and the days around it', async () => {
    const { status, text } = await get('/charts/regional-global-daily/2024-11-28');
    expect(status).toBe(200);
    expect(text).toContain(`href="https://open.spotify.com/track/${id(5)}"`);
    expect(text).toContain(`href="/tracks/${id(5)}"`);
    expect(text).toContain('href="/artists/AC%2FDC"');
    expect(text).toMatch(/class="badge new"/);
    expect(text).toMatch(/rel="prev" href="\/charts\/regional-global-daily\/2024-11-27"/);
    expect(text).toMatch(/rel="next" href="\/charts\/regional-global-daily\/2024-11-29"/);
    expect(text).toContain('type="date"');
    const latest = await get('/charts/regional-global-daily/latest');
    expect(latest.text).toContain('2024-11-29');
    const picked = await get('/charts/regional-global-daily/latest?date=2024-11-27');
    expect(picked.status).toBe(302);
    expect(picked.response.headers.get('location')).toBe(
      '/charts/regional-global-daily/2024-11-27',
    );
    const missing = await get('/charts/regional-global-daily/2024-01-01');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('2024-11-27 to 2024-11-29');
  });

  it('lists every stored chart with its range', async () => {
    const { text } = await get('/charts');
    expect(text).toMatch(/2024-11-27[\s\S]*2024-11-29[\s\S]*>3</);
  });

  it('shows a track and an artist with the line chart data and the table fallback', async () => {
    const track = await get(`/tracks/${id(1)}`);
    expect(track.status).toBe(200);
    expect(track.text).toContain('data-history="');
    expect(track.text).toContain('/assets/track-chart.js');
    expect(track.text).toMatch(/Peak<\/dt><dd>#1/);
    expect(track.text).toMatch(/Days on chart<\/dt><dd>3/);
    const artist = await get('/artists/AC%2FDC');
    expect(artist.status).toBe(200);
    expect(artist.text).toContain('<h1>AC/DC</h1>');
    const byName = await get('/artists/artist%201');
    expect(byName.status).toBe(200);
  });

  it('searches tracks by title and artists by name', async () => {
    const { text } = await get('/search?q=song');
    expect(text).toContain('Song 1');
    const artists = await get('/search?q=ac%2Fdc');
    expect(artists.text).toContain('href="/artists/AC%2FDC"');
  });

  it('shows the status with every secret masked', async () => {
    const { status, text } = await get('/status');
    expect(status).toBe(200);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('redis-password-secret');
    expect(text).toContain('spotify.clientSecret');
    expect(text).toContain('Store');
    expect(text).toContain('Not checked yet: run <code>chartkeeper doctor</code>');
    expect(text).toContain('Nobody is logged in');
  });

  it('shows an exhausted quota on the status page and in the metrics', async () => {
    const until = new Date(Date.now() + 49_000_000);
    until.setUTCMilliseconds(0);
    await app.context.coordination.setState('spotify.quota', {
      until: until.toISOString(),
      seenAt: new Date().toISOString(),
      reason: 'QUOTA_EXCEEDED',
      retryAfterSeconds: 49_000,
      request: 'GET /playlists/5FN6Ego7eLX6zHuCMovIR2',
    });
    try {
      const { text } = await get('/status');
      expect(text).toMatch(/quota is exhausted until <time[^>]*>[^<]+<\/time> \(QUOTA_EXCEEDED\)/);
      const metrics = await get('/metrics');
      expect(metrics.text).toContain(
        `chartkeeper_spotify_quota_exhausted_until_timestamp_seconds ${until.getTime() / 1000}`,
      );
    } finally {
      await app.context.coordination.setState('spotify.quota', null);
    }
    const metrics = await get('/metrics');
    expect(metrics.text).toContain('chartkeeper_spotify_quota_exhausted_until_timestamp_seconds 0');
  });

  it('queues a run from the runs page, shows it in the grid and in detail', async () => {
    const posted = await web.request('http://127.0.0.1/runs/trigger', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'chart=5FN6Ego7eLX6zHuCMovIR2',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/runs');
    const { status, text } = await get('/runs');
    expect(status).toBe(200);
    expect(text).toContain('runs-grid');
    expect(text).toMatch(/data-state="queued"/);
    // No serve runs here to pick it up: the page does not reload itself waiting for nothing.
    expect(text).not.toContain('data-live');
    expect(text).toContain('No <code>chartkeeper serve</code> is running');
    const run = await app.findRun();
    expect(run.trigger).toBe('api');
    const detail = await get(`/runs/${run.id.slice(0, 8)}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Timeline');
    const filtered = await get('/runs?state=failed&trigger=manual&chart=regional-global-daily');
    expect(filtered.status).toBe(200);
    expect((await get('/runs?state=bogus')).status).toBe(400);
    expect((await get('/runs/0000000000')).status).toBe(404);
  });

  it('shows a failed run with its error, what to do, and its logs, and no secret', async () => {
    // Spotify's accounts service is unreachable here (port 9): the capture fails.
    const [failed] = await app.captureNow({
      keys: [{ source: 'spotify-playlist', chartId: '5FN6Ego7eLX6zHuCMovIR2' }],
      retry: false,
    });
    expect(failed?.state).toBe('failed');
    const { status, text } = await get(`/runs/${failed?.id}`);
    expect(status).toBe(200);
    expect(text).toContain('The run failed');
    expect(text).toContain('What to do:');
    expect(text).toMatch(/class="bar state-failed"/);
    expect(text).not.toContain(SECRET);
    const grid = await get('/runs?state=failed');
    expect(grid.text).toContain(`data-run="${failed?.id}"`);
    expect(grid.text).not.toContain('data-state="queued"');
  });

  it('answers hostile input with a 4xx page, never a 500 or a broken page', async () => {
    const paths = [
      '/charts/..%2F..%2Fetc%2Fpasswd/latest',
      '/charts/regional-global-daily/..',
      '/charts/regional-global-daily/2024-13-45',
      `/charts/${'x'.repeat(5000)}/latest`,
      '/tracks/%3Cscript%3E',
      `/tracks/${'Q'.repeat(22)}`,
      '/artists/%00',
      `/artists/${'%F0%9F%98%80'.repeat(400)}`,
      '/artists/%E2%80%AE%3Cb%3E',
      '/runs/%3Cscript%3E',
      `/search?q=${'a'.repeat(500)}`,
      '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/nope/../../etc/passwd',
      '/assets/..%2Fweb-app.ts',
      '/artists/%E0%A4%A',
      '/charts/%ZZ/latest',
      '/charts/regional-global-daily/latest?date=%3Cb%3E',
      '/search?q=%ZZ',
      '/runs?chart=%00',
      '/runs?before=%3Cscript%3E',
      '/charts/spotify:playlist:%3Cscript%3E/latest',
      `/tracks/spotify:track:${'Q'.repeat(22)}`,
      '/artists/..%2F..%2F',
      '/runs/..%2F..%2F',
    ];
    for (const path of paths) {
      const { status, text } = await get(path);
      expect([200, 400, 404], path).toContain(status);
      expect(text, path).not.toContain('<script>alert');
      expect(text, path).toMatch(/<\/html>\s*$/);
    }
  });

  it('refuses a cross-site POST from a form on another site', async () => {
    const response = await web.request('http://127.0.0.1/schedule/pause', {
      method: 'POST',
      headers: {
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'back=/',
    });
    expect(response.status).toBe(403);
    expect((await app.scheduleState()).paused).toBe(false);
    const own = await web.request('http://127.0.0.1/schedule/pause', {
      method: 'POST',
      headers: {
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'back=/',
    });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/');
    expect((await app.scheduleState()).paused).toBe(true);
    await app.resume();
  });
});
