import { Hono } from 'hono';
import type { App } from '../../app/app.js';
import type { Metrics } from '../metrics.js';
import { chartRoutes } from './chart-routes.js';
import { healthRoutes } from './health-routes.js';
import { openApiDocument } from './openapi.js';
import { mount, type RouteSpec, route } from './route-table.js';
import { runRoutes } from './run-routes.js';

/** Every route of the JSON API (and /healthz, /readyz, /metrics, /openapi.json), as data. */
export function apiRouteSpecs(app: App, metrics: Metrics): RouteSpec[] {
  const specs: RouteSpec[] = [
    ...healthRoutes(app, metrics),
    ...runRoutes(app),
    ...chartRoutes(app),
  ];
  // Built when first asked for, from the routes themselves (this one included).
  let document: object | undefined;
  specs.push(
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document: every route, its parameters and replies (OpenAPI 3.1).',
      replies: { 200: { description: 'OpenAPI 3.1.' } },
      handle: (_, c) => {
        document ??= openApiDocument(specs);
        return c.json(document);
      },
    }),
  );
  return specs;
}

/**
 * The JSON API: the same use cases as the CLI, presented as JSON. `/healthz` says the process is
 * up, `/readyz` that it can reach its store and queue.
 */
export function apiRoutes(app: App, metrics: Metrics): Hono {
  const api = new Hono();
  mount(api, apiRouteSpecs(app, metrics));
  return api;
}
