import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../domain/run.js';
import { playlistKey } from '../../domain/sources.js';
import {
  EMULATOR_PLAYLISTS,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/emulator.js';
import { runRecordSchema } from '../../lib/record-schemas.js';
import { openWebTestApp, type WebTestApp } from '../../test-support/web-app.js';
import {
  chartsReply,
  readinessReply,
  runsPageReply,
  scheduleReply,
  triggerReply,
} from './replies.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const LARGE = EMULATOR_PLAYLISTS.large;
const OFFICIAL = 'regional-global-daily';
const FIXTURES = fileURLToPath(new URL('../../adapters/chart-files/fixtures/', import.meta.url));
/** On both fixture charts of regional-global-daily. */
const TRACK = '2plbrEY59IikOBgBGLjaoe';

// biome-ignore lint/suspicious/noExplicitAny: replies are JSON, read loosely by the tests
type Body = Record<string, any>;

let emulator: RunningEmulator;
let t: WebTestApp;

beforeAll(async () => {
  emulator = await startEmulator();
  t = await openWebTestApp(emulator);
  await t.app.importFiles({
    inputs: [
      `${FIXTURES}regional-global-daily-2024-11-29.csv`,
      `${FIXTURES}regional-global-daily-2024-11-30.csv`,
    ],
  });
  await t.app.captureNow({ keys: [playlistKey(DAILY), playlistKey(LARGE)], retry: false });
});

afterAll(async () => {
  await t?.close();
  await emulator?.close();
});

async function json(path: string, init?: RequestInit) {
  const response = await t.request(path, init);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: (await response.json()) as Body };
}

/** A 400 naming `parameter`. */
async function expectBad(path: string, parameter: string, init?: RequestInit) {
  const { status, body } = await json(path, init);
  expect({ path, status }).toStrictEqual({ path, status: 400 });
  expect(body.error).toMatchObject({ code: 'bad-parameter', parameter });
  expect(body.error.message).toMatch(new RegExp(`^${parameter}: `));
}

describe('GET /api/runs', () => {
  it('lists the ledger newest first and filters by chart, state and trigger', async () => {
    const all = (await json('/api/runs')).body;
    expect(all.next).toBeNull();
    const runs = all.runs as Run[];
    expect(runs.map((r) => r.chartId)).toStrictEqual([LARGE, DAILY]);
    const byChart = (await json(`/api/runs?chart=${DAILY}`)).body.runs as Run[];
    expect(byChart.map((r) => r.chartId)).toStrictEqual([DAILY]);
    const bySource = (
      await json(`/api/runs?source=spotify-playlist&chartId=${LARGE}&state=succeeded,failed`)
    ).body.runs as Run[];
    expect(bySource.map((r) => r.chartId)).toStrictEqual([LARGE]);
    expect((await json('/api/runs?trigger=manual')).body.runs).toHaveLength(2);
    expect((await json('/api/runs?trigger=schedule')).body.runs).toStrictEqual([]);
    expect((await json('/api/runs?state=queued&state=running')).body.runs).toStrictEqual([]);
  });

  it('pages with limit and next: every run once', async () => {
    const seen: string[] = [];
    let path = '/api/runs?limit=1';
    for (;;) {
      const { body } = await json(path);
      seen.push(...(body.runs as Run[]).map((r) => r.id));
      if (!body.next) break;
      path = `/api/runs?limit=1&before=${body.next}`;
    }
    const all = ((await json('/api/runs')).body.runs as Run[]).map((r) => r.id);
    expect(seen).toStrictEqual(all);
  });

  it('answers 400 naming the parameter for every bad one', async () => {
    await expectBad('/api/runs?state=bogus', 'state');
    await expectBad('/api/runs?state=', 'state');
    await expectBad('/api/runs?trigger=cron', 'trigger');
    await expectBad('/api/runs?limit=0', 'limit');
    await expectBad('/api/runs?limit=1001', 'limit');
    await expectBad('/api/runs?limit=1.5', 'limit');
    await expectBad('/api/runs?limit=1&limit=2', 'limit');
    await expectBad('/api/runs?chart=not%20a%20chart', 'chart');
    await expectBad('/api/runs?source=spotify-charts', 'chartId');
    await expectBad(`/api/runs?chartId=${DAILY}`, 'source');
    await expectBad(`/api/runs?chart=${DAILY}&source=x&chartId=y`, 'chart');
    await expectBad('/api/runs?before=no-such-run', 'before');
    await expectBad('/api/runs?stat=failed', 'stat');
  });
});

