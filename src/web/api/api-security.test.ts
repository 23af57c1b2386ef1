import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../emulator/constants.js';
import { type RunningEmulator, startEmulator } from '../../emulator/emulator.js';
import { openWebTestApp, type WebTestApp } from '../../test-support/web-app.js';
import { apiRouteSpecs } from './routes.js';

const TOKEN = 'a-ui-token-of-thirty-two-chars-x';
const DAILY = '5FN6Ego7eLX6zHuCMovIR2';

let emulator: RunningEmulator;
let guarded: WebTestApp;
let open: WebTestApp;

beforeAll(async () => {
  emulator = await startEmulator();
  guarded = await openWebTestApp(emulator, { token: TOKEN });
  open = await openWebTestApp(emulator);
  await guarded.app.captureNow({ retry: false });
});

afterAll(async () => {
  await guarded?.close();
  await open?.close();
  await emulator?.close();
});

/** Every route of the API, with its path parameters filled in. */
function everyRoute(t: WebTestApp) {
  const specs = apiRouteSpecs(t.app, { render: async () => ({ text: '', contentType: '' }) });
  return specs.map((spec) => ({
    method: spec.method.toUpperCase(),
    path: spec.path
      .replace(':chartId', DAILY)
      .replace(':date', 'latest')
      .replace(':trackId', '2plbrEY59IikOBgBGLjaoe')
      .replace(':artist', 'someone')
      .replace(':id', 'abc'),
    open: spec.open === true,
  }));
}

describe('with a token', () => {
  it('answers 401 JSON on every route but /healthz without it, or with a wrong one', async () => {
    const routes = everyRoute(guarded);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const { method, path, open: isOpen } of routes) {
      for (const headers of [
        {},
        { authorization: 'Bearer not-the-token' },
        { authorization: TOKEN },
      ] as Record<string, string>[]) {
        const response = await guarded.request(path, { method, headers });
        if (isOpen) {
          expect({ path, status: response.status }).toStrictEqual({ path, status: 200 });
          continue;
        }
        expect({ path, status: response.status }).toStrictEqual({ path, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'unauthorized',
        );
      }
    }
  });

  it('lets the token through as a Bearer credential, on every route', async () => {
    for (const { method, path } of everyRoute(guarded)) {
      const response = await guarded.request(path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect({ path, unauthorized: response.status === 401 }).toStrictEqual({
        path,
        unauthorized: false,
      });
    }
  });

  it('lets a browser in with the session cookie of the login form; pages send it to /login', async () => {
    const page = await guarded.request('/runs?state=failed');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/runs?state=failed')}`,
    );

    const wrong = await guarded.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=wrong&next=/api/runs',
    });
    expect(wrong.headers.get('location')).toMatch(/^\/login\?failed=1/);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const login = await guarded.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}&next=/api/runs`,
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/api/runs');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0] as string;
    const runs = await guarded.request('/api/runs', { headers: { cookie: session } });
    expect(runs.status).toBe(200);
    const forged = await guarded.request('/api/runs', {
      headers: { cookie: `${session.split('.')[0]}.forged` },
    });
    expect(forged.status).toBe(401);
  });

  it('ends a session on log out for good: a copied cookie no longer works', async () => {
    const login = await guarded.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}&next=/`,
    });
    const session = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await guarded.request('/api/runs', { headers: { cookie: session } })).status).toBe(200);
    // Another browser's session is not ended by this log out.
    const other = await guarded.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}&next=/`,
    });
    const otherSession = (other.headers.get('set-cookie') ?? '').split(';')[0] as string;

    const logout = await guarded.request('/logout', {
      method: 'POST',
      headers: { cookie: session },
    });
    expect(logout.status).toBe(303);
    const api = await guarded.request('/api/runs', { headers: { cookie: session } });
    expect(api.status).toBe(401);
    const page = await guarded.request('/runs', { headers: { cookie: session } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/login/);
    const still = await guarded.request('/api/runs', { headers: { cookie: otherSession } });
    expect(still.status).toBe(200);
  });

  it('answers on any host name (the token protects it)', async () => {
    const response = await guarded.request('http://chartkeeper.example:8080/api/schedule', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
  });
});

describe('cross-site requests', () => {
  const post = (headers: Record<string, string>) =>
    open.request('/api/pause', { method: 'POST', headers });

  it('refuses a state change from another site with 403, by Origin or Sec-Fetch-Site', async () => {
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'http://127.0.0.1:9999' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
    ] as Record<string, string>[]) {
      const response = await post(headers);
      expect({ headers, status: response.status }).toStrictEqual({ headers, status: 403 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'cross-site',
      );
    }
    // Refused before anything changed.
    expect(
      ((await (await open.request('/api/schedule')).json()) as { paused: boolean }).paused,
    ).toBe(false);
  });

  it('lets chartkeeper’s own pages and tools without a browser change things', async () => {
    for (const headers of [
      { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ] as Record<string, string>[]) {
      expect((await post(headers)).status).toBe(200);
    }
    await open.request('/api/resume', { method: 'POST' });
  });

  it('refuses a cross-site trigger even with the token', async () => {
    const response = await guarded.request('/api/trigger', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });
});

describe('without a token', () => {
  it('answers only to this machine’s names (DNS rebinding)', async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect((await open.request(`http://${host}:8080/api/schedule`)).status).toBe(200);
    }
    for (const host of ['evil.example', 'chartkeeper.example', '192.168.1.10', '0.0.0.0']) {
      const response = await open.request(`http://${host}:8080/api/schedule`);
      expect({ host, status: response.status }).toStrictEqual({ host, status: 403 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad-host');
    }
  });
});

describe('every reply', () => {
  it('carries the security headers', async () => {
    for (const path of ['/api/runs', '/healthz', '/metrics', '/openapi.json', '/api/nothing']) {
      const response = await open.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('holds no secret: not the client secret, the token or a Spotify access token', async () => {
    const texts: string[] = [];
    for (const { method, path } of everyRoute(guarded)) {
      if (method !== 'GET') continue;
      for (const headers of [{ authorization: `Bearer ${TOKEN}` }, {}] as Record<
        string,
        string
      >[]) {
        const response = await guarded.request(path, { headers });
        texts.push(JSON.stringify([...response.headers]), await response.text());
      }
    }
    const failing = await guarded.request('/api/runs?chart=%00', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    texts.push(await failing.text());
    const all = texts.join('\n');
    expect(all).toContain('chartkeeper_runs_total');
    expect(all).toContain('"openapi"');
    expect(all).not.toContain(EMULATOR_CREDENTIALS.clientSecret);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toMatch(/access_token|Bearer (?!realm)[A-Za-z0-9]/);
    expect(all).not.toContain(
      Buffer.from(`${EMULATOR_CREDENTIALS.clientId}:`).toString('base64').slice(0, 20),
    );
  });
});
