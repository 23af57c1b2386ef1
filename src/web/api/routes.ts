import { Hono } from 'hono';
import type { App } from '../../app/app.js';

/**
 * The JSON API: the same use cases as the CLI. `/healthz` says the process is up, `/readyz`
 * that it can reach its store and queue.
 */
export function apiRoutes(app: App): Hono {
  const api = new Hono();
  api.get('/healthz', (c) => c.json({ ok: true }));
  api.get('/api/schedule', async (c) => {
    const state = await app.scheduleState();
    return c.json({
      paused: state.paused,
      next: state.next,
      cron: state.cron,
      timezone: state.timezone,
      serving: state.serving,
    });
  });
  api.post('/api/pause', async (c) => c.json(await app.pause()));
  api.post('/api/resume', async (c) => c.json(await app.resume()));
  return api;
}