describe('GET /api/runs/:id', () => {
  it('finds a run by id and by the first characters of it', async () => {
    const [run] = (await json(`/api/runs?chart=${DAILY}`)).body.runs as Run[];
    expect((await json(`/api/runs/${run?.id}`)).body).toStrictEqual(run);
    expect((await json(`/api/runs/${run?.id.slice(0, 8)}`)).body.id).toBe(run?.id);
  });

  it('answers 404 for an unknown run', async () => {
    const { status, body } = await json('/api/runs/ffffffffffff');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not-found');
  });
});

describe('charts', () => {
  it('lists every stored chart, captured and imported', async () => {
    const { body } = await json('/api/charts');
    expect(body.charts.map((c: { chartId: string }) => c.chartId).sort()).toStrictEqual(
      [DAILY, LARGE, OFFICIAL].sort(),
    );
  });

  it('answers a chart by key and date, or the latest, with movement and streams change', async () => {
    const latest = (await json(`/api/charts/${OFFICIAL}/latest`)).body;
    expect(latest).toMatchObject({ chartId: OFFICIAL, chartDate: '2024-11-30' });
    expect(latest.previousChartDate).toBe('2024-11-29');
    expect(latest.entries[0]).toHaveProperty('streamsChange');
    const first = (await json(`/api/charts/spotify-charts%2F${OFFICIAL}/2024-11-29?limit=2`)).body;
    expect(first.chartDate).toBe('2024-11-29');
    expect(first.entries).toHaveLength(2);
    expect(first.previousChartDate).toBeNull();
    const playlist = (await json(`/api/charts/spotify:playlist:${DAILY}/latest`)).body;
    expect(playlist.entries).toHaveLength(50);
  });

  it('answers 404 for a day or chart not stored, 400 for a bad key or date', async () => {
    const missing = await json(`/api/charts/${OFFICIAL}/2020-01-01`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/No chart of spotify-charts\/regional-global-daily/);
    expect((await json('/api/charts/viral-us-daily/latest')).status).toBe(404);
    await expectBad(`/api/charts/${OFFICIAL}/2024-02-30`, 'date');
    await expectBad(`/api/charts/${OFFICIAL}/yesterday`, 'date');
    await expectBad('/api/charts/no-such-chart/latest', 'chartId');
    await expectBad(`/api/charts/${OFFICIAL}/latest?limit=x`, 'limit');
  });
});

