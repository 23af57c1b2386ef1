import { html } from 'hono/html';
import { chartPath, count } from './format.js';
import type { Html } from './layout.js';

/** One line of a history chart: positions (and streams where known) on one chart key. */
export interface HistorySeries {
  label: string;
  source: string;
  chartId: string;
  points: { date: string; position: number; streams: number | null }[];
}

/**
 * Position over time as a line chart (drawn by /assets/track-chart.js with uPlot, position 1 at
 * the top), one line per series. The data travel in a data- attribute, as the Content Security
 * Policy forbids inline script; the tables after it show the same without JavaScript.
 */
export function historyChart(series: readonly HistorySeries[], label: string): Html {
  const data = series.map((s) => ({
    label: s.label,
    points: s.points.map((p) => [p.date, p.position, p.streams]),
  }));
  return html`<figure class="history-chart">
<div class="plot" data-history="${JSON.stringify(data)}" role="img" aria-label="${label}: position over time, number 1 at the top"></div>
<figcaption class="hint">${label}: position over time (1 at the top)${series.some((s) => s.points.some((p) => p.streams !== null)) ? ', with streams (dashed, right axis)' : ''}. The tables below hold the same numbers.</figcaption>
</figure>`;
}

/** The same points as a table, folded away (a native disclosure: works without JavaScript). */
export function historyTable(series: HistorySeries): Html {
  const hasStreams = series.points.some((p) => p.streams !== null);
  return html`<details class="history-table"><summary>${series.label}: ${series.points.length} chart${series.points.length === 1 ? '' : 's'}, day by day</summary>
<div class="table-scroll" tabindex="0" role="region" aria-label="${series.label} day by day"><table>
<thead><tr><th scope="col">Date</th><th scope="col" class="num">Position</th>${hasStreams ? html`<th scope="col" class="num">Streams</th>` : ''}</tr></thead>
<tbody>${[...series.points]
    .reverse()
    .map(
      (p) =>
        html`<tr><td class="date"><a href="${chartPath(series, p.date)}">${p.date}</a></td><td class="num">${p.position}</td>${hasStreams ? html`<td class="num">${count(p.streams)}</td>` : ''}</tr>`,
    )}</tbody></table></div></details>`;
}

/** The uPlot script and style sheet and the small script that draws the charts. */
export function historyChartAssets(): Html {
  return html`<link rel="stylesheet" href="/assets/uplot.css">
<script src="/assets/uplot.js" defer></script>
<script src="/assets/track-chart.js" defer></script>`;
}
