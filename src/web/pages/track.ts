import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { TrackKeyHistory } from '../../app/history.js';
import { parseTrackId } from '../../domain/track-ref.js';
import { notFound } from '../http-errors.js';
import { artistLinks, chartPath, count, spotifyTrackUrl } from './format.js';
import { historyChart, historyChartAssets, historyTable } from './history-chart.js';
import type { Html } from './layout.js';
import { type PageContext, pathValue } from './page-context.js';

/**
 * `/tracks/:trackId`: the track's position over time on every chart it appeared in, with
 * streams where known, and per chart its first appearance, peak, times at peak and days on it.
 */
export function trackRoutes(pages: Hono, ctx: PageContext): void {
  pages.get('/tracks/:trackId', async (c) => {
    const id = parseTrackId(pathValue(c.req.param('trackId'), 'track'));
    if (!id) return c.notFound();
    const found = await ctx.app.trackHistory({ track: id });
    const track = found.kind === 'found' ? found.tracks[0] : undefined;
    if (!track || found.kind !== 'found') throw notFound(`No track ${id} is on a stored chart.`);
    const series = found.charts.map((key) => ({
      label: key.chartId,
      source: key.source,
      chartId: key.chartId,
      points: key.series.map((p) => ({
        date: p.chartDate,
        position: p.position,
        streams: p.streams,
      })),
    }));
    return c.html(
      ctx.page(
        { title: `${track.name}` },
        html`${historyChartAssets()}
<h1>${track.name}</h1>
<p class="lede">${artistLinks(track.artists)} · <a class="spotify-link" href="${spotifyTrackUrl(track.id)}" rel="noopener">Play on Spotify</a></p>
${
  found.charts.length === 0
    ? html`<p>This track is on no stored chart.</p>`
    : html`${historyChart(series, track.name)}
${found.charts.map((key, i) => statsBlock(key, series[i] ? historyTable(series[i]) : ''))}`
}`,
      ),
    );
  });
}

function statsBlock(key: TrackKeyHistory, table: Html | string): Html {
  const { stats } = key;
  return html`<section class="key-stats" aria-label="On ${key.chartId}">
<h2><a href="${chartPath(key)}">${key.chartId}</a> <span class="hint">${key.source}</span></h2>
<dl class="facts">
  <dt>First appearance</dt><dd><a href="${chartPath(key, stats.firstDate)}">${stats.firstDate}</a></dd>
  <dt>Last appearance</dt><dd><a href="${chartPath(key, stats.lastDate)}">${stats.lastDate}</a></dd>
  <dt>Peak</dt><dd>#${stats.peak} (first on <a href="${chartPath(key, stats.peakDate)}">${stats.peakDate}</a>)</dd>
  <dt>Times at peak</dt><dd>${stats.timesAtPeak}</dd>
  <dt>${key.unit === 'weeks' ? 'Weeks' : 'Days'} on chart</dt><dd>${stats.chartsOn}</dd>
  <dt>Longest run</dt><dd>${stats.longestStreak} in a row</dd>
  ${stats.chartsAtNumberOne > 0 ? html`<dt>At number 1</dt><dd>${stats.chartsAtNumberOne}</dd>` : ''}
  ${stats.totalStreams !== null ? html`<dt>Streams</dt><dd>${count(stats.totalStreams)}</dd>` : ''}
</dl>
${table}
</section>`;
}
