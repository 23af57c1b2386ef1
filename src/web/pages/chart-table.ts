import { html } from 'hono/html';
import type { ChartSnapshot } from '../../domain/chart.js';
import { artistLinks, count, coverUrl, movement, signed, trackLinks } from './format.js';
import type { Html } from './layout.js';

/**
 * A chart's entries as a table: position, movement, cover (uncropped, only when known),
 * title and artists linked to their pages and to Spotify, streams and their change where the
 * chart has them, days on chart and peak.
 */
export function chartTable(
  chart: ChartSnapshot,
  streamsChanges: readonly (number | null)[],
  limit = chart.entries.length,
): Html {
  const entries = chart.entries.slice(0, limit);
  const hasStreams = entries.some((e) => e.streams !== null);
  const hasCovers = entries.some((e) => coverUrl(e.album?.imageUrl));
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${chart.title} ${chart.chartDate}">
<table class="chart">
<thead><tr>
  <th scope="col" class="num">#</th><th scope="col">Move</th>${hasCovers ? html`<th scope="col"><span class="visually-hidden">Cover</span></th>` : ''}<th scope="col">Track</th>
  ${hasStreams ? html`<th scope="col" class="num">Streams</th><th scope="col" class="num">Change</th>` : ''}
  <th scope="col" class="num">Days</th><th scope="col" class="num">Peak</th>
</tr></thead>
<tbody>
${entries.map((entry, i) => {
  const cover = coverUrl(entry.album?.imageUrl);
  return html`<tr>
  <td class="num pos">${entry.position}</td>
  <td>${movement(entry)}</td>
  ${hasCovers ? html`<td class="cover">${cover ? html`<img src="${cover}" alt="" loading="lazy" width="48" height="48">` : ''}</td>` : ''}
  <td class="track"><span class="title">${trackLinks(entry.trackId, entry.name)}</span><br><span class="artists">${artistLinks(entry.artists)}</span></td>
  ${hasStreams ? html`<td class="num">${count(entry.streams)}</td><td class="num">${signed(streamsChanges[i])}</td>` : ''}
  <td class="num">${entry.daysOnChart}</td>
  <td class="num">${entry.peak}</td>
</tr>`;
})}
</tbody>
</table>
</div>`;
}
