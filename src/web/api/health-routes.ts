import type { App } from '../../app/app.js';
import type { Metrics } from '../metrics.js';
import { readinessReply } from './replies.js';
import { type RouteSpec, route } from './route-table.js';

/** `/healthz` (the process is up), `/readyz` (its store and queue answer), `/metrics`. */
export function healthRoutes(app: App, metrics: Metrics): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      summary: 'The process is up.',
      open: true,
      replies: { 200: { description: '`{ "ok": true }`' } },
      handle: (_, c) => c.json({ ok: true }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      summary: 'The store and the queue answer.',
      replies: {
        200: { description: 'The store and the queue answer.', schema: readinessReply },
        503: {
          description: 'The same, with `ok: false` and an `error` on what does not answer.',
          schema: readinessReply,
        },
      },
      handle: async (_, c) => {
        const readiness = await app.readiness();
        return c.json(readiness, readiness.ready ? 200 : 503);
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics of this process.',
      contentType: 'text/plain; version=0.0.4',
      replies: { 200: { description: 'Prometheus text exposition format.' } },
      handle: async (_, c) => {
        const { text, contentType } = await metrics.render();
        return c.body(text, 200, { 'Content-Type': contentType });
      },
    }),
  ];
}