describe('history, movers and top', () => {
  it("answers a track's history by id or URI, 404 when on no chart, 400 for a bad id", async () => {
    const { body } = await json(`/api/tracks/${TRACK}/history`);
    expect(body.kind).toBe('found');
    expect(body.charts[0].series.map((p: { chartDate: string }) => p.chartDate)).toStrictEqual([
      '2024-11-29',
      '2024-11-30',
    ]);
    expect(
      (await json(`/api/tracks/spotify:track:${TRACK}/history?chart=${OFFICIAL}`)).status,
    ).toBe(200);
    expect((await json('/api/tracks/0000000000000000000000/history')).status).toBe(404);
    await expectBad('/api/tracks/blinding%20lights/history', 'trackId');
    await expectBad(`/api/tracks/${TRACK}/history?groupVersions=maybe`, 'groupVersions');
  });

  it("answers an artist's history by name in any case, 404 for nobody", async () => {
    const { body } = await json('/api/artists/bruno%20mars/history');
    expect(body.artist.name).toBe('Bruno Mars');
    expect((await json('/api/artists/Nobody%20At%20All/history')).status).toBe(404);
    await expectBad(`/api/artists/${'x'.repeat(1001)}/history`, 'artist');
  });

  it('answers movers of a chart and date, 404 without the chart', async () => {
    const { body } = await json(`/api/movers?chart=${OFFICIAL}&date=2024-11-30&limit=3`);
    expect(body).toMatchObject({ chartDate: '2024-11-30', previousDate: '2024-11-29' });
    expect(body.movers.newEntries.length).toBeLessThanOrEqual(3);
    expect((await json('/api/movers?chart=viral-us-daily')).status).toBe(404);
    await expectBad('/api/movers?date=30.11.2024', 'date');
    await expectBad('/api/movers?limit=-1', 'limit');
  });

  it('ranks over a period, and refuses a bad period or streams of a playlist', async () => {
    const { body } = await json(
      `/api/top?chart=${OFFICIAL}&from=2024-11-01&to=2024-11-30&by=streams&of=artists&limit=2`,
    );
    expect(body).toMatchObject({ of: 'artists', by: 'streams', charts: 2 });
    expect(body.entries).toHaveLength(2);
    await expectBad('/api/top?to=2024-11-30', 'from');
    await expectBad('/api/top?from=2024-12-01&to=2024-11-30', 'to');
    await expectBad('/api/top?from=2024-11-01&to=2024-11-30&by=likes', 'by');
    await expectBad('/api/top?from=2024-11-01&to=2024-11-30&of=albums', 'of');
    await expectBad(`/api/top?chart=${DAILY}&from=2020-01-01&to=2030-01-01&by=streams`, 'by');
  });
});

describe('schedule, pause and resume', () => {
  it('pauses and resumes, and says so in the schedule', async () => {
    const before = (await json('/api/schedule')).body;
    expect(before).toMatchObject({ paused: false, cron: '@daily', timezone: 'UTC' });
    expect(typeof before.next).toBe('string');
    expect((await json('/api/pause', { method: 'POST' })).body.paused).toBe(true);
    expect((await json('/api/schedule')).body.paused).toBe(true);
    expect((await json('/api/resume', { method: 'POST' })).body.paused).toBe(false);
    await expectBad('/api/pause?please=1', 'please', { method: 'POST' });
    // A body field is refused as a query parameter is, not ignored.
    for (const path of ['/api/pause', '/api/resume']) {
      await expectBad(path, 'please', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"please":true}',
      });
    }
    expect((await json('/api/schedule')).body.paused).toBe(false);
  });
});

describe('POST /api/trigger', () => {
  it('captures at once in the serving process: 200 with the finished runs when waiting, 202 without', async () => {
    const serving = await t.app.serve();
    try {
      const waited = await json('/api/trigger', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ charts: [DAILY], wait: 60 }),
      });
      expect(waited.status).toBe(200);
      expect(waited.body).toMatchObject({ ok: true, serving: true, end: 'finished' });
      expect(waited.body.runs).toHaveLength(1);
      expect(waited.body.runs[0]).toMatchObject({ trigger: 'api', state: 'succeeded' });

      const queued = await json(`/api/trigger?charts=${DAILY}`, { method: 'POST' });
      expect(queued.status).toBe(202);
      expect(queued.body).toMatchObject({ ok: true, end: null });
      expect(queued.body.queued[0]).toMatchObject({ trigger: 'api', state: 'queued' });
      const form = await json('/api/trigger', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `charts=${DAILY}&wait=60`,
      });
      expect(form.body.runs[0].state).toBe('succeeded');
    } finally {
      await serving.stop();
    }
  });

  it('refuses bad charts, waits and bodies', async () => {
    const post = (body: string, type = 'application/json') => ({
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    await expectBad('/api/trigger', 'charts', post('{"charts": ["nope"]}'));
    await expectBad('/api/trigger', 'charts', post('{"charts": [{"playlist": 1}]}'));
    await expectBad('/api/trigger', 'wait', post('{"wait": -1}'));
    await expectBad('/api/trigger', 'wait', post('{"wait": 3601}'));
    await expectBad('/api/trigger', 'force', post('{"force": true}'));
    await expectBad('/api/trigger', 'body', post('{"charts": '));
    await expectBad('/api/trigger', 'body', post('[1, 2]'));
    expect((await json('/api/trigger', post('charts=x', 'text/plain'))).status).toBe(415);
    expect((await json('/api/trigger', post(`{"pad": "${'x'.repeat(20_000)}"}`))).status).toBe(413);
    // An official chart comes from files: there is nothing to fetch.
    await expectBad('/api/trigger', 'charts', post(`{"charts": ["${OFFICIAL}"]}`));
    const official = await json('/api/trigger', post(`{"charts": ["${OFFICIAL}"]}`));
    expect(official.body.error.message).toMatch(/not fetched over the network/);
  });
});

