import { Hono } from 'hono';
import type { App } from '../../app/app.js';
import { artistRoutes } from './artist.js';
import { chartRoutes } from './chart.js';
import { chartsRoutes } from './charts.js';
import { overviewRoutes } from './overview.js';
import { type PageOptions, pageContext } from './page-context.js';
import { runRoutes } from './run.js';
import { runsRoutes } from './runs.js';
import { searchRoutes } from './search.js';
import { statusRoutes } from './status.js';
import { trackRoutes } from './track.js';

export type { PageOptions } from './page-context.js';

/** The HTML pages: overview, runs, charts, tracks, artists, status, search. */
export function pageRoutes(app: App, options: PageOptions): Hono {
  const pages = new Hono();
  const ctx = pageContext(app, options);
  for (const routes of [
    overviewRoutes,
    runsRoutes,
    runRoutes,
    chartsRoutes,
    chartRoutes,
    trackRoutes,
    artistRoutes,
    statusRoutes,
    searchRoutes,
  ]) {
    routes(pages, ctx);
  }
  return pages;
}
