import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** Every file the pages load, by the name they load it under; nothing else is served. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'app.css': { file: () => own('app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { file: () => own('app.js'), type: 'text/javascript; charset=utf-8' },
  'track-chart.js': { file: () => own('track-chart.js'), type: 'text/javascript; charset=utf-8' },
  'icon.svg': { file: () => own('icon.svg'), type: 'image/svg+xml' },
  'uplot.js': {
    file: () => vendor('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uplot.css': { file: () => vendor('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** The names of the assets, for `chartkeeper site` to copy. */
export const ASSET_NAMES = Object.keys(ASSETS);

// From source (tests) the assets sit beside this file; the build copies them to dist/web/assets,
// two folders up from the command's bundle (dist/cli/verbs/).
function own(name: string): string {
  const base = import.meta.url.endsWith('.ts') ? './assets/' : '../../web/assets/';
  return fileURLToPath(new URL(base + name, import.meta.url));
}

/** A file of an installed package (uPlot), served from chartkeeper's own node_modules. */
function vendor(path: string): string {
  return createRequire(import.meta.url).resolve(path);
}

const cache = new Map<string, Buffer>();

/** An asset's bytes and type, or null for a name that is not one. */
export function readAsset(name: string): { body: Buffer; type: string } | null {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return null;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(asset.file());
    cache.set(name, body);
  }
  return { body, type: asset.type };
}

/** `/assets/:name`: the style sheet, scripts and icon, cached by the browser for an hour. */
export function assetRoutes(): Hono {
  const routes = new Hono();
  routes.get('/assets/:name', (c) => {
    const asset = readAsset(c.req.param('name'));
    if (!asset) return c.notFound();
    return c.body(new Uint8Array(asset.body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=3600',
    });
  });
  return routes;
}