describe('health, readiness, metrics and the document', () => {
  it('says it is up and ready', async () => {
    expect((await json('/healthz')).body).toStrictEqual({ ok: true });
    expect((await json('/readyz')).body).toStrictEqual({
      ready: true,
      store: { ok: true, kind: 'sqlite' },
      queue: { ok: true, kind: 'in-process' },
    });
  });

  it('counts runs, tasks and Spotify requests, and the latest success per chart', async () => {
    // A web app made after the first capture: the latest success comes from the ledger.
    const response = await t.request('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      new RegExp(
        `chartkeeper_last_success_timestamp_seconds\\{source="spotify-playlist",chart="${DAILY}"\\} \\d+`,
      ),
    );
    // The trigger test captured through the API in this process.
    expect(text).toMatch(/chartkeeper_runs_total\{state="succeeded",trigger="api"\} [1-9]/);
    expect(text).toMatch(/chartkeeper_runs_queued_total\{trigger="api"\} [1-9]/);
    expect(text).toMatch(
      /chartkeeper_task_duration_seconds_count\{task="fetch",state="succeeded"\} [1-9]/,
    );
    expect(text).toMatch(
      /chartkeeper_spotify_requests_total\{endpoint="items",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/chartkeeper_runs_running 0/);
  });

  it('answers 503 naming the queue when it cannot be reached, without its password', async () => {
    const broken = await openWebTestApp(emulator, {
      env: { CHARTKEEPER_QUEUE: 'redis://:queue-password-1234@127.0.0.1:1' },
    });
    try {
      const response = await broken.request('/readyz');
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(JSON.parse(text)).toMatchObject({
        ready: false,
        store: { ok: true },
        queue: { ok: false, kind: 'bullmq' },
      });
      expect(text).not.toContain('queue-password-1234');
    } finally {
      await broken.close();
    }
  });

  it('describes every route in /openapi.json, with the parameters each one checks', async () => {
    const doc = (await json('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths as Record<string, Body>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(described.sort()).toStrictEqual(
      [
        'get /healthz',
        'get /readyz',
        'get /metrics',
        'get /openapi.json',
        'get /api/runs',
        'get /api/runs/{id}',
        'get /api/charts',
        'get /api/charts/{chartId}/{date}',
        'get /api/tracks/{trackId}/history',
        'get /api/artists/{artist}/history',
        'get /api/movers',
        'get /api/top',
        'get /api/schedule',
        'post /api/trigger',
        'post /api/pause',
        'post /api/resume',
      ].sort(),
    );
    const runs = doc.paths['/api/runs'].get;
    expect(runs.parameters.map((p: { name: string }) => p.name)).toStrictEqual([
      'chart',
      'source',
      'chartId',
      'state',
      'trigger',
      'limit',
      'before',
    ]);
    expect(runs.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    );
    const top = doc.paths['/api/top'].get.parameters;
    expect(top.find((p: { name: string }) => p.name === 'from')).toMatchObject({ required: true });
    expect(top.find((p: { name: string }) => p.name === 'by').schema.enum).toStrictEqual([
      'days',
      'streams',
      'points',
    ]);
    // What the document names is what the route takes: each documented query parameter is
    // known to its route (a wrong value is a bad value, never an unknown parameter), and one
    // it does not name is refused as unknown.
    for (const [path, methods] of Object.entries(doc.paths as Body)) {
      if (path.includes('{')) continue;
      for (const [method, operation] of Object.entries(methods as Body)) {
        const ask = async (query: string) => {
          const response = await t.request(`${path}?${query}`, { method: method.toUpperCase() });
          const body = (await response.json()) as { error?: { message?: string } };
          return { status: response.status, message: body.error?.message ?? '' };
        };
        for (const parameter of operation.parameters) {
          const { status, message } = await ask(`${parameter.name}=%01`);
          expect({ path, status }).toStrictEqual({ path, status: 400 });
          expect(message).not.toMatch(/is not a parameter/);
        }
        // Every route refuses unknown query parameters, so the document says each answers 400.
        expect({ path, has400: Boolean(operation.responses['400']) }).toStrictEqual({
          path,
          has400: true,
        });
        const unknown = await ask('undocumented=1');
        expect({ path, ...unknown }).toMatchObject({
          path,
          status: 400,
          message: expect.stringMatching(/^undocumented: is not a parameter/),
        });
      }
    }
  });
});

describe('replies', () => {
  it('have the shapes /openapi.json gives them', async () => {
    const shapes = [
      ['/api/runs', runsPageReply],
      ['/api/charts', chartsReply],
      ['/api/schedule', scheduleReply],
      ['/readyz', readinessReply],
    ] as const;
    for (const [path, schema] of shapes) {
      const parsed = schema.safeParse((await json(path)).body);
      expect({ path, issues: parsed.error?.issues ?? [] }).toStrictEqual({ path, issues: [] });
    }
    const [run] = (await json('/api/runs')).body.runs as Run[];
    expect(runRecordSchema.safeParse((await json(`/api/runs/${run?.id}`)).body).success).toBe(true);
    const triggered = await json(`/api/trigger?charts=${DAILY}`, { method: 'POST' });
    expect(triggerReply.safeParse(triggered.body).error?.issues ?? []).toStrictEqual([]);
  });
});

describe('unknown routes and hostile input', () => {
  it('answers unknown routes with 404 JSON', async () => {
    for (const path of [
      '/api/nothing',
      '/api/runs/a/b',
      '/api',
      '/metrics.json',
      '/api/charts/x',
    ]) {
      const { status, body } = await json(path);
      expect({ path, status, code: body.error.code }).toStrictEqual({
        path,
        status: 404,
        code: 'not-found',
      });
    }
    expect((await json('/api/runs', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 4xx, never 500, to long strings, odd unicode, path tricks and NUL', async () => {
    const long = 'a'.repeat(10_000);
    const paths = [
      `/api/runs/${long}`,
      `/api/runs?before=${long}`,
      `/api/runs?chart=${long}`,
      `/api/artists/${long}/history`,
      '/api/artists/%00/history',
      '/api/artists/%ED%A0%80/history',
      '/api/artists/%F0%9F%8E%B5%E2%80%AE/history',
      '/api/artists/%ZZ/history',
      '/api/charts/%2e%2e/latest',
      '/api/charts/..%2f..%2fetc%2fpasswd/latest',
      '/api/charts/%2e%2e%2f%2e%2e/2024-01-01',
      `/api/charts/${OFFICIAL}/..%2f..`,
      '/api/tracks/%00%00/history',
      '/api/runs?state=%00',
      '/api/runs?%00=1',
      '/api/runs?__proto__=1',
      '/api/runs?constructor=1',
      '/api/top?from=%ED%A0%80&to=2024-01-01',
      '/api/movers?chart=spotify-charts/..%2F..',
      '/api/runs/..%5C..%5Cwindows',
    ];
    for (const path of paths) {
      const response = await t.request(path);
      const body = await response.text();
      expect({
        path: path.slice(0, 80),
        ok: response.status >= 400 && response.status < 500,
      }).toStrictEqual({ path: path.slice(0, 80), ok: true });
      expect(() => JSON.parse(body)).not.toThrow();
      expect(body.length).toBeLessThan(2_000);
    }
    // Odd but valid unicode is a name like any other: looked for, not found.
    const emoji = await json('/api/artists/%F0%9F%8E%B5%E2%80%AE/history');
    expect(emoji.status).toBe(404);
  });
});
