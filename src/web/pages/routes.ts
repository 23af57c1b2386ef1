import { Hono } from 'hono';
import { html } from 'hono/html';
import type { App } from '../../app/app.js';
import { layout } from './layout.js';

/** What the pages need besides the app. */
export interface PageOptions {
  /** A token protects this chartkeeper: pages offer to log out. */
  loggedIn: boolean;
}

/** The HTML pages: overview, runs, charts, tracks, artists, status, search. */
export function pageRoutes(app: App, options: PageOptions): Hono {
  const pages = new Hono();
  pages.get('/', async (c) => {
    const schedule = await app.scheduleState();
    return c.html(
      layout(
        { title: 'Overview', section: 'overview', loggedIn: options.loggedIn },
        html`<h1>Overview</h1><p>Schedule ${schedule.cron} in ${schedule.timezone}: ${schedule.paused ? 'paused' : `next ${schedule.next ?? 'never'}`}.</p>`,
      ),
    );
  });
  return pages;
}
