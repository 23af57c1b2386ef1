import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { ArtistKeyHistory } from '../../domain/history.js';
import { MAX_ARTIST } from '../api/params.js';
import { notFound } from '../http-errors.js';
import { chartPath, count, trackLinks } from './format.js';
import { historyChart, historyChartAssets, historyTable } from './history-chart.js';
import type { Html } from './layout.js';
import { type PageContext, pathValue } from './page-context.js';

/**
 * `/artists/:artist` (a Spotify artist id or the name as the charts spell it): the artist's best
 * position per day on each chart as a line chart, their tracks with peak and days, and totals.
 */
export function artistRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/artists/:artist', async (c) => {
    const query = pathValue(c.req.param('artist'), 'artist', MAX_ARTIST);
    const found = await ctx.app.artistHistory({ artist: query });
    if (found.kind !== 'found') {
      throw notFound(
        `No artist ${query} is on a stored chart.`,
        'Search finds artists by their whole name, and tracks by words of their title.',
      );
    }
    const series = found.charts.map((key) => ({
      label: key.chartId,
      source: key.source,
      chartId: key.chartId,
      points: key.days.map((d) => ({
        date: d.chartDate,
        position: d.bestPosition,
        streams: d.streams,
      })),
    }));
    const name = found.artist.name;
    return c.html(
      ctx.page(
        { title: name },
        html`${historyChartAssets()}
<h1>${name}</h1>
${
  found.artist.id
    ? html`<p class="lede"><a class="spotify-link" href="https://open.spotify.com/artist/${encodeURIComponent(found.artist.id)}" rel="noopener">${name} on Spotify</a></p>`
    : ''
}
${
  found.charts.length === 0
    ? html`<p>No track of ${name} is on a stored chart.</p>`
    : html`${historyChart(series, `${name}, best placed track`)}
${found.charts.map((key, i) => keyBlock(key, series[i] ? historyTable(series[i]) : ''))}`
}`,
      ),
    );
  });
}

/** One chart key: totals, and each track with its peak, days and first date. */
function keyBlock(key: ArtistKeyHistory, table: Html | string): Html {
  const tracks = new Map<string, { name: string; peak: number; days: number; first: string }>();
  for (const day of key.days) {
    for (const entry of day.entries) {
      const track = tracks.get(entry.trackId);
      if (!track) {
        tracks.set(entry.trackId, {
          name: entry.name,
          peak: entry.position,
          days: 1,
          first: day.chartDate,
        });
      } else {
        track.peak = Math.min(track.peak, entry.position);
        track.days++;
      }
    }
  }
  const sorted = [...tracks.entries()].sort(
    (a, b) => a[1].peak - b[1].peak || b[1].days - a[1].days,
  );
  return html`<section class="key-stats" aria-label="On ${key.chartId}">
<h2><a href="${chartPath(key)}">${key.chartId}</a> <span class="hint">${key.source}</span></h2>
<p>${key.totals.tracks} track${key.totals.tracks === 1 ? '' : 's'} on ${key.totals.days} chart${key.totals.days === 1 ? '' : 's'}, best #${key.totals.bestPosition}${key.totals.streams !== null ? `, ${count(key.totals.streams)} streams` : ''}.</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="Tracks on ${key.chartId}"><table>
<thead><tr><th scope="col">Track</th><th scope="col" class="num">Peak</th><th scope="col" class="num">Charts</th><th scope="col">First</th></tr></thead>
<tbody>${sorted.map(
    ([id, t]) =>
      html`<tr><td class="track">${trackLinks(id, t.name)}</td><td class="num">${t.peak}</td><td class="num">${t.days}</td><td class="date"><a href="${chartPath(key, t.first)}">${t.first}</a></td></tr>`,
  )}</tbody></table></div>
${table}
</section>`;
}
