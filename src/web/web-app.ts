import { Hono } from 'hono';
import type { App } from '../app/app.js';
import { apiRoutes } from './api/routes.js';
import { assetRoutes } from './assets.js';
import { errorReply, wantsJson } from './http-errors.js';
import { createMetrics } from './metrics.js';
import { errorPage, loginPage } from './pages/layout.js';
import { pageRoutes } from './pages/routes.js';
import { readForm } from './read-form.js';
import {
  refuseCrossSite,
  requireLoopbackHost,
  safeNext,
  securityHeaders,
  TokenGate,
} from './security.js';

/** How the web layer is protected. */
export interface WebAppOptions {
  /** Every page and API call needs it when set (CHARTKEEPER_UI_TOKEN). */
  token?: string;
  /** Pages for the static copy (`chartkeeper site`): no links to what needs a server. */
  staticSite?: boolean;
}

export { readForm } from './read-form.js';

/**
 * The web UI and the JSON API of `serve`, as one Hono application over the app's use cases
 * (no logic of its own beyond presentation). Its `request()` runs the real router without a
 * network, for tests and for `chartkeeper site`.
 */
export function createWebApp(app: App, options: WebAppOptions = {}): Hono {
  const web = new Hono();
  web.onError((error, c) => {
    const { status, body, headers } = errorReply(error);
    if (status >= 500) app.logger.error({ err: error, path: c.req.path }, 'web request failed');
    for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
    if (wantsJson(c)) return c.json(body, status);
    return c.html(errorPage(status, body.error.message, body.error.hint), status);
  });
  web.notFound((c) => {
    const message = 'No such page.';
    if (wantsJson(c)) return c.json({ error: { code: 'not-found', message } }, 404);
    return c.html(errorPage(404, message), 404);
  });
  web.use(securityHeaders());
  if (!options.token) web.use(requireLoopbackHost());
  web.use(refuseCrossSite());
  if (options.token) {
    const gate = new TokenGate(options.token, app);
    web.get('/login', (c) =>
      c.html(loginPage(safeNext(c.req.query('next')), c.req.query('failed') === '1')),
    );
    web.post('/login', async (c) => {
      const form = await readForm(c.req.raw);
      const next = safeNext(form.get('next') ?? undefined);
      if (!gate.matches(form.get('token') ?? undefined)) {
        return c.redirect(`/login?failed=1&next=${encodeURIComponent(next)}`, 303);
      }
      await gate.startSession(c);
      return c.redirect(next, 303);
    });
    web.post('/logout', async (c) => {
      await gate.endSession(c);
      return c.redirect('/login', 303);
    });
    web.use(gate.middleware(wantsJson));
  }
  web.route('/', assetRoutes());
  web.route('/', apiRoutes(app, createMetrics(app)));
  web.route(
    '/',
    pageRoutes(app, { loggedIn: Boolean(options.token), staticSite: options.staticSite }),
  );
  return web;
}
