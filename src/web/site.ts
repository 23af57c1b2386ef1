import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { App } from '../app/app.js';
import type { ChartKey } from '../domain/chart.js';
import { parseChartKey } from '../domain/chart-ref.js';
import { ChartkeeperError } from '../domain/errors.js';
import { keyLabel } from '../domain/sources.js';
import { ASSET_NAMES } from './assets.js';
import { createWebApp } from './web-app.js';

/** What `chartkeeper site` writes. */
export interface SiteRequest {
  /** The folder to write into: new or empty, unless `force`. */
  out: string;
  /** Only these charts (default: every stored chart). */
  keys?: readonly ChartKey[];
  /** Write into a folder that is not empty (files of the same name are replaced). */
  force?: boolean;
  /** Called after each page written. */
  progress?: (counts: SiteCounts) => void;
}

/** Pages written, by kind. */
export interface SiteCounts {
  charts: number;
  tracks: number;
  artists: number;
  assets: number;
}

const KINDS = { charts: 'charts', tracks: 'tracks', artists: 'artists' } as const;

/**
 * Writes the chart, track and artist pages (and the charts index and the assets) as static
 * files, DIR/<path>/index.html, with the same templates as `serve`: each page is asked of the
 * web app's own router without a network. Pages are found by following the links of the pages
 * written, starting from each chart's latest day, so the copy holds exactly what its pages link
 * to (links to charts left out with --chart lead nowhere).
 */
export async function writeSite(
  app: App,
  request: SiteRequest,
): Promise<SiteCounts & { out: string }> {
  const out = resolve(request.out);
  checkOutputFolder(out, request.force ?? false);
  const stored = await app.listChartKeys();
  const keys = request.keys ?? stored;
  const wanted = new Set(keys.map(keyLabel));
  for (const key of keys) {
    if (!stored.some((s) => keyLabel(s) === keyLabel(key))) {
      throw new ChartkeeperError('not-found', `No chart of ${key.chartId} is stored.`, {
        hint: 'List the stored charts with: chartkeeper charts',
        permanent: true,
      });
    }
  }
  const web = createWebApp(app, { staticSite: true });
  const counts: SiteCounts = { charts: 0, tracks: 0, artists: 0, assets: 0 };
  const fetchPage = async (path: string): Promise<string | null> => {
    const response = await web.request(`http://127.0.0.1${path}`);
    return response.status === 200 ? response.text() : null;
  };

  for (const name of ASSET_NAMES) {
    const response = await web.request(`http://127.0.0.1/assets/${name}`);
    write(out, `/assets/${name}`, new Uint8Array(await response.arrayBuffer()), false);
    counts.assets++;
  }
  // The charts index, also as the copy's front page (the overview needs a server).
  const index = await fetchPage('/charts');
  if (index !== null) {
    write(out, '/charts', filterIndex(index, wanted), true);
    write(out, '/', filterIndex(index, wanted), true);
  }

  const seen = new Set<string>();
  const queue: string[] = keys.map((key) => `/charts/${encodeURIComponent(key.chartId)}/latest`);
  for (const path of queue) seen.add(path);
  while (queue.length > 0) {
    const path = queue.shift() as string;
    const page = await fetchPage(path);
    if (page === null) continue;
    write(out, path, page, true);
    const kind = path.split('/')[1] as keyof typeof KINDS;
    counts[KINDS[kind]]++;
    request.progress?.(counts);
    for (const link of linksIn(page)) {
      if (seen.has(link) || !follows(link, wanted)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
  return { ...counts, out };
}

/** A new or empty folder, or any with `force`: never write over a user's files unasked. */
function checkOutputFolder(out: string, force: boolean): void {
  if (!existsSync(out)) {
    // Made here, one level only: a parent that is missing or not writable is named at once
    // (Node's recursive mkdir never returns on some special file systems, such as /proc).
    try {
      mkdirSync(out);
    } catch (error) {
      throw new ChartkeeperError(
        'usage',
        `Cannot make the folder ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        {
          hint: 'Give --out a new folder inside one that exists and that you may write to.',
          permanent: true,
        },
      );
    }
    return;
  }
  if (!statSync(out).isDirectory()) {
    throw new ChartkeeperError('usage', `${out} is a file, not a folder.`, {
      hint: 'Give --out a folder (new or empty).',
      permanent: true,
    });
  }
  if (!force && readdirSync(out).length > 0) {
    throw new ChartkeeperError(
      'usage',
      `${out} is not empty; chartkeeper site writes into a new or empty folder only.`,
      {
        hint: 'Choose a new folder, or add --force to write into this one (files of the same name are replaced, others are left alone).',
        permanent: true,
      },
    );
  }
}

/** The site's own links in a page: paths without a query, as written in href attributes. */
function linksIn(page: string): string[] {
  const links: string[] = [];
  for (const match of page.matchAll(/href="(\/[^"?#]*)"/g)) {
    links.push((match[1] as string).replaceAll('&amp;', '&'));
  }
  return links;
}

/** Whether a link is a page of the copy: a chart of a wanted key, a track, an artist. */
function follows(path: string, wanted: ReadonlySet<string>): boolean {
  const parts = path.split('/');
  if (parts[1] === 'tracks' || parts[1] === 'artists') return parts.length === 3;
  if (parts[1] !== 'charts' || parts.length !== 4) return false;
  const key = parseChartKey(safeDecode(parts[2] ?? ''));
  return key !== null && wanted.has(keyLabel(key));
}

/** The charts index without the charts left out with --chart. */
function filterIndex(page: string, wanted: ReadonlySet<string>): string {
  return page.replace(
    /<tr>\s*<td><a href="\/charts\/([^/"]+)\/[^"]*">[\s\S]*?<\/tr>/g,
    (row, id: string) => {
      const key = parseChartKey(safeDecode(id));
      return key && wanted.has(keyLabel(key)) ? row : '';
    },
  );
}

/**
 * Writes a page to `<out><path>/index.html` (an asset to `<out><path>`), each path segment as a
 * static host looks it up: decoded, unless decoding would leave the folder or split the segment.
 */
function write(out: string, path: string, body: string | Uint8Array, page: boolean): void {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((segment) => {
      const decoded = safeDecode(segment);
      return /[/\\\0]/.test(decoded) || decoded === '.' || decoded === '..' ? segment : decoded;
    });
  if (segments.some((s) => s === '.' || s === '..')) return;
  const file = resolve(join(out, ...segments, ...(page ? ['index.html'] : [])));
  if (!file.startsWith(out + sep)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
